package search

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/leakscope/leakscope"
)

// Span is a byte range [Start, End) of a snippet.
type Span struct{ Start, End int }

// maxSnippetMatches bounds the matches a snippet window is chosen from.
const maxSnippetMatches = 1000

// Snippet returns up to width bytes of text around the best cluster of the
// query's positive text terms (free text, subject:, body:, attachment:,
// outside any NOT), and the byte spans of the matched words inside the
// returned snippet. The best cluster is the window of width bytes holding the
// most distinct query terms, then the most matches, then the earliest. Text
// is analyzed as the index analyzes it, so "reports" highlights "reporting".
// Without a match it returns the start of text and no spans. The snippet is
// a substring of text cut at character (and where it can, word) boundaries.
func Snippet(q leakscope.Query, text string, width int) (string, []Span) {
	if width <= 0 || text == "" {
		return "", nil
	}
	var m matcher
	m.collect(q)
	var hits []match
	// The text is analyzed a piece at a time, each cut at white space,
	// until enough matches are found: a long body's end is rarely needed.
	for start := 0; !m.empty() && start < len(text) && start < snippetScanBytes && len(hits) < maxSnippetMatches; {
		end := pieceEnd(text, start, snippetPiece)
		for _, t := range m.analyze([]byte(text[start:end])) {
			if id, ok := m.match(string(t.Term)); ok {
				hits = append(hits, match{Span{start + t.Start, start + t.End}, id})
				if len(hits) == maxSnippetMatches {
					break
				}
			}
		}
		start = end
	}
	cs, ce := bestCluster(hits, width)
	lo, hi := window(text, cs, ce, width)
	var spans []Span
	for _, h := range hits {
		if h.Start >= lo && h.End <= hi {
			s := Span{h.Start - lo, h.End - lo}
			if n := len(spans); n > 0 && s.Start <= spans[n-1].End {
				spans[n-1].End = max(spans[n-1].End, s.End)
				continue
			}
			spans = append(spans, s)
		}
	}
	return text[lo:hi], spans
}

// Snippets analyze text in pieces of about snippetPiece bytes, and look
// no further than snippetScanBytes into it.
const (
	snippetPiece     = 8 << 10
	snippetScanBytes = 1 << 20
)

// pieceEnd returns where a piece of about n bytes starting at start ends:
// at white space after n bytes (so that no word is cut), or at the end.
func pieceEnd(text string, start, n int) int {
	if start+n >= len(text) {
		return len(text)
	}
	for i := start + n; i < len(text) && i < start+2*n; i++ {
		switch text[i] {
		case ' ', '\n', '\t', '\r':
			return i
		}
	}
	end := min(len(text), start+2*n)
	for end > start+1 && end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	return end
}

type match struct {
	Span
	term int // index of the query term matched
}

// matcher holds the analyzed positive text terms of a query.
type matcher struct {
	terms    map[string]int
	prefixes []string
	// leads holds the first bytes of terms and prefixes that are ASCII:
	// a word can only match if it starts with one of them, or with a byte
	// that is not ASCII.
	leads [utf8.RuneSelf]bool
}

// analyze returns the tokens of piece that may match a query term,
// analyzed as textAnalyzer analyzes them. Lower-casing and stemming cost
// more than tokenizing, so they are spent only on words that start with
// the first letter of a term (stemming keeps a word's first letter, and
// lower-casing an ASCII letter gives an ASCII letter) or with a byte
// beyond ASCII, which are all kept.
func (m *matcher) analyze(piece []byte) analysis.TokenStream {
	var kept analysis.TokenStream
	scanTokens(piece, func(t rawToken) {
		if b := piece[t.start]; b >= utf8.RuneSelf || m.leads[asciiLower(b)] {
			kept = append(kept, &analysis.Token{Start: t.start, End: t.end, Term: t.term(piece), Position: t.pos, Type: t.typ})
		}
	})
	for _, f := range textFilters {
		kept = f.Filter(kept)
	}
	return kept
}

func asciiLower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// addLead records the first byte of a term or prefix.
func (m *matcher) addLead(term string) {
	if term != "" && term[0] < utf8.RuneSelf {
		m.leads[asciiLower(term[0])] = true
	}
}

func (m *matcher) empty() bool { return len(m.terms) == 0 && len(m.prefixes) == 0 }

func (m *matcher) collect(q leakscope.Query) {
	switch n := q.(type) {
	case leakscope.And:
		m.collectAll(n.Clauses)
	case *leakscope.And:
		m.collectAll(n.Clauses)
	case leakscope.Or:
		m.collectAll(n.Clauses)
	case *leakscope.Or:
		m.collectAll(n.Clauses)
	case leakscope.Term:
		m.add(n)
	case *leakscope.Term:
		m.add(*n)
	}
}

func (m *matcher) collectAll(qs []leakscope.Query) {
	for _, q := range qs {
		m.collect(q)
	}
}

func (m *matcher) add(t leakscope.Term) {
	switch {
	case t.Field == leakscope.FieldText, t.Field == leakscope.FieldSubject, t.Field == leakscope.FieldBody, t.Field == leakscope.FieldAttachment:
	case leakscope.IsValueField(t.Field):
		// The words of the value as typed (ssn:536-22-1847 shows the SSN
		// in text where it is in the clear; a redacted text holds only
		// what its mask shows).
	default:
		return
	}
	if m.terms == nil {
		m.terms = make(map[string]int)
	}
	if t.Prefix {
		if v := wordPrefix(t.Value); v != "" {
			m.prefixes = append(m.prefixes, v)
			m.addLead(v)
		}
		return
	}
	for _, term := range phraseTerms(textAnalyzer.Analyze([]byte(t.Value))) {
		if _, ok := m.terms[term]; !ok && term != "" {
			m.terms[term] = len(m.terms)
			m.addLead(term)
		}
	}
}

// match returns an id for the query term (or prefix) matching term.
func (m *matcher) match(term string) (int, bool) {
	if id, ok := m.terms[term]; ok {
		return id, true
	}
	for i, p := range m.prefixes {
		if strings.HasPrefix(term, p) {
			return len(m.terms) + i, true
		}
	}
	return 0, false
}

// bestCluster returns the byte range of the best window of matches.
func bestCluster(hits []match, width int) (start, end int) {
	slices.SortStableFunc(hits, func(a, b match) int { return a.Start - b.Start })
	bestDistinct, bestCount := 0, 0
	seen := map[int]bool{}
	for i := range hits {
		clear(seen)
		last := hits[i].End
		count := 0
		for j := i; j < len(hits) && (j == i || hits[j].End-hits[i].Start <= width); j++ {
			seen[hits[j].term] = true
			count++
			last = max(last, hits[j].End)
		}
		if len(seen) > bestDistinct || len(seen) == bestDistinct && count > bestCount {
			bestDistinct, bestCount = len(seen), count
			start, end = hits[i].Start, last
		}
	}
	return start, end
}

// window returns at most width bytes of text around [cs, ce), centred on
// it, cut at character boundaries and, when that keeps most of the window,
// at word boundaries.
func window(text string, cs, ce, width int) (lo, hi int) {
	if len(text) <= width {
		return 0, len(text)
	}
	if ce-cs >= width {
		lo, hi = cs, cs+width
	} else {
		lo = max(0, cs-(width-(ce-cs))/2)
		hi = min(len(text), lo+width)
		lo = max(0, hi-width)
	}
	// A character is at most utf8.UTFMax bytes: further continuation bytes
	// are invalid input, each a character of its own, and going on would
	// let lo pass hi.
	for k := 1; k < utf8.UTFMax && lo < hi && !utf8.RuneStart(text[lo]); k++ {
		lo++
	}
	for k := 1; k < utf8.UTFMax && hi < len(text) && hi > lo && !utf8.RuneStart(text[hi]); k++ {
		hi--
	}
	// Do not start or end inside a word, unless the cut would lose more than
	// a quarter of the window or reach the matches.
	if lo > 0 && inWord(text, lo) {
		l := lo
		for l < cs && inWord(text, l) {
			_, n := utf8.DecodeRuneInString(text[l:])
			l += n
		}
		if l <= cs && l-lo <= width/4 {
			lo = l
		}
	}
	if hi < len(text) && inWord(text, hi) {
		h := hi
		for h > ce && h > lo && inWord(text, h) {
			_, n := utf8.DecodeLastRuneInString(text[:h])
			h -= n
		}
		if h >= ce && hi-h <= width/4 {
			hi = h
		}
	}
	for lo < cs && lo < hi && isSpace(text[lo]) {
		lo++
	}
	for hi > ce && hi > lo && isSpace(text[hi-1]) {
		hi--
	}
	return lo, hi
}

// inWord reports whether i falls between two word characters.
func inWord(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	a, _ := utf8.DecodeLastRuneInString(text[:i])
	b, _ := utf8.DecodeRuneInString(text[i:])
	return isWordRune(a) && isWordRune(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
