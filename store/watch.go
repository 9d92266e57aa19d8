package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

//	watches    watch name -> JSON leakscope.Watch
//	watchhits  watch name 0x00 message ID -> time first reported (RFC 3339)

// PutWatch creates or replaces a watch. Replacing one with another query
// forgets the matches it reported.
func (db *DB) PutWatch(ctx context.Context, w leakscope.Watch) error {
	if w.Name == "" || bytes.IndexByte([]byte(w.Name), 0) >= 0 {
		return fmt.Errorf("watch name %q: %w", w.Name, leakscope.ErrInvalidInput)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := db.journaled(tx, bucketWatches)
		if v := b.Get([]byte(w.Name)); v != nil {
			var old leakscope.Watch
			if err := json.Unmarshal(v, &old); err == nil && old.Query != w.Query {
				if err := deletePrefix(db.journaled(tx, bucketWatchHits), watchPrefix(w.Name)); err != nil {
					return err
				}
			}
		}
		return putJSON(b, []byte(w.Name), &w)
	})
	if err != nil {
		return fmt.Errorf("save watch %s: %w", w.Name, err)
	}
	return nil
}

// Watches returns every watch, by name.
func (db *DB) Watches(ctx context.Context) ([]leakscope.Watch, error) {
	var out []leakscope.Watch
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWatches)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var w leakscope.Watch
			if err := json.Unmarshal(v, &w); err != nil {
				return fmt.Errorf("decode watch %s: %w", k, err)
			}
			out = append(out, w)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	return out, nil
}

// DeleteWatch removes a watch and its reported matches.
func (db *DB) DeleteWatch(ctx context.Context, name string) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := db.journaled(tx, bucketWatches)
		if b.Get([]byte(name)) == nil {
			return fmt.Errorf("no watch %q: %w", name, leakscope.ErrNotFound)
		}
		if err := b.Delete([]byte(name)); err != nil {
			return err
		}
		return deletePrefix(db.journaled(tx, bucketWatchHits), watchPrefix(name))
	})
	if err != nil {
		return fmt.Errorf("delete watch: %w", err)
	}
	return nil
}

// RecordWatch stores the outcome of checking watch w, whose query now
// matches the messages ids, and returns those not reported before, in the
// order given.
func (db *DB) RecordWatch(ctx context.Context, w leakscope.Watch, ids []string, now time.Time) ([]string, error) {
	var fresh []string
	err := db.update(ctx, func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		hits := db.journaled(tx, bucketWatchHits)
		prefix := watchPrefix(w.Name)
		stamp := []byte(now.UTC().Format(time.RFC3339))
		for _, id := range ids {
			k := append(bytes.Clone(prefix), id...)
			if hits.Get(k) != nil {
				continue
			}
			if err := hits.Put(k, stamp); err != nil {
				return err
			}
			fresh = append(fresh, id)
		}
		w.Checked, w.Matches = now.UTC(), len(ids)
		return putJSON(db.journaled(tx, bucketWatches), []byte(w.Name), &w)
	})
	if err != nil {
		return nil, fmt.Errorf("record watch %s: %w", w.Name, err)
	}
	return fresh, nil
}

func watchPrefix(name string) []byte { return append([]byte(name), 0) }

// deletePrefix deletes every key of b that starts with prefix.
func deletePrefix(b jbucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
