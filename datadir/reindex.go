package datadir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// ReindexReport says what Reindex did.
type ReindexReport struct {
	Messages int `json:"messages"` // messages indexed
	// TextLost are the messages indexed without their text, which damage
	// made unreadable (listed by `leakscope verify`).
	TextLost []string `json:"text_lost,omitempty"`
}

// reindexBatch is how many messages are read and indexed at a time.
const reindexBatch = 1000

// Reindex rebuilds the search index of dir from its store. The new index
// is built beside the old one and swapped in only once complete: a
// reindex that is interrupted or fails leaves the old index as it was.
// A message whose text is unreadable is indexed without it and listed.
func Reindex(ctx context.Context, dir Dir, opts Options) (*ReindexReport, error) {
	opts.defaults()
	if err := dir.CheckStore(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dir.Store(), store.Options{Logger: opts.Logger})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return reindex(ctx, dir, st, opts)
}

func reindex(ctx context.Context, dir Dir, st *store.DB, opts Options) (*ReindexReport, error) {
	RecoverSwap(dir)
	building := dir.Index() + ".rebuild"
	if err := os.RemoveAll(building); err != nil {
		return nil, fmt.Errorf("reindex: remove an unfinished rebuild: %w", err)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return nil, err
	}
	pending, err := st.Pending(ctx)
	if err != nil {
		return nil, err
	}
	ix, err := search.Open(building, search.Options{Logger: opts.Logger, Keyer: st})
	if err != nil {
		return nil, fmt.Errorf("reindex: %w", err)
	}
	rep := &ReindexReport{}
	err = st.MessageIDs(ctx, reindexBatch, func(ids []string) error {
		docs, err := st.Documents(ctx, ids)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if slices.ContainsFunc(d.Message.Warnings, func(w leakscope.Warning) bool { return w.Code == leakscope.WarnTextLost }) {
				rep.TextLost = append(rep.TextLost, d.Message.ID)
			}
		}
		if err := ix.Put(ctx, docs); err != nil {
			return err
		}
		rep.Messages += len(docs)
		opts.Progress("index", int64(rep.Messages), stats.Messages)
		return nil
	})
	if err == nil {
		err = ix.Optimize(ctx)
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(building)
		return nil, fmt.Errorf("reindex: %w (the index is as it was)", err)
	}
	if err := swapIndex(dir, building); err != nil {
		return nil, err
	}
	// Everything the queue held is in the new index (the store's lock
	// kept other writers out meanwhile).
	if err := st.ClearPending(ctx, pending, 0); err != nil {
		return nil, err
	}
	return rep, nil
}

// swapIndex puts the index built at building in the place of dir's.
func swapIndex(dir Dir, building string) error {
	old := dir.Index() + ".old"
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := os.Rename(dir.Index(), old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reindex: move the old index aside: %w", err)
	}
	if err := os.Rename(building, dir.Index()); err != nil {
		os.Rename(old, dir.Index())
		return fmt.Errorf("reindex: put the new index in place: %w", err)
	}
	if err := syncDir(string(dir)); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// RecoverSwap finishes an index swap a crash interrupted: with the index
// moved aside and the new one not yet in its place, the old one goes back
// (the unfinished rebuild is removed by the next reindex); with both in
// place, the old one is removed.
func RecoverSwap(dir Dir) {
	old := dir.Index() + ".old"
	if !exists(old) {
		return
	}
	if !exists(dir.Index()) {
		os.Rename(old, dir.Index())
		return
	}
	os.RemoveAll(old)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
