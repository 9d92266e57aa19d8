package main

import (
	"context"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
)

const reportHelp = `
List ingest runs with their counters, and every input that failed, was
skipped as not mail, or was indexed with warnings, with the reason.
Nothing read is ever dropped silently: each message is either indexed or
listed here.

Each run is running, done, or interrupted (by Ctrl-C, an error, or a kill:
a run whose process is gone shows as interrupted, with the counters of
what it stored, counted again from the data directory). A run of the same
leak, batch and inputs as an interrupted one resumes it ("resumes run N"):
it stores what the interrupted run did not, and finishes its work.

Examples:
  leakscope report
  leakscope report --run 3 --severity failure
  leakscope report --json > report.json
`

func (m *Main) runReport(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("report", "[--run N] [--json]", reportHelp, &c)
	runID := fs.Uint64("run", 0, "only run `N` (default: every run)")
	severity := fs.String("severity", "", "only problems of this `kind`: failure, warning or skipped")
	asJSON := fs.Bool("json", false, "print one JSON object: runs and problems")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *severity {
	case "", leakscope.ProblemFailure, leakscope.ProblemWarning, leakscope.ProblemSkipped:
	default:
		return usagef("report: bad --severity %q: want failure, warning or skipped", *severity)
	}
	d, err := m.openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer d.Close()
	runs, err := d.Store.Runs(ctx)
	if err != nil {
		return err
	}
	if *runID != 0 {
		var keep []leakscope.IngestRun
		for _, r := range runs {
			if r.ID == *runID {
				keep = append(keep, r)
			}
		}
		if len(keep) == 0 {
			return fmt.Errorf("no run %d: %w", *runID, leakscope.ErrNotFound)
		}
		runs = keep
	}
	all, err := d.Store.Problems(ctx, *runID)
	if err != nil {
		return err
	}
	problems := []leakscope.Problem{}
	for _, p := range all {
		if *severity == "" || p.Severity == *severity {
			problems = append(problems, p)
		}
	}
	if *asJSON {
		return m.printJSON(struct {
			Runs     []leakscope.IngestRun `json:"runs"`
			Problems []leakscope.Problem   `json:"problems"`
		}{runs, problems})
	}
	w := m.stdout
	for _, r := range runs {
		c := r.Counts
		fmt.Fprintf(w, "run %d  %s  leak %s", r.ID, r.Started.Format("2006-01-02 15:04:05"), r.Leak)
		if r.Batch != "" {
			fmt.Fprintf(w, " batch %s", r.Batch)
		}
		if !r.Published.IsZero() {
			fmt.Fprintf(w, " published %s", r.Published.Format(time.DateOnly))
		}
		fmt.Fprintf(w, "  %s", r.Status)
		if r.Error != "" {
			fmt.Fprintf(w, " (%s)", r.Error)
		}
		if r.Resumes != 0 {
			fmt.Fprintf(w, ", resumes run %d", r.Resumes)
		}
		fmt.Fprintf(w, "\n  %d inputs, %d messages, %d new, %d copies, %d known, %d duplicates, %d warned, %d failed, %d skipped\n",
			c.Inputs, c.Messages, c.New, c.Copies, c.Known, c.Duplicates, c.Warnings, c.Failures, c.Skipped)
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "\n%d problems:\n", len(problems))
	}
	for _, p := range problems {
		fmt.Fprintf(w, "run %d  %-8s %-14s %s\n", p.Run, p.Severity, p.Code, p.Location)
		fmt.Fprintf(w, "      %s", p.Detail)
		if p.Message != "" {
			fmt.Fprintf(w, " (message %s)", p.Message)
		}
		if p.RawSHA256 != "" {
			fmt.Fprintf(w, " (bytes kept: original %s)", p.RawSHA256)
		}
		fmt.Fprintln(w)
	}
	return nil
}
