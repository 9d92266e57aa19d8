package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
)

// The report's types are the root package's, shared with the API.
type (
	exposureReport = leakscope.ExposureReport
	personExposure = leakscope.PersonExposure
	domainExposure = leakscope.DomainExposure
	batchExposure  = leakscope.BatchExposure
	monthCount     = leakscope.MonthCount
)

// newPeople attributes the addresses and names met in mail to the
// report's people (exposure.Finder: the directory, else the company's
// domains).
func newPeople(org orgOutput) *exposure.Finder[personExposure] {
	return exposure.NewFinder(org.People, org.Domains, func(p exposure.Person) *personExposure {
		return &personExposure{Name: p.Name, Address: p.Addresses[0], Department: p.Department, Title: p.Title, VIP: p.VIP, Flags: map[string]int{}}
	})
}

// buildExposureReport reads every leaked message once for people,
// domains, batches and months; rec may be nil (no reference archive).
// With person, the report lists only that person, with their messages.
func buildExposureReport(ctx context.Context, d *data, org orgOutput, rec *reconciliation, person string) (*exposureReport, error) {
	rep, _, err := buildExposure(ctx, d, org, rec, exposureOptions{person: person})
	return rep, err
}

// exposureOptions say what buildExposure adds to the report.
type exposureOptions struct {
	person      string // only this person, with their messages
	allMessages bool   // every person with their messages
}

// buildExposure builds the report; it also returns, for every person
// listed, each of their addresses mapped to the address they are listed
// under.
func buildExposure(ctx context.Context, d *data, org orgOutput, rec *reconciliation, opts exposureOptions) (*exposureReport, map[string]string, error) {
	person := opts.person
	rep := &exposureReport{Generated: time.Now().UTC(), Matches: map[string]int{}, Published: []publishedMsg{},
		NotInArchive: []string{}, People: []personExposure{}, Domains: []domainExposure{}, Batches: []batchExposure{}, Months: []monthCount{}}
	if rec != nil {
		rep.ReferenceTotal, rep.Published, rep.NotInArchive, rep.Matches = rec.ReferenceTotal, rec.Published, rec.NotInArchive, rec.Counts
	}
	runs, err := d.Store.Runs(ctx)
	if err != nil {
		return nil, nil, err
	}
	runByID := map[uint64]leakscope.IngestRun{}
	for _, r := range runs {
		runByID[r.ID] = r
	}
	leaks, err := d.Store.Leaks(ctx)
	if err != nil {
		return nil, nil, err
	}
	published := leakscope.BatchPublished(runs, leaks)

	px := newPeople(org)
	type domStat struct {
		messages int
		addrs    map[string]bool
	}
	doms := map[string]*domStat{}
	batches := map[[2]string]*batchExposure{}
	months := map[string]int{}
	err = d.Store.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := d.Store.Documents(ctx, ids)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			msg := doc.Message
			rep.LeakTotal++
			// Dates before 1970 are broken headers (Enron has year 1 and 2),
			// left out of timelines rather than stretching them.
			dated := msg.Date.Year() >= 1970
			if dated {
				months[msg.Date.Format("2006-01")]++
			}
			// The batch that published it first.
			var first *leakscope.Copy
			for i := range doc.Copies {
				if c := &doc.Copies[i]; first == nil || c.Run < first.Run {
					first = c
				}
			}
			if first != nil {
				k := [2]string{first.Leak, first.Batch}
				b := batches[k]
				if b == nil {
					b = &batchExposure{Leak: first.Leak, Batch: first.Batch, Ingested: runByID[first.Run].Started}
					if p := published(first.Leak, first.Batch); !p.IsZero() {
						b.Published = &p
					}
					batches[k] = b
				}
				b.Messages++
			}
			// People: sender, recipients, mentions; each counted once per message.
			touched := map[*personExposure]bool{}
			touch := func(pe *personExposure, role string) {
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
				for _, f := range flagNames(msg.Flags) {
					pe.Flags[f]++
				}
				if dated {
					if pe.First == nil || msg.Date.Before(*pe.First) {
						t := msg.Date
						pe.First = &t
					}
					if pe.Last == nil || msg.Date.After(*pe.Last) {
						t := msg.Date
						pe.Last = &t
					}
				}
				if person != "" || opts.allMessages {
					pe.Messages = append(pe.Messages, msg.ID)
				}
			}
			touch(px.Person(msg.From), "sent")
			for _, a := range msg.Recipients() {
				touch(px.Person(a), "received")
			}
			if doc.Text != nil {
				for _, pe := range px.Mentioned(doc.Text.Body) {
					touch(pe, "mentioned")
				}
			}
			// Counterparties.
			seen := map[string]bool{}
			for _, a := range append(msg.Recipients(), msg.From) {
				n, ok := exposure.NormalizeAddress(a.Email)
				if !ok {
					continue
				}
				dom := n[strings.LastIndexByte(n, '@')+1:]
				if len(org.Domains) > 0 && exposure.InDomains(n, org.Domains) {
					continue
				}
				ds := doms[dom]
				if ds == nil {
					ds = &domStat{addrs: map[string]bool{}}
					doms[dom] = ds
				}
				ds.addrs[n] = true
				if !seen[dom] {
					seen[dom] = true
					ds.messages++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("exposure report: %w", err)
	}
	listed := map[*personExposure]bool{}
	for _, pe := range px.People() {
		if pe.Total() == 0 && !px.HasDirectory() {
			continue
		}
		if person != "" {
			if n, ok := exposure.NormalizeAddress(person); !ok || px.Owner(n) != pe {
				continue
			}
		}
		listed[pe] = true
		rep.People = append(rep.People, *pe)
	}
	aliases := map[string]string{}
	for a, pe := range px.Addresses() {
		if listed[pe] {
			aliases[a] = pe.Address
		}
	}
	slices.SortStableFunc(rep.People, func(a, b personExposure) int {
		if a.Total() != b.Total() {
			return b.Total() - a.Total()
		}
		return strings.Compare(a.Address, b.Address)
	})
	for dom, ds := range doms {
		rep.Domains = append(rep.Domains, domainExposure{Domain: dom, Messages: ds.messages, Addresses: len(ds.addrs)})
	}
	slices.SortFunc(rep.Domains, func(a, b domainExposure) int {
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	for _, b := range batches {
		rep.Batches = append(rep.Batches, *b)
	}
	slices.SortFunc(rep.Batches, func(a, b batchExposure) int { return a.Ingested.Compare(b.Ingested) })
	for mo, n := range months {
		rep.Months = append(rep.Months, monthCount{Month: mo, Messages: n})
	}
	slices.SortFunc(rep.Months, func(a, b monthCount) int { return strings.Compare(a.Month, b.Month) })
	return rep, aliases, nil
}

const exposureHelp = `
The exposure report: which of the company's messages were published, and
who is exposed. With a reference archive ("leakscope reference"), every
reference message is matched against the leak (see below); the people
directory and company domains come from "leakscope org".

  published        reference messages found in the leak, each with its
                   match (exact: same Message-ID or same content;
                   reexport: the same message after a PST/Exchange
                   re-export, re-encoded, re-wrapped or turned into HTML;
                   quoted: its text inside another leaked message), a
                   score (0-1), the leaked message IDs, and for a copy
                   that differs from the original ("altered") a diff
  not_in_archive   leaked messages from a company domain that match
                   nothing in the archive: forged, deleted or never archived
  people           per person: messages sent, received and mentioning them,
                   flags by category on those messages, first and last date
  domains          counterparties (other domains) whose mail is exposed
  batches          what each wave published first

Matching is done once and kept until the leak, the archive or the company
domains change (--reconcile redoes it). --json prints one object with the
fields above plus reference_total; --html FILE writes a self-contained
report with timeline charts for the board.

Examples:
  leakscope exposure
  leakscope exposure --json > exposure.json
  leakscope exposure --person amy.pascal@sonypictures.com
  leakscope exposure --html exposure.html
  leakscope exposure check --ssn 536-22-1847      (see "leakscope exposure check --help")
`

func (m *Main) runExposureReport(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("exposure", "[--json] [--person ADDR] [--html FILE] | check ...", exposureHelp, &c)
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	person := fs.String("person", "", "only the person with address `ADDR`, with the IDs of their messages")
	htmlFile := fs.String("html", "", "also write the report as HTML to `FILE`")
	force := fs.Bool("reconcile", false, "match the archive against the leak again even if neither changed")
	top := fs.Int("top", 20, "list at most `N` people, domains and messages in the text report")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("exposure: unexpected argument %q (did you mean \"exposure check\"?)", rest[0])
	}
	if *person != "" {
		if _, ok := exposure.NormalizeAddress(*person); !ok {
			return usagef("exposure: --person %q is not an address", *person)
		}
	}
	d, err := m.openData(ctx, &c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	org, err := loadOrg(ctx, d.Store)
	if err != nil {
		return err
	}
	var rec *reconciliation
	if ref, err := d.OpenReference(ctx, false); err == nil {
		rec, err = reconcile(ctx, d, ref, org.Domains, *force)
		ref.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, leakscope.ErrNotFound) {
		return err
	} else {
		fmt.Fprintln(m.stderr, "leakscope: no reference archive: the report says who is exposed, not which of the company's messages were published (add one with `leakscope reference PATH...`)")
	}
	rep, err := buildExposureReport(ctx, d, org, rec, *person)
	if err != nil {
		return err
	}
	if *person != "" && len(rep.People) == 0 {
		return fmt.Errorf("no one with address %q in the leak: %w", *person, leakscope.ErrNotFound)
	}
	if *htmlFile != "" {
		if err := writeExposureHTML(*htmlFile, rep); err != nil {
			return err
		}
	}
	if *asJSON {
		return m.printJSON(rep)
	}
	m.printExposure(rep, *top)
	return nil
}

func (m *Main) printExposure(r *exposureReport, top int) {
	w := m.stdout
	fmt.Fprintf(w, "leak: %d messages\n", r.LeakTotal)
	if r.ReferenceTotal > 0 {
		published := len(r.Published)
		fmt.Fprintf(w, "reference archive: %d messages, %d published (%.1f%%): %d exact, %d re-exported, %d quoted; %d altered\n",
			r.ReferenceTotal, published, 100*float64(published)/float64(r.ReferenceTotal),
			r.Matches[string(exposure.KindExact)], r.Matches[string(exposure.KindReexport)], r.Matches[string(exposure.KindQuoted)], countAltered(r.Published))
		fmt.Fprintf(w, "not in archive: %d leaked messages from company domains match nothing in the archive\n", len(r.NotInArchive))
	}
	if len(r.Batches) > 0 {
		fmt.Fprintf(w, "\nbatches:\n")
		for _, b := range r.Batches {
			label := b.Batch
			if label == "" {
				label = "(no batch)"
			}
			fmt.Fprintf(w, "  %-12s %-16s %6d new messages, ingested %s\n", b.Leak, label, b.Messages, b.Ingested.Format("2006-01-02"))
		}
	}
	fmt.Fprintf(w, "\npeople (%d; most messages first):\n", len(r.People))
	for i, p := range r.People {
		if i == top {
			fmt.Fprintf(w, "  ... %d more (--json lists all)\n", len(r.People)-top)
			break
		}
		name := p.Address
		if p.Name != "" {
			name = p.Name + " <" + p.Address + ">"
		}
		if p.VIP {
			name += " [VIP]"
		}
		fmt.Fprintf(w, "  %-50s sent %d, received %d, mentioned %d", name, p.Sent, p.Received, p.Mentioned)
		if len(p.Flags) > 0 {
			fmt.Fprintf(w, "; flags: %s", formatCounts(p.Flags))
		}
		if p.First != nil {
			fmt.Fprintf(w, "; %s..%s", p.First.Format("2006-01-02"), p.Last.Format("2006-01-02"))
		}
		fmt.Fprintln(w)
		for _, id := range p.Messages {
			fmt.Fprintf(w, "      %s\n", id)
		}
	}
	if len(r.Domains) > 0 {
		fmt.Fprintf(w, "\ncounterparties (%d domains):\n", len(r.Domains))
		for i, d := range r.Domains {
			if i == top {
				fmt.Fprintf(w, "  ... %d more\n", len(r.Domains)-top)
				break
			}
			fmt.Fprintf(w, "  %-40s %6d messages, %d addresses\n", d.Domain, d.Messages, d.Addresses)
		}
	}
}

func countAltered(ps []publishedMsg) int {
	n := 0
	for _, p := range ps {
		if p.Altered {
			n++
		}
	}
	return n
}

// formatCounts prints "ssn 3, phone 12" in category order.
func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
