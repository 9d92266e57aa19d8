package parse

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// joinCRLF joins lines with CRLF, as mail is sent.
func joinCRLF(lines ...string) string { return strings.Join(lines, "\r\n") }

// mustParse parses raw with opts (default options when none), fails the
// test on an error and checks the invariants every result has.
func mustParse(t *testing.T, raw string, opts ...Options) *Parsed {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	p, err := Parse([]byte(raw), "", o)
	if err != nil {
		t.Fatalf("Parse(%.60q) error: %v", raw, err)
	}
	if err := checkProperties(p, o.Limits.withDefaults()); err != nil {
		t.Fatalf("Parse(%.60q): %v", raw, err)
	}
	return p
}

// warning returns the first warning of p with code whose detail holds
// substr, and whether there is one.
func warning(p *Parsed, code, substr string) (leakscope.Warning, bool) {
	for _, w := range p.Message.Warnings {
		if w.Code == code && strings.Contains(w.Detail, substr) {
			return w, true
		}
	}
	return leakscope.Warning{}, false
}

// wantWarning fails the test unless p has a warning with code whose detail
// holds substr.
func wantWarning(t *testing.T, p *Parsed, code, substr string) {
	t.Helper()
	if _, ok := warning(p, code, substr); !ok {
		t.Errorf("warnings = %v, want a %q warning holding %q", p.Message.Warnings, code, substr)
	}
}

// wantNoWarning fails the test if p has a warning with code.
func wantNoWarning(t *testing.T, p *Parsed, code string) {
	t.Helper()
	if w, ok := warning(p, code, ""); ok {
		t.Errorf("unexpected %q warning: %v", code, w)
	}
}

// simple returns a one-part message with the given extra header lines and
// body.
func simple(header []string, body string) string {
	h := append([]string{"From: a@example.com", "Date: Mon, 2 Jan 2006 15:04:05 +0000", "Subject: test"}, header...)
	return joinCRLF(h...) + "\r\n\r\n" + body
}

// multipart returns a multipart/mixed message (boundary "b1") whose first
// part is a short text and whose other parts are given whole (header lines,
// blank line, body).
func multipart(parts ...string) string {
	s := joinCRLF("From: a@example.com", "Date: Mon, 2 Jan 2006 15:04:05 +0000", "Subject: test",
		"MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="b1"`, "", "preamble",
		"--b1", "Content-Type: text/plain", "", "see attached")
	for _, p := range parts {
		s += "\r\n--b1\r\n" + p
	}
	return s + "\r\n--b1--\r\n"
}

// part returns one MIME part: header lines, a blank line and the body.
func part(body string, header ...string) string {
	if len(header) == 0 {
		return "\r\n" + body
	}
	return joinCRLF(header...) + "\r\n\r\n" + body
}
