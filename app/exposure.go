package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/store"
)

// ExposureOptions say what BuildExposure adds to the report.
type ExposureOptions struct {
	Person      string // only the person with this address, with their messages
	AllMessages bool   // every person with their messages
}

// BuildExposure builds the exposure report (`leakscope exposure`),
// reading every leaked message once for people, domains, batches and
// months; rec may be nil (no reference archive). With opts.Person the
// report lists only that person, with their messages (none when the leak
// does not name them).
func (a *App) BuildExposure(ctx context.Context, org Org, rec *Reconciliation, opts ExposureOptions) (*leakscope.ExposureReport, error) {
	rep, _, err := a.buildExposure(ctx, org, rec, opts)
	return rep, err
}

// buildExposure builds the report; it also returns, for every person
// listed, each of their addresses mapped to the address they are listed
// under.
func (a *App) buildExposure(ctx context.Context, org Org, rec *Reconciliation, opts ExposureOptions) (*leakscope.ExposureReport, map[string]string, error) {
	rep := newExposureReport(rec)
	t, err := newTally(ctx, a.Store, org, opts)
	if err != nil {
		return nil, nil, err
	}
	err = a.Store.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := a.Store.Documents(ctx, ids)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			rep.LeakTotal++
			t.add(doc)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("exposure report: %w", err)
	}
	aliases := t.people(rep)
	t.domains(rep)
	t.batchesAndMonths(rep)
	return rep, aliases, nil
}

// newExposureReport is an empty report with the reconciliation's part.
func newExposureReport(rec *Reconciliation) *leakscope.ExposureReport {
	rep := &leakscope.ExposureReport{Generated: time.Now().UTC(), Matches: map[string]int{}, Published: []leakscope.PublishedMessage{},
		NotInArchive: []string{}, People: []leakscope.PersonExposure{}, Domains: []leakscope.DomainExposure{},
		Batches: []leakscope.BatchExposure{}, Months: []leakscope.MonthCount{}}
	if rec != nil {
		rep.ReferenceTotal, rep.Published, rep.NotInArchive, rep.Matches = rec.ReferenceTotal, rec.Published, rec.NotInArchive, rec.Counts
	}
	return rep
}

// tally counts what the report says while the leak is read.
type tally struct {
	org       Org
	opts      ExposureOptions
	runByID   map[uint64]leakscope.IngestRun
	published func(leak, batch string) time.Time
	px        *exposure.Finder[leakscope.PersonExposure]
	doms      map[string]*domainTally
	batches   map[[2]string]*leakscope.BatchExposure
	months    map[string]int
}

// domainTally counts one counterparty domain.
type domainTally struct {
	messages int
	addrs    map[string]bool
}

func newTally(ctx context.Context, st *store.DB, org Org, opts ExposureOptions) (*tally, error) {
	runs, err := st.Runs(ctx)
	if err != nil {
		return nil, err
	}
	runByID := map[uint64]leakscope.IngestRun{}
	for _, r := range runs {
		runByID[r.ID] = r
	}
	leaks, err := st.Leaks(ctx)
	if err != nil {
		return nil, err
	}
	return &tally{org: org, opts: opts, runByID: runByID, published: leakscope.BatchPublished(runs, leaks),
		px: newPeople(org), doms: map[string]*domainTally{}, batches: map[[2]string]*leakscope.BatchExposure{}, months: map[string]int{}}, nil
}

// newPeople attributes the addresses and names met in mail to the
// report's people (exposure.Finder: the directory, else the company's
// domains).
func newPeople(org Org) *exposure.Finder[leakscope.PersonExposure] {
	return exposure.NewFinder(org.People, org.Domains, func(p exposure.Person) *leakscope.PersonExposure {
		return &leakscope.PersonExposure{Name: p.Name, Address: p.Addresses[0], Department: p.Department, Title: p.Title, VIP: p.VIP, Flags: map[string]int{}}
	})
}

// add counts one leaked message.
func (t *tally) add(doc leakscope.Document) {
	msg := doc.Message
	// Dates before 1970 are broken headers (Enron has year 1 and 2),
	// left out of timelines rather than stretching them.
	if msg.Date.Year() >= 1970 {
		t.months[msg.Date.Format("2006-01")]++
	}
	t.addBatch(doc.Copies)
	t.addPeople(doc)
	t.addDomains(msg)
}

// addBatch counts the message in the batch that published it first.
func (t *tally) addBatch(copies []leakscope.Copy) {
	var first *leakscope.Copy
	for i := range copies {
		if c := &copies[i]; first == nil || c.Run < first.Run {
			first = c
		}
	}
	if first == nil {
		return
	}
	k := [2]string{first.Leak, first.Batch}
	b := t.batches[k]
	if b == nil {
		b = &leakscope.BatchExposure{Leak: first.Leak, Batch: first.Batch, Ingested: t.runByID[first.Run].Started}
		if p := t.published(first.Leak, first.Batch); !p.IsZero() {
			b.Published = &p
		}
		t.batches[k] = b
	}
	b.Messages++
}

// addPeople counts the message for its sender, recipients and the people
// it mentions; each counted once per message.
func (t *tally) addPeople(doc leakscope.Document) {
	msg := doc.Message
	touched := map[*leakscope.PersonExposure]bool{}
	touch := func(pe *leakscope.PersonExposure, role string) {
		if pe == nil {
			return
		}
		switch role {
		case "sent":
			pe.Sent++
		case "received":
			if touched[pe] {
				return
			}
			pe.Received++
		case "mentioned":
			if touched[pe] {
				return
			}
			pe.Mentioned++
		}
		if touched[pe] {
			return
		}
		touched[pe] = true
		t.touchPerson(pe, msg)
	}
	touch(t.px.Person(msg.From), "sent")
	for _, a := range msg.Recipients() {
		touch(t.px.Person(a), "received")
	}
	if doc.Text != nil {
		for _, pe := range t.px.Mentioned(doc.Text.Body) {
			touch(pe, "mentioned")
		}
	}
}

// touchPerson adds a message's flags, date and id to a person it
// concerns, once per message.
func (t *tally) touchPerson(pe *leakscope.PersonExposure, msg *leakscope.Message) {
	for _, f := range flagNames(msg.Flags) {
		pe.Flags[f]++
	}
	if msg.Date.Year() >= 1970 {
		if pe.First == nil || msg.Date.Before(*pe.First) {
			d := msg.Date
			pe.First = &d
		}
		if pe.Last == nil || msg.Date.After(*pe.Last) {
			d := msg.Date
			pe.Last = &d
		}
	}
	if t.opts.Person != "" || t.opts.AllMessages {
		pe.Messages = append(pe.Messages, msg.ID)
	}
}

// addDomains counts the message for each counterparty domain (not the
// company's) among its addresses.
func (t *tally) addDomains(msg *leakscope.Message) {
	seen := map[string]bool{}
	for _, a := range append(msg.Recipients(), msg.From) {
		n, ok := exposure.NormalizeAddress(a.Email)
		if !ok {
			continue
		}
		dom := n[strings.LastIndexByte(n, '@')+1:]
		if len(t.org.Domains) > 0 && exposure.InDomains(n, t.org.Domains) {
			continue
		}
		ds := t.doms[dom]
		if ds == nil {
			ds = &domainTally{addrs: map[string]bool{}}
			t.doms[dom] = ds
		}
		ds.addrs[n] = true
		if !seen[dom] {
			seen[dom] = true
			ds.messages++
		}
	}
}

// people lists the people in rep, most messages first, and returns each
// address of a listed person mapped to the address listed.
func (t *tally) people(rep *leakscope.ExposureReport) map[string]string {
	listed := map[*leakscope.PersonExposure]bool{}
	for _, pe := range t.px.People() {
		if pe.Total() == 0 && !t.px.HasDirectory() {
			continue
		}
		if t.opts.Person != "" {
			if n, ok := exposure.NormalizeAddress(t.opts.Person); !ok || t.px.Owner(n) != pe {
				continue
			}
		}
		listed[pe] = true
		rep.People = append(rep.People, *pe)
	}
	aliases := map[string]string{}
	for a, pe := range t.px.Addresses() {
		if listed[pe] {
			aliases[a] = pe.Address
		}
	}
	slices.SortStableFunc(rep.People, func(a, b leakscope.PersonExposure) int {
		if a.Total() != b.Total() {
			return b.Total() - a.Total()
		}
		return strings.Compare(a.Address, b.Address)
	})
	return aliases
}

// domains lists the counterparty domains in rep, most messages first.
func (t *tally) domains(rep *leakscope.ExposureReport) {
	for dom, ds := range t.doms {
		rep.Domains = append(rep.Domains, leakscope.DomainExposure{Domain: dom, Messages: ds.messages, Addresses: len(ds.addrs)})
	}
	slices.SortFunc(rep.Domains, func(a, b leakscope.DomainExposure) int {
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Domain, b.Domain)
	})
}

// batchesAndMonths lists the batches in rep in ingest order, and the
// months in order.
func (t *tally) batchesAndMonths(rep *leakscope.ExposureReport) {
	for _, b := range t.batches {
		rep.Batches = append(rep.Batches, *b)
	}
	slices.SortFunc(rep.Batches, func(a, b leakscope.BatchExposure) int { return a.Ingested.Compare(b.Ingested) })
	for mo, n := range t.months {
		rep.Months = append(rep.Months, leakscope.MonthCount{Month: mo, Messages: n})
	}
	slices.SortFunc(rep.Months, func(a, b leakscope.MonthCount) int { return strings.Compare(a.Month, b.Month) })
}

// flagNames lists the categories of flags, each once, in order.
func flagNames(flags []leakscope.Flag) []string {
	out := []string{}
	for _, f := range flags {
		out = appendUnique(out, f.Category)
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
