package indexer

import (
	"context"
	"time"

	"github.com/leakscope/leakscope"
)

// write collects parse results into batches, stores each batch in one
// transaction and hands the changed message IDs to the index writer.
func (p *pipeline) write(ctx context.Context, results <-chan parsed, batches chan<- leakscope.BatchResult) error {
	var (
		items    []leakscope.Ingested
		problems []leakscope.Problem
		size     int64
	)
	flush := func() error {
		if len(items) == 0 && len(problems) == 0 {
			return nil
		}
		res, err := p.x.st.Apply(ctx, p.run.ID, items, problems)
		if err != nil {
			return err
		}
		p.mu.Lock()
		c := &p.run.Counts
		c.New += res.New
		c.Copies += res.Copies
		c.Known += res.Known
		c.Duplicates += res.Duplicates
		c.Recovered += res.Recovered
		p.mu.Unlock()
		items, problems, size = items[:0], problems[:0], 0
		select {
		case batches <- res:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		return p.saveRun(ctx, false)
	}
	for r := range results {
		if ctx.Err() != nil {
			continue // drain
		}
		p.count(r)
		items = append(items, r.items...)
		problems = append(problems, r.problems...)
		for _, it := range r.items {
			size += int64(len(it.Raw))
		}
		if len(items) >= p.x.opts.BatchSize || size >= p.x.opts.BatchBytes || len(problems) >= p.x.opts.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return flush()
}

// count adds one parse result to the run's counters.
func (p *pipeline) count(r parsed) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &p.run.Counts
	c.Inputs = int(p.inputs.Load())
	c.Messages += len(r.items)
	if r.known {
		c.Messages++
		c.Known++
	}
	c.Bytes += r.bytes
	if r.warned {
		c.Warnings++
	}
	for _, pr := range r.problems {
		switch pr.Severity {
		case leakscope.ProblemFailure:
			c.Failures++
		case leakscope.ProblemSkipped:
			c.Skipped++
		}
	}
}

// saveRun stores the run's counters every few seconds (and when forced) so
// that `leakscope report` shows the progress of a killed run.
func (p *pipeline) saveRun(ctx context.Context, force bool) error {
	if !force && time.Since(p.lastSave) < 5*time.Second {
		return nil
	}
	p.lastSave = time.Now()
	p.mu.Lock()
	run := *p.run
	p.mu.Unlock()
	return p.x.st.UpdateRun(ctx, &run)
}

// report calls the Progress callback with a snapshot.
func (p *pipeline) report(done bool) {
	if p.x.opts.Progress == nil {
		return
	}
	p.mu.Lock()
	counts := p.run.Counts
	p.mu.Unlock()
	counts.Inputs = int(p.inputs.Load())
	p.x.opts.Progress(Progress{
		Counts: counts, ReadBytes: p.read.Load(), TotalBytes: p.total,
		Elapsed: time.Since(p.start), Done: done,
	})
}
