package detect

import (
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
	// also where another finding's mask shows it: the last digits an SSN
	// mask keeps may hold a password found beside it.
	for _, f := range inView {
		cat, value := rules[f.rule].Category, text[f.start:f.end]
		for off := 0; off < len(b); {
			k := strings.Index(string(b[off:]), value)
			if k < 0 {
				break
			}
			mask(b[off+k:off+k+len(value)], cat, value, 0)
			off += k + len(value)
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
