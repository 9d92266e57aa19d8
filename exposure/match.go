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
	to      recipients
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
	strong   bool    // dateExact, same subject, compatible sender
	senderOK bool    // the sender, and the recipients, are compatible
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
			if h.kind == out.Kind && h.text != nil {
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
	q := &query{msg: ref, text: text, md: newModel(text), date: stampOf(ref), from: senderOf(ref.From), to: recipientsOf(ref),
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
		if c.byCont && !c.byID {
			// The same sender, subject and text up to white space: nothing
			// to verify, no text to fetch.
			out = append(out, scored{idx: c.idx, byCont: true, dateOK: true, senderOK: true, kind: KindExact, score: 1,
				cOwn: 1, sOwn: 1, sFull: 1, cBack: 1, cQuote: 1})
			continue
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
		dateOK: dateCompatible(q.date, meta.date), senderOK: q.from.compatible(meta.from) && q.to.compatible(meta.to)}
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
