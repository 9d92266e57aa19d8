package parse

import (
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	message "github.com/emersion/go-message"
	"github.com/leakscope/leakscope"
)

// warner receives warnings; entities and messages are warners.
type warner interface {
	warn(code, detail string)
}

// goWordDecoder is go-message's RFC 2047 decoder: the one behind
// message.Header.Text, with go-message's charset tables.
var goWordDecoder = &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
	return message.CharsetReader(label, r)
}}

// headerText decodes a header value for display. go-message's decoder is
// used when the value is valid UTF-8 and its result is sound; otherwise the
// lenient decoder (decodeWords) reads it, after raw 8-bit bytes are read as
// UTF-8 when valid, else as Windows-1252 (with a warning).
func headerText(v string, w warner) string {
	if !strings.Contains(v, "=?") {
		return rawHeaderString(v, w)
	}
	if utf8.ValidString(v) {
		if s, err := goWordDecoder.DecodeHeader(v); err == nil && soundWords(v, s) {
			return s
		}
	}
	return decodeWords(rawHeaderString(v, w), w)
}

// soundWords reports whether go-message's decoding of v, s, can be kept:
// it is valid UTF-8 (mime.WordDecoder copies the bytes of a UTF-8 word
// unchecked), has no encoded word left undecoded (mime.WordDecoder leaves
// words it finds malformed, e.g. base64 without padding, as written), no
// replacement character that v did not have (a character split across two
// encoded words, 8-bit bytes in a us-ascii word) and no C1 control
// character (mime.WordDecoder reads ISO-8859-1 as Latin-1, where mail
// means Windows-1252).
func soundWords(v, s string) bool {
	if !utf8.ValidString(s) || strings.Contains(s, "=?") || strings.Count(s, "\uFFFD") > strings.Count(v, "\uFFFD") {
		return false
	}
	for _, r := range s {
		if r >= 0x80 && r <= 0x9F {
			return false
		}
	}
	return true
}

// rawHeaderString returns v as valid UTF-8 without decoding encoded words.
func rawHeaderString(v string, w warner) string {
	if utf8.ValidString(v) {
		return v
	}
	w.warn(leakscope.WarnHeader, "8-bit header bytes that are not UTF-8 read as Windows-1252")
	return windows1252([]byte(v))
}

// decodeWords decodes the RFC 2047 encoded words in s leniently, where
// go-message's decoder gives up or goes wrong. White space between
// two encoded words is dropped, and adjacent words in one charset are joined
// before conversion, so that a character split across words survives.
// Malformed words are left as written; unknown charsets get best effort and
// a "charset" warning.
func decodeWords(s string, w warner) string {
	first := strings.Index(s, "=?")
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var pend []byte
	pendCS := ""
	flush := func() {
		if pendCS == "" {
			return
		}
		out, known := decodeCharset(pendCS, pend)
		if !known {
			w.warn(leakscope.WarnCharset, fmt.Sprintf("unknown charset %q in encoded word: read as UTF-8 or Windows-1252", pendCS))
		}
		b.WriteString(out)
		pend, pendCS = pend[:0], ""
	}
	pos := 0
	lastWord := false
	for {
		i := strings.Index(s[pos:], "=?")
		if i < 0 {
			break
		}
		start := pos + i
		cs, enc, text, end, ok := splitWord(s, start)
		if end < 0 {
			break // no "?=" is left: no word can follow
		}
		if !ok {
			flush()
			b.WriteString(s[pos : start+2])
			pos = start + 2
			lastWord = false
			continue
		}
		between := s[pos:start]
		if !lastWord || strings.Trim(between, " \t\r\n") != "" {
			flush()
			b.WriteString(between)
		}
		cs = normalizeLabel(cs)
		if pendCS != "" && cs != pendCS {
			flush()
		}
		pendCS = cs
		if enc == 'b' || enc == 'B' {
			dec, _, _, _ := decodeBase64([]byte(text), int64(len(text)))
			pend = append(pend, dec...)
		} else {
			pend = appendQWord(pend, text)
		}
		pos = end
		lastWord = true
	}
	flush()
	b.WriteString(s[pos:])
	return b.String()
}

// splitWord reads the encoded word "=?charset?e?text?=" at s[start:]. end
// is -1 when no "?=" follows start, so that a header full of "=?" is read
// in linear time.
func splitWord(s string, start int) (cs string, enc byte, text string, end int, ok bool) {
	p := start + 2
	q := strings.IndexByte(s[p:min(len(s), p+maxLabel*2+1)], '?')
	if q <= 0 {
		return
	}
	cs = s[p : p+q]
	if strings.ContainsAny(cs, " \t\r\n=") {
		return
	}
	p += q + 1
	if p+2 > len(s) || s[p+1] != '?' {
		return
	}
	enc = s[p]
	if enc != 'b' && enc != 'B' && enc != 'q' && enc != 'Q' {
		return
	}
	p += 2
	e := strings.Index(s[p:], "?=")
	if e < 0 {
		return "", 0, "", -1, false
	}
	return cs, enc, s[p : p+e], p + e + 2, true
}

// appendQWord appends the decoded text of a Q-encoded word; a bad escape
// is kept as written.
func appendQWord(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			dst = append(dst, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
