package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
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
type diffOutput = leakscope.BatchDiff

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
	out, err := d.BatchDiff(ctx, *leak, *batch, *top)
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
