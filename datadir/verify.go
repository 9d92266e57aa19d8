package datadir

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// Options configure Verify, Repair and Reindex; the zero value works.
type Options struct {
	// Logger receives debug and warning records. Default: discard.
	Logger *slog.Logger
	// Progress is told how far the work is: what it is doing, and done
	// out of total (bytes of packs, or messages; total 0 when unknown).
	Progress func(stage string, done, total int64)
	// Detector makes the detector that flags the messages a rebuild of
	// the store parses again, from the rebuilt store's settings (cmd wires
	// package detect in). Default: none; `leakscope redetect` can flag
	// them later.
	Detector func(ctx context.Context, st *store.DB) (indexer.Detector, error)
	// Sample is how many messages are looked up in the index to check it
	// against the store. Default 1,000.
	Sample int
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = func(string, int64, int64) {}
	}
	if o.Sample <= 0 {
		o.Sample = 1000
	}
}

// Report is what Verify found.
type Report struct {
	Dir string `json:"dir"`
	// Store is the check of the store and its packs; nil when the store
	// could not be opened, StoreProblem then says why.
	Store        *store.VerifyReport `json:"store,omitempty"`
	StoreProblem string              `json:"store_problem,omitempty"`
	// Index is the check of the search index (none for the reference
	// archive).
	Index *IndexReport `json:"index,omitempty"`
	// Reference is the check of the reference archive, when there is one.
	Reference *Report `json:"reference,omitempty"`
}

// IndexReport is what Verify found of the search index.
type IndexReport struct {
	Documents uint64   `json:"documents"` // documents in the index
	Messages  int64    `json:"messages"`  // messages in the store
	Pending   int      `json:"pending"`   // messages the index has not acknowledged yet
	Sampled   int      `json:"sampled"`   // messages looked up in the index
	Problems  []string `json:"problems,omitempty"`
}

// Damaged reports whether anything in the directory is damaged.
func (r *Report) Damaged() bool {
	return r.StoreProblem != "" || (r.Store != nil && r.Store.Damaged()) ||
		(r.Index != nil && len(r.Index.Problems) > 0) || (r.Reference != nil && r.Reference.Damaged())
}

// Verify checks the data directory without changing it: the store and
// every blob of its packs (store.DB.Verify), the index's segment files,
// its document count and a sample of its documents against the store,
// and the reference archive likewise. An error means the check could not
// be made; damage is in the report.
func Verify(ctx context.Context, dir Dir, opts Options) (*Report, error) {
	opts.defaults()
	rep, err := verifyPart(ctx, dir, true, opts)
	if err != nil {
		return nil, err
	}
	if ref := dir.Reference(); exists(ref.Store()) || exists(ref.Packs()) {
		if rep.Reference, err = verifyPart(ctx, ref, false, opts); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// verifyPart checks the store of dir and, when withIndex, its index.
func verifyPart(ctx context.Context, dir Dir, withIndex bool, opts Options) (*Report, error) {
	rep := &Report{Dir: string(dir)}
	var st *store.DB
	err := dir.CheckStore()
	if err == nil {
		st, err = store.Open(ctx, dir.Store(), store.Options{ReadOnly: true, Logger: opts.Logger})
	}
	switch {
	case errors.Is(err, leakscope.ErrNotFound) && withIndex:
		return nil, err
	case err != nil:
		rep.StoreProblem = err.Error()
	default:
		defer st.Close()
		rep.Store, err = st.Verify(ctx, func(stage string, done, total int64) { opts.Progress(stage, done, total) })
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", dir.Store(), err)
		}
	}
	if withIndex {
		if rep.Index, err = verifyIndex(ctx, dir, st, opts); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// verifyIndex checks the index of dir against st (nil when the store
// could not be opened).
func verifyIndex(ctx context.Context, dir Dir, st *store.DB, opts Options) (*IndexReport, error) {
	rep := &IndexReport{}
	bad, err := search.VerifyFiles(ctx, dir.Index())
	if err != nil {
		return nil, err
	}
	rep.Problems = bad
	if len(bad) > 0 {
		return rep, nil // opening a damaged segment can crash a reader
	}
	ix, err := search.Open(dir.Index(), search.Options{ReadOnly: true, Logger: opts.Logger})
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep, nil
	}
	defer ix.Close()
	if rep.Documents, err = ix.Count(ctx); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep, nil
	}
	if st == nil {
		return rep, nil
	}
	// A damaged store cannot be compared with: its check says so.
	stats, err := st.Stats(ctx)
	if errors.Is(err, leakscope.ErrDamaged) {
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	rep.Messages, rep.Pending = stats.Messages, stats.Pending
	// Messages pending (an interrupted run's) may not be in the index
	// yet; the next index run indexes them.
	if docs := int64(rep.Documents); docs > rep.Messages || docs < rep.Messages-int64(rep.Pending) {
		rep.Problems = append(rep.Problems, fmt.Sprintf("the index holds %d documents, the store %d messages (%d pending)", rep.Documents, rep.Messages, rep.Pending))
	}
	sample, err := sampleIDs(ctx, st, stats.Messages, opts.Sample)
	if errors.Is(err, leakscope.ErrDamaged) {
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	pending, err := st.Pending(ctx)
	if errors.Is(err, leakscope.ErrDamaged) {
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	isPending := make(map[string]bool, len(pending))
	for _, id := range pending {
		isPending[id] = true
	}
	missing, err := ix.Missing(ctx, sample)
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep, nil
	}
	rep.Sampled = len(sample)
	n := 0
	for _, id := range missing {
		if !isPending[id] {
			n++
		}
	}
	if n > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d of %d messages looked up are missing from the index", n, len(sample)))
	}
	return rep, nil
}

// sampleIDs returns about n message IDs spread evenly over the store's.
func sampleIDs(ctx context.Context, st *store.DB, total int64, n int) ([]string, error) {
	stride := max(int(total)/n, 1)
	var out []string
	i := 0
	err := st.MessageIDs(ctx, 1000, func(ids []string) error {
		for _, id := range ids {
			if i%stride == 0 {
				out = append(out, id)
			}
			i++
		}
		return nil
	})
	return out, err
}
