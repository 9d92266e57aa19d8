package exposure

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

// readableLine is one sentence of a text as diffs show it, with its tokens.
type readableLine struct {
	text string
	toks []string
}

// readable returns a text's sentences: each paragraph of each segment
// joined and cut after sentence ends, quoted segments prefixed with "> ",
// then each attachment after an "[attachment NAME]" line. Signatures and
// disclaimers are left out, as matching leaves them out.
func readable(text *leakscope.Text) []readableLine {
	if text == nil {
		return nil
	}
	var out []readableLine
	add := func(prefix, s string) {
		for _, sent := range splitSentences(s) {
			out = append(out, readableLine{text: prefix + sent, toks: tokenStrings([]string{sent})})
		}
	}
	for _, seg := range segmentBody(text.Body) {
		prefix := ""
		if seg.quoted {
			prefix = "> "
		}
		start := 0
		for i := 0; i <= len(seg.lines); i++ {
			if i < len(seg.lines) && seg.lines[i] != "" {
				continue
			}
			if i > start {
				add(prefix, strings.Join(seg.lines[start:i], " "))
			}
			start = i + 1
		}
	}
	for _, a := range text.Attachments {
		out = append(out, readableLine{text: "[attachment " + a.Name + "]"})
		for _, l := range strings.Split(a.Text, "\n") {
			if strings.TrimSpace(l) != "" {
				add("", l)
			}
		}
	}
	return out
}

// splitSentences cuts a paragraph after '.', '?' or '!' followed by a
// space and an upper-case letter or a digit.
func splitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(p); i++ {
		if (p[i] == '.' || p[i] == '?' || p[i] == '!') && p[i+1] == ' ' {
			c, _ := utf8.DecodeRuneInString(p[i+2:])
			if unicode.IsUpper(c) || unicode.IsDigit(c) {
				out = append(out, strings.TrimSpace(p[start:i+1]))
				start = i + 2
			}
		}
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// alteration compares a reference text with a leaked copy of it. The copy
// is altered when, token by token, a run of differences holds a
// significant token: one with a digit or of four or more characters.
// Differences of short words ("eur" added by a transliteration) and tokens
// that differ only by characters a re-encoding lost ("M?ller" for
// "Müller", read as "mller") are not alterations. The diff shows the
// sentences that differ.
func alteration(ref, leaked *leakscope.Text) (bool, string) {
	a, b := readable(ref), readable(leaked)
	// Sentences found unchanged on both sides, wherever they are, are not
	// alterations: a copy whose quote lost its separator lists them in
	// another order.
	spare := map[string]int{}
	for _, l := range b {
		spare[strings.Join(l.toks, " ")]++
	}
	var restA []readableLine
	for _, l := range a {
		k := strings.Join(l.toks, " ")
		if spare[k] > 0 {
			spare[k]--
			continue
		}
		restA = append(restA, l)
	}
	var at, bt []string
	for _, l := range restA {
		at = append(at, l.toks...)
	}
	for _, l := range b {
		k := strings.Join(l.toks, " ")
		if spare[k] > 0 {
			spare[k]--
			bt = append(bt, l.toks...)
		}
	}
	altered := false
	for _, e := range diffEdits(len(at), len(bt), func(i, j int) bool { return sameToken(at[i], bt[j]) }, maxEdits) {
		if e.op == '-' && significant(at[e.i]) || e.op == '+' && significant(bt[e.j]) {
			altered = true
			break
		}
	}
	if !altered {
		return false, ""
	}
	al, bl := make([]string, len(a)), make([]string, len(b))
	for i, l := range a {
		al[i] = l.text
	}
	for i, l := range b {
		bl[i] = l.text
	}
	edits := diffEdits(len(a), len(b), func(i, j int) bool { return sameTokens(a[i].toks, b[j].toks) }, maxEdits)
	return true, unified("reference", "leaked", al, bl, edits, 2)
}

func significant(tok string) bool { return len(tok) >= 4 || hasDigit(tok) }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// sameToken reports whether two tokens are equal, or equal but for up to
// two characters missing from the shorter (lost to a re-encoding), the
// shorter having at least three and neither any digit (a re-encoding loses
// letters, not digits).
func sameToken(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 || len(b)-len(a) > 2 || hasDigit(a) || hasDigit(b) {
		return false
	}
	// a must be a subsequence of b.
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

func sameTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameToken(a[i], b[i]) {
			return false
		}
	}
	return true
}
