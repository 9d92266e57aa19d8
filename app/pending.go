package app

import (
	"context"
	"slices"

	"github.com/leakscope/leakscope/store"
)

// pendingChunk is how many messages a drain of the pending queue indexes
// at a time.
const pendingChunk = 1000

// DrainPending indexes every message of the store's pending queue (stored
// but not yet in the search index: an earlier run was interrupted) and
// takes them off the queue.
func (a *App) DrainPending(ctx context.Context) error {
	return a.drain(ctx, store.TagUpdate{})
}

// drain rewrites the search documents of the messages a tag change
// touched (up.Changed), then of any other message left pending, a
// thousand at a time, and takes them off the pending queue (up to batch
// up.Seq: a message changed again meanwhile stays queued).
func (a *App) drain(ctx context.Context, up store.TagUpdate) error {
	pending, err := a.Store.Pending(ctx)
	if err != nil {
		return err
	}
	ids := slices.Clone(up.Changed)
	for _, id := range pending {
		if _, found := slices.BinarySearch(up.Changed, id); !found {
			ids = append(ids, id)
		}
	}
	if n := len(ids) - len(up.Changed); n > 0 {
		a.Log.Info("indexing messages left pending by an interrupted run", "count", n)
	}
	for ids := range slices.Chunk(ids, pendingChunk) {
		docs, err := a.Store.Documents(ctx, ids)
		if err != nil {
			return err
		}
		if err := a.Index.Put(ctx, docs); err != nil {
			return err
		}
		if err := a.Store.ClearPending(ctx, ids, up.Seq); err != nil {
			return err
		}
	}
	return nil
}
