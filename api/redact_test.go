package api

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestRedact(t *testing.T) {
	body := "my SSN is 536-22-1847, call me"
	name := "ssn 536-22-1847.txt"
	flags := []leakscope.Flag{
		{Category: leakscope.FlagSSN, Where: "body", Start: 10, End: 21},
		{Category: leakscope.FlagSSN, Where: "subject", Start: 4, End: 15},
		{Category: leakscope.FlagSSN, Where: "attachment_name", Attachment: name, Start: 4, End: 15},
		{Category: leakscope.FlagSSN, Where: "attachment", Attachment: name, Start: 0, End: 11},
	}
	m := &leakscope.Message{Subject: "SSN 536-22-1847", Flags: flags,
		Attachments: []leakscope.Attachment{{Name: name, HasText: true, Size: 11}, {Name: "plain.txt", HasText: true, Size: 5}}}
	text := &leakscope.Text{Body: body, Attachments: []leakscope.AttachmentText{{Name: name, Text: "536-22-1847"}, {Name: "plain.txt", Text: "hello"}}}

	rm, rt := redactMessage(m), redactText(text, m.Flags)
	for what, got := range map[string]string{
		"subject": rm.Subject, "attachment name": rm.Attachments[0].Name, "flag attachment": rm.Flags[2].Attachment,
		"body": rt.Body, "attachment text name": rt.Attachments[0].Name, "attachment text": rt.Attachments[0].Text,
	} {
		if strings.Contains(got, "536-22") || !strings.Contains(got, "1847") {
			t.Errorf("redacted %s = %q, want the SSN masked but its last four kept", what, got)
		}
	}
	if rt.Attachments[1].Text != "hello" || rm.Attachments[1].Name != "plain.txt" {
		t.Errorf("unflagged attachment changed: %+v, %+v", rt.Attachments[1], rm.Attachments[1])
	}
	// The originals are untouched.
	if m.Subject != "SSN 536-22-1847" || m.Attachments[0].Name != name || m.Flags[2].Attachment != name || text.Body != body {
		t.Error("redaction changed the message it was given")
	}
	if cleanAttachment(m, 0) || !cleanAttachment(m, 1) {
		t.Errorf("cleanAttachment = %v, %v; want false for the flagged one, true for the plain one", cleanAttachment(m, 0), cleanAttachment(m, 1))
	}
	for _, a := range []leakscope.Attachment{
		{Name: "photo.jpg", Size: 5},                              // never scanned
		{Name: "fwd.eml", HasText: true, MessageID: "x", Size: 5}, // an attached message
		{Name: "big.txt", HasText: true, Size: 2 << 20},           // scanned only in part
	} {
		if cleanAttachment(&leakscope.Message{Attachments: []leakscope.Attachment{a}}, 0) {
			t.Errorf("cleanAttachment(%+v) = true, want false", a)
		}
	}
}
