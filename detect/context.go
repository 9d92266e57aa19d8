package detect

import "sort"

// maxHitSpan is the longest lexicon hit near() expects; only a term
// stretched by a run of white space is longer.
const maxHitSpan = 256

// near reports whether a hit lies within w[0] bytes before start or w[1]
// bytes after end, or overlaps [start, end). hits are ordered by end.
func near(hits []span, start, end int, w [2]int) bool {
	return nearIn("", hits, start, end, w, 0, int(^uint(0)>>1), false)
}

// nearIn is near for the hits inside [lo, hi), and, if sentence is set,
// in the same sentence as [start, end).
func nearIn(text string, hits []span, start, end int, w [2]int, lo, hi int, sentence bool) bool {
	a, b := start-w[0], end+w[1]
	i := sort.Search(len(hits), func(i int) bool { return hits[i].end > a })
	for ; i < len(hits) && hits[i].end < b+maxHitSpan; i++ {
		h := hits[i]
		if h.start >= b || h.start < lo || h.end > hi {
			continue
		}
		if !sentence || !sentenceBreak(text, min(h.end, end), max(h.start, start)) {
			return true
		}
	}
	return false
}

// chainWindow is how near an earlier finding of the same category must be
// to count as context: the items of a list or a table row share the
// context of the first, as long as no sentence ends between them.
var chainWindow = [2]int{60, 30}

// nearFinding reports whether a finding of the category, apart from
// [start, end), lies within the window in the same sentence (text "" skips
// the sentence check).
func (d *Detector) nearFinding(found []finding, category string, start, end int, w [2]int, text string) bool {
	for _, f := range found {
		if d.rules[f.rule].Category != category || !(f.end <= start || f.start >= end) ||
			f.end <= start-w[0] || f.start >= end+w[1] {
			continue
		}
		if text == "" || !sentenceBreak(text, min(f.end, end), max(f.start, start)) {
			return true
		}
	}
	return false
}

// sentenceBreak reports whether a sentence ends in text[from:to]: '.', '!'
// or '?' before white space, or a blank line.
func sentenceBreak(text string, from, to int) bool {
	from, to = max(from, 0), min(to, len(text))
	for i := from; i < to; i++ {
		switch text[i] {
		case '.', '!', '?':
			if i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\r' || text[i+1] == '\t') {
				return true
			}
		case '\n':
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] == '\n' {
				return true
			}
		}
	}
	return false
}
