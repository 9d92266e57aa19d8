package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Originals that damage made unreadable are listed, once found, in the
// "lost" bucket, so that every later command can say what is gone and
// `leakscope verify` tells damage already known from new damage. A lost
// message keeps its record, copies, flags and search document; only its
// original (and, when they were bundled, its text) cannot be shown.
//
//	lost  sequence (8 bytes, big endian) -> JSON Lost

var bucketLost = []byte("lost")

// Lost is an original (or a batch manifest) that could not be read.
type Lost struct {
	Blob     string   `json:"blob"`               // pack@offset of the blob
	SHA256   string   `json:"sha256,omitempty"`   // the original's hash, when known
	Messages []string `json:"messages,omitempty"` // IDs of the messages it is the original of, when known
	Copy     string   `json:"copy,omitempty"`     // where a copy of it was found (file, member, offset), when known
	Run      uint64   `json:"run,omitempty"`      // the run that recorded that copy
	// Stretch is the damaged stretch of a pack the blob is in, when the
	// damage is there (verify then knows the stretch).
	Stretch string `json:"stretch,omitempty"`
	Reason  string `json:"reason"`
	// Recovered is when a copy indexed again gave the original back
	// (heal.go), and RecoveredFrom where that copy is.
	Recovered     time.Time `json:"recovered,omitzero"`
	RecoveredFrom string    `json:"recovered_from,omitempty"`
}

// PutLost adds entries to the list of losses.
func (db *DB) PutLost(ctx context.Context, lost []Lost) error {
	if len(lost) == 0 {
		return nil
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketLost)
		if err != nil {
			return err
		}
		for _, l := range lost {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			if err := putJSON(b, u64key(seq), &l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list lost originals: %w", err)
	}
	return nil
}

// LostOriginals returns the losses listed so far.
func (db *DB) LostOriginals(ctx context.Context) ([]Lost, error) {
	var out []Lost
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLost)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var l Lost
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("decode lost original: %w", err)
			}
			out = append(out, l)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list lost originals: %w", err)
	}
	return out, nil
}
