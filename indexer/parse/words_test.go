package parse

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestSubjectEncodedWords(t *testing.T) {
	tests := []struct {
		name    string
		subject string
		want    string
		warn    string // code of a warning the message must have, or ""
	}{
		{"plain", "Quarterly report", "Quarterly report", ""},
		{"B utf-8", "=?UTF-8?B?SGVsbG8gV29ybGQ=?=", "Hello World", ""},
		{"b lower case", "=?utf-8?b?w6k=?=", "é", ""},
		{"Q iso-8859-1", "=?ISO-8859-1?Q?Caf=E9_au_lait?=", "Café au lait", ""},
		{"Q lower-case hex", "=?utf-8?q?caf=c3=a9?=", "café", ""},
		{"adjacent words join", "=?UTF-8?Q?Hello?= =?UTF-8?Q?_World?=", "Hello World", ""},
		{"adjacent words folded", "=?UTF-8?Q?Hello?=\r\n =?UTF-8?Q?_World?=", "Hello World", ""},
		{"words between text", "Re: =?UTF-8?Q?caf=C3=A9?= time", "Re: café time", ""},
		{"character split over two words", "=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "café", ""},
		{"character split over two base64 words", "=?UTF-8?B?w6nD?= =?UTF-8?B?qQ==?=", "éé", ""},
		{"iso-8859-1 read as windows-1252", "=?iso-8859-1?Q?=93quoted=94?=", "\u201cquoted\u201d", ""},
		{"base64 without padding", "=?UTF-8?B?VEVTVA?=", "TEST", ""},
		{"rfc 2231 language", "=?UTF-8*en?Q?Hello?=", "Hello", ""},
		{"koi8-r", "=?KOI8-R?B?8NLJ18XU?=", "Привет", ""},
		{"shift_jis", "=?Shift_JIS?B?k/qWe4zq?=", "日本語", ""},
		{"euc-kr", "=?EUC-KR?B?x9Gxub7u?=", "한국어", ""},
		{"gb2312", "=?GB2312?B?1tDOxA==?=", "中文", ""},
		{"big5", "=?Big5?B?pKSk5Q==?=", "中文", ""},
		{"utf-16 with BOM", "=?UTF-16?B?//5HAHIA/ADfAGUA?=", "Grüße", ""},
		{"unknown charset, valid utf-8", "=?x-bogus?Q?caf=C3=A9?=", "café", leakscope.WarnCharset},
		{"unknown charset, latin-1 bytes", "=?x-bogus?Q?caf=E9?=", "café", leakscope.WarnCharset},
		{"unknown encoding kept", "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=", ""},
		{"unterminated word kept", "=?UTF-8?Q?abc", "=?UTF-8?Q?abc", ""},
		{"raw utf-8 (RFC 6532)", "Café ☕", "Café ☕", ""},
		{"raw latin-1 bytes", "Caf\xe9", "Café", leakscope.WarnHeader},
		{"invalid utf-8 in a utf-8 word", "=?utf-8?q?a=80b?=", "a\uFFFDb", ""},
		{"folded white space collapsed", "a\r\n\t b  c", "a b c", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, simpleSubject(tt.subject))
			if got := p.Message.Subject; got != tt.want {
				t.Errorf("Subject %q = %q, want %q", tt.subject, got, tt.want)
			}
			if tt.warn != "" {
				wantWarning(t, p, tt.warn, "")
			} else {
				wantNoWarning(t, p, leakscope.WarnCharset)
				wantNoWarning(t, p, leakscope.WarnHeader)
			}
		})
	}
}

func simpleSubject(s string) string {
	return joinCRLF("From: a@example.com", "Date: Mon, 2 Jan 2006 15:04:05 +0000", "Subject: "+s, "", "body")
}

func TestSoundWords(t *testing.T) {
	tests := []struct {
		name, in, out string
		want          bool
	}{
		{"decoded", "=?utf-8?q?a?=", "a", true},
		{"word left", "=?utf-8?b?VEVTVA?=", "=?utf-8?b?VEVTVA?=", false},
		{"new replacement character", "=?utf-8?q?=C3?=", "\uFFFD", false},
		{"replacement character already there", "\uFFFD =?utf-8?q?a?=", "\uFFFD a", true},
		{"C1 control", "=?iso-8859-1?q?=93?=", "\u0093", false},
		{"invalid utf-8", "=?utf-8?q?=80?=", "\x80", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := soundWords(tt.in, tt.out); got != tt.want {
				t.Errorf("soundWords(%q, %q) = %v, want %v", tt.in, tt.out, got, tt.want)
			}
		})
	}
}

// TestDecodeWordsLinear reads headers full of "=?" that never form a word.
// A decoder that searches the rest of the header for each "=?" is
// quadratic: seconds for these, minutes for a few such headers of 1 MiB.
func TestDecodeWordsLinear(t *testing.T) {
	for _, unit := range []string{"=?abc ", "=?a?q?x "} {
		s := strings.Repeat(unit, 500_000/len(unit))
		if got := decodeWords(s, nopWarner{}); got != s {
			t.Errorf("decodeWords(%q...) changed the text", unit)
		}
	}
}

type nopWarner struct{}

func (nopWarner) warn(string, string) {}
