package parse

import (
	"io"
	"mime"
	"net/mail"
	"strings"

	"github.com/leakscope/leakscope"
)

// addrParser is net/mail's parser with a charset reader that never fails.
var addrParser = &mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: anyCharsetReader}}

func anyCharsetReader(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s, _ := decodeCharset(label, b)
	return strings.NewReader(s), nil
}

// addressList reads an address field (From, To, ...). It never loses an
// address: the list is split on commas outside quotes, angle brackets and
// comments, each piece is read with net/mail, and a piece net/mail rejects
// is read leniently (with an "address" warning naming the field). An empty
// group ("undisclosed-recipients:;") is kept as an address without Email.
func addressList(v string, fieldName string, w warner) []leakscope.Address {
	s := rawHeaderString(v, w)
	items := splitAddresses(s)
	if len(items) == 0 {
		return nil
	}
	out := make([]leakscope.Address, 0, len(items))
	warned := false
	for _, it := range items {
		a, lenient := readAddress(it, w)
		if lenient && !warned {
			w.warn(leakscope.WarnAddress, fieldName+": malformed address read leniently")
			warned = true
		}
		out = append(out, a)
	}
	return out
}

// addrItem is one piece of an address list.
type addrItem struct {
	text  string
	group bool // an empty group: text is "name:;"
}

// splitAddresses splits an address list. Members of a group are returned
// one by one; an empty group is returned whole. When quotes, brackets or
// comments never close, the list is split on every comma instead.
func splitAddresses(s string) []addrItem {
	var out []addrItem
	emit := func(t string) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, addrItem{text: t})
		}
	}
	paren, quote, angle, square := 0, false, false, false
	start, groupStart, members := 0, -1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote:
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = false
			}
		case paren > 0:
			switch c {
			case '\\':
				i++
			case '(':
				paren++
			case ')':
				paren--
			}
		case angle:
			if c == '>' {
				angle = false
			}
		case square:
			if c == ']' {
				square = false
			}
		case c == '"':
			quote = true
		case c == '(':
			paren++
		case c == '<':
			angle = true
		case c == '[':
			square = true
		case c == ',':
			n := len(out)
			emit(s[start:i])
			members += len(out) - n
			start = i + 1
		case c == ':' && groupStart < 0:
			groupStart, members = start, 0
			start = i + 1
		case c == ';' && groupStart >= 0:
			n := len(out)
			emit(s[start:i])
			members += len(out) - n
			if members == 0 {
				out = append(out, addrItem{text: strings.TrimSpace(s[groupStart : i+1]), group: true})
			}
			groupStart = -1
			start = i + 1
		}
	}
	if quote || paren > 0 || angle || square {
		out = out[:0]
		for _, t := range strings.Split(s, ",") {
			emit(t)
		}
		return out
	}
	if groupStart >= 0 && strings.TrimSpace(s[start:]) == "" {
		// "name:" with no members and no ';'
		out = append(out, addrItem{text: strings.TrimSpace(s[groupStart:]), group: true})
		return out
	}
	emit(s[start:])
	return out
}

// readAddress reads one piece of an address list; lenient is set when
// net/mail could not read it.
func readAddress(it addrItem, w warner) (a leakscope.Address, lenient bool) {
	a.Raw = it.text
	if it.group {
		a.Name = cleanName(strings.TrimRight(it.text, ":; \t"), w)
		return a, false
	}
	if simpleAddrSpec(it.text) {
		a.Email = strings.ToLower(it.text)
		return a, false
	}
	if m, err := addrParser.Parse(it.text); err == nil {
		a.Name = collapseSpace(m.Name)
		a.Email = strings.ToLower(m.Address)
		return a, false
	}
	return lenientAddress(it.text, w), true
}

// lenientAddress reads what it can from a malformed address: the content of
// the last <...>, else a token holding '@'. Email is empty when no '@' is
// found; Raw always keeps the text as written.
func lenientAddress(raw string, w warner) leakscope.Address {
	a := leakscope.Address{Raw: raw}
	if l := lastAngle(raw); l >= 0 {
		inner := raw[l+1:]
		if r := strings.IndexByte(inner, '>'); r >= 0 {
			inner = inner[:r]
		}
		inner = strings.Join(strings.Fields(stripComments(inner)), "")
		if len(inner) > 7 && strings.EqualFold(inner[:7], "mailto:") {
			inner = inner[7:]
		}
		if inner != "" && inner[0] == '@' {
			// obsolete source route "@a,@b:user@c"
			if c := strings.LastIndexByte(inner, ':'); c >= 0 {
				inner = inner[c+1:]
			}
		}
		if strings.Contains(inner, "@") {
			a.Email = strings.ToLower(inner)
		}
		a.Name = cleanName(raw[:l], w)
		return a
	}
	fields := strings.Fields(raw)
	for i, f := range fields {
		t := strings.Trim(f, "\"'<>()[],;:")
		if strings.Contains(t, "@") {
			a.Email = strings.ToLower(t)
			rest := append(append([]string{}, fields[:i]...), fields[i+1:]...)
			a.Name = cleanName(strings.Join(rest, " "), w)
			return a
		}
	}
	a.Name = cleanName(raw, w)
	return a
}

// stripComments removes RFC 5322 comments, "(...)" with nesting and
// backslash escapes, outside quoted strings.
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth, quote := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (quote || depth > 0) && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
			continue
		case c == '"' && depth == 0:
			quote = !quote
		case c == '(' && !quote:
			depth++
			continue
		case c == ')' && !quote && depth > 0:
			depth--
			continue
		}
		if depth == 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lastAngle returns the offset of the last '<' outside quotes, or -1.
func lastAngle(s string) int {
	at, quote := -1, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quote {
				i++
			}
		case '"':
			quote = !quote
		case '<':
			if !quote {
				at = i
			}
		}
	}
	return at
}

// cleanName turns a display name as written into text: quotes and
// surrounding parentheses removed, encoded words decoded, white space
// collapsed.
func cleanName(s string, w warner) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		s = s[1 : len(s)-1]
	}
	if strings.ContainsAny(s, `"\`) {
		s = strings.ReplaceAll(s, `\"`, "\x00")
		s = strings.ReplaceAll(s, `"`, "")
		s = strings.ReplaceAll(s, "\x00", `"`)
	}
	return collapseSpace(decodeWords(s, w))
}

// simpleAddrSpec reports whether s is a plain dot-atom addr-spec such as
// "jeff.skilling@enron.com" that needs no parser.
func simpleAddrSpec(s string) bool {
	at := -1
	prev := byte('.')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '@':
			if at >= 0 || prev == '.' {
				return false
			}
			at = i
			c = '.' // the domain may not start with a dot either
		case c == '.':
			if prev == '.' {
				return false
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
		prev = c
	}
	return at > 0 && at < len(s)-1 && prev != '.'
}

// collapseSpace trims s and turns runs of white space into one space.
func collapseSpace(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
			c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
