package parse

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// maxLabel bounds the length of a charset name we look up or report.
const maxLabel = 40

// charset classes that need no lookup.
const (
	classOther = iota
	classUTF8
	classASCII  // us-ascii and its aliases, and labels that say "unknown"
	classLatin1 // iso-8859-1 and windows-1252, both read as windows-1252 (as browsers do)
)

var labelClass = map[string]int{
	"utf-8": classUTF8, "utf8": classUTF8, "x-utf_8j": classUTF8, "unicode-1-1-utf-8": classUTF8,
	"unicode-2-0-utf-8": classUTF8, "x-unicode20utf8": classUTF8,

	"us-ascii": classASCII, "ascii": classASCII, "ansi_x3.4-1968": classASCII, "ansi_x3.4-1986": classASCII,
	"iso646-us": classASCII, "iso-ir-6": classASCII, "us": classASCII, "cp367": classASCII, "ibm367": classASCII,
	"csascii": classASCII, "646": classASCII, "iso_646.irv:1991": classASCII, "x-unknown": classASCII,
	"unknown-8bit": classASCII, "unknown": classASCII, "default": classASCII, "x-user-defined": classASCII,
	"us-ascii'en'": classASCII,

	"iso-8859-1": classLatin1, "iso8859-1": classLatin1, "iso_8859-1": classLatin1, "latin1": classLatin1,
	"latin-1": classLatin1, "l1": classLatin1, "cp819": classLatin1, "ibm819": classLatin1,
	"iso-ir-100": classLatin1, "csisolatin1": classLatin1, "iso_8859-1:1987": classLatin1,
	"windows-1252": classLatin1, "cp1252": classLatin1, "x-cp1252": classLatin1, "8859-1": classLatin1,
	"iso8859_1": classLatin1, "iso88591": classLatin1, "win-1252": classLatin1,
}

// normalizeLabel lower-cases a charset name and removes quotes, white
// space and an RFC 2231 language suffix.
func normalizeLabel(label string) string {
	label = strings.TrimSpace(label)
	label = strings.Trim(label, `"' `)
	if i := strings.IndexByte(label, '*'); i >= 0 {
		label = label[:i]
	}
	if len(label) > maxLabel {
		label = label[:maxLabel]
	}
	for i := 0; i < len(label); i++ {
		if c := label[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(label)
		}
	}
	return label
}

// asciiCompatible reports whether pure-ASCII bytes (no ESC) mean the same
// in charset label as in ASCII.
func asciiCompatible(label string) bool {
	for _, bad := range [...]string{"16", "32", "ucs", "utf-7", "utf7", "2022", "hz", "unicode", "ebcdic", "cp037", "ibm037", "cp500", "ibm500", "cp1026"} {
		if strings.Contains(label, bad) {
			return label == "unicode-1-1-utf-8" || label == "unicode-2-0-utf-8"
		}
	}
	return true
}

// decodeCharset converts b from the named charset to valid UTF-8 (invalid
// sequences become U+FFFD). known is false when the charset is not known:
// b is then read as UTF-8 when valid, else as Windows-1252.
func decodeCharset(label string, b []byte) (s string, known bool) {
	label = normalizeLabel(label)
	if label == "" {
		return guessText(b), true
	}
	if isASCII(b) && asciiCompatible(label) {
		return string(b), true
	}
	switch labelClass[label] {
	case classUTF8:
		return validUTF8(b), true
	case classASCII:
		return guessText(b), true
	case classLatin1:
		return windows1252(b), true
	}
	r, err := charset.Reader(label, bytes.NewReader(b))
	if err != nil || r == nil {
		return guessText(b), false
	}
	out, err := io.ReadAll(r)
	if err != nil && len(out) == 0 {
		return guessText(b), false
	}
	return validUTF8(out), true
}

// guessText reads bytes of unknown charset: UTF-8 when valid, else
// Windows-1252.
func guessText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return windows1252(b)
}

func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

var cp1252 = func() (t [256]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
	return t
}()

// windows1252 decodes b as Windows-1252.
func windows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(cp1252[c])
		}
	}
	return sb.String()
}

// isASCII reports whether b is 7-bit without ESC (which starts ISO-2022
// shift sequences), so that it reads the same in any ASCII-based charset.
func isASCII(b []byte) bool {
	if bytes.IndexByte(b, 0x1b) >= 0 {
		return false
	}
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
