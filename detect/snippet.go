package detect

import (
	"regexp"
	"strings"
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
	// in the text and where another finding's mask shows it (the last
	// digits an SSN mask keeps may hold a password found beside it). White
	// space in a value matches any white space: the snippet collapses it,
	// so "(200) 200<newline>0000" would show a phone found as "(200) 200 0000".
	orig := text[from:to]
	for _, f := range inView {
		cat, value := rules[f.rule].Category, text[f.start:f.end]
		find := copyFinder(value)
		for _, in := range []string{orig, string(b)} {
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
// value matches any run of white space.
func copyFinder(value string) func(string) (int, int) {
	fields := strings.Fields(value)
	if len(fields) == 0 || len(fields) == 1 && fields[0] == value {
		return func(s string) (int, int) { return strings.Index(s, value), len(value) }
	}
	for i, f := range fields {
		fields[i] = regexp.QuoteMeta(f)
	}
	// The white space of strings.Fields (unicode.IsSpace).
	re := regexp.MustCompile(strings.Join(fields, `[\t\n\v\f\r\x{85}\p{Z}]+`))
	return func(s string) (int, int) {
		loc := re.FindStringIndex(s)
		if loc == nil {
			return -1, 0
		}
		return loc[0], loc[1] - loc[0]
	}
}
