package exposure

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/leakscope/leakscope"
)

// Kind says how a reference message was published.
type Kind string

// Kinds of match, from the strongest.
const (
	// KindExact: a leaked message has the same Message-ID, or the same
	// sender, subject and text up to white space with a compatible date.
	KindExact Kind = "exact"
	// KindReexport: a leaked message is the same message after a
	// re-export: Message-ID lost or replaced, date zone rewritten, sender
	// address replaced, body re-encoded, re-wrapped or turned into HTML.
	KindReexport Kind = "reexport"
	// KindQuoted: the message's own text is inside another leaked message
	// (a reply quoting it, a forward).
	KindQuoted Kind = "quoted"
	// KindNone: not found in the leak.
	KindNone Kind = "none"
)

func (k Kind) rank() int {
	switch k {
	case KindExact:
		return 0
	case KindReexport:
		return 1
	case KindQuoted:
		return 2
	}
	return 3
}

// Match is the verdict on one reference message.
type Match struct {
	Kind  Kind    `json:"kind"`
	Score float64 `json:"score"` // of the best hit, 0-1
	// Leaked are every leaked message found, best first: copies, then
	// messages that quote it.
	Leaked []Hit `json:"leaked,omitempty"`
	// Altered is set when a leaked copy (exact or re-exported) says
	// something the reference message does not, or leaves something out:
	// words differ, not only white space, wrapping, quoting, links or
	// characters lost to a re-encoding.
	Altered bool `json:"altered,omitempty"`
	// Diff shows the first altered copy against the reference message, in
	// unified form, sentence by sentence.
	Diff string `json:"diff,omitempty"`
}

// IDs returns the IDs of the leaked messages of the match's own kind.
func (m Match) IDs() []string {
	var out []string
	for _, h := range m.Leaked {
		if h.Kind == m.Kind {
			out = append(out, h.ID)
		}
	}
	return out
}

// Hit is one leaked message found for a reference message.
type Hit struct {
	ID      string  `json:"id"`
	Kind    Kind    `json:"kind"`
	Score   float64 `json:"score"`
	Altered bool    `json:"altered,omitempty"`
}

// Evidence thresholds on the weighted shingle count of a text.
const (
	// minOwnWeight: own text lighter than this (a bare "Thanks", a
	// forward without comment) does not identify a message; its whole
	// text is compared instead.
	minOwnWeight = 3
	// minQuoteWeight: a message's own text must weigh this much before it
	// can be found quoted elsewhere; shorter texts recur by chance.
	minQuoteWeight = 3
	// containThreshold: the share of the reference's own text a re-export
	// must hold, and the share of a re-export's own text the reference must
	// hold when whole texts are compared.
	containThreshold = 0.7
	// strongContain and strongSimilar: with the same subject, a
	// compatible sender and a date equal to the second up to a time zone
	// (dateExact), a copy needs only this share of the reference's key
	// text in it, or of its key text in the reference, and this
	// similarity of the whole texts: a doctored copy of a short message
	// that lost a sentence or had a figure changed.
	strongContain = 0.4
	strongSimilar = 0.3
	// faithfulThreshold: a copy whose date is compatible but not equal to
	// the second (an export that dropped the seconds) must be this similar:
	// a corrected resend, minutes later, keeps much of the text too.
	faithfulThreshold = 0.8
	// shortOwnWeight: a reference's own text lighter than this (one or two
	// sentences) is found quoted only in a message with the same subject
	// that holds its sentences word for word (sentencesFound): a single
	// stock sentence recurs in other threads, and one that differs only in
	// its last word (a date, a figure) differs in one shingle only.
	shortOwnWeight = 20
)

// query is a reference message prepared for matching.
type query struct {
	msg     *leakscope.Message
	text    *leakscope.Text
	md      *model
	full    wset
	own     wset
	key     wset // own text, or the whole text when the own text is too light
	ownW    float64
	date    stamp
	from    sender
	msgID   uint64
	content uint64
	subject uint64
}

// scored is one verified candidate with every score computed for it.
type scored struct {
	idx      uint32
	text     *leakscope.Text
	byID     bool
	byCont   bool
	dateOK   bool
	strong   bool // dateExact, same subject, compatible sender
	senderOK bool
	cOwn     float64 // containment of the reference's key text in the leaked text
	sOwn     float64 // similarity of the key texts
	sFull    float64 // similarity of the whole texts
	cBack    float64 // containment of the leaked key text in the reference's whole text
	cQuote   float64 // containment of the reference's own text in the leaked text (0 if too light)
	kind     Kind
	score    float64
}

// Match finds how a reference message was published. It returns
// leakscope.ErrInvalidInput for a nil message, the context's error when it
// is done, and the TextSource's errors other than not-found.
func (m *Matcher) Match(ctx context.Context, ref *leakscope.Message, text *leakscope.Text) (Match, error) {
	q, hits, err := m.verify(ctx, ref, text)
	if err != nil {
		return Match{}, err
	}
	return m.decide(q, hits), nil
}

// decide turns verified candidates into a Match: hits best first, copies
// marked as matched for NotInArchive, alterations of the best kind diffed.
func (m *Matcher) decide(q *query, hits []scored) Match {
	hits = slices.DeleteFunc(slices.Clone(hits), func(h scored) bool { return h.kind == KindNone })
	if len(hits) == 0 {
		return Match{Kind: KindNone}
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		if c := cmp.Compare(a.kind.rank(), b.kind.rank()); c != 0 {
			return c
		}
		return cmp.Compare(b.score, a.score)
	})
	out := Match{Kind: hits[0].kind, Score: hits[0].score}
	for _, h := range hits {
		hit := Hit{ID: m.meta[h.idx].id, Kind: h.kind, Score: h.score}
		if h.kind == KindExact || h.kind == KindReexport {
			m.markMatched(h.idx)
			if h.kind == out.Kind {
				altered, diff := alteration(q.text, h.text)
				hit.Altered = altered
				if altered && !out.Altered {
					out.Altered, out.Diff = true, diff
				}
			}
		}
		out.Leaked = append(out.Leaked, hit)
	}
	return out
}

// verify finds and scores the candidates of a reference message.
func (m *Matcher) verify(ctx context.Context, ref *leakscope.Message, text *leakscope.Text) (*query, []scored, error) {
	if ref == nil {
		return nil, nil, fmt.Errorf("match: nil message: %w", leakscope.ErrInvalidInput)
	}
	m.build()
	q := &query{msg: ref, text: text, md: newModel(text), date: stampOf(ref), from: senderOf(ref.From),
		msgID: messageIDHash(ref.MessageID), content: contentKey(ref, text), subject: subjectHash(ref.Subject)}
	q.full = m.weigh(q.md.full)
	q.own = q.full.within(q.md.own)
	q.ownW = q.own.total
	q.key = q.own
	if q.ownW < minOwnWeight {
		q.key = q.full
	}
	var out []scored
	for _, c := range m.candidates(q) {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		lt, err := m.leakedText(ctx, c.idx)
		if errors.Is(err, leakscope.ErrNotFound) {
			m.log.Warn("exposure: leaked text not found; candidate skipped", "leaked", m.meta[c.idx].id)
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("match: text of leaked message %s: %w", m.meta[c.idx].id, err)
		}
		out = append(out, m.score(q, c, lt))
	}
	return q, out, nil
}

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
// its own text, and returns the best MaxCandidates: key matches first,
// then by the number of bands and sentences shared (a sentence counts as
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
		if c.byID || c.byCont || c.hits >= minHits || dateExact(q.date, md.date) && q.from.compatible(md.from) {
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
	if len(out) > m.opts.MaxCandidates {
		out = out[:m.opts.MaxCandidates]
	}
	return out
}

// score verifies one candidate against the reference and decides its kind:
//   - exact when it has the same Message-ID or content key;
//   - reexport when its sender is compatible, its date equal to the
//     second up to a time zone (dateExact), it holds at least
//     containThreshold of the reference's key text, and either the key
//     texts are similar (ReexportThreshold) or the whole texts are and
//     the reference holds the leaked key text (the leaked copy's quote
//     separators were lost, so its key text is its whole text);
//   - reexport also, with the same date, subject and sender, on weaker
//     text evidence (strongContain, strongSimilar): a doctored copy of a
//     short message;
//   - reexport also when its date is only compatible (seconds dropped)
//     and the key texts, or the whole texts, are nearly the same
//     (faithfulThreshold);
//   - quoted when it holds QuotedThreshold of the reference's own text,
//     and has the same subject and half of its sentences word for word
//     when that text is short (shortOwnWeight).
//
// A leaked message with no own text is no copy of a reference that has
// some, unless its date is equal (see copyable).
func (m *Matcher) score(q *query, c candidate, lt *leakscope.Text) scored {
	lm := newModel(lt)
	meta := &m.meta[c.idx]
	s := scored{idx: c.idx, text: lt, byID: c.byID, byCont: c.byCont, kind: KindNone,
		dateOK: dateCompatible(q.date, meta.date), senderOK: q.from.compatible(meta.from)}
	exact := dateExact(q.date, meta.date)
	s.strong = s.senderOK && q.subject == meta.subject && exact
	lFull := m.weigh(lm.full)
	lKey := lFull.within(lm.own)
	lLight := lKey.total < minOwnWeight
	if lLight {
		lKey = lFull
	}
	copyable := !lLight || q.ownW < minOwnWeight || exact
	s.cOwn = containment(q.key, lFull)
	s.sOwn = jaccard(q.key, lKey)
	s.sFull = jaccard(q.full, lFull)
	s.cBack = containment(lKey, q.full)
	if q.ownW >= minQuoteWeight {
		s.cQuote = containment(q.own, lFull)
	}
	switch {
	case c.byID || c.byCont:
		s.kind, s.score = KindExact, s.sFull
		if c.byCont || len(q.md.full) == 0 && len(lm.full) == 0 {
			s.score = 1
		}
	case copyable && exact && s.senderOK && s.cOwn >= containThreshold && s.sOwn >= m.opts.ReexportThreshold:
		s.kind, s.score = KindReexport, s.sOwn
	case copyable && exact && s.senderOK && s.cOwn >= containThreshold && s.sFull >= m.opts.ReexportThreshold && s.cBack >= containThreshold:
		s.kind, s.score = KindReexport, s.sFull
	case copyable && s.dateOK && s.senderOK && s.sOwn >= faithfulThreshold:
		s.kind, s.score = KindReexport, s.sOwn
	case copyable && s.dateOK && s.senderOK && s.cOwn >= containThreshold && s.sFull >= faithfulThreshold && s.cBack >= faithfulThreshold:
		s.kind, s.score = KindReexport, s.sFull
	case copyable && s.strong && max(s.cOwn, s.cBack) >= strongContain && s.sFull >= strongSimilar:
		s.kind, s.score = KindReexport, s.sFull
	case s.cQuote >= m.opts.QuotedThreshold && (q.ownW >= shortOwnWeight || q.subject == meta.subject && sentencesFound(q.md, lm)):
		s.kind, s.score = KindQuoted, s.cQuote
	}
	return s
}

// sentencesFound reports whether the reference's own sentences are in the
// leaked text word for word, all of them but one in three (true when it
// has none long enough to hash).
func sentencesFound(ref, leaked *model) bool {
	own := sortUnique(append([]uint64(nil), ref.ownSents...))
	if len(own) == 0 {
		return true
	}
	found := 0
	for _, h := range own {
		if slices.Contains(leaked.ownSents, h) || slices.Contains(leaked.quoteSent, h) {
			found++
		}
	}
	return found >= len(own)-len(own)/3
}

// wset is a sorted shingle set with the weight of each shingle.
type wset struct {
	h     []uint64
	w     []float64
	total float64
}

// weigh looks up the weight of every shingle of a set.
func (m *Matcher) weigh(h []uint64) wset {
	ws := wset{h: h, w: make([]float64, len(h))}
	for i, s := range h {
		ws.w[i] = m.weight(s)
		ws.total += ws.w[i]
	}
	return ws
}

// within returns sub, a subset of ws, with the weights ws has for it.
func (ws wset) within(sub []uint64) wset {
	out := wset{h: sub, w: make([]float64, len(sub))}
	j := 0
	for i, s := range sub {
		for j < len(ws.h) && ws.h[j] < s {
			j++
		}
		if j < len(ws.h) && ws.h[j] == s {
			out.w[i] = ws.w[j]
			out.total += ws.w[j]
		}
	}
	return out
}

// inter returns the total weight of the shingles two sets share.
func inter(a, b wset) float64 {
	t := 0.0
	for i, j := 0, 0; i < len(a.h) && j < len(b.h); {
		switch {
		case a.h[i] < b.h[j]:
			i++
		case a.h[i] > b.h[j]:
			j++
		default:
			t += a.w[i]
			i++
			j++
		}
	}
	return t
}

// jaccard is the weighted Jaccard similarity of two sets; 0 when either
// is empty.
func jaccard(a, b wset) float64 {
	if len(a.h) == 0 || len(b.h) == 0 {
		return 0
	}
	in := inter(a, b)
	if union := a.total + b.total - in; union > 0 {
		return in / union
	}
	return 0
}

// containment is the weighted share of a found in b; 0 when a is empty.
func containment(a, b wset) float64 {
	if a.total <= 0 {
		return 0
	}
	return inter(a, b) / a.total
}
