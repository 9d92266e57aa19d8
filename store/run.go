package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// BeginRun records a new ingest run, assigning its ID, and creates or
// updates its leak (adding the batch label; the run's published date, when
// given, becomes the leak's if it is earlier). Runs left "running" by a
// process that is gone are first recorded as interrupted (runstate.go),
// and the run is linked to the one it resumes (Resumes). A DB runs one
// ingest at a time.
func (db *DB) BeginRun(ctx context.Context, run *leakscope.IngestRun) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		runs := db.journaled(tx, bucketRuns)
		if err := db.settleRuns(tx); err != nil {
			return err
		}
		var err error
		if run.Resumes, err = resumedRun(runs.Bucket, run); err != nil {
			return err
		}
		seq, err := runs.NextSequence()
		if err != nil {
			return err
		}
		run.ID = seq
		if run.Status == "" {
			run.Status = leakscope.RunRunning
		}
		if err := putJSON(runs, u64key(seq), run); err != nil {
			return err
		}
		return putLeak(db.journaled(tx, bucketLeaks), run)
	})
	if err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	return nil
}

func putLeak(b jbucket, run *leakscope.IngestRun) error {
	var l leakscope.Leak
	if v := b.Get([]byte(run.Leak)); v != nil {
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("decode leak %s: %w", run.Leak, err)
		}
	} else {
		l = leakscope.Leak{Name: run.Leak, Created: run.Started}
	}
	if p := run.Published; !p.IsZero() && (l.Published.IsZero() || p.Before(l.Published)) {
		l.Published = p
	}
	if run.Batch != "" && !slices.Contains(l.Batches, run.Batch) {
		l.Batches = append(l.Batches, run.Batch)
	}
	return putJSON(b, []byte(run.Leak), &l)
}

// UpdateRun stores a run's current counters and status.
func (db *DB) UpdateRun(ctx context.Context, run *leakscope.IngestRun) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		return putJSON(db.journaled(tx, bucketRuns), u64key(run.ID), run)
	})
	if err != nil {
		return fmt.Errorf("update run %d: %w", run.ID, err)
	}
	return nil
}

// Runs returns every ingest run, oldest first. A read-only DB shows a run
// left "running" by a process that is gone as interrupted, its counters
// recounted (runstate.go).
func (db *DB) Runs(ctx context.Context) ([]leakscope.IngestRun, error) {
	var out []leakscope.IngestRun
	err := db.view(ctx, func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketRuns).ForEach(func(k, v []byte) error {
			var r leakscope.IngestRun
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode run %d: %w", binary.BigEndian.Uint64(k), err)
			}
			out = append(out, r)
			return nil
		})
		if err != nil {
			return err
		}
		return db.showStale(tx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// Problems returns the problems recorded by a run (every run when run is 0),
// in the order they were recorded within each run.
func (db *DB) Problems(ctx context.Context, run uint64) ([]leakscope.Problem, error) {
	var out []leakscope.Problem
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketProblems).Cursor()
		var prefix []byte
		if run != 0 {
			prefix = u64key(run)
		}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var p leakscope.Problem
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode problem: %w", err)
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list problems: %w", err)
	}
	return out, nil
}

// Leaks returns every leak, by name.
func (db *DB) Leaks(ctx context.Context) ([]leakscope.Leak, error) {
	var out []leakscope.Leak
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLeaks).ForEach(func(k, v []byte) error {
			var l leakscope.Leak
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("decode leak %s: %w", k, err)
			}
			out = append(out, l)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list leaks: %w", err)
	}
	return out, nil
}
