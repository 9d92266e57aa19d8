package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/datadir"
	"github.com/leakscope/leakscope/store"
)

const verifyHelp = `
Check the whole data directory without changing it: the store (bbolt's
own page check, every record, the counters), every blob of every pack
(its checksum; every original readable and matching its SHA-256, every
text readable), the search index (each segment's checksum, its document
count, a sample of documents against the store), the reference archive,
and the audit trail's hash chain.

It prints what is damaged and what each damage costs (the messages whose
original or text it makes unreadable), and exits 1 when anything is
damaged: "leakscope repair" then mends what can be mended. Losses a repair
already listed are shown as known and are not damage. Harmless findings
(blobs left by interrupted runs, a write a crash tore) are notes.

Examples:
  leakscope verify
  leakscope verify --json | jq '.store.damage'
`

func (m *Main) runVerify(ctx context.Context, args []string) error {
	dc, err := m.parseDatadirFlags("verify", "[--json]", verifyHelp, args, true)
	if err != nil {
		return err
	}
	rep, err := datadir.Verify(ctx, datadir.Dir(dc.data), dc.opts)
	dc.done()
	if err != nil {
		return err
	}
	if dc.asJSON {
		if err := m.printJSON(rep); err != nil {
			return err
		}
	} else {
		printVerify(m.stdout, rep)
	}
	if rep.Damaged() {
		return fmt.Errorf("the data directory %s is damaged: run `leakscope repair --data %s`: %w", dc.data, dc.data, leakscope.ErrDamaged)
	}
	return nil
}

// datadirCommand is what verify, repair and reindex are called with: the
// common flags, --json when the command takes it, and the datadir options
// (the logger, and a progress display unless --no-progress). done ends the
// display.
type datadirCommand struct {
	common
	asJSON bool
	opts   datadir.Options
	done   func()
}

func (m *Main) parseDatadirFlags(name, usage, help string, args []string, withJSON bool) (*datadirCommand, error) {
	dc := &datadirCommand{done: func() {}}
	fs := m.newFlags(name, usage, help, &dc.common)
	if withJSON {
		fs.BoolVar(&dc.asJSON, "json", false, "print the report as one JSON object")
	}
	noProgress := fs.Bool("no-progress", false, "no progress bar or progress lines")
	if _, err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	log, err := m.logger(&dc.common)
	if err != nil {
		return nil, err
	}
	dc.opts = datadir.Options{Logger: log}
	if !*noProgress {
		p := newStageProgress(m.stderr, m.isTerminal(m.stderr))
		dc.opts.Progress, dc.done = p.update, p.finish
	}
	return dc, nil
}

// printVerify prints a verify report for people.
func printVerify(w io.Writer, r *datadir.Report) {
	printPart(w, "", r)
	if r.Reference != nil {
		printPart(w, "reference ", r.Reference)
	}
	if r.Damaged() {
		fmt.Fprintln(w, "result      DAMAGED (see above)")
	} else {
		fmt.Fprintln(w, "result      sound")
	}
}

func printPart(w io.Writer, prefix string, r *datadir.Report) {
	label := func(s string) string { return fmt.Sprintf("%-12s", prefix+s) }
	if r.StoreProblem != "" {
		fmt.Fprintf(w, "%s%s\n", label("store"), r.StoreProblem)
	}
	if s := r.Store; s != nil {
		state := "sound"
		if s.StoreDamaged() {
			state = "DAMAGED"
		}
		fmt.Fprintf(w, "%s%d messages, %d copies, %d originals: %s\n", label("store"), s.Messages, s.Copies, s.Originals, state)
		state = "sound"
		if slices.ContainsFunc(s.Damage, func(d store.Damage) bool { return d.Part == store.PartPacks }) {
			state = "DAMAGED"
		}
		fmt.Fprintf(w, "%s%d packs, %s, %d blobs checked: %s\n", label("packs"), s.Packs, mb(s.PackBytes), s.Blobs, state)
		state = "hash chain intact"
		if slices.ContainsFunc(s.Damage, func(d store.Damage) bool { return d.Part == store.PartAudit }) {
			state = "DAMAGED"
		}
		fmt.Fprintf(w, "%s%d entries, %s\n", label("audit"), s.Audit.Seq, state)
	}
	if ix := r.Index; ix != nil {
		state := "sound"
		if len(ix.Problems) > 0 {
			state = "DAMAGED"
		}
		fmt.Fprintf(w, "%s%d documents for %d messages, %d looked up: %s\n", label("index"), ix.Documents, ix.Messages, ix.Sampled, state)
		for _, p := range ix.Problems {
			fmt.Fprintf(w, "  damaged   index: %s\n", p)
		}
	}
	if s := r.Store; s != nil {
		for _, d := range s.Damage {
			fmt.Fprintf(w, "  damaged   %s: %s: %s%s\n", d.Part, d.Where, d.Problem, costs(d.Messages))
		}
		for _, l := range s.Known {
			printLost(w, l)
		}
		if s.Unreferenced > 0 {
			fmt.Fprintf(w, "  note      %d blobs no record points at (left by interrupted runs; harmless)\n", s.Unreferenced)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "  note      %s\n", n)
		}
	}
}

// costs says which messages a damage costs.
func costs(ids []string) string {
	switch {
	case len(ids) == 0:
		return ""
	case len(ids) <= 5:
		return " (messages " + strings.Join(ids, ", ") + ")"
	}
	return fmt.Sprintf(" (messages %s and %d more)", strings.Join(ids[:5], ", "), len(ids)-5)
}

func copyOf(loc string) string {
	if loc == "" {
		return ""
	}
	return " (copy found at " + loc + ")"
}

// printLost prints a loss a repair listed.
func printLost(w io.Writer, l store.Lost) {
	if !l.Recovered.IsZero() {
		fmt.Fprintf(w, "  recovered %s: %s%s; stored again on %s from %s\n", l.Blob, l.Reason, costs(l.Messages), l.Recovered.Format(time.DateOnly), l.RecoveredFrom)
		return
	}
	fmt.Fprintf(w, "  lost      %s: %s%s%s\n", l.Blob, l.Reason, costs(l.Messages), copyOf(l.Copy))
}
