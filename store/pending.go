package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Pending returns the IDs of messages stored but not yet acknowledged by the
// search index.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	var ids []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPending).ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("pending: %w", err)
	}
	return ids, nil
}

// ClearPending removes IDs from the pending queue once the search index
// holds them, unless a batch later than seq changed them again (their
// newer document is still on its way to the index). A seq of 0 clears
// unconditionally.
func (db *DB) ClearPending(ctx context.Context, ids []string, seq uint64) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		for _, id := range ids {
			if v := b.Get([]byte(id)); seq != 0 && len(v) == 8 && binary.BigEndian.Uint64(v) > seq {
				continue
			}
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear pending: %w", err)
	}
	return nil
}

// Documents returns the search documents of the given messages.
func (db *DB) Documents(ctx context.Context, ids []string) ([]leakscope.Document, error) {
	docs := make([]leakscope.Document, 0, len(ids))
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			d, err := db.document(tx, id, nil)
			if err != nil {
				return fmt.Errorf("document %s: %w", id, err)
			}
			docs = append(docs, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

// document reads the search document of message id; text, when not nil,
// is its text (saving a read).
func (db *DB) document(tx *bolt.Tx, id string, text *leakscope.Text) (leakscope.Document, error) {
	m, err := db.getMessage(tx, id)
	if err != nil {
		return leakscope.Document{}, err
	}
	t := text
	if t == nil {
		if m, t, err = db.textOrLost(tx, m); err != nil {
			return leakscope.Document{}, err
		}
	}
	cs, err := db.getCopies(tx, id)
	if err != nil {
		return leakscope.Document{}, err
	}
	return leakscope.Document{Message: m, Text: t, Copies: cs, Tags: tagNames(tx, id)}, nil
}

// textOrLost reads the text of m. When damage made it unreadable, the
// message stays whole but for its text: it is returned, copied, with a
// WarnTextLost warning and an empty text, so that what reads documents
// and entries (search, reindex, redetect, reports) goes on.
func (db *DB) textOrLost(tx *bolt.Tx, m *leakscope.Message) (*leakscope.Message, *leakscope.Text, error) {
	t, err := db.getText(tx, m.ID)
	if errors.Is(err, leakscope.ErrDamaged) {
		lost := *m
		lost.Warnings = append(slices.Clone(m.Warnings), leakscope.Warning{Code: leakscope.WarnTextLost, Detail: err.Error()})
		return &lost, &leakscope.Text{}, nil
	}
	return m, t, err
}

// MessageIDs calls fn with the ID of every stored message, in ID order, in
// pages of up to n IDs (for rebuilding the search index).
func (db *DB) MessageIDs(ctx context.Context, n int, fn func(ids []string) error) error {
	var after []byte
	for {
		var page []string
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketIDs).Cursor()
			k, _ := c.First()
			if after != nil {
				k, _ = c.Seek(after)
				if k != nil && string(k) == string(after) {
					k, _ = c.Next()
				}
			}
			prev := after
			for ; k != nil && len(page) < n; k, _ = c.Next() {
				if prev != nil && bytes.Compare(k, prev) <= 0 {
					// Keys out of order would page forever.
					return damagef(db.bolt.Path(), "message IDs out of order: %x after %x", k, prev)
				}
				page = append(page, string(k))
				prev = k
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("list messages: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		after = []byte(page[len(page)-1])
	}
}

// MarkAllPending queues every stored message for (re)indexing, in one
// transaction: a rebuild of the search index that is interrupted resumes
// from the queue instead of leaving messages out of the index.
func (db *DB) MarkAllPending(ctx context.Context) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		pending := tx.Bucket(bucketPending)
		seq, err := pending.NextSequence()
		if err != nil {
			return err
		}
		return tx.Bucket(bucketIDs).ForEach(func(k, _ []byte) error {
			n++
			return pending.Put(k, u64key(seq))
		})
	})
	if err != nil {
		return 0, fmt.Errorf("queue messages for indexing: %w", err)
	}
	return n, nil
}
