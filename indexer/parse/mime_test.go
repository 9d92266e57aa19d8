package parse

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

const mimeHeader = "From: a@example.com\r\nDate: Mon, 2 Jan 2006 15:04:05 +0000\r\nSubject: test\r\nMIME-Version: 1.0\r\n"

func TestMultipartStructure(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		body    string   // the body text wanted
		atts    []string // content types of the attachments wanted
		warn    string   // "code: detail substring" of a warning wanted, "" for no header or mime warning
		lenient bool     // whether go-message is expected to reject the message
	}{
		{
			name: "well formed",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n--b1--\r\nepilogue\r\n",
			body: "hello", atts: []string{"application/pdf"},
		},
		{
			name: "LF line ends",
			raw:  strings.ReplaceAll(mimeHeader, "\r\n", "\n") + "Content-Type: multipart/mixed; boundary=b1\n\n--b1\n\nhello\n--b1\nContent-Type: image/png\n\nPNG\n--b1--\n",
			body: "hello", atts: []string{"image/png"},
		},
		{
			name: "delimiter with trailing white space",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1  \r\n\r\nhello\r\n--b1-- \t\r\n",
			body: "hello",
		},
		{
			name: "empty multipart",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1--\r\n",
			body: "",
		},
		{
			name: "substring boundaries",
			raw: mimeHeader + "Content-Type: multipart/mixed; boundary=\"foo\"\r\n\r\n--foo\r\nContent-Type: multipart/alternative; boundary=\"foobar\"\r\n\r\n" +
				"--foobar\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--foobar\r\nContent-Type: text/html\r\n\r\n<p>inner html</p>\r\n--foobar--\r\n" +
				"--foo\r\nContent-Type: text/plain\r\n\r\nouter text\r\n--foo--\r\n",
			body: "inner text\n\nouter text",
		},
		{
			name: "outer boundary is a prefix of the inner one",
			raw: mimeHeader + "Content-Type: multipart/mixed; boundary=\"foobar\"\r\n\r\n--foobar\r\nContent-Type: multipart/mixed; boundary=\"foo\"\r\n\r\n" +
				"--foo\r\nContent-Type: text/plain\r\n\r\ninner\r\n--foo--\r\n" +
				"--foobar\r\nContent-Type: text/plain\r\n\r\nouter\r\n--foobar--\r\n",
			body: "inner\n\nouter",
		},
		{
			name: "nested multipart reusing the boundary",
			raw: mimeHeader + "Content-Type: multipart/mixed; boundary=\"same\"\r\n\r\n--same\r\nContent-Type: multipart/alternative; boundary=\"same\"\r\n\r\n" +
				"--same\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--same--\r\n" +
				"--same\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--same--\r\n",
			body: "first\n\nsecond", warn: "mime: rejected by go-message", lenient: true,
		},
		{
			name: "missing closing delimiter",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\none\r\n--b1\r\nContent-Type: text/plain\r\n\r\ntwo\r\n",
			body: "one\n\ntwo", warn: "mime: multipart not closed: parts read so far kept", lenient: true,
		},
		{
			name: "missing boundary parameter",
			raw:  mimeHeader + "Content-Type: multipart/mixed\r\n\r\n--b1\r\n\r\nhello\r\n--b1--\r\n",
			body: "--b1\n\nhello\n--b1--", warn: "mime: multipart without boundary read as text", lenient: true,
		},
		{
			name: "empty boundary parameter",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nhello\r\n----\r\n",
			body: "--\n\nhello\n----", warn: "mime: multipart without boundary read as text", lenient: true,
		},
		{
			name: "boundary never found",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b2\r\n\r\n--b1\r\n\r\nhello\r\n--b1--\r\n",
			body: "--b1\n\nhello\n--b1--", warn: "mime: multipart boundary never found: read as text", lenient: true,
		},
		{
			name: "part header without blank line",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\nhello there\r\n--b1--\r\n",
			body: "hello there", warn: "header: header ended by a line that is not a field", lenient: true,
		},
		{
			name: "part with a header and no body before the next delimiter",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n--b1\r\n\r\nhello\r\n--b1--\r\n",
			body: "hello", warn: "header: malformed part header rejected by go-message", lenient: true,
		},
		{
			name: "malformed delimiter line kept in the body",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\nhello\r\n--b1-not-a-delimiter\r\n--b1--\r\n",
			body: "hello\n--b1-not-a-delimiter", warn: "mime: rejected by go-message", lenient: true,
		},
		{
			name: "Content-Type without subtype",
			raw:  mimeHeader + "Content-Type: multipart; boundary=b1\r\n\r\n--b1\r\n\r\nhello\r\n--b1--\r\n",
			body: "hello", warn: "mime: Content-Type without subtype read as multipart/mixed",
		},
		{
			name: "alternative: text/plain chosen",
			raw: mimeHeader + "Content-Type: multipart/alternative; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain\r\n" +
				"--b1\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b1--\r\n",
			body: "plain",
		},
		{
			name: "alternative: html chosen when text/plain is empty",
			raw: mimeHeader + "Content-Type: multipart/alternative; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n \r\n" +
				"--b1\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b1--\r\n",
			body: "html",
		},
		{
			name: "multipart with a transfer encoding",
			raw:  mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n--b1\r\n\r\nhello\r\n--b1--\r\n",
			body: "hello",
		},
		{
			name: "inline text parts in order",
			raw: mimeHeader + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\none\r\n--b1\r\nContent-Type: image/gif\r\n\r\nGIF\r\n" +
				"--b1\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\ntwo\r\n--b1--\r\n",
			body: "one\n\ntwo", atts: []string{"image/gif"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.raw)
			if p.Text.Body != tt.body {
				t.Errorf("body = %q, want %q", p.Text.Body, tt.body)
			}
			var atts []string
			for _, a := range p.Message.Attachments {
				atts = append(atts, a.ContentType)
			}
			if strings.Join(atts, ",") != strings.Join(tt.atts, ",") {
				t.Errorf("attachments = %v, want %v", atts, tt.atts)
			}
			if tt.warn == "" {
				wantNoWarning(t, p, leakscope.WarnMIME)
				wantNoWarning(t, p, leakscope.WarnHeader)
			} else {
				code, detail, _ := strings.Cut(tt.warn, ": ")
				wantWarning(t, p, code, detail)
			}
			start, _ := skipPreamble([]byte(tt.raw))
			_, err := readStrict([]byte(tt.raw)[start:], 0, &tree{lim: Limits{}.withDefaults()})
			if gotLenient := err != nil; gotLenient != tt.lenient {
				t.Errorf("go-message rejected it: %v (%v), want %v", gotLenient, err, tt.lenient)
			}
		})
	}
}
