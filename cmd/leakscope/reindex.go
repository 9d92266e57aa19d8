package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

const reindexHelp = `
Rebuild the search index from the store: the store is the source of truth,
so a lost, corrupt or outdated index is recreated without the original
dumps. Run it after upgrading leakscope when the release notes say so.
`

func (m *Main) runReindex(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("reindex", "", reindexHelp, &c)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := m.logger(&c)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, filepath.Join(c.data, "store.db"), store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()
	dir := filepath.Join(c.data, "index")
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	ix, err := search.Open(dir, search.Options{Logger: log})
	if err != nil {
		return err
	}
	defer ix.Close()
	n := 0
	err = st.MessageIDs(ctx, 1000, func(ids []string) error {
		docs, err := st.Documents(ctx, ids)
		if err != nil {
			return err
		}
		if err := ix.Put(ctx, docs); err != nil {
			return err
		}
		n += len(ids)
		return st.ClearPending(ctx, ids, 0)
	})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if _, err := st.Rethread(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "reindexed %d messages\n", n)
	return nil
}
