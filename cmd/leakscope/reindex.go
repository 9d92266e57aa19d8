package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
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
	n, err := reindex(ctx, c.data, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "reindexed %d messages\n", n)
	return nil
}

// reindex rebuilds the index of the data directory dir from its store and
// returns the number of messages indexed.
func reindex(ctx context.Context, dir string, log *slog.Logger) (int, error) {
	storePath := filepath.Join(dir, "store.db")
	if _, err := os.Stat(storePath); err != nil {
		return 0, fmt.Errorf("no data directory at %q (run `leakscope index` first, or pass --data): %w", dir, leakscope.ErrNotFound)
	}
	st, err := store.Open(ctx, storePath, store.Options{Logger: log})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	// Queue everything first: a reindex that is interrupted is finished by
	// the next reindex or index run.
	n, err := st.MarkAllPending(ctx)
	if err != nil {
		return 0, err
	}
	indexDir := filepath.Join(dir, "index")
	if err := os.RemoveAll(indexDir); err != nil {
		return 0, fmt.Errorf("remove old index: %w", err)
	}
	ix, err := search.Open(indexDir, search.Options{Logger: log})
	if err != nil {
		return 0, err
	}
	defer ix.Close()
	// Recover indexes what is pending, then merges the index.
	if err := indexer.New(st, ix, indexer.Options{Logger: log}).Recover(ctx); err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	return n, nil
}
