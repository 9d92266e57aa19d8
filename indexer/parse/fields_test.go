package parse

import (
	"slices"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestMessageIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@x> <b@y>", []string{"a@x", "b@y"}},
		{"<a@x>\r\n <b@y> <a@x>", []string{"a@x", "b@y"}},
		{"<a@x> (comment) <b@y", []string{"a@x", "b@y"}},
		{"a@x b@y noat", []string{"a@x", "b@y"}},
		{"", nil},
		{"<>", nil},
	}
	for _, tt := range tests {
		if got := messageIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("messageIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestThreadFields(t *testing.T) {
	p := mustParse(t, joinCRLF("From: a@example.com", "Message-ID:  <ID@Example.COM> ", "In-Reply-To: <p@x> (from Bob)",
		"References: <r1@x>\r\n <p@x>", "", "body"))
	m := p.Message
	if m.MessageID != "ID@Example.COM" || m.InReplyTo != "p@x" || !slices.Equal(m.References, []string{"r1@x", "p@x"}) {
		t.Errorf("MessageID %q, InReplyTo %q, References %q; want ID@Example.COM, p@x, [r1@x p@x]", m.MessageID, m.InReplyTo, m.References)
	}
}

func TestIdentity(t *testing.T) {
	a := mustParse(t, simpleSubject("same"))
	b := mustParse(t, simpleSubject("same"))
	c := mustParse(t, simpleSubject("different"))
	if a.Message.ID != b.Message.ID || a.Message.ContentHash != b.Message.ContentHash {
		t.Errorf("same input: IDs %s/%s, hashes %s/%s, want equal", a.Message.ID, b.Message.ID, a.Message.ContentHash, b.Message.ContentHash)
	}
	if a.Message.ContentHash == c.Message.ContentHash || a.Message.ID == c.Message.ID {
		t.Errorf("different subjects give the same ContentHash %s", a.Message.ContentHash)
	}
	want := leakscope.MessageKey(a.Message.MessageID, a.Message.ContentHash)
	if a.Message.ID != want {
		t.Errorf("ID = %s, want MessageKey(...) = %s", a.Message.ID, want)
	}
	if a.Message.Size != int64(len(simpleSubject("same"))) {
		t.Errorf("Size = %d, want %d", a.Message.Size, len(simpleSubject("same")))
	}
}

func TestCollection(t *testing.T) {
	for _, tt := range []struct {
		opt, want leakscope.Collection
	}{{"", leakscope.CollectionLeak}, {leakscope.CollectionReference, leakscope.CollectionReference}} {
		p := mustParse(t, multipart(part("From: b@example.com\r\n\r\nx", "Content-Type: message/rfc822")), Options{Collection: tt.opt})
		if p.Message.Collection != tt.want || p.Attached[0].Message.Collection != tt.want {
			t.Errorf("Options.Collection %q: Collection %q, attached %q, want %q", tt.opt, p.Message.Collection, p.Attached[0].Message.Collection, tt.want)
		}
	}
}
