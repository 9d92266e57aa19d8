package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer/parse"
	"github.com/leakscope/leakscope/indexer/source"
)

// Store is what ingest needs of the store (store.DB implements it).
type Store interface {
	KnownCopies(ctx context.Context, keys []string) (map[string]bool, error)
	Apply(ctx context.Context, run uint64, items []leakscope.Ingested, problems []leakscope.Problem) (leakscope.BatchResult, error)
	Documents(ctx context.Context, ids []string) ([]leakscope.Document, error)
	Pending(ctx context.Context) ([]string, error)
	ClearPending(ctx context.Context, ids []string, seq uint64) error
	NeedsRethread(ctx context.Context) (bool, error)
	Rethread(ctx context.Context) (int, error)
	UpdateRun(ctx context.Context, run *leakscope.IngestRun) error
	// SetOptimizePending records whether the index holds changes not
	// merged yet, so that a run killed before its merge leaves it to the
	// next; OptimizePending reports it.
	SetOptimizePending(ctx context.Context, pending bool) error
	OptimizePending(ctx context.Context) (bool, error)
}

// Index is what ingest needs of the search index (search.Index implements it).
type Index interface {
	Put(ctx context.Context, docs []leakscope.Document) error
	// Optimize merges the index for fast searches after a run changed it.
	Optimize(ctx context.Context) error
}

// Detector finds sensitive content in a message (package app wires
// detect.Detector in). It is called from several goroutines at once.
type Detector interface {
	// Detect returns the flags of m, its risk score (0-100) and the
	// personal identifiers found in it.
	Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier)
}

// Options configure an Indexer; the zero value works.
type Options struct {
	// Workers is the number of parse goroutines. Default GOMAXPROCS.
	Workers int
	// BatchSize is the number of messages per store transaction and
	// search batch. Default 1,000 (bleve's sweet spot is 500-2,000).
	BatchSize int
	// BatchBytes caps a batch by the size of its originals. Default 32 MiB.
	BatchBytes int64
	// Collection is the collection messages are ingested into. Default leak.
	Collection leakscope.Collection
	// Source configures discovery and reading of the inputs.
	Source source.Options
	// Parse configures MIME parsing.
	Parse parse.Options
	// Detector, when set, flags every parsed message. Default: none (no
	// flags, risk 0; `leakscope redetect` can add them later).
	Detector Detector
	// Progress, when set, is called about every ProgressInterval and once at the end.
	Progress func(Progress)
	// ProgressInterval defaults to 250ms.
	ProgressInterval time.Duration
	// Logger receives debug and warning messages. Default: discard.
	Logger *slog.Logger
}

// Progress is a snapshot of a running ingest.
type Progress struct {
	Counts     leakscope.RunCounts
	ReadBytes  int64 // bytes of input files consumed so far
	TotalBytes int64 // total size of the input files; 0 when unknown
	Elapsed    time.Duration
	Done       bool
}

// Indexer runs ingests.
type Indexer struct {
	st   Store
	ix   Index
	opts Options
	log  *slog.Logger
	// unmerged is set once the store records that the index has changes
	// to merge (see index).
	unmerged atomic.Bool
}

// New returns an Indexer writing to st and ix.
func New(st Store, ix Index, opts Options) *Indexer {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.BatchBytes <= 0 {
		opts.BatchBytes = 32 << 20
	}
	if opts.Collection == "" {
		opts.Collection = leakscope.CollectionLeak
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = 250 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Parse.Collection = opts.Collection
	return &Indexer{st: st, ix: ix, opts: opts, log: opts.Logger}
}

// Recover finishes what an interrupted run or command left undone: it
// indexes messages stored but not indexed, redoes threading when messages
// were added since it last ran, and merges the index when changes were
// made to it since its last merge (even if Recover itself added none).
func (x *Indexer) Recover(ctx context.Context) error {
	if err := x.recover(ctx); err != nil {
		return err
	}
	pending, err := x.st.OptimizePending(ctx)
	if err != nil || !pending {
		return err
	}
	return x.optimize(ctx)
}

// recover is Recover without the merge, which Run does at its end.
func (x *Indexer) recover(ctx context.Context) error {
	ids, err := x.st.Pending(ctx)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		x.log.Info("indexing messages left pending by an interrupted run", "count", len(ids))
	}
	if err := x.Drain(ctx, ids, 0); err != nil {
		return err
	}
	need, err := x.st.NeedsRethread(ctx)
	if err != nil || !need {
		return err
	}
	changed, err := x.st.Rethread(ctx)
	if err != nil {
		return err
	}
	x.log.Debug("threads recomputed", "changed", changed)
	return nil
}

// Drain writes the search documents of ids, read from the store,
// BatchSize at a time, and takes each batch off the store's pending queue
// (ClearPending: unless a batch later than seq changed a message again; a
// seq of 0 clears unconditionally). Recover drains the whole queue with
// it; a change outside an ingest (a tag) drains the messages it queued.
func (x *Indexer) Drain(ctx context.Context, ids []string, seq uint64) error {
	for batch := range slices.Chunk(ids, x.opts.BatchSize) {
		if err := x.index(ctx, batch, nil, seq); err != nil {
			return err
		}
	}
	return nil
}

// index writes the search documents of ids and clears them from the
// pending queue (up to batch seq). docs, when not nil, are the documents
// of ids; otherwise they are read from the store.
func (x *Indexer) index(ctx context.Context, ids []string, docs []leakscope.Document, seq uint64) error {
	if docs == nil {
		var err error
		if docs, err = x.st.Documents(ctx, ids); err != nil {
			return err
		}
	}
	if !x.unmerged.Load() {
		// Recorded before the index changes: a kill between the two would
		// leave an unmerged index that no run merges.
		if err := x.st.SetOptimizePending(ctx, true); err != nil {
			return err
		}
		x.unmerged.Store(true)
	}
	if err := x.ix.Put(ctx, docs); err != nil {
		return fmt.Errorf("index %d messages: %w", len(docs), err)
	}
	return x.st.ClearPending(ctx, ids, seq)
}

// optimize merges the index and records that nothing is left to merge.
func (x *Indexer) optimize(ctx context.Context) error {
	start := time.Now()
	if err := x.ix.Optimize(ctx); err != nil {
		return err
	}
	x.unmerged.Store(false)
	if err := x.st.SetOptimizePending(ctx, false); err != nil {
		return err
	}
	x.log.Debug("index merged", "took", time.Since(start))
	return nil
}

// Run ingests paths as run (which BeginRun has recorded) and updates the
// run's counters and status in the store as it goes. It returns the
// first fatal error (a problem with one input or message is not fatal).
func (x *Indexer) Run(ctx context.Context, run *leakscope.IngestRun, paths []string) error {
	start := time.Now()
	err := x.run(ctx, run, paths, start)
	run.Finished = time.Now().UTC()
	switch {
	case err == nil:
		run.Status = leakscope.RunDone
	case errors.Is(err, context.Canceled):
		run.Status = leakscope.RunInterrupted
		run.Error = "interrupted"
	default:
		run.Status = leakscope.RunInterrupted
		run.Error = err.Error()
	}
	// The run record is written even when ctx was cancelled.
	if uerr := x.st.UpdateRun(context.WithoutCancel(ctx), run); uerr != nil && err == nil {
		err = uerr
	}
	return err
}

func (x *Indexer) run(ctx context.Context, run *leakscope.IngestRun, paths []string, start time.Time) error {
	if err := x.recover(ctx); err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	p := &pipeline{x: x, run: run, total: source.Size(paths), start: start}
	if err := p.do(ctx, paths); err != nil {
		return err
	}
	// Threads live in the store and the merge in the index: the two
	// finishing steps touch different files and each mostly keeps one
	// core busy, so they run side by side. The index is merged when this
	// run changed it, or an earlier one did and was stopped before its
	// merge was done.
	pending, err := x.st.OptimizePending(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var optErr error
	if pending {
		wg.Go(func() { optErr = x.optimize(ctx) })
	}
	_, err = x.st.Rethread(ctx)
	wg.Wait()
	if err = errors.Join(err, optErr); err != nil {
		return err
	}
	p.report(true)
	return nil
}

// pipeline is the state of one Run.
type pipeline struct {
	x     *Indexer
	run   *leakscope.IngestRun
	total int64
	start time.Time

	read     atomic.Int64 // input bytes consumed
	inputs   atomic.Int64 // files and archive members read
	mu       sync.Mutex   // guards run.Counts
	lastSave time.Time
}

// parsed is what a parse worker hands to the batch writer.
type parsed struct {
	items    []leakscope.Ingested
	problems []leakscope.Problem
	known    bool // the copy was recorded by an earlier run
	warned   bool
	bytes    int64
}

func (p *pipeline) do(ctx context.Context, paths []string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	raws := make(chan *source.Message, 4*p.x.opts.Workers)
	results := make(chan parsed, 4*p.x.opts.Workers)
	batches := make(chan leakscope.BatchResult, 1)

	var wg sync.WaitGroup
	fail := func(err error) { cancel(err) }

	// Walker.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(raws)
		opts := p.x.opts.Source
		opts.OnRead = func(n int64) { p.read.Add(n) }
		if opts.Logger == nil {
			opts.Logger = p.x.log
		}
		var lastInput string
		err := source.New(opts).Walk(ctx, paths, func(m *source.Message) error {
			if in := m.Copy.Source + "!" + m.Copy.Member; in != lastInput {
				lastInput = in
				p.inputs.Add(1)
			}
			select {
			case raws <- m:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}, func(pr leakscope.Problem) {
			select {
			case results <- parsed{problems: []leakscope.Problem{pr}}:
			case <-ctx.Done():
			}
		})
		if err != nil && ctx.Err() == nil {
			fail(fmt.Errorf("read inputs: %w", err))
		}
	}()

	// Parse workers.
	var parsers sync.WaitGroup
	for range p.x.opts.Workers {
		parsers.Add(1)
		go func() {
			defer parsers.Done()
			for m := range raws {
				r, err := p.parse(ctx, m)
				if err != nil {
					fail(err)
					return
				}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		parsers.Wait()
		close(results)
	}()

	// Index writer.
	indexDone := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil && len(b.Changed) > 0 {
				err = p.x.index(ctx, b.Changed, b.Documents, b.Seq)
				if err != nil {
					fail(err)
				}
			}
		}
		indexDone <- err
	}()

	// Progress ticker.
	tickDone := make(chan struct{})
	go func() {
		t := time.NewTicker(p.x.opts.ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.report(false)
			case <-tickDone:
				return
			}
		}
	}()

	werr := p.write(ctx, results, batches)
	if werr != nil {
		fail(werr)
	}
	close(batches)
	ierr := <-indexDone
	close(tickDone)
	for range results { // drain after a failure so producers can exit
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if werr != nil {
		return werr
	}
	if ierr != nil {
		return ierr
	}
	return ctx.Err()
}

// parse turns one raw message into items and problems.
func (p *pipeline) parse(ctx context.Context, m *source.Message) (parsed, error) {
	sum := sha256.Sum256(m.Data)
	c := m.Copy
	c.RawSHA256 = hex.EncodeToString(sum[:])
	c.Size = int64(len(m.Data))
	c.Leak, c.Batch, c.Run = p.run.Leak, p.run.Batch, p.run.ID
	out := parsed{bytes: int64(len(m.Data))}
	known, err := p.x.st.KnownCopies(ctx, []string{c.Key()})
	if err != nil {
		return out, err
	}
	if known[c.Key()] {
		out.known = true
		return out, nil
	}
	if err := p.x.parseCopy(m.Data, m.FromLine, c, &out); err != nil {
		p.x.log.Warn("message not indexed: the parser or the detector panicked on it; listed by leakscope report", "err", err)
		p.x.log.Debug("panic while parsing a message", "stack", string(err.Stack))
		return panicked(out.bytes, c, m.Data, err), nil
	}
	return out, nil
}

// panicked is what a message whose parsing panicked gives: none of what
// it gave is kept but the bytes themselves, listed as a failure.
func panicked(n int64, c leakscope.Copy, data []byte, err *leakscope.PanicError) parsed {
	return parsed{bytes: n, problems: []leakscope.Problem{{
		Severity: leakscope.ProblemFailure, Location: c.Location(),
		Code: "panic", Detail: err.Error(), Raw: data,
	}}}
}

// parseCopy parses the message data, found at copy c (after the mbox
// From_ line fromLine, if any), into out: items for it and its attached
// messages, or a "parse" failure that keeps data. A panic of the MIME
// parser (go-message, charsets) or of the detector, both fed leaked bytes,
// is returned as a *PanicError naming the step; out is then incomplete.
func (x *Indexer) parseCopy(data []byte, fromLine string, c leakscope.Copy, out *parsed) (perr *leakscope.PanicError) {
	step := "parse message"
	defer func() {
		if v := recover(); v != nil {
			perr = leakscope.Recovered(step, v)
		}
	}()
	doc, err := parse.Parse(data, fromLine, x.opts.Parse)
	if err != nil {
		out.problems = append(out.problems, leakscope.Problem{
			Severity: leakscope.ProblemFailure, Location: c.Location(),
			Code: "parse", Detail: err.Error(), Raw: data,
		})
		return nil
	}
	step = "detect sensitive content"
	x.flatten(doc, c, out)
	if len(out.items) > 0 {
		out.items[0].FromLine = fromLine
	}
	return nil
}

// Reparse parses an original stored by an earlier ingest as that ingest
// did, with opts: it returns the message and its attached messages, each
// with its copy (c is the message's; attached messages get theirs), flagged
// when opts.Detector is set, and the problems found. A store rebuilt from
// its packs (store.Rebuild) stores what it returns again.
func Reparse(raw []byte, fromLine string, c leakscope.Copy, opts Options) ([]leakscope.Ingested, []leakscope.Problem) {
	x := New(nil, nil, opts)
	var out parsed
	if err := x.parseCopy(raw, fromLine, c, &out); err != nil {
		return nil, panicked(0, c, raw, err).problems
	}
	return out.items, out.problems
}

// flatten appends doc and its attached messages as items, and their
// warnings as problems. c is doc's copy; an attached message's copy is its
// parent's with Part extended by the child's MIME path.
func (x *Indexer) flatten(doc *parse.Parsed, c leakscope.Copy, out *parsed) {
	msg := doc.Message
	item := leakscope.Ingested{Message: &msg, Text: &doc.Text, Raw: doc.Raw, Copy: c}
	if d := x.opts.Detector; d != nil {
		msg.Flags, msg.Risk, item.Identifiers = d.Detect(&msg, &doc.Text)
	}
	out.items = append(out.items, item)
	for _, w := range msg.Warnings {
		out.warned = true
		out.problems = append(out.problems, leakscope.Problem{
			Severity: leakscope.ProblemWarning, Location: c.Location(),
			Message: msg.ID, Code: w.Code, Detail: w.Detail,
		})
	}
	for _, child := range doc.Attached {
		cc := c
		cc.Part = child.Part
		if c.Part != "" {
			cc.Part = c.Part + "/" + child.Part
		}
		sum := sha256.Sum256(child.Raw)
		cc.RawSHA256 = hex.EncodeToString(sum[:])
		cc.Size = int64(len(child.Raw))
		x.flatten(child, cc, out)
	}
}
