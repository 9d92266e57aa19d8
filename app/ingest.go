package app

import (
	"context"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
)

// Ingest names what an ingest reads and where its mail belongs.
type Ingest struct {
	Leak      string    // name of the leak (required for a leak's ingest)
	Batch     string    // label of the batch (wave) of the leak; may be empty
	Published time.Time // when the batch was published; may be zero
	Inputs    []string  // absolute paths of the inputs
}

// IngestOptions configure an ingest; the zero value works.
type IngestOptions struct {
	// Custodian, when set, is recorded as the custodian of every message
	// (the whole path below an input is then its folder). Default: the
	// first component of the path below the input.
	Custodian string
	// Readpst is the path of readpst, for PST and OST files. Default:
	// found in $PATH.
	Readpst string
	// Workers is the number of messages parsed at once. Default: the
	// number of CPUs.
	Workers int
	// NoDetect skips sensitive-content detection (Redetect adds it later).
	NoDetect bool
	// Detect says which rules and counsel list detection uses; the zero
	// value uses the data directory's.
	Detect DetectSettings
	// Progress, when set, is called as the ingest goes and once at its end.
	Progress func(indexer.Progress)
}

// IngestSummary is the outcome of an ingest run (index --json prints it).
type IngestSummary struct {
	Run            uint64              `json:"run"`
	Leak           string              `json:"leak"`
	Batch          string              `json:"batch,omitempty"`
	Status         string              `json:"status"`
	Counts         leakscope.RunCounts `json:"counts"`
	ElapsedSeconds float64             `json:"elapsed_seconds"`
	MessagesPerSec float64             `json:"messages_per_second"`
	MBPerSec       float64             `json:"mb_per_second"`
	Watches        []WatchResult       `json:"watches,omitempty"` // new matches of each watch (CheckWatches)
}

// Ingest ingests leaked mail as one run, then checks every watch. The
// summary is nil when the run could not start; otherwise it is returned
// with the run's error too (an interrupted run resumes when run again).
func (a *App) Ingest(ctx context.Context, in Ingest, opts IngestOptions) (*IngestSummary, error) {
	run := &leakscope.IngestRun{Leak: in.Leak, Batch: in.Batch, Inputs: in.Inputs, Started: time.Now().UTC(), Published: in.Published}
	if err := a.Store.BeginRun(ctx, run); err != nil {
		return nil, err
	}
	iopts, err := a.indexerOptions(ctx, opts)
	if err != nil {
		return nil, err
	}
	runErr := a.indexer(iopts).Run(ctx, run, run.Inputs)
	sum := summaryOf(run)
	if runErr == nil {
		sum.Watches, runErr = a.CheckWatches(ctx, nil)
	}
	return sum, runError(run, runErr)
}

// IngestReference ingests the company's own archive (the reference
// archive, see OpenReference) as one run, with the leak's detection
// settings. The summary is as Ingest's, without watches.
func (a *App) IngestReference(ctx context.Context, inputs []string, opts IngestOptions) (*IngestSummary, error) {
	ref, err := a.OpenReference(ctx, true)
	if err != nil {
		return nil, err
	}
	defer ref.Close()
	run := &leakscope.IngestRun{Leak: ReferenceName, Inputs: inputs, Started: time.Now().UTC()}
	if err := ref.BeginRun(ctx, run); err != nil {
		return nil, err
	}
	iopts, err := a.indexerOptions(ctx, opts)
	if err != nil {
		return nil, err
	}
	iopts.Collection = leakscope.CollectionReference
	runErr := indexer.New(ref, noIndex{}, iopts).Run(ctx, run, run.Inputs)
	return summaryOf(run), runError(run, runErr)
}

// indexerOptions are the indexer's options for opts. Detection rules and
// counsel are the data directory's (LoadDetector).
func (a *App) indexerOptions(ctx context.Context, opts IngestOptions) (indexer.Options, error) {
	iopts := indexer.Options{Workers: opts.Workers, Logger: a.Log, Progress: opts.Progress}
	if !opts.NoDetect {
		det, err := a.Detector(ctx, opts.Detect)
		if err != nil {
			return iopts, err
		}
		iopts.Detector = det
	}
	iopts.Source.Custodian = opts.Custodian
	iopts.Source.Readpst = opts.Readpst
	iopts.Source.Logger = a.Log
	return iopts, nil
}

func runError(run *leakscope.IngestRun, err error) error {
	if err != nil {
		return fmt.Errorf("run %d: %w", run.ID, err)
	}
	return nil
}

func summaryOf(run *leakscope.IngestRun) *IngestSummary {
	el := run.Finished.Sub(run.Started).Seconds()
	s := &IngestSummary{Run: run.ID, Leak: run.Leak, Batch: run.Batch, Status: run.Status, Counts: run.Counts, ElapsedSeconds: el}
	if el > 0 {
		s.MessagesPerSec = float64(run.Counts.Messages) / el
		s.MBPerSec = float64(run.Counts.Bytes) / el / 1e6
	}
	return s
}

// noIndex is the search index of the reference archive: there is none.
type noIndex struct{}

func (noIndex) Put(context.Context, []leakscope.Document) error { return nil }
func (noIndex) Optimize(context.Context) error                  { return nil }
