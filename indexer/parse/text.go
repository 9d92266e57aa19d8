package parse

import (
	"strings"
	"unicode/utf8"
)

// cleanText makes extracted text storable: LF line breaks, no NUL bytes,
// valid UTF-8 (invalid sequences become U+FFFD), trailing white space
// removed.
func cleanText(s string) string {
	if strings.IndexByte(s, '\r') < 0 && strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return strings.TrimRight(s, " \t\n")
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimRight(b.String(), " \t\n")
}

// unflow joins the lines of a format=flowed body (RFC 3676): a line ending
// in a space continues on the next line of the same quote depth. Space
// stuffing is removed; with delsp=yes the trailing space is removed too.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s))
	open := false // the previous line was flowed
	openDepth := 0
	for _, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := strings.TrimPrefix(line[depth:], " ")
		if open && depth != openDepth {
			b.WriteByte('\n')
			open = false
		}
		if !open {
			b.WriteString(strings.Repeat(">", depth))
			if depth > 0 {
				b.WriteByte(' ')
			}
		}
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		b.WriteString(content)
		if flowed {
			open, openDepth = true, depth
			continue
		}
		open = false
		b.WriteByte('\n')
	}
	return b.String()
}

// enrichedToText strips the formatting of text/enriched (RFC 1896) and
// text/richtext: tags are removed, "<<" is "<", and in text/enriched a run
// of n line breaks stands for n-1 (a lone one is a space).
func enrichedToText(s string, enriched bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	param := 0 // inside <param>...</param>, which is not text
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '<' && i+1 < len(s) && s[i+1] == '<':
			if param == 0 {
				b.WriteByte('<')
			}
			i++
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				i = len(s)
				break
			}
			tag := strings.ToLower(s[i+1 : i+end])
			switch tag {
			case "param":
				param++
			case "/param":
				if param > 0 {
					param--
				}
			case "nl", "np", "/paragraph", "/p":
				if param == 0 {
					b.WriteByte('\n')
				}
			}
			i += end
		case c == '\n' && enriched:
			n := 1
			for i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == '\r') {
				if s[i+1] == '\n' {
					n++
				}
				i++
			}
			if param > 0 {
				break
			}
			if n == 1 {
				b.WriteByte(' ')
			} else {
				b.WriteString(strings.Repeat("\n", n-1))
			}
		default:
			if param == 0 {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// cutUTF8 cuts s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
