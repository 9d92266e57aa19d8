package app

import (
	"context"
	"io/fs"
	"path/filepath"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// The stats use case: the totals of the data directory (the command's
// stats, the server's GET /stats).

var _ api.StatsReader = (*App)(nil)

// Totals are the totals of the data directory: what `leakscope stats
// --json` prints.
type Totals struct {
	Store      store.Stats      `json:"store"`
	Indexed    uint64           `json:"indexed"`     // messages in the search index
	IndexBytes int64            `json:"index_bytes"` // size of the index directory
	DataBytes  int64            `json:"data_bytes"`  // store, packs and index
	Leaks      []leakscope.Leak `json:"leaks"`
	// Facets count every message by the search facets, 20 values each.
	Facets []search.Facet `json:"facets"`
}

// Totals reads the totals of the data directory, with the sizes of its
// files and the facets over every message.
func (a *App) Totals(ctx context.Context) (*Totals, error) {
	st, indexed, leaks, err := a.counts(ctx)
	if err != nil {
		return nil, err
	}
	res, err := a.Index.Search(ctx, search.Request{Query: leakscope.MatchAll{}, Limit: 0, Facets: true, FacetSize: 20})
	if err != nil {
		return nil, err
	}
	t := &Totals{Store: st, Indexed: indexed, Leaks: leaks, Facets: res.Facets, IndexBytes: dirSize(filepath.Join(a.dir, "index"))}
	t.DataBytes = t.IndexBytes + st.FileBytes + st.PackBytes
	return t, nil
}

// Stats reads the totals the server shows (no sizes, no facets: GET /stats
// counts the facets of what the caller may see).
func (a *App) Stats(ctx context.Context) (*api.Stats, error) {
	st, indexed, leaks, err := a.counts(ctx)
	if err != nil {
		return nil, err
	}
	if leaks == nil {
		leaks = []leakscope.Leak{}
	}
	return &api.Stats{Messages: st.Messages, Copies: st.Copies, Originals: st.Originals, RawBytes: st.RawBytes,
		Indexed: indexed, Leaks: leaks}, nil
}

// counts reads the store's totals, the number of indexed messages and the
// leaks.
func (a *App) counts(ctx context.Context) (store.Stats, uint64, []leakscope.Leak, error) {
	st, err := a.Store.Stats(ctx)
	if err != nil {
		return store.Stats{}, 0, nil, err
	}
	indexed, err := a.Index.Count(ctx)
	if err != nil {
		return store.Stats{}, 0, nil, err
	}
	leaks, err := a.Store.Leaks(ctx)
	if err != nil {
		return store.Stats{}, 0, nil, err
	}
	return st, indexed, leaks, nil
}

// dirSize is the size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
