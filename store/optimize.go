package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// metaOptimize is the meta key set while the search index holds changes
// not yet merged (leakscope's indexer sets it before it changes the index
// and clears it once the merge is done): a run killed before its merge,
// or during it, leaves the merge to the next run.
var metaOptimize = []byte("optimize")

// SetOptimizePending records whether the search index has changes that
// were not merged yet (see the indexer's Recover).
func (db *DB) SetOptimizePending(ctx context.Context, pending bool) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if pending {
			return meta.Put(metaOptimize, []byte{1})
		}
		return meta.Delete(metaOptimize)
	})
	if err != nil {
		return fmt.Errorf("record index merge pending: %w", err)
	}
	return nil
}

// OptimizePending reports whether SetOptimizePending(true) was not
// followed by SetOptimizePending(false).
func (db *DB) OptimizePending(ctx context.Context) (bool, error) {
	var pending bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(metaOptimize) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("index merge pending: %w", err)
	}
	return pending, nil
}
