package exposure

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens are the words of a text as matching compares them: runs of
// letters and digits, lower-cased. Everything else separates words, except
//   - accented Latin letters (U+00C0 to U+024F), '?' and U+FFFD followed by a
//     letter or digit, which are dropped from the word: a re-encoding into
//     a charset without them writes '?' ("M?ller", "N??ez"), and "Müller"
//     and "M?ller" must be the same word ("mller"). A transliteration
//     ("Muller") gives a different word;
//   - apostrophes (' and ’), which join ("don’t", "don't" and "don?t" are
//     "dont");
//   - '.' and ',' between digits ("1,200.50" is one word);
//   - links (http://, https://, ftp://, www., mailto:), which are dropped:
//     HTML-to-text converters disagree on whether and where to show them;
//   - list markers ("o ", "1. ", "2) ") at the start of a paragraph or of
//     the line after a list item, and "o " before a capital letter at the
//     start of any line, dropped for the same reason.
//
// Letters of other scripts (Greek, Cyrillic, CJK, ...) are kept,
// lower-cased.

// forEachToken calls fn with each token of the lines, in order. The
// token's bytes are only valid during the call.
func forEachToken(lines []string, fn func(tok []byte)) {
	var buf [64]byte
	tok := buf[:0]
	list := false // the previous line was a list item
	for n, line := range lines {
		// A list marker starts a paragraph or follows another item; a
		// wrapped line may start with "17. " by chance.
		if n == 0 || lines[n-1] == "" || list || outlookBullet(line) {
			var cut bool
			line, cut = dropListMarker(line)
			list = cut
		} else {
			list = false
		}
		for i := 0; i < len(line); {
			c, size := rune(line[i]), 1
			if c >= utf8.RuneSelf {
				c, size = utf8.DecodeRuneInString(line[i:])
			}
			if len(tok) == 0 && isLinkStart(line[i:]) {
				i += linkLen(line[i:])
				continue
			}
			switch {
			case c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9'):
				tok = append(tok, byte(c))
			case c >= 'A' && c <= 'Z':
				tok = append(tok, byte(c)+'a'-'A')
			case (c == '.' || c == ',') && len(tok) > 0 && isDigit(tok[len(tok)-1]) && i+1 < len(line) && isDigit(line[i+1]):
				tok = append(tok, byte(c))
			case (c == '?' || c == utf8.RuneError || c == '\'' || c == '’') && len(tok) > 0 && nextIsWord(line[i+size:]):
				// a character lost by a re-encoding, or an apostrophe: the word goes on
			case (c == '?' || c == utf8.RuneError) && nextIsWord(line[i+size:]):
			case c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7:
				// an accented Latin letter: dropped, the word goes on
			case c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
				tok = utf8.AppendRune(tok, unicode.ToLower(c))
			default:
				if len(tok) > 0 {
					fn(tok)
					tok = tok[:0]
				}
			}
			i += size
		}
		if len(tok) > 0 {
			fn(tok)
			tok = tok[:0]
		}
	}
}

// tokenStrings returns the tokens of the lines.
func tokenStrings(lines []string) []string {
	var out []string
	forEachToken(lines, func(t []byte) { out = append(out, string(t)) })
	return out
}

// nextIsWord reports whether s starts with a letter or digit, after any
// run of '?' and U+FFFD ("N??ez" is one word).
func nextIsWord(s string) bool {
	for s != "" {
		c, size := utf8.DecodeRuneInString(s)
		if c != '?' && c != utf8.RuneError {
			return unicode.IsLetter(c) || unicode.IsDigit(c)
		}
		s = s[size:]
	}
	return false
}

func isLinkStart(s string) bool {
	if len(s) < 4 {
		return false
	}
	switch s[0] | 0x20 {
	case 'h':
		return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://")
	case 'f':
		return hasPrefixFold(s, "ftp://")
	case 'w':
		return hasPrefixFold(s, "www.")
	case 'm':
		return hasPrefixFold(s, "mailto:")
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// linkLen returns the length of the link at the start of s: up to white
// space or a bracket or quote.
func linkLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '<', '>', '[', ']', '(', ')', '"', '\'':
			return i
		}
	}
	return len(s)
}

// outlookBullet reports whether a line starts with Outlook's "o " bullet
// before a capital letter: a list item even after a wrapped one.
func outlookBullet(line string) bool {
	t := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(t, "o ") {
		return false
	}
	c, _ := utf8.DecodeRuneInString(t[2:])
	return unicode.IsUpper(c)
}

// dropListMarker removes a list marker from the start of a line: a bullet
// written as "o " (Outlook's plain-text rendering) or a number "1." / "1)".
// Other bullets (*, -, •) are not letters and fall away by themselves, but
// count as markers for the line after.
func dropListMarker(line string) (string, bool) {
	t := strings.TrimLeft(line, " \t")
	if strings.HasPrefix(t, "o ") {
		return t[2:], true
	}
	for _, b := range []string{"* ", "- ", "• ", "· "} {
		if strings.HasPrefix(t, b) {
			return t, true
		}
	}
	n := 0
	for n < len(t) && n < 3 && isDigit(t[n]) {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && t[n+1] == ' ' {
		return t[n+2:], true
	}
	return line, false
}

// tokenHash is FNV-1a (64 bits) of a token.
func tokenHash(tok []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range tok {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// mix64 is the SplitMix64 finaliser: a cheap, well-spread 64-bit mix.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
