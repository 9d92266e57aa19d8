package detect

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// matcher finds every occurrence of a set of literal terms in one pass over
// a text (Aho-Corasick compiled to a DFA over byte classes), so the cost of
// a lexicon scan is linear in the text whatever the number of terms.
//
// Matching ignores ASCII case and treats white space, '-' and '_' as one
// separator class in which a run of separators in the text matches one
// separator in a term: "attorney-client" matches "attorney  client" and
// "attorney\nclient". The bytes 0xC2 and 0xA0 (a UTF-8 no-break space) are
// separators too.
type matcher struct {
	class  [256]uint8
	nclass int
	delta  []int32   // state*nclass + class -> next state
	out    [][]int32 // terms ending in a state, suffix terms included
	terms  []string  // normalised terms
}

const sepClass = 1 // class of separator bytes; 0 is "any other byte"

func isSepByte(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', '\v', '\f', '-', '_', 0xC2, 0xA0:
		return true
	}
	return false
}

// normalizeTerm lower-cases ASCII letters, turns separator runs into one
// space and trims them, as the matcher sees text.
func normalizeTerm(s string) string {
	var b strings.Builder
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSepByte(c) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte(' ')
			sep = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// maxMatcherStates bounds the automaton (about 40 bytes per state).
const maxMatcherStates = 1 << 20

// newMatcher builds a matcher for normalised, non-empty, distinct terms.
func newMatcher(terms []string) (*matcher, error) {
	m := &matcher{terms: terms}
	// Byte classes: one per distinct byte used by a term.
	m.nclass = 2
	for _, t := range terms {
		for i := 0; i < len(t); i++ {
			c := t[i]
			if c == ' ' || m.class[c] != 0 {
				continue
			}
			m.class[c] = uint8(m.nclass)
			if 'a' <= c && c <= 'z' {
				m.class[c-'a'+'A'] = uint8(m.nclass)
			}
			m.nclass++
			if m.nclass > 255 {
				return nil, fmt.Errorf("lexicon uses too many distinct bytes")
			}
		}
	}
	for c := 0; c < 256; c++ {
		if isSepByte(byte(c)) {
			m.class[c] = sepClass
		}
	}
	// Trie.
	type node struct {
		next  map[uint8]int32
		fail  int32
		own   []int32
		space bool // entered through a separator
	}
	nodes := []node{{next: map[uint8]int32{}}}
	for id, t := range terms {
		s := int32(0)
		for i := 0; i < len(t); i++ {
			c := m.class[t[i]]
			n, ok := nodes[s].next[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint8]int32{}, space: c == sepClass})
				nodes[s].next[c] = n
				if len(nodes) > maxMatcherStates {
					return nil, fmt.Errorf("lexicon too large: over %d automaton states", maxMatcherStates)
				}
			}
			s = n
		}
		nodes[s].own = append(nodes[s].own, int32(id))
	}
	// Breadth-first: failure links and the full transition table.
	nc := m.nclass
	m.delta = make([]int32, len(nodes)*nc)
	m.out = make([][]int32, len(nodes))
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < nc; c++ {
		if n, ok := nodes[0].next[uint8(c)]; ok {
			m.delta[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		if len(nodes[s].own) > 0 || len(m.out[f]) > 0 {
			out := append([]int32(nil), nodes[s].own...)
			m.out[s] = append(out, m.out[f]...)
		}
		for c := 0; c < nc; c++ {
			if n, ok := nodes[s].next[uint8(c)]; ok {
				nodes[n].fail = m.delta[int(f)*nc+c]
				m.delta[int(s)*nc+c] = n
				queue = append(queue, n)
			} else {
				m.delta[int(s)*nc+c] = m.delta[int(f)*nc+c]
			}
		}
		if nodes[s].space {
			m.delta[int(s)*nc+sepClass] = s // a run of separators is one
		}
	}
	return m, nil
}

// hit is one occurrence of a term: text[start:end].
type hit struct {
	term       int32
	start, end int
}

// scan appends every occurrence of every term in text to hits.
func (m *matcher) scan(text string, hits []hit) []hit {
	nc := m.nclass
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = m.delta[int(s)*nc+int(m.class[text[i]])]
		if m.out[s] == nil {
			continue
		}
		for _, id := range m.out[s] {
			if start := termStart(text, i+1, m.terms[id]); start >= 0 {
				hits = append(hits, hit{term: id, start: start, end: i + 1})
			}
		}
	}
	return hits
}

// termStart walks back from end over text matching term (as the automaton
// does) and returns where the occurrence starts, or -1.
func termStart(text string, end int, term string) int {
	i := end
	for j := len(term) - 1; j >= 0; j-- {
		if term[j] == ' ' {
			if i == 0 || !isSepByte(text[i-1]) {
				return -1
			}
			for i > 0 && isSepByte(text[i-1]) {
				i--
			}
			continue
		}
		if i == 0 || lowerASCII(text[i-1]) != term[j] {
			return -1
		}
		i--
	}
	return i
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isWordRune reports whether r continues a word for boundary checks.
func isWordRune(r rune) bool {
	return r != 0xA0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// wordBefore reports whether the text just before i continues a word.
func wordBefore(text string, i int) bool {
	if i <= 0 {
		return false
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return isAlnum(c)
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return isWordRune(r)
}

// wordAfter reports whether the text at i continues a word.
func wordAfter(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return isAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return isWordRune(r)
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// wordEnd returns the end of the word that continues at i.
func wordEnd(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return i
}

// accept checks a lexicon hit against one use of its term and returns the
// span it covers.
func (u termUse) accept(text string, h hit) (span, bool) {
	s := span{h.start, h.end}
	if u.left && wordBefore(text, h.start) {
		return s, false
	}
	if u.wildcard {
		s.end = wordEnd(text, h.end)
	} else if u.right && wordAfter(text, h.end) {
		return s, false
	}
	if u.exact != "" && !sameCase(text[h.start:h.end], u.exact) {
		return s, false
	}
	return s, true
}

// sameCase compares a matched text with a word as written, treating
// separator runs as equal.
func sameCase(text, word string) bool {
	i, j := 0, 0
	for i < len(text) && j < len(word) {
		if isSepByte(text[i]) && isSepByte(word[j]) {
			for i < len(text) && isSepByte(text[i]) {
				i++
			}
			for j < len(word) && isSepByte(word[j]) {
				j++
			}
			continue
		}
		if text[i] != word[j] {
			return false
		}
		i++
		j++
	}
	return i == len(text) && j == len(word)
}
