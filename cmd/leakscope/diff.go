package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

const diffHelp = `
What a batch (a wave of the leak, "index --batch LABEL") added: the
messages first published in it, the people (addresses) it exposed for the
first time, and its riskiest new messages.

A message is new in the batch when its first copy was ingested in one of
the batch's runs; a person is newly exposed when their address is on a new
message and on no message of an earlier batch (batches are ordered by
their first run).

Examples:
  leakscope diff --batch wave-2
  leakscope diff --leak sony-2014 --batch wave-3 --top 25 --json
`

// diffOutput is what diff --json prints (the root package's type, shared
// with the API).
type (
	diffOutput   = leakscope.BatchDiff
	exposedAddr  = leakscope.ExposedAddress
	riskyMessage = leakscope.RiskyMessage
)

func (m *Main) runDiff(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("diff", "--batch LABEL [--leak NAME] [--top N] [--json]", diffHelp, &c)
	batch := fs.String("batch", "", "`LABEL` of the batch (required)")
	leak := fs.String("leak", "", "only the batch of the leak `NAME` (default: every leak's)")
	top := fs.Int("top", 10, "list the `N` riskiest new messages")
	asJSON := fs.Bool("json", false, "print one JSON object")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *batch == "" || len(rest) > 0 {
		return usagef("diff: want --batch LABEL and no other argument")
	}
	start := time.Now()
	d, err := m.openData(ctx, &c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	out, err := batchDiff(ctx, d, *leak, *batch, *top)
	if err != nil {
		return err
	}
	out.ElapsedSeconds = time.Since(start).Seconds()
	if *asJSON {
		return m.printJSON(out)
	}
	m.printDiff(*out)
	return nil
}

// batchDiff says what batch (of leak, when not empty) added, listing its
// top riskiest new messages.
func batchDiff(ctx context.Context, d *data, leak, batch string, top int) (*diffOutput, error) {
	start := time.Now()
	runs, err := d.Store.Runs(ctx)
	if err != nil {
		return nil, err
	}
	// The batch's runs, and the batches that began before it.
	inBatch := map[uint64]bool{}
	first := map[string]uint64{}
	for _, r := range runs {
		if leak != "" && !strings.EqualFold(r.Leak, leak) {
			continue
		}
		if strings.EqualFold(r.Batch, batch) {
			inBatch[r.ID] = true
		}
		if _, ok := first[r.Batch]; !ok {
			first[r.Batch] = r.ID
		}
	}
	if len(inBatch) == 0 {
		return nil, fmt.Errorf("no batch %q: %w", batch, leakscope.ErrNotFound)
	}
	out := diffOutput{Leak: leak, Batch: batch, Earlier: []string{}, Flags: map[string]int{}, NewPeople: []exposedAddr{}, HighestRisk: []riskyMessage{}}
	batchFirst := uint64(0)
	for id := range inBatch {
		if batchFirst == 0 || id < batchFirst {
			batchFirst = id
		}
	}
	var earlier []string
	for b, id := range first {
		if b != "" && id < batchFirst && !strings.EqualFold(b, batch) {
			earlier = append(earlier, b)
		}
	}
	slices.Sort(earlier)
	out.Earlier = append(out.Earlier, earlier...)

	scope := "batch:" + quoteValue(batch)
	if leak != "" {
		scope += " leak:" + quoteValue(leak)
	}
	q, err := query.Parse(scope)
	if err != nil {
		return nil, err
	}
	ids, err := d.Index.IDs(ctx, search.Request{Query: q})
	if err != nil {
		return nil, err
	}
	var fresh []*leakscope.Message
	addrs := map[string]int{}
	for _, id := range ids {
		e, err := d.Store.Entry(ctx, id)
		if err != nil {
			return nil, err
		}
		firstRun := uint64(0)
		for _, cp := range e.Copies {
			if firstRun == 0 || cp.Run < firstRun {
				firstRun = cp.Run
			}
		}
		if !inBatch[firstRun] {
			out.Republished++
			continue
		}
		msg := e.Message
		fresh = append(fresh, msg)
		for _, name := range flagNames(msg.Flags) {
			out.Flags[name]++
		}
		seen := map[string]bool{}
		for _, a := range append(msg.Recipients(), msg.From) {
			if email := strings.ToLower(a.Email); email != "" && !seen[email] {
				seen[email] = true
				addrs[email]++
			}
		}
	}
	out.Messages = len(fresh)

	// Newly exposed: on no message of an earlier batch.
	var before string
	if len(earlier) > 0 {
		parts := make([]string, len(earlier))
		for i, b := range earlier {
			parts[i] = "batch:" + quoteValue(b)
		}
		before = "(" + strings.Join(parts, " OR ") + ")"
		if leak != "" {
			before += " leak:" + quoteValue(leak)
		}
	}
	for a, n := range addrs {
		if before != "" {
			if strings.ContainsAny(a, `"\`) {
				continue
			}
			q, err := query.Parse(fmt.Sprintf("(from:%s OR to:%s) %s", quoteValue(a), quoteValue(a), before))
			if err != nil {
				continue // an address the query language cannot hold
			}
			res, err := d.Index.Search(ctx, search.Request{Query: q, Limit: 1})
			if err != nil {
				return nil, err
			}
			if res.Total > 0 {
				continue
			}
		}
		out.NewPeople = append(out.NewPeople, exposedAddr{Address: a, Messages: n})
	}
	slices.SortFunc(out.NewPeople, func(a, b exposedAddr) int {
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Address, b.Address)
	})

	slices.SortStableFunc(fresh, func(a, b *leakscope.Message) int {
		switch {
		case a.Risk > b.Risk:
			return -1
		case a.Risk < b.Risk:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, msg := range fresh[:min(top, len(fresh))] {
		if msg.Risk == 0 {
			break
		}
		r := riskyMessage{ID: msg.ID, From: msg.From, Subject: msg.Subject, Risk: msg.Risk, Flags: flagNames(msg.Flags)}
		if !msg.Date.IsZero() {
			r.Date = &msg.Date
		}
		out.HighestRisk = append(out.HighestRisk, r)
	}
	out.ElapsedSeconds = time.Since(start).Seconds()
	return &out, nil
}

// quoteValue quotes a field value for the query language when it holds
// anything but letters, digits and simple punctuation.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t()\"':") {
		return v
	}
	return strconv.Quote(v)
}

func (m *Main) printDiff(o diffOutput) {
	w := m.stdout
	fmt.Fprintf(w, "batch %s: %d new messages, %d republished", o.Batch, o.Messages, o.Republished)
	if len(o.Earlier) > 0 {
		fmt.Fprintf(w, " (earlier batches: %s)", strings.Join(o.Earlier, ", "))
	}
	fmt.Fprintln(w)
	if len(o.Flags) > 0 {
		names := make([]string, 0, len(o.Flags))
		for k := range o.Flags {
			names = append(names, k)
		}
		slices.Sort(names)
		fmt.Fprintf(w, "\nflags on new messages:\n")
		for _, k := range names {
			fmt.Fprintf(w, "  %-16s %d\n", k, o.Flags[k])
		}
	}
	fmt.Fprintf(w, "\n%d people exposed for the first time", len(o.NewPeople))
	if len(o.NewPeople) > 0 {
		fmt.Fprintf(w, " (most messages first):\n")
		for i, p := range o.NewPeople {
			if i == 20 {
				fmt.Fprintf(w, "  ... and %d more (--json lists all)\n", len(o.NewPeople)-20)
				break
			}
			fmt.Fprintf(w, "  %-40s %d\n", p.Address, p.Messages)
		}
	} else {
		fmt.Fprintln(w)
	}
	if len(o.HighestRisk) > 0 {
		fmt.Fprintf(w, "\nhighest-risk new messages:\n")
		for _, r := range o.HighestRisk {
			date := "????-??-??"
			if r.Date != nil {
				date = r.Date.Format("2006-01-02")
			}
			fmt.Fprintf(w, "  %5.1f  %s  %s  %s  [%s; id %s]\n", r.Risk, date, r.From.String(), r.Subject, strings.Join(r.Flags, ", "), r.ID)
		}
	}
}
