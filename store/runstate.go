package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// The state of runs whose process is gone. A writer holds bbolt's file
// lock exclusively for as long as the store is open, and a reader waits
// for it: whoever opens the store is the only process using it, so a run
// stored as "running" that this process did not begin was left by a
// process that was killed or crashed. A read-only DB shows such runs as
// interrupted, with their counters recounted (Runs); BeginRun, which a DB
// calls once for each run it ingests, one at a time, records them so.

// killedError is the Error of a run whose process ended before it did.
const killedError = "its process ended before the run finished (killed or crashed); counters recounted from the store"

// settleRuns records every run still "running" as interrupted, with the
// counters of what it stored. The caller begins a run in tx: no run of
// its own is running.
func (db *DB) settleRuns(tx *bolt.Tx) error {
	b := tx.Bucket(bucketRuns)
	var stale []leakscope.IngestRun
	err := b.ForEach(func(k, v []byte) error {
		var r leakscope.IngestRun
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode run %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if r.Status == leakscope.RunRunning {
			stale = append(stale, r)
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	if err := db.recount(tx, stale); err != nil {
		return err
	}
	for i := range stale {
		db.log.Info("run left unfinished by a process that is gone recorded as interrupted", "run", stale[i].ID)
		if err := putJSON(db.journaled(tx, bucketRuns), u64key(stale[i].ID), &stale[i]); err != nil {
			return err
		}
	}
	return nil
}

// showStale marks the runs still "running" in runs, read in tx, as
// interrupted, with their counters recounted, when db is read-only (see
// above). A writer leaves them: it records them in BeginRun, and a
// running run it sees after that is its own.
func (db *DB) showStale(tx *bolt.Tx, runs []leakscope.IngestRun) error {
	if !db.bolt.IsReadOnly() {
		return nil
	}
	var stale []leakscope.IngestRun
	var at []int
	for i, r := range runs {
		if r.Status == leakscope.RunRunning {
			stale, at = append(stale, r), append(at, i)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	if err := db.recount(tx, stale); err != nil {
		return err
	}
	for j, i := range at {
		runs[i] = stale[j]
	}
	return nil
}

// recount makes runs, whose process is gone, interrupted, with the
// counters of what they stored (see leakscope.RunCounts): the copies
// recorded by each (a message was new in the earliest run among its
// copies) and the problems listed under it.
func (db *DB) recount(tx *bolt.Tx, runs []leakscope.IngestRun) error {
	stored := make(map[uint64]*leakscope.RunCounts, len(runs))
	for i := range runs {
		stored[runs[i].ID] = &leakscope.RunCounts{}
	}
	// Copies are keyed by message sequence, then copy key: the copies of
	// one message are next to each other.
	var seq []byte
	first := uint64(math.MaxUint64)
	done := func() {
		if c := stored[first]; c != nil && seq != nil {
			c.New++
		}
	}
	cur := tx.Bucket(bucketCopies).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if len(k) < 8 {
			return fmt.Errorf("recount runs: copy key %x is too short", k)
		}
		if seq == nil || !bytes.Equal(k[:8], seq) {
			done()
			seq, first = append(seq[:0], k[:8]...), math.MaxUint64
		}
		var c struct {
			Run uint64 `json:"run"`
		}
		if err := db.getValue(v, &c); err != nil {
			return fmt.Errorf("recount runs: copy %x: %w", k, err)
		}
		first = min(first, c.Run)
		if rc := stored[c.Run]; rc != nil {
			rc.Copies++
		}
	}
	done()
	for i := range runs {
		r := &runs[i]
		c := stored[r.ID]
		c.Duplicates = c.Copies - c.New
		if err := countProblems(tx, r.ID, c); err != nil {
			return err
		}
		c.Inputs, c.Known, c.Bytes = r.Counts.Inputs, r.Counts.Known, r.Counts.Bytes
		c.Messages = max(r.Counts.Messages, c.Copies+c.Known)
		r.Counts = *c
		r.Status, r.Error = leakscope.RunInterrupted, killedError
	}
	return nil
}

// countProblems counts the failures, skips and warned messages listed
// under run. The pipeline counts a message warned once, its attached
// messages included: their locations are the message's with "#part".
func countProblems(tx *bolt.Tx, run uint64, c *leakscope.RunCounts) error {
	warned := make(map[string]bool)
	prefix := u64key(run)
	cur := tx.Bucket(bucketProblems).Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		var p leakscope.Problem
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("recount run %d: decode problem: %w", run, err)
		}
		switch p.Severity {
		case leakscope.ProblemFailure:
			c.Failures++
		case leakscope.ProblemSkipped:
			c.Skipped++
		case leakscope.ProblemWarning:
			if p.Message != "" { // a message's warning, not the walker's
				warned[topLocation(p.Location)] = true
			}
		}
	}
	c.Warnings = len(warned)
	return nil
}

// topLocation is the location of the top message of the one at loc: loc
// without a "#part" suffix (leakscope.Copy.Location).
func topLocation(loc string) string {
	i := strings.LastIndexByte(loc, '#')
	if i < 0 || i == len(loc)-1 {
		return loc
	}
	for _, r := range loc[i+1:] {
		if (r < '0' || r > '9') && r != '.' {
			return loc
		}
	}
	return loc[:i]
}

// resumedRun returns the ID of the run that run (not yet stored) resumes:
// the latest run of the same leak, batch and inputs, when it is
// interrupted; 0 otherwise.
func resumedRun(b *bolt.Bucket, run *leakscope.IngestRun) (uint64, error) {
	cur := b.Cursor()
	for k, v := cur.Last(); k != nil; k, v = cur.Prev() {
		var r leakscope.IngestRun
		if err := json.Unmarshal(v, &r); err != nil {
			return 0, fmt.Errorf("decode run %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if r.Leak != run.Leak || r.Batch != run.Batch || !slices.Equal(r.Inputs, run.Inputs) {
			continue
		}
		if r.Status == leakscope.RunInterrupted {
			return r.ID, nil
		}
		return 0, nil
	}
	return 0, nil
}
