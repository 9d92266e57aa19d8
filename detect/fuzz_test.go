package detect

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// FuzzLoadRules checks the rule-file reader: it never panics; a rejected
// file gets a *RuleError naming the file and a line inside it; an accepted
// file yields rules that know their line, compile, and build a Detector.
func FuzzLoadRules(f *testing.F) {
	for _, name := range []string{"testdata/example_rules.toml", "testdata/example_rules.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.HasSuffix(name, ".yaml"), data)
	}
	builtin, _ := filepath.Glob("rules/*.toml")
	for _, name := range builtin {
		data, _ := os.ReadFile(name)
		f.Add(false, data)
	}
	f.Add(false, []byte("[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"low\"\nwords = [\"a\",\n 'b']\n"))
	f.Add(true, []byte("rules:\n- id: x\n  category: phone\n  severity: low\n  pattern: |\n    \\d+\n"))
	f.Fuzz(func(t *testing.T, yaml bool, data []byte) {
		name := "f.toml"
		if yaml {
			name = "f.yaml"
		}
		rules, err := LoadRules(name, data)
		lines := bytes.Count(data, []byte("\n")) + 1
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) || !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Fatalf("LoadRules error %T %v is not a *RuleError", err, err)
			}
			if re.File != name || re.Line < 0 || re.Line > lines {
				t.Fatalf("LoadRules error %v points outside the %d-line file %s", err, lines, name)
			}
			return
		}
		for _, r := range rules {
			if !strings.HasPrefix(r.Source, name+":") {
				t.Fatalf("rule %q Source = %q", r.ID, r.Source)
			}
			if r.Disabled {
				continue
			}
			if _, err := compile(r); err != nil {
				t.Fatalf("LoadRules accepted rule %q that does not compile: %v", r.ID, err)
			}
		}
		d, err := New(Options{NoBuiltin: true, Rules: data, RulesFile: name})
		if err != nil {
			t.Fatalf("New with accepted rules = %v", err)
		}
		d.Scan(&leakscope.Message{Subject: "x"}, &leakscope.Text{Body: string(data)})
	})
}

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
