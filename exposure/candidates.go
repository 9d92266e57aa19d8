package exposure

import (
	"cmp"
	"slices"
)

// minHits is the evidence a candidate needs without a key match: two
// bands, or one sentence; one band is enough with an equal date and a
// compatible sender.
const minHits = 2

// maxQuoteLead is how much earlier than the reference a leaked message may
// be dated and still be a copy or a quote of it: 26 hours, the largest
// difference of two time zones (UTC-12, UTC+14), for a re-export that kept
// the wall-clock time.
const maxQuoteLead = 26 * 3600

// candidate is a leaked message that shares a key with a reference.
type candidate struct {
	idx    uint32
	byID   bool
	byCont bool
	hits   int // bands and sentences shared
}

// candidates looks a reference message up by Message-ID, by content key,
// by the band keys of its key text and whole text, and by the sentences of
// its own text, and returns every key match, then the best MaxCandidates
// others by the number of bands and sentences shared (a sentence counts as
// two bands). Leaked messages dated before the reference by more than a time
// zone error are left out unless they share a key: they can be neither a
// copy nor a quote of it.
func (m *Matcher) candidates(q *query) []candidate {
	cs := map[uint32]*candidate{}
	get := func(i uint32) *candidate {
		c := cs[i]
		if c == nil {
			c = &candidate{idx: i}
			cs[i] = c
		}
		return c
	}
	if q.msgID != 0 {
		for _, p := range m.lookup(postingKey(tagMessageID, q.msgID)) {
			if i := uint32(p); m.meta[i].msgID == q.msgID {
				get(i).byID = true
			}
		}
	}
	for _, p := range m.lookup(postingKey(tagContent, q.content)) {
		if i := uint32(p); m.meta[i].content == q.content && dateCompatible(q.date, m.meta[i].date) {
			get(i).byCont = true
		}
	}
	sets := [][]uint64{q.key.h}
	if len(q.md.full) != len(q.key.h) {
		sets = append(sets, q.md.full)
	}
	var bk [numBands]uint32
	earliest := q.date.utc - maxQuoteLead
	for _, set := range sets {
		if len(set) == 0 {
			continue
		}
		bandKeys(set, &bk)
		for _, k := range bk {
			ps := m.lookup(k)
			if len(ps) > maxBucket {
				continue
			}
			for _, p := range ps {
				i := uint32(p)
				if q.date.utc != 0 && m.meta[i].date.utc != 0 && m.meta[i].date.utc < earliest {
					continue
				}
				get(i).hits++
			}
		}
	}
	for _, h := range sortUnique(append([]uint64(nil), q.md.ownSents...)) {
		ps := m.lookup(postingKey(tagSentence, h))
		if len(ps) > maxSentenceBucket {
			continue
		}
		for _, p := range ps {
			i := uint32(p)
			if q.date.utc != 0 && m.meta[i].date.utc != 0 && m.meta[i].date.utc < earliest {
				continue
			}
			get(i).hits += 2
		}
	}
	out := make([]candidate, 0, len(cs))
	for _, c := range cs {
		// One band in common is what unrelated texts share by chance (in
		// a generated scenario, 1 such candidate in 5,000 was a match),
		// unless the date and sender say it may be a copy.
		md := &m.meta[c.idx]
		if c.byID || c.byCont || c.hits >= minHits || dateExact(q.date, md.date) && q.from.compatible(md.from) && q.to.compatible(md.to) {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		ak, bk := a.byID || a.byCont, b.byID || b.byCont
		if ak != bk {
			if ak {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.hits, a.hits); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	// Key matches are all kept: a mailing copied into every mailbox of the
	// leak has as many exact copies, and each must be claimed for
	// NotInArchive. The others are capped.
	keyed := 0
	for keyed < len(out) && (out[keyed].byID || out[keyed].byCont) {
		keyed++
	}
	if len(out) > keyed+m.opts.MaxCandidates {
		out = out[:keyed+m.opts.MaxCandidates]
	}
	return out
}
