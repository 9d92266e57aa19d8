package parse

import (
	"encoding/base64"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestAttachedMessages(t *testing.T) {
	inner := "From: b@example.com\r\nSubject: inner\r\nMessage-ID: <inner@example.com>\r\n\r\ninner body"
	tests := []struct {
		name string
		att  string // the attached part, header and body
		warn string // detail of a "header" warning wanted on the attached message
	}{
		{"identity", part(inner, "Content-Type: message/rfc822"), ""},
		{"base64", part(base64.StdEncoding.EncodeToString([]byte(inner)), "Content-Type: message/rfc822", "Content-Transfer-Encoding: base64"), ""},
		{"quoted-printable", part("From: b@example.com\r\nSubject: inner=\r\n\r\nMessage-ID: <inner@example.com>\r\n\r\ninner body", "Content-Type: message/rfc822", "Content-Transfer-Encoding: quoted-printable"), ""},
		{"message/global", part(inner, "Content-Type: message/global"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, multipart(tt.att))
			if len(p.Attached) != 1 {
				t.Fatalf("%d attached messages, want 1", len(p.Attached))
			}
			c := p.Attached[0]
			if c.Part != "2" || string(c.Raw) != inner || c.Message.ParentID != p.Message.ID ||
				c.Message.Subject != "inner" || c.Message.MessageID != "inner@example.com" || c.Text.Body != "inner body" {
				t.Errorf("attached = Part %q, Raw %q, ParentID %q, Subject %q, MessageID %q, body %q; want 2, the inner message, %q, inner, inner@example.com, inner body",
					c.Part, c.Raw, c.Message.ParentID, c.Message.Subject, c.Message.MessageID, c.Text.Body, p.Message.ID)
			}
			a := p.Message.Attachments[0]
			if a.MessageID != c.Message.ID || a.Size != int64(len(inner)) || a.SHA256 != sha([]byte(inner)) {
				t.Errorf("attachment = %+v, want message %s of %d bytes", a, c.Message.ID, len(inner))
			}
			if c.Message.Collection != leakscope.CollectionLeak {
				t.Errorf("attached Collection = %q, want %q", c.Message.Collection, leakscope.CollectionLeak)
			}
		})
	}
}

func TestAttachedMessageWithoutHeader(t *testing.T) {
	p := mustParse(t, multipart(part("just text, no header", "Content-Type: message/rfc822")))
	if len(p.Attached) != 1 {
		t.Fatalf("%d attached messages, want 1", len(p.Attached))
	}
	c := p.Attached[0]
	wantWarning(t, c, leakscope.WarnHeader, "attached message has no header field")
	if c.Text.Body != "just text, no header" {
		t.Errorf("attached body = %q, want the text", c.Text.Body)
	}
}

func TestTopMessageIsRFC822(t *testing.T) {
	p := mustParse(t, "From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\nSubject: wrapped\r\n\r\nbody")
	if len(p.Attached) != 1 || p.Attached[0].Part != "1" || p.Attached[0].Message.Subject != "wrapped" {
		t.Errorf("attached = %+v, want one message at part 1 with subject wrapped", p.Attached)
	}
}
