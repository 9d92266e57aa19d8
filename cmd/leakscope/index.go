package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
)

const indexHelp = `
Ingest leaked mail into the data directory. Each PATH may be a directory
tree, an mbox (mboxo, mboxrd, mboxcl/cl2, MMDF; gzip or bzip2 compressed), a
maildir or MH folder, an .eml or .emlx file, a zip/tar/tar.gz archive
(nested archives too) or an Outlook PST/OST (needs readpst from the Debian
package pst-utils). Formats are recognised by content, not by name.

Each copy of a message records its custodian (whose mailbox) and folder:
by default the first component of its path below PATH and the rest of the
path (archive, mbox and PST names lose their extension and count as
folders; maildir cur/new are dropped). --custodian sets the custodian for
every message and keeps the whole path as the folder.

Re-running on the same input adds nothing; a run that was interrupted
(Ctrl-C, SIGKILL, power loss) resumes where it stopped when re-run.
Messages that cannot be read are listed by "leakscope report".

Every message is scanned for sensitive content (SSNs, card numbers,
credentials, medical, pay, privileged mail...; see "leakscope search --help"
for flag: and severity:) with the built-in rules, plus those of --rules.
After changing rules, "leakscope redetect" re-scans what is stored.

Examples:
  leakscope index --leak sony-2014 ./dump
  leakscope index --leak sony-2014 --batch wave-2 --published 2014-12-08 wave2.zip
  leakscope index --leak sony-2014 --custodian amy.pascal pascal.pst
  leakscope index --leak sony-2014 --rules ours.toml --counsel legal@sony.com,kirkland.com ./dump
`

func (m *Main) runIndex(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("index", "--leak NAME [flags] PATH...", indexHelp, &c)
	leak := fs.String("leak", "", "`NAME` of the leak the input belongs to (required)")
	batch := fs.String("batch", "", "`LABEL` of the batch (wave) of the leak")
	published := fs.String("published", "", "`DATE` the batch was published, YYYY-MM-DD")
	custodian := fs.String("custodian", "", "`NAME` to record as custodian of every message")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	noProgress := fs.Bool("no-progress", false, "no progress bar or progress lines")
	workers := fs.Int("workers", 0, "parse `N` messages at once (default: number of CPUs)")
	readpst := fs.String("readpst", "", "`PATH` of readpst (default: found in $PATH)")
	df := addDetectFlags(fs)
	noDetect := fs.Bool("no-detect", false, "skip sensitive-content detection (faster; `leakscope redetect` adds it later)")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *leak == "" {
		return usagef("index: --leak NAME is required")
	}
	if len(paths) == 0 {
		return usagef("index: no PATH given")
	}
	var pub time.Time
	if *published != "" {
		if pub, err = time.Parse(time.DateOnly, *published); err != nil {
			return usagef("index: bad --published %q: want YYYY-MM-DD", *published)
		}
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		if abs[i], err = filepath.Abs(p); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if _, err := os.Stat(abs[i]); err != nil {
			return fmt.Errorf("index: input %q: %v: %w", p, errors.Unwrap(err), leakscope.ErrInvalidInput)
		}
	}

	d, err := m.openData(ctx, &c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	tuneGC(m.getenv)

	run := &leakscope.IngestRun{Leak: *leak, Batch: *batch, Inputs: abs, Started: time.Now().UTC()}
	if err := d.store.BeginRun(ctx, run, leakscope.Leak{Published: pub}); err != nil {
		return err
	}
	opts := indexer.Options{Workers: *workers, Logger: d.log}
	if !*noDetect {
		det, err := loadDetector(ctx, d.store, *df)
		if err != nil {
			return err
		}
		opts.Detector = det
	}
	opts.Source.Custodian = *custodian
	opts.Source.Readpst = *readpst
	opts.Source.Logger = d.log
	if !*noProgress {
		p := newProgress(m.stderr, m.isTerminal(m.stderr))
		defer p.finish()
		opts.Progress = p.update
	}
	runErr := indexer.New(d.store, d.index, opts).Run(ctx, run, abs)
	if *asJSON {
		if err := m.printJSON(summaryOf(run)); err != nil {
			return err
		}
	} else {
		m.printSummary(run)
	}
	if runErr != nil {
		return fmt.Errorf("index run %d: %w", run.ID, runErr)
	}
	return nil
}

// summary is the JSON form of an ingest run's outcome (index --json).
type summary struct {
	Run            uint64              `json:"run"`
	Leak           string              `json:"leak"`
	Batch          string              `json:"batch,omitempty"`
	Status         string              `json:"status"`
	Counts         leakscope.RunCounts `json:"counts"`
	ElapsedSeconds float64             `json:"elapsed_seconds"`
	MessagesPerSec float64             `json:"messages_per_second"`
	MBPerSec       float64             `json:"mb_per_second"`
}

func summaryOf(run *leakscope.IngestRun) summary {
	el := run.Finished.Sub(run.Started).Seconds()
	s := summary{Run: run.ID, Leak: run.Leak, Batch: run.Batch, Status: run.Status, Counts: run.Counts, ElapsedSeconds: el}
	if el > 0 {
		s.MessagesPerSec = float64(run.Counts.Messages) / el
		s.MBPerSec = float64(run.Counts.Bytes) / el / 1e6
	}
	return s
}

func (m *Main) printSummary(run *leakscope.IngestRun) {
	s := summaryOf(run)
	c := s.Counts
	w := m.stdout
	fmt.Fprintf(w, "run %d (%s", s.Run, s.Leak)
	if s.Batch != "" {
		fmt.Fprintf(w, ", batch %s", s.Batch)
	}
	fmt.Fprintf(w, "): %s\n", s.Status)
	fmt.Fprintf(w, "  inputs      %d\n", c.Inputs)
	fmt.Fprintf(w, "  messages    %d read, %d new\n", c.Messages, c.New)
	fmt.Fprintf(w, "  copies      %d recorded, %d already known, %d of messages seen before\n", c.Copies, c.Known, c.Duplicates)
	fmt.Fprintf(w, "  warnings    %d messages\n", c.Warnings)
	fmt.Fprintf(w, "  failures    %d\n", c.Failures)
	fmt.Fprintf(w, "  skipped     %d files that are not mail\n", c.Skipped)
	fmt.Fprintf(w, "  elapsed     %.1fs, %.0f messages/s, %.1f MB/s\n", s.ElapsedSeconds, s.MessagesPerSec, s.MBPerSec)
	if c.Failures+c.Warnings+c.Skipped > 0 {
		fmt.Fprintf(w, "  details     leakscope report --run %d\n", s.Run)
	}
}

func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// tuneGC trades memory for speed during an ingest: the garbage collector
// runs at 3x the live heap instead of 2x, but never lets the heap grow past
// a soft limit of 768 MiB. GOGC or GOMEMLIMIT in the environment win.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
}
