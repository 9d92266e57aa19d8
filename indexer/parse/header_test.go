package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestReadHeader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int
		subject string
		n       int // body offset wanted
		fails   bool
	}{
		{"simple", "Subject: hi\r\nTo: a@b\r\n\r\nbody", 1 << 20, "hi", 24, false},
		{"LF", "Subject: hi\nTo: a@b\n\nbody", 1 << 20, "hi", 21, false},
		{"folded", "Subject: one\r\n two\r\n\tthree\r\n\r\nbody", 1 << 20, "one two three", 30, false},
		{"space before colon", "Subject : hi\r\n\r\n", 1 << 20, "hi", 16, false},
		{"no body", "Subject: hi", 1 << 20, "hi", 11, false},
		{"continuation first", " x\r\nSubject: hi\r\n\r\n", 1 << 20, "", 0, true},
		{"line without colon", "Subject: hi\r\nnot a field\r\n\r\n", 1 << 20, "", 0, true},
		{"space in name", "Bad Name: x\r\n\r\n", 1 << 20, "", 0, true},
		{"over the limit", "Subject: hi\r\nX-Long: " + strings.Repeat("x", 100) + "\r\n\r\n", 50, "", 0, true},
		{"just within the limit", "Subject: hi\r\n\r\nbody", 15, "hi", 15, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, n, err := readHeader([]byte(tt.in), tt.max)
			if (err != nil) != tt.fails {
				t.Fatalf("readHeader(%q) error %v, want failure %v", tt.in, err, tt.fails)
			}
			if tt.fails {
				if tt.name == "over the limit" && !errors.Is(err, errHeaderTooBig) {
					t.Errorf("readHeader(%q) error %v, want errHeaderTooBig", tt.in, err)
				}
				return
			}
			if got := h.Get("Subject"); got != tt.subject || n != tt.n {
				t.Errorf("readHeader(%q) = Subject %q, body at %d, want %q, %d", tt.in, got, n, tt.subject, tt.n)
			}
		})
	}
}

func TestReadLenientHeader(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		stack     []string
		max       int
		fields    []string // "Key=value" in order
		bodyStart int
		badLine   bool
		cut       bool
	}{
		{"blank line", "A: 1\r\nB: 2\r\n\r\nbody", nil, 1000, []string{"A=1", "B=2"}, 14, false, false},
		{"continuation first ignored", " junk\r\nA: 1\r\n\r\n", nil, 1000, []string{"A=1"}, 15, false, false},
		{"folded", "A: 1\r\n 2\r\n\r\n", nil, 1000, []string{"A=1 2"}, 12, false, false},
		{"bad line ends the header", "A: 1\r\nnot a field\r\nB: 2\r\n", nil, 1000, []string{"A=1"}, 6, true, false},
		{"delimiter ends the header", "A: 1\r\n--b1\r\nB: 2\r\n", []string{"b1"}, 1000, []string{"A=1"}, 6, false, false},
		{"cut at the limit", "A: 1\r\nB: 2222222222\r\nC: 3\r\n\r\nbody", nil, 10, []string{"A=1"}, 29, false, true},
		{"end of input", "A: 1\r\nB: 2", nil, 1000, []string{"A=1", "B=2"}, 10, false, false},
		{"repeated fields in order", "R: 1\r\nR: 2\r\n\r\n", nil, 1000, []string{"R=1", "R=2"}, 14, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readLenientHeader([]byte(tt.in), 0, tt.stack, tt.max)
			var got []string
			fs := r.h.Fields()
			for fs.Next() {
				got = append(got, fs.Key()+"="+fs.Value())
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") || r.bodyStart != tt.bodyStart || r.badLine != tt.badLine || r.cut != tt.cut {
				t.Errorf("readLenientHeader(%q) = %v, body at %d, bad line %v, cut %v; want %v, %d, %v, %v",
					tt.in, got, r.bodyStart, r.badLine, r.cut, tt.fields, tt.bodyStart, tt.badLine, tt.cut)
			}
		})
	}
}

func TestMalformedHeaderFallback(t *testing.T) {
	tests := []struct {
		name, raw, subject, body, warn string
	}{
		{"continuation first", " stray\r\nSubject: s\r\n\r\nbody", "s", "body", "malformed header rejected by go-message: read leniently"},
		{"header ended by text", "Subject: s\r\nThis line is body text.\r\nMore.", "s", "This line is body text.\nMore.", "header ended by a line that is not a field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.raw)
			if p.Message.Subject != tt.subject || p.Text.Body != tt.body {
				t.Errorf("Subject %q, body %q, want %q, %q", p.Message.Subject, p.Text.Body, tt.subject, tt.body)
			}
			wantWarning(t, p, leakscope.WarnHeader, tt.warn)
		})
	}
}
