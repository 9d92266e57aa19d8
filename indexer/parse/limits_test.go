package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// nestedMultiparts returns a message whose text sits under n nested
// multiparts.
func nestedMultiparts(n int) string {
	s := mimeHeader
	for i := 0; i < n; i++ {
		s += fmt.Sprintf("Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	s += "Content-Type: text/plain\r\n\r\ndeep text"
	for i := n - 1; i >= 0; i-- {
		s += fmt.Sprintf("\r\n--b%d--", i)
	}
	return s + "\r\n"
}

// nestedMessages returns a message with n message/rfc822 parts nested in
// each other.
func nestedMessages(n int) string {
	s := "From: a@example.com\r\nSubject: level 0\r\n\r\ninnermost text"
	for i := 1; i <= n; i++ {
		s = fmt.Sprintf("From: a@example.com\r\nSubject: level %d\r\nContent-Type: message/rfc822\r\n\r\n", i) + s
	}
	return s
}

func TestLimits(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name  string
		raw   string
		lim   Limits
		warn  string // detail of the "limit" warning wanted
		check func(t *testing.T, p *Parsed)
	}{
		{
			name: "MaxHeaderBytes",
			raw:  "From: a@example.com\r\nSubject: s\r\nX-Long: " + long + "\r\nTo: b@example.com\r\n\r\nbody",
			lim:  Limits{MaxHeaderBytes: 60},
			warn: "MaxHeaderBytes 60 reached: header fields beyond it dropped",
			check: func(t *testing.T, p *Parsed) {
				if p.Message.From.Email != "a@example.com" || p.Message.Subject != "s" || p.Message.To != nil || p.Text.Body != "body" {
					t.Errorf("From %q, Subject %q, To %v, body %q; want a@example.com, s, none, body", p.Message.From.Email, p.Message.Subject, p.Message.To, p.Text.Body)
				}
			},
		},
		{
			name: "MaxHeaderBytes of a part",
			raw:  multipart(part("data", "Content-Type: application/pdf", "X-Long: "+long+long+long)),
			lim:  Limits{MaxHeaderBytes: 200},
			warn: "MaxHeaderBytes 200 reached: header fields beyond it dropped",
			check: func(t *testing.T, p *Parsed) {
				if len(p.Message.Attachments) != 1 || p.Message.Attachments[0].ContentType != "application/pdf" {
					t.Errorf("attachments = %+v, want the PDF", p.Message.Attachments)
				}
			},
		},
		{
			name: "MaxParts",
			raw:  multipart(part("p2"), part("p3"), part("p4"), part("p5")),
			lim:  Limits{MaxParts: 3},
			warn: "MaxParts 3 reached: later parts not read",
			check: func(t *testing.T, p *Parsed) {
				if want := "see attached\n\np2\n\np3"; p.Text.Body != want || p.parts != 3 {
					t.Errorf("body %q, %d parts read, want %q, 3", p.Text.Body, p.parts, want)
				}
			},
		},
		{
			name: "MaxParts counts attached messages' parts",
			raw:  multipart(part(multipart(part("x"), part("y")), "Content-Type: message/rfc822")),
			lim:  Limits{MaxParts: 4},
			warn: "MaxParts 4 reached",
			check: func(t *testing.T, p *Parsed) {
				if p.parts > 4 {
					t.Errorf("%d parts read, want at most 4", p.parts)
				}
			},
		},
		{
			name: "MaxDepth of multiparts",
			raw:  nestedMultiparts(5),
			lim:  Limits{MaxDepth: 2},
			warn: "MaxDepth 2 reached: multipart not read",
			check: func(t *testing.T, p *Parsed) {
				if p.depth > 2 || p.Text.Body != "" || len(p.Message.Attachments) != 1 || p.Message.Attachments[0].ContentType != "multipart/mixed" {
					t.Errorf("depth %d, body %q, attachments %+v; want depth <= 2, no body, the deep multipart as an attachment", p.depth, p.Text.Body, p.Message.Attachments)
				}
			},
		},
		{
			name: "MaxDepth of attached messages",
			raw:  nestedMessages(5),
			lim:  Limits{MaxDepth: 3},
			check: func(t *testing.T, p *Parsed) {
				n := 0
				c := p
				for ; len(c.Attached) > 0; c = c.Attached[0] {
					n++
				}
				if n != 3 {
					t.Errorf("%d levels of attached messages, want 3", n)
				}
				// The warning is on the message whose attachment was not read.
				wantWarning(t, c, leakscope.WarnLimit, "MaxDepth 3 reached: attached message not read")
			},
		},
		{
			name: "MaxPartBytes of a base64 body",
			raw:  simple([]string{"Content-Transfer-Encoding: base64"}, b64([]byte(strings.Repeat("abcdefghij", 10)))),
			lim:  Limits{MaxPartBytes: 25},
			warn: "MaxPartBytes 25 reached: part cut",
			check: func(t *testing.T, p *Parsed) {
				if want := "abcdefghijabcdefghijabcde"; p.Text.Body != want {
					t.Errorf("body %q, want %q", p.Text.Body, want)
				}
			},
		},
		{
			name: "MaxPartBytes of a broken base64 body",
			raw:  simple([]string{"Content-Transfer-Encoding: base64"}, "!"+b64([]byte(strings.Repeat("abcdefghij", 10)))),
			lim:  Limits{MaxPartBytes: 25},
			warn: "MaxPartBytes 25 reached: part cut",
			check: func(t *testing.T, p *Parsed) {
				if want := "abcdefghijabcdefghijabcde"; p.Text.Body != want {
					t.Errorf("body %q, want %q", p.Text.Body, want)
				}
			},
		},
		{
			name: "MaxPartBytes of a quoted-printable attachment",
			raw:  multipart(part(strings.Repeat("=41", 50), "Content-Type: application/octet-stream", "Content-Transfer-Encoding: quoted-printable")),
			lim:  Limits{MaxPartBytes: 10},
			warn: "MaxPartBytes 10 reached: part cut",
			check: func(t *testing.T, p *Parsed) {
				if a := p.Message.Attachments[0]; a.Size != 10 || a.SHA256 != sha([]byte("AAAAAAAAAA")) {
					t.Errorf("attachment %+v, want the first 10 bytes", a)
				}
			},
		},
		{
			name: "MaxPartBytes of a plain body",
			raw:  simple(nil, long),
			lim:  Limits{MaxPartBytes: 10},
			warn: "MaxPartBytes 10 reached: part cut",
			check: func(t *testing.T, p *Parsed) {
				if p.Text.Body != long[:10] {
					t.Errorf("body %q, want %q", p.Text.Body, long[:10])
				}
			},
		},
		{
			name: "MaxTextBytes",
			raw:  multipart(part("ééééé", "Content-Type: text/csv; charset=utf-8", "Content-Disposition: attachment; filename=a.csv")),
			lim:  Limits{MaxTextBytes: 17},
			warn: "MaxTextBytes 17 reached: text cut",
			check: func(t *testing.T, p *Parsed) {
				// "see attached" takes 12 bytes; 5 are left, 2 characters of 2 bytes fit.
				if p.Text.Body != "see attached" || len(p.Text.Attachments) != 1 || p.Text.Attachments[0].Text != "éé" {
					t.Errorf("body %q, attachment text %v; want the body and 2 characters", p.Text.Body, p.Text.Attachments)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.raw, Options{Limits: tt.lim})
			if tt.warn != "" {
				wantWarning(t, p, leakscope.WarnLimit, tt.warn)
			}
			tt.check(t, p)
		})
	}
}

func TestTooManyWarnings(t *testing.T) {
	var subj []string
	for i := 0; i < 100; i++ {
		subj = append(subj, fmt.Sprintf("=?bogus-%d?Q?=E9?=", i))
	}
	raw := joinCRLF("From: a@example.com", "Date: Mon, 2 Jan 2006 15:04:05 +0000", "Subject: "+strings.Join(subj, " x "), "", "body")
	p := mustParse(t, raw)
	if n := len(p.Message.Warnings); n != maxWarnings+1 {
		t.Errorf("%d warnings, want %d", n, maxWarnings+1)
	}
	wantWarning(t, p, leakscope.WarnLimit, "more than 64 warnings: later ones dropped")
}

func TestDefaultLimits(t *testing.T) {
	got := Limits{}.withDefaults()
	want := Limits{MaxHeaderBytes: 1 << 20, MaxParts: 1000, MaxDepth: 32, MaxPartBytes: 64 << 20, MaxTextBytes: 16 << 20}
	if got != want {
		t.Errorf("Limits{}.withDefaults() = %+v, want %+v", got, want)
	}
}

func TestNotAMessage(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"empty", ""},
		{"blank lines", "\r\n\r\n\n"},
		{"text without fields", "just some text\nover two lines"},
		{"binary", "\x00\x01\x02\xff"},
		{"body only", "\r\nbody after a blank line"},
		{"mbox From_ line only", "From a@example.com Mon Jan  2 15:04:05 2006\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.raw), "", Options{})
			if !errors.Is(err, leakscope.ErrInvalidInput) || p != nil {
				t.Errorf("Parse(%q) = %v, %v, want nil, an error wrapping ErrInvalidInput", tt.raw, p, err)
			}
		})
	}
}

func TestPreamble(t *testing.T) {
	tests := []struct {
		name, raw, warn string
	}{
		{"byte order mark", "\xef\xbb\xbfSubject: s\r\n\r\nbody", ""},
		{"blank lines", "\r\n\r\nSubject: s\r\n\r\nbody", "blank lines before the header skipped"},
		{"mbox From_ line", "From a@example.com Mon Jan  2 15:04:05 2006\nSubject: s\n\nbody", "mbox From_ line before the header skipped"},
		{"escaped From_ line", ">From a@example.com Mon Jan  2 15:04:05 2006\nSubject: s\n\nbody", "mbox From_ line before the header skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.raw)
			if p.Message.Subject != "s" || p.Text.Body != "body" || string(p.Raw) != tt.raw {
				t.Errorf("Subject %q, body %q, Raw %q; want s, body, the input", p.Message.Subject, p.Text.Body, p.Raw)
			}
			if tt.warn != "" {
				wantWarning(t, p, leakscope.WarnHeader, tt.warn)
			} else {
				wantNoWarning(t, p, leakscope.WarnHeader)
			}
		})
	}
}

// TestMaxPartsInNestedMultipart stops in a nested multipart: go-message
// reads the message, not looking at the rest (whose closing delimiters are
// missing), and nothing after the limit is read.
func TestMaxPartsInNestedMultipart(t *testing.T) {
	raw := multipart(part("--b2\r\n\r\ninner 1\r\n--b2\r\n\r\ninner 2\r\n--b2\r\n\r\ninner 3", `Content-Type: multipart/mixed; boundary="b2"`))
	raw = strings.TrimSuffix(raw, "\r\n--b1--\r\n")
	lim := Limits{MaxParts: 3}
	p := mustParse(t, raw, Options{Limits: lim})
	if want := "see attached\n\ninner 1"; p.Text.Body != want {
		t.Errorf("body = %q, want %q", p.Text.Body, want)
	}
	wantWarning(t, p, leakscope.WarnLimit, "MaxParts 3 reached")
	if _, err := readStrict([]byte(raw), 0, &tree{lim: lim.withDefaults()}); err != nil {
		t.Errorf("go-message rejected the message: %v", err)
	}
}
