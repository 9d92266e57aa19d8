package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/exposure"
)

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
	rep, err := m.exposureReport(ctx, &c, *person, *force)
	if err != nil {
		return err
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

// exposureReport reconciles the reference archive, when there is one,
// and builds the report (of person, when not empty).
func (m *Main) exposureReport(ctx context.Context, c *common, person string, force bool) (*leakscope.ExposureReport, error) {
	d, err := m.openData(ctx, c, false)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	org, err := d.Org(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := d.ReconcileReference(ctx, org.Domains, force)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		fmt.Fprintln(m.stderr, "leakscope: no reference archive: the report says who is exposed, not which of the company's messages were published (add one with `leakscope reference PATH...`)")
	}
	rep, err := d.BuildExposure(ctx, org, rec, app.ExposureOptions{Person: person})
	if err != nil {
		return nil, err
	}
	if person != "" && len(rep.People) == 0 {
		return nil, fmt.Errorf("no one with address %q in the leak: %w", person, leakscope.ErrNotFound)
	}
	return rep, nil
}

func (m *Main) printExposure(r *leakscope.ExposureReport, top int) {
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

func countAltered(ps []leakscope.PublishedMessage) int {
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
