package parse

import (
	"encoding/base64"
	"testing"

	"github.com/leakscope/leakscope"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestBodyCharsets(t *testing.T) {
	tests := []struct {
		label string
		enc   encoding.Encoding
		text  string
	}{
		{"iso-8859-1", charmap.ISO8859_1, "Café déjà vu"},
		{"ISO-8859-2", charmap.ISO8859_2, "Zażółć gęślą jaźń"},
		{"iso-8859-5", charmap.ISO8859_5, "Привет мир"},
		{"iso-8859-7", charmap.ISO8859_7, "Καλημέρα κόσμε"},
		{"iso-8859-15", charmap.ISO8859_15, "Prix : 10 €"},
		{"windows-1250", charmap.Windows1250, "Příliš žluťoučký kůň"},
		{"windows-1251", charmap.Windows1251, "Привет мир"},
		{"windows-1252", charmap.Windows1252, "\u201cSmart\u201d quotes \u2013 10 €"},
		{"windows-1253", charmap.Windows1253, "Καλημέρα"},
		{"windows-1255", charmap.Windows1255, "שלום עולם"},
		{"windows-1256", charmap.Windows1256, "مرحبا بالعالم"},
		{"cp1252", charmap.Windows1252, "\u201cSmart\u201d"},
		{"koi8-r", charmap.KOI8R, "Привет мир"},
		{"koi8-u", charmap.KOI8U, "Привіт світ"},
		{"shift_jis", japanese.ShiftJIS, "日本語のテキスト"},
		{"euc-jp", japanese.EUCJP, "日本語のテキスト"},
		{"iso-2022-jp", japanese.ISO2022JP, "日本語のテキスト"},
		{"euc-kr", korean.EUCKR, "안녕하세요 세계"},
		{"gb2312", simplifiedchinese.GBK, "你好世界"},
		{"gbk", simplifiedchinese.GBK, "你好世界"},
		{"gb18030", simplifiedchinese.GB18030, "你好世界"},
		{"big5", traditionalchinese.Big5, "你好世界"},
		{"utf-16", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "Grüße, 世界"},
		{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "Grüße, 世界"},
		{"utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "Grüße, 世界"},
		{"utf-8", unicode.UTF8, "Grüße, 世界"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			b, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
			if err != nil {
				t.Fatalf("encode %q in %s: %v", tt.text, tt.label, err)
			}
			raw := simple([]string{"Content-Type: text/plain; charset=" + tt.label, "Content-Transfer-Encoding: base64"},
				base64.StdEncoding.EncodeToString(b))
			p := mustParse(t, raw)
			if p.Text.Body != tt.text {
				t.Errorf("body in %s = %q, want %q", tt.label, p.Text.Body, tt.text)
			}
			wantNoWarning(t, p, leakscope.WarnCharset)
		})
	}
}

func TestBodyCharsetBestEffort(t *testing.T) {
	tests := []struct {
		name   string
		ctype  string
		body   string
		want   string
		warned bool
	}{
		{"unknown charset, utf-8 bytes", "text/plain; charset=x-bogus", "caf\xc3\xa9", "café", true},
		{"unknown charset, latin-1 bytes", "text/plain; charset=x-bogus", "caf\xe9 \x93q\x94", "café \u201cq\u201d", true},
		{"8-bit under us-ascii", "text/plain; charset=us-ascii", "caf\xe9", "café", false},
		{"utf-8 under us-ascii", "text/plain; charset=us-ascii", "caf\xc3\xa9", "café", false},
		{"no charset, latin-1", "text/plain", "caf\xe9", "café", false},
		{"no Content-Type, utf-8", "", "caf\xc3\xa9", "café", false},
		{"invalid utf-8", "text/plain; charset=utf-8", "caf\xe9!", "caf\uFFFD!", false},
		{"quoted label", `text/plain; charset="UTF-8"`, "caf\xc3\xa9", "café", false},
		{"label with spaces", "text/plain; charset=\" iso-8859-1 \"", "caf\xe9", "café", false},
		{"html meta charset", "text/html", `<html><head><meta charset="koi8-r"></head><body>` + "\xf0\xd2\xc9\xd7\xc5\xd4</body></html>", "Привет", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.ctype != "" {
				h = append(h, "Content-Type: "+tt.ctype)
			}
			h = append(h, "Content-Transfer-Encoding: 8bit")
			p := mustParse(t, simple(h, tt.body))
			if p.Text.Body != tt.want {
				t.Errorf("body = %q, want %q", p.Text.Body, tt.want)
			}
			if tt.warned {
				wantWarning(t, p, leakscope.WarnCharset, `unknown charset "x-bogus"`)
			} else {
				wantNoWarning(t, p, leakscope.WarnCharset)
			}
		})
	}
}

func TestDecodeCharset(t *testing.T) {
	tests := []struct {
		label, in, want string
		known           bool
	}{
		{"", "abc", "abc", true},
		{"UTF-8", "\xc3\xa9", "é", true},
		{"latin1", "\xe9", "é", true},
		{"ISO_8859-1:1987", "\x80", "€", true},
		{"us-ascii", "\xe9", "é", true},
		{"utf-16be", "\x00a\x00b", "ab", true}, // not ASCII-compatible: no ASCII shortcut
		{"x-bogus", "\xe9", "é", false},
		{"x-bogus", "plain", "plain", true}, // ASCII reads the same in any ASCII-based charset
	}
	for _, tt := range tests {
		got, known := decodeCharset(tt.label, []byte(tt.in))
		if got != tt.want || known != tt.known {
			t.Errorf("decodeCharset(%q, %q) = %q, %v, want %q, %v", tt.label, tt.in, got, known, tt.want, tt.known)
		}
	}
}
