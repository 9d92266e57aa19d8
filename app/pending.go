package app

import (
	"context"
	"slices"

	"github.com/leakscope/leakscope/indexer"
)

// IndexPending brings the search index up to date with a change the
// store has queued (a tag change's store.TagUpdate: the messages changed,
// sorted, and the pending batch seq), and with any other message an
// interrupted run left pending: it rewrites their search documents, a
// thousand at a time, and takes them off the pending queue (a message a
// later batch changed again stays queued). With no change (nil, 0) it
// drains what is pending. The one drain is indexer.Drain; an ingest's
// own (indexer.Recover) uses it too.
func (a *App) IndexPending(ctx context.Context, changed []string, seq uint64) error {
	pending, err := a.Store.Pending(ctx)
	if err != nil {
		return err
	}
	ids := slices.Clone(changed)
	for _, id := range pending {
		if _, found := slices.BinarySearch(changed, id); !found {
			ids = append(ids, id)
		}
	}
	if n := len(ids) - len(changed); n > 0 {
		a.Log.Info("indexing messages left pending by an interrupted run", "count", n)
	}
	return a.indexer(indexer.Options{}).Drain(ctx, ids, seq)
}

// indexer returns an indexer of the data directory's store and index.
func (a *App) indexer(opts indexer.Options) *indexer.Indexer {
	opts.Logger = a.Log
	return indexer.New(a.Store, a.Index, opts)
}
