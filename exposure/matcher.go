package exposure

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leakscope/leakscope"
)

// TextSource gives the extracted text of a leaked message by its ID. The
// Matcher calls it for the few candidates of each reference message, so
// that it need not keep leaked texts in memory. It must be safe for
// concurrent use when Match is called concurrently. A text that is not
// found (an error wrapping leakscope.ErrNotFound) skips that candidate.
type TextSource interface {
	Text(ctx context.Context, id string) (*leakscope.Text, error)
}

// Options configure NewMatcher; the zero value works.
type Options struct {
	// Texts gives leaked texts back for verification. Default nil: the
	// Matcher keeps every text given to AddLeaked, and its memory grows
	// with them.
	Texts TextSource
	// ReexportThreshold is the smallest similarity (weighted Jaccard of
	// shingles) of a re-exported copy to its original. Default 0.5.
	ReexportThreshold float64
	// QuotedThreshold is the smallest share (weighted containment) of a
	// reference message's own text that a leaked message must hold to
	// quote it. Default 0.9.
	QuotedThreshold float64
	// CommonDF is the number of leaked messages a shingle may occur in
	// before it counts for less (weight CommonDF/df): signatures,
	// disclaimers and stock phrases. Default 50.
	CommonDF int
	// MaxCandidates bounds the leaked messages verified per reference
	// message, besides those with its Message-ID or content key (which
	// are all kept). Default 64.
	MaxCandidates int
	// Logger receives counts and skipped candidates (never content or
	// addresses). Default: discard.
	Logger *slog.Logger
}

// Default option values.
const (
	DefaultReexportThreshold = 0.5
	DefaultQuotedThreshold   = 0.9
	DefaultCommonDF          = 50
	DefaultMaxCandidates     = 64
)

// maxBucket is the largest band bucket scanned for candidates: a bucket
// holding more leaked messages is boilerplate (an empty body, a bare
// disclaimer) and is skipped.
const maxBucket = 4096

// maxUnits bounds the shingle sets of one leaked message put in the index
// (its own text and its first quoted messages).
const maxUnits = 8

// Matcher finds the published copies of reference messages in a leak. Add
// every leaked message with AddLeaked, then call Match for each reference
// message, then NotInArchive. AddLeaked and Match are each safe for
// concurrent use; once Match has been called, AddLeaked fails.
//
// The memory it keeps per leaked message is its ID, a few hashes of its
// headers and about 34 index entries of 8 bytes (its Message-ID and
// content keys, the band keys of its own text and quoted messages, its
// sentences), plus a fixed 16 MiB document-frequency sketch; not its text,
// when a TextSource is given. 200,000 leaked messages hold about 95 MiB.
type Matcher struct {
	opts Options
	log  *slog.Logger
	df   *dfSketch

	mu     sync.Mutex
	frozen bool
	meta   []leakedMeta
	texts  []*leakscope.Text // when opts.Texts is nil
	// post holds the postings, key<<32 | index into meta, in 256 shards
	// by the key's top byte (so that growing them never copies the whole
	// index at once); build sorts each.
	post    [256][]uint64
	npost   int
	domains []string
	domIdx  map[string]uint32

	once    sync.Once
	noise   float64
	matched []uint64 // bit set over meta: claimed as a copy by some Match
}

// leakedMeta is what the Matcher keeps of one leaked message.
type leakedMeta struct {
	id      string
	date    stamp
	msgID   uint64
	content uint64
	subject uint64
	from    sender
	to      recipients
	domain  uint32 // index into Matcher.domains
}

// NewMatcher returns an empty Matcher.
func NewMatcher(opts Options) *Matcher {
	if opts.ReexportThreshold <= 0 {
		opts.ReexportThreshold = DefaultReexportThreshold
	}
	if opts.QuotedThreshold <= 0 {
		opts.QuotedThreshold = DefaultQuotedThreshold
	}
	if opts.CommonDF <= 0 {
		opts.CommonDF = DefaultCommonDF
	}
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = DefaultMaxCandidates
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Matcher{opts: opts, log: log, df: newDFSketch(), domains: []string{""}, domIdx: map[string]uint32{"": 0}}
}

// Posting key tags keep Message-ID and content keys apart from band keys.
const (
	tagMessageID = 0x6d657373616765 // "message"
	tagContent   = 0x636f6e74656e74 // "content"
	tagSentence  = 0x73656e74656e63 // "sentenc"
)

// maxSentences bounds the sentences of one leaked message put in the index.
const maxSentences = 64

// maxSentenceBucket is the largest sentence posting list scanned for
// candidates: a sentence found in more leaked messages is a stock phrase.
const maxSentenceBucket = 256

func postingKey(tag, h uint64) uint32 { return uint32(mix64(h^tag) >> 32) }

func messageIDHash(id string) uint64 {
	id = strings.ToLower(leakscope.NormalizeMessageID(id))
	if id == "" {
		return 0
	}
	return hashString(3, id)
}

// AddLeaked adds one leaked message to the index. It fails with
// leakscope.ErrInvalidInput for a nil message or after Match was called.
func (m *Matcher) AddLeaked(msg *leakscope.Message, text *leakscope.Text) error {
	if msg == nil {
		return fmt.Errorf("add leaked message: nil message: %w", leakscope.ErrInvalidInput)
	}
	md := newModel(text)
	meta := leakedMeta{id: msg.ID, date: stampOf(msg), msgID: messageIDHash(msg.MessageID),
		content: contentKey(msg, text), subject: subjectHash(msg.Subject), from: senderOf(msg.From),
		to: recipientsOf(msg)}
	keys := make([]uint32, 0, 2+numBands*2)
	if meta.msgID != 0 {
		keys = append(keys, postingKey(tagMessageID, meta.msgID))
	}
	keys = append(keys, postingKey(tagContent, meta.content))
	var bk [numBands]uint32
	units := append([][]uint64{md.own}, md.quotes...)
	if len(units) > maxUnits {
		units = units[:maxUnits]
	}
	for _, u := range units {
		if len(u) == 0 {
			continue
		}
		bandKeys(u, &bk)
		keys = append(keys, bk[:]...)
	}
	sents := sortUnique(append(append([]uint64(nil), md.ownSents...), md.quoteSent...))
	if len(sents) > maxSentences {
		sents = sents[:maxSentences]
	}
	for _, h := range sents {
		keys = append(keys, postingKey(tagSentence, h))
	}
	m.df.add(md.full)
	domain := msg.From.Domain()

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen {
		return fmt.Errorf("add leaked message after matching started: %w", leakscope.ErrInvalidInput)
	}
	d, ok := m.domIdx[domain]
	if !ok {
		d = uint32(len(m.domains))
		m.domains = append(m.domains, domain)
		m.domIdx[domain] = d
	}
	meta.domain = d
	idx := uint64(len(m.meta))
	m.meta = append(m.meta, meta)
	if m.opts.Texts == nil {
		m.texts = append(m.texts, text)
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		m.post[k>>24] = append(m.post[k>>24], uint64(k)<<32|idx)
		m.npost++
	}
	return nil
}

// Len returns the number of leaked messages added.
func (m *Matcher) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.meta)
}

// build freezes the index: postings are sorted for lookup.
func (m *Matcher) build() {
	m.once.Do(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.frozen = true
		for i := range m.post {
			slices.Sort(m.post[i])
			m.post[i] = slices.Clip(m.post[i])
		}
		m.noise = m.df.noise()
		m.matched = make([]uint64, (len(m.meta)+63)/64)
		m.log.Debug("exposure index built", "leaked", len(m.meta), "postings", m.npost, "df_noise", m.noise)
	})
}

// lookup returns the postings under key (their low halves index meta).
func (m *Matcher) lookup(key uint32) []uint64 {
	shard := m.post[key>>24]
	i, _ := slices.BinarySearch(shard, uint64(key)<<32)
	j := i
	for j < len(shard) && shard[j]>>32 == uint64(key) {
		j++
	}
	return shard[i:j]
}

// weight is a shingle's weight in similarity scores: 1, or CommonDF/df for
// a shingle found in more than CommonDF leaked messages.
func (m *Matcher) weight(s uint64) float64 {
	df := float64(m.df.count(s)) - m.noise
	if t := float64(m.opts.CommonDF); df > t {
		return t / df
	}
	return 1
}

// leakedText returns the text of leaked message i.
func (m *Matcher) leakedText(ctx context.Context, i uint32) (*leakscope.Text, error) {
	if m.opts.Texts == nil {
		return m.texts[i], nil
	}
	return m.opts.Texts.Text(ctx, m.meta[i].id)
}

func (m *Matcher) markMatched(i uint32) {
	atomic.OrUint64(&m.matched[i/64], 1<<(i%64))
}

// NotInArchive returns the IDs of the leaked messages, in the order they
// were added, whose sender address is in one of the given company domains
// (or a subdomain) and that no Match call found to be a copy (exact or
// re-exported) of a reference message. Call it after matching every
// reference message: these are messages that claim to come from the
// company but are missing from its archive (deleted, never archived, or
// forged). A message that only quotes archived mail is listed too.
func (m *Matcher) NotInArchive(domains []string) []string {
	m.build()
	want := map[string]bool{}
	for _, d := range domains {
		if d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), "."); d != "" {
			want[d] = true
		}
	}
	company := make([]bool, len(m.domains))
	for i, d := range m.domains {
		for _, s := range leakscope.DomainSuffixes(d) {
			if want[s] {
				company[i] = true
				break
			}
		}
	}
	var out []string
	for i, md := range m.meta {
		if company[md.domain] && atomic.LoadUint64(&m.matched[i/64])&(1<<(i%64)) == 0 {
			out = append(out, md.id)
		}
	}
	return out
}
