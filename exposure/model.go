package exposure

import (
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// shingleSize is the number of consecutive tokens in a shingle. Four words
// make a shingle specific enough that two unrelated business messages
// share few of them, and short enough that one changed word spoils only
// four shingles.
const shingleSize = 4

// maxTokens bounds the tokens read from one segment or attachment, so
// that a huge attachment costs bounded time and memory.
const maxTokens = 20000

// model is a message's text as matching compares it: shingle sets (sorted,
// unique hashes) of the author's own text, of each quoted message and of
// the whole.
type model struct {
	segs      []segment
	own       []uint64   // the author's own text
	quotes    [][]uint64 // each quoted message with at least one shingle
	full      []uint64   // own, quotes and attachments together
	ownSents  []uint64   // sentence hashes of the own text
	quoteSent []uint64   // sentence hashes of the quoted messages
}

// newModel reads a body and its attachment texts.
func newModel(text *leakscope.Text) *model {
	m := &model{}
	if text == nil {
		return m
	}
	m.segs = segmentBody(text.Body)
	var all []uint64
	for i, s := range m.segs {
		sh := shingles(s.lines)
		if i == 0 {
			m.own = sh
			m.ownSents = sentenceHashes(s.lines, nil)
		} else if len(sh) > 0 {
			m.quotes = append(m.quotes, sh)
			m.quoteSent = sentenceHashes(s.lines, m.quoteSent)
		}
		all = append(all, sh...)
	}
	for _, a := range text.Attachments {
		all = append(all, shingles(strings.Split(a.Text, "\n"))...)
	}
	m.full = sortUnique(all)
	return m
}

// shingles returns the sorted, unique shingle hashes of some lines. Text
// with fewer tokens than a shingle is one shingle of all its tokens.
func shingles(lines []string) []uint64 {
	var toks []uint64
	forEachToken(lines, func(t []byte) {
		if len(toks) < maxTokens {
			toks = append(toks, tokenHash(t))
		}
	})
	if len(toks) == 0 {
		return nil
	}
	n := max(1, len(toks)-shingleSize+1)
	out := make([]uint64, 0, n)
	for i := range n {
		h := uint64(0x243f6a8885a308d3)
		for _, t := range toks[i:min(i+shingleSize, len(toks))] {
			h = mix64(h ^ t)
		}
		out = append(out, h)
	}
	return sortUnique(out)
}

// minSentenceTokens is the length from which a sentence is specific
// enough to look messages up by.
const minSentenceTokens = 5

// sentenceHashes appends the hashes of the sentences of some lines (their
// paragraphs joined and cut as splitSentences cuts them) that have at
// least minSentenceTokens tokens. Sentences are what survives re-wrapping,
// re-quoting and HTML conversion whole, so a short message quoted inside
// a long one is found by its sentences.
func sentenceHashes(lines []string, out []uint64) []uint64 {
	start := 0
	for i := 0; i <= len(lines); i++ {
		if i < len(lines) && lines[i] != "" {
			continue
		}
		if i > start {
			for _, sent := range splitSentences(strings.Join(lines[start:i], " ")) {
				h, n := uint64(0x13198a2e03707344), 0
				forEachToken([]string{sent}, func(t []byte) {
					h = mix64(h ^ tokenHash(t))
					n++
				})
				if n >= minSentenceTokens {
					out = append(out, h)
				}
			}
		}
		start = i + 1
	}
	return out
}

func sortUnique(s []uint64) []uint64 {
	slices.Sort(s)
	return slices.Compact(s)
}

// contentKey is the exact-content fingerprint of a message: its sender
// address, normalised subject, and body and attachment text with runs of
// white space collapsed. Two copies with equal keys (and compatible dates)
// are the same message even without a common Message-ID.
func contentKey(msg *leakscope.Message, text *leakscope.Text) uint64 {
	subject, _ := leakscope.NormalizeSubject(msg.Subject)
	h := hashString(0, strings.ToLower(msg.From.Email))
	h = hashString(h, subject)
	if text != nil {
		h = hashCollapsed(h, text.Body)
		for _, a := range text.Attachments {
			h = hashCollapsed(h, a.Text)
		}
	}
	return h
}

// hashCollapsed chains FNV-1a over s into h as hashString does over s with
// runs of white space made one space and white space at the ends removed.
func hashCollapsed(h uint64, s string) uint64 {
	h = mix64(h ^ 0x9e3779b97f4a7c15)
	h ^= 14695981039346656037
	space := false
	started := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			space = started
			continue
		}
		if space {
			h ^= ' '
			h *= 1099511628211
			space = false
		}
		started = true
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// hashString chains FNV-1a over s into h.
func hashString(h uint64, s string) uint64 {
	h = mix64(h ^ 0x9e3779b97f4a7c15)
	h ^= 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
