package export

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
)

// The breach-notification report lists, per affected individual, which
// categories of their personal data the leak exposes, in how many
// messages, since which wave, and under which Bates numbers: what counsel
// needs to write notification letters.
//
// # Categories
//
// Flag categories map to notification categories (NotifyCategories):
//
//	ssn, passport, date_of_birth           identity
//	credit_card, iban, bank_account        financial
//	medical                                medical
//	credential, secret_key                 credentials
//	compensation                           employment
//	phone                                  contact
//
// legal_privilege, confidential and offensive are not personal data and
// are left out. "contact" (a phone number) alone seldom triggers a
// statutory notice; it is listed so that counsel can decide.
//
// # Attribution
//
// Identifiers are stored only as keyed hashes, so a value cannot be
// traced to its owner by itself; the report attributes each flagged value
// of a message from what surrounds it. For each flag:
//
//  1. named: the people named (full name from the directory, "first
//     last" or "first middle last", case-insensitive) or addressed (any
//     of their addresses) on the value's line (a table row, a list item)
//     are affected; when nobody is named on that line, those named within
//     Window bytes (default 300) before or after the value, in the same
//     part of the message (subject, body, one attachment's text or name);
//  2. otherwise, when nobody is named near it, the message's sender and
//     every recipient (To, Cc, Bcc) who is a person are affected (basis
//     "sender" and "recipient"): a value with no name beside it most
//     often belongs to the one who sent it ("my SSN is ...") or the one
//     it was sent to (a pay slip).
//
// The rule is conservative in the notification sense: it prefers listing
// someone whose data may be there (rule 2 also lists the other party of
// the message) to missing someone whose data is; every person carries,
// per basis, how many of their messages were attributed that way, so
// counsel can review the weaker "sender" and "recipient" attributions. It
// misses owners named only far from the value or not at all (an employee
// number), and people outside the directory. A person is someone of the
// people directory; without one, an address of the company's domains
// (Options.Domains) or, without domains either, any address.
//
// The first exposure wave of a person is the earliest of the waves in
// which their messages were first published: a message's wave is the
// leak and batch of its first copy's run; waves are ordered by the leak's
// published date, else by when they were ingested.

// Corpus is what the report reads. store.DB satisfies it.
type Corpus interface {
	MessageIDs(ctx context.Context, n int, fn func(ids []string) error) error
	Documents(ctx context.Context, ids []string) ([]leakscope.Document, error)
	Runs(ctx context.Context) ([]leakscope.IngestRun, error)
	Leaks(ctx context.Context) ([]leakscope.Leak, error)
}

// Notification categories.
const (
	NotifyIdentity    = "identity"
	NotifyFinancial   = "financial"
	NotifyMedical     = "medical"
	NotifyCredentials = "credentials"
	NotifyEmployment  = "employment"
	NotifyContact     = "contact"
)

// NotifyCategoryNames lists the notification categories in report order.
var NotifyCategoryNames = []string{NotifyIdentity, NotifyFinancial, NotifyMedical, NotifyCredentials, NotifyEmployment, NotifyContact}

// NotifyCategories maps flag categories to notification categories.
var NotifyCategories = map[string]string{
	leakscope.FlagSSN: NotifyIdentity, leakscope.FlagPassport: NotifyIdentity, leakscope.FlagDateOfBirth: NotifyIdentity,
	leakscope.FlagCreditCard: NotifyFinancial, leakscope.FlagIBAN: NotifyFinancial, leakscope.FlagBankAccount: NotifyFinancial,
	leakscope.FlagMedical:    NotifyMedical,
	leakscope.FlagCredential: NotifyCredentials, leakscope.FlagSecretKey: NotifyCredentials,
	leakscope.FlagCompensation: NotifyEmployment,
	leakscope.FlagPhone:        NotifyContact,
}

// Attribution bases (AffectedPerson.Basis).
const (
	BasisNamed     = "named"
	BasisSender    = "sender"
	BasisRecipient = "recipient"
)

// NotifyOptions configure Notify; the zero value works (every address is
// a person, no Bates numbers).
type NotifyOptions struct {
	// People is the company's people directory. Default none.
	People []exposure.Person
	// Domains are the company's mail domains, used without a directory.
	Domains []string
	// Categories maps flag categories to notification categories.
	// Default NotifyCategories.
	Categories map[string]string
	// Window is how many bytes around a value a name counts as naming its
	// owner. Default 300.
	Window int
	// Bates gives the Bates numbers of a message in a production, when the
	// report is for one. Default nil: no Bates numbers.
	Bates func(id string) []string
	// Now gives the report's time. Default time.Now.
	Now func() time.Time
}

// NotifyReport is the breach-notification report.
type NotifyReport struct {
	Generated  time.Time        `json:"generated"`
	Production string           `json:"production,omitempty"`
	Messages   int              `json:"messages"` // messages read
	Flagged    int              `json:"flagged"`  // messages holding personal data of a category
	Categories map[string]int   `json:"categories"`
	People     []AffectedPerson `json:"people"`
}

// AffectedPerson is one individual whose data is exposed.
type AffectedPerson struct {
	Name       string         `json:"name,omitempty"`
	Address    string         `json:"address"`
	Department string         `json:"department,omitempty"`
	Categories []string       `json:"categories"`  // in NotifyCategoryNames order
	Messages   int            `json:"messages"`    // messages exposing their data
	ByCategory map[string]int `json:"by_category"` // messages per category
	Basis      map[string]int `json:"basis"`       // messages per strongest basis
	FirstWave  *Wave          `json:"first_wave,omitempty"`
	Bates      []string       `json:"bates,omitempty"`
	IDs        []string       `json:"message_ids"`
}

// Wave is a batch of a leak as published.
type Wave struct {
	Leak      string     `json:"leak"`
	Batch     string     `json:"batch,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Ingested  time.Time  `json:"ingested"`
}

// when orders waves: published date, else ingest time.
func (w *Wave) when() time.Time {
	if w.Published != nil {
		return *w.Published
	}
	return w.Ingested
}

// Notify builds the breach-notification report from every stored message.
func Notify(ctx context.Context, c Corpus, opts NotifyOptions) (*NotifyReport, error) {
	if opts.Categories == nil {
		opts.Categories = NotifyCategories
	}
	if opts.Window <= 0 {
		opts.Window = 300
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	n, err := newNotifier(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	err = c.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := c.Documents(ctx, ids)
		if err != nil {
			return err
		}
		for i := range docs {
			n.message(&docs[i])
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("notification report: %w", err)
	}
	return n.report(), nil
}

// notifier accumulates the report.
type notifier struct {
	opts   NotifyOptions
	people *exposure.Finder[exposure.Person]
	waves  map[uint64]*Wave // by run
	rep    *NotifyReport
	acc    map[*exposure.Person]*affected
}

type affected struct {
	cats  map[string]int
	basis map[string]int
	wave  *Wave
	ids   []string
	bates []string
}

func newNotifier(ctx context.Context, c Corpus, opts NotifyOptions) (*notifier, error) {
	runs, err := c.Runs(ctx)
	if err != nil {
		return nil, err
	}
	leaks, err := c.Leaks(ctx)
	if err != nil {
		return nil, err
	}
	published := leakscope.BatchPublished(runs, leaks)
	waves := map[uint64]*Wave{}
	byBatch := map[[2]string]*Wave{}
	for _, r := range runs {
		k := [2]string{r.Leak, r.Batch}
		w := byBatch[k]
		if w == nil {
			w = &Wave{Leak: r.Leak, Batch: r.Batch, Ingested: r.Started.UTC()}
			if p := published(r.Leak, r.Batch); !p.IsZero() {
				w.Published = &p
			}
			byBatch[k] = w
		}
		waves[r.ID] = w
	}
	return &notifier{opts: opts, people: exposure.NewFinder(opts.People, opts.Domains, func(p exposure.Person) *exposure.Person { return &p }), waves: waves,
		rep: &NotifyReport{Generated: opts.Now().UTC(), Categories: map[string]int{}, People: []AffectedPerson{}},
		acc: map[*exposure.Person]*affected{}}, nil
}

// message attributes the flagged values of one message.
func (n *notifier) message(doc *leakscope.Document) {
	n.rep.Messages++
	msg := doc.Message
	type hit struct{ cat, basis string }
	hits := map[*exposure.Person][]hit{}
	cats := map[string]bool{}
	for _, f := range msg.Flags {
		cat, ok := n.opts.Categories[f.Category]
		if !ok {
			continue
		}
		text, ok := flaggedPart(msg, doc.Text, f)
		if !ok {
			continue
		}
		cats[cat] = true
		named := n.people.Mentioned(lineOf(text, f.Start, f.End))
		if len(named) == 0 {
			lo, hi := max(0, f.Start-n.opts.Window), min(len(text), f.End+n.opts.Window)
			named = n.people.Mentioned(text[lo:hi])
		}
		for _, p := range named {
			hits[p] = append(hits[p], hit{cat, BasisNamed})
		}
		if len(named) > 0 {
			continue
		}
		if p := n.people.Person(msg.From); p != nil {
			hits[p] = append(hits[p], hit{cat, BasisSender})
		}
		for _, a := range msg.Recipients() {
			if p := n.people.Person(a); p != nil {
				hits[p] = append(hits[p], hit{cat, BasisRecipient})
			}
		}
	}
	if len(cats) == 0 {
		return
	}
	n.rep.Flagged++
	for c := range cats {
		n.rep.Categories[c]++
	}
	wave := n.firstWave(doc.Copies)
	var bates []string
	if n.opts.Bates != nil {
		bates = n.opts.Bates(msg.ID)
	}
	for p, hs := range hits {
		a := n.acc[p]
		if a == nil {
			a = &affected{cats: map[string]int{}, basis: map[string]int{}}
			n.acc[p] = a
		}
		seen := map[string]bool{}
		best := BasisRecipient
		for _, h := range hs {
			if !seen[h.cat] {
				seen[h.cat] = true
				a.cats[h.cat]++
			}
			if basisRank(h.basis) < basisRank(best) {
				best = h.basis
			}
		}
		a.basis[best]++
		a.ids = append(a.ids, msg.ID)
		for _, b := range bates {
			if !slices.Contains(a.bates, b) {
				a.bates = append(a.bates, b)
			}
		}
		if wave != nil && (a.wave == nil || wave.when().Before(a.wave.when())) {
			a.wave = wave
		}
	}
}

// lineOf returns the line of text holding text[start:end].
func lineOf(text string, start, end int) string {
	lo := strings.LastIndexByte(text[:start], '\n') + 1
	hi := strings.IndexByte(text[end:], '\n')
	if hi < 0 {
		return text[lo:]
	}
	return text[lo : end+hi]
}

func basisRank(b string) int {
	switch b {
	case BasisNamed:
		return 0
	case BasisSender:
		return 1
	}
	return 2
}

// firstWave is the wave of the message's earliest copy.
func (n *notifier) firstWave(copies []leakscope.Copy) *Wave {
	var first *leakscope.Copy
	for i := range copies {
		if first == nil || copies[i].Run < first.Run {
			first = &copies[i]
		}
	}
	if first == nil {
		return nil
	}
	return n.waves[first.Run]
}

// flaggedPart returns the text a flag's offsets point into.
func flaggedPart(msg *leakscope.Message, t *leakscope.Text, f leakscope.Flag) (string, bool) {
	var s string
	switch f.Where {
	case partSubject:
		s = msg.Subject
	case partBody:
		if t == nil {
			return "", false
		}
		s = t.Body
	case partAttachmentName:
		s = f.Attachment
	case partAttachment:
		if t == nil {
			return "", false
		}
		for _, a := range t.Attachments {
			if a.Name == f.Attachment && f.End <= len(a.Text) {
				s = a.Text
				break
			}
		}
	default:
		return "", false
	}
	if f.Start < 0 || f.End > len(s) || f.Start >= f.End {
		return "", false
	}
	return s, true
}

func (n *notifier) report() *NotifyReport {
	for p, a := range n.acc {
		ap := AffectedPerson{Name: p.Name, Address: p.Addresses[0], Department: p.Department, Messages: len(a.ids),
			ByCategory: a.cats, Basis: a.basis, FirstWave: a.wave, Bates: a.bates, IDs: a.ids}
		for _, c := range NotifyCategoryNames {
			if a.cats[c] > 0 {
				ap.Categories = append(ap.Categories, c)
			}
		}
		for c := range a.cats {
			if !slices.Contains(NotifyCategoryNames, c) {
				ap.Categories = append(ap.Categories, c)
			}
		}
		slices.Sort(ap.IDs)
		n.rep.People = append(n.rep.People, ap)
	}
	slices.SortFunc(n.rep.People, func(a, b AffectedPerson) int {
		if len(a.Categories) != len(b.Categories) {
			return len(b.Categories) - len(a.Categories)
		}
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Address, b.Address)
	})
	return n.rep
}
