package detect

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// identifierCategories are the categories whose values a snippet must
// never show in full.
var identifierCategories = map[string]bool{
	leakscope.FlagSSN: true, leakscope.FlagCreditCard: true, leakscope.FlagIBAN: true,
	leakscope.FlagBankAccount: true, leakscope.FlagCredential: true, leakscope.FlagSecretKey: true,
	leakscope.FlagPhone: true, leakscope.FlagPassport: true, leakscope.FlagDateOfBirth: true,
}

// FuzzScan checks Scan's properties on any input: flags point inside their
// part, have known categories and severities and a confidence of at least
// MinConfidence; identifier values never appear in full in a snippet;
// redaction keeps the length; scanning twice gives the same flags.
func FuzzScan(f *testing.F) {
	d, err := New(syntheticOptions)
	if err != nil {
		f.Fatal(err)
	}
	for i, c := range syntheticCases() {
		if i%7 != 0 {
			continue
		}
		att := leakscope.AttachmentText{}
		if len(c.text.Attachments) > 0 {
			att = c.text.Attachments[0]
		}
		f.Add(c.msg.Subject, c.text.Body, att.Name, att.Text)
	}
	f.Add("Re: SSN", "SSN 123-45-6780\u00a0SSN 123-45-6780 (713) 853-1234,(713) 853-1234", "a,b,c", "ssn,x,y\n123-45-6780,1,2\n")
	f.Fuzz(func(t *testing.T, subject, body, attName, attText string) {
		m := &leakscope.Message{Subject: subject}
		text := &leakscope.Text{Body: body, Attachments: []leakscope.AttachmentText{{Name: attName, Text: attText}}}
		flags := d.Scan(m, text)
		if again := d.Scan(m, text); !reflect.DeepEqual(flags, again) {
			t.Fatalf("Scan is not deterministic:\n%v\n%v", flags, again)
		}
		for _, fl := range flags {
			var part string
			switch fl.Where {
			case WhereSubject:
				part = subject
			case WhereBody:
				part = body
			case WhereAttachmentName:
				part = attName
			case WhereAttachment:
				part = attText
			case WhereHeader:
				continue
			default:
				t.Fatalf("flag %+v has an unknown Where", fl)
			}
			if fl.Start < 0 || fl.End > len(part) || fl.Start >= fl.End {
				t.Fatalf("flag %+v outside its %d-byte part", fl, len(part))
			}
			if !contains(Categories, fl.Category) || severityRank[fl.Severity] == 0 || fl.Confidence < 0.5 || fl.Confidence > 1 {
				t.Fatalf("flag %+v has a bad category, severity or confidence", fl)
			}
			value := part[fl.Start:fl.End]
			if identifierCategories[fl.Category] && string(maskValue(fl.Category, value)) != value &&
				strings.Contains(fl.Snippet, value) {
				t.Fatalf("snippet %q shows the %s value %q", fl.Snippet, fl.Category, value)
			}
		}
		for _, p := range []struct{ where, att, text string }{{WhereSubject, "", subject}, {WhereBody, "", body}, {WhereAttachment, attName, attText}} {
			if r := Redact(p.text, flags, p.where, p.att); len(r) != len(p.text) {
				t.Fatalf("Redact changed the length of %q to %q", p.text, r)
			}
		}
	})
}
