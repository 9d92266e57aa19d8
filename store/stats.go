package store

import (
	"context"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Stats are the store's totals.
type Stats struct {
	Messages  int64 `json:"messages"`   // unique messages, attached messages included
	Copies    int64 `json:"copies"`     // copies recorded
	Originals int64 `json:"originals"`  // distinct originals stored
	RawBytes  int64 `json:"raw_bytes"`  // their total size uncompressed
	Pending   int   `json:"pending"`    // messages not yet acknowledged by the search index
	FileBytes int64 `json:"file_bytes"` // size of the store file
	PackBytes int64 `json:"pack_bytes"` // size of the pack files (compressed originals and texts)
	Runs      int   `json:"runs"`
	Problems  int   `json:"problems"`
}

// Stats returns the store's totals.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.view(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		s.Messages = getCounter(meta, counterMessages)
		s.Copies = getCounter(meta, counterCopies)
		s.Originals = getCounter(meta, counterOriginals)
		s.RawBytes = getCounter(meta, counterRawBytes)
		s.Pending = tx.Bucket(bucketPending).Stats().KeyN
		s.Runs = tx.Bucket(bucketRuns).Stats().KeyN
		s.Problems = tx.Bucket(bucketProblems).Stats().KeyN
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	if fi, err := os.Stat(db.bolt.Path()); err == nil {
		s.FileBytes = fi.Size()
	}
	s.PackBytes = db.packs.size()
	return s, nil
}
