package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
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
(Ctrl-C, SIGKILL, power loss) resumes where it stopped when re-run, and
"leakscope report" shows it interrupted and the run that resumed it.
Messages, files and directories that cannot be read are listed by
"leakscope report"; they never stop the run.

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
	f := addIngestFlags(fs)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *leak == "" {
		return usagef("index: --leak NAME is required")
	}
	in := app.Ingest{Leak: *leak, Batch: *batch}
	if *published != "" {
		if in.Published, err = time.Parse(time.DateOnly, *published); err != nil {
			return usagef("index: bad --published %q: want YYYY-MM-DD", *published)
		}
	}
	if in.Inputs, err = inputPaths("index", paths); err != nil {
		return err
	}
	d, err := m.openData(ctx, &c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	var sum *app.IngestSummary
	err = m.ingest(f, func(opts app.IngestOptions) (*app.IngestSummary, error) {
		sum, err = d.Ingest(ctx, in, opts)
		return sum, err
	})
	if err == nil && !f.asJSON {
		m.printWatchResults(ctx, d, sum.Watches, false)
	}
	return err
}

// summary is what index --json prints.
type summary = app.IngestSummary

// ingestFlags are the flags index and reference share.
type ingestFlags struct {
	custodian, readpst string
	asJSON, noProgress bool
	noDetect           bool
	workers            int
	detect             *detectFlags
}

func addIngestFlags(fs *flag.FlagSet) *ingestFlags {
	f := &ingestFlags{}
	fs.StringVar(&f.custodian, "custodian", "", "`NAME` to record as custodian of every message")
	fs.BoolVar(&f.asJSON, "json", false, "print the summary as one JSON object")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar or progress lines")
	fs.IntVar(&f.workers, "workers", 0, "parse `N` messages at once (default: number of CPUs)")
	fs.StringVar(&f.readpst, "readpst", "", "`PATH` of readpst (default: found in $PATH)")
	f.detect = addDetectFlags(fs)
	fs.BoolVar(&f.noDetect, "no-detect", false, "skip sensitive-content detection (faster; `leakscope redetect` adds it later)")
	return f
}

// inputPaths makes paths absolute and checks that they exist.
func inputPaths(cmd string, paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, usagef("%s: no PATH given", cmd)
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		var err error
		if abs[i], err = filepath.Abs(p); err != nil {
			return nil, fmt.Errorf("%s: %w", cmd, err)
		}
		if _, err := os.Stat(abs[i]); err != nil {
			return nil, fmt.Errorf("%s: input %q: %v: %w", cmd, p, errors.Unwrap(err), leakscope.ErrInvalidInput)
		}
	}
	return abs, nil
}

// ingest runs an ingest with the options f asks for and prints its
// summary (the summary is printed even when the run failed after it
// began).
func (m *Main) ingest(f *ingestFlags, run func(app.IngestOptions) (*app.IngestSummary, error)) error {
	tuneGC(m.getenv)
	opts := app.IngestOptions{Custodian: f.custodian, Readpst: f.readpst, Workers: f.workers, NoDetect: f.noDetect, Detect: f.detect.settings()}
	if !f.noProgress {
		p := newProgress(m.stderr, m.isTerminal(m.stderr))
		defer p.finish()
		opts.Progress = p.update
	}
	sum, err := run(opts)
	if sum == nil {
		return err
	}
	if f.asJSON {
		if perr := m.printJSON(sum); perr != nil {
			return perr
		}
	} else {
		m.printSummary(sum)
	}
	return err
}

func (m *Main) printSummary(s *app.IngestSummary) {
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
	if c.Recovered > 0 {
		fmt.Fprintf(w, "  recovered   %d originals listed as lost, stored again from this input\n", c.Recovered)
	}
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
