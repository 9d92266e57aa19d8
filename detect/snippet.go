package detect

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetContext is how many bytes of text a snippet shows on each side.
const snippetContext = 40

// snippet shows a finding with some text around it, every finding in view
// masked as Redact would, white space collapsed.
func snippet(text string, start, end int, all []finding, rules []*compiledRule) string {
	from, to := max(start-snippetContext, 0), min(end+snippetContext, len(text))
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	b := []byte(text[from:to])
	var inView []finding
	for _, f := range all {
		if f.end <= from || f.start >= to {
			continue
		}
		inView = append(inView, f)
		s, e := max(f.start, from), min(f.end, to)
		mask(b[s-from:e-from], rules[f.rule].Category, text[f.start:f.end], s-f.start)
	}
	// Then every other copy of a value in view (one past a limit, say),
	// also one inside another finding (the last digits an SSN mask keeps
	// may hold a password found beside it). White space in a value matches
	// any white space: the snippet collapses it, so "(200) 200<newline>0000"
	// would show a phone found as "(200) 200 0000". The masks only add
	// '*', so every copy the masked view shows is in the text, unless the
	// value itself holds a '*': only then is the view searched too.
	orig := text[from:to]
	for _, f := range inView {
		cat, value := rules[f.rule].Category, text[f.start:f.end]
		find := copyFinder(value)
		views := []string{orig}
		if strings.IndexByte(value, '*') >= 0 {
			views = append(views, string(b))
		}
		for _, in := range views {
			for off := 0; off < len(in); {
				k, n := find(in[off:])
				if k < 0 {
					break
				}
				// Masked as what the text holds there, byte for byte.
				mask(b[off+k:off+k+n], cat, orig[off+k:off+k+n], 0)
				off += k + max(n, 1)
			}
		}
	}
	out := strings.Join(strings.Fields(string(b)), " ")
	if from > 0 {
		out = "…" + out
	}
	if to < len(text) {
		out += "…"
	}
	return out
}

// copyFinder returns a function giving the offset and length of the first
// copy of value in a string (-1 when there is none), where white space in
// value matches any run of white space (unicode.IsSpace, as strings.Fields).
func copyFinder(value string) func(string) (int, int) {
	fields := strings.Fields(value)
	if len(fields) == 0 || len(fields) == 1 && fields[0] == value {
		return func(s string) (int, int) { return strings.Index(s, value), len(value) }
	}
	return func(s string) (int, int) {
		for off := 0; off < len(s); {
			k := strings.Index(s[off:], fields[0])
			if k < 0 {
				break
			}
			if n := matchFields(s[off+k:], fields); n > 0 {
				return off + k, n
			}
			off += k + 1
		}
		return -1, 0
	}
}

// matchFields returns the length of the copy of fields, separated by white
// space, at the start of s, or 0.
func matchFields(s string, fields []string) int {
	i := 0
	for k, f := range fields {
		if k > 0 {
			n := spaceRun(s[i:])
			if n == 0 {
				return 0
			}
			i += n
		}
		if !strings.HasPrefix(s[i:], f) {
			return 0
		}
		i += len(f)
	}
	return i
}

// spaceRun returns the length of the white space at the start of s.
func spaceRun(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsSpace(r) {
			break
		}
		n += size
	}
	return n
}
