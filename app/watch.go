package app

import (
	"context"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

// WatchResult is the outcome of checking one watch.
type WatchResult struct {
	Name    string   `json:"name"`
	Query   string   `json:"query"`
	Matches int      `json:"matches"`
	New     []string `json:"new"` // IDs of messages not reported before
}

// Watches lists the watches (api.Watches).
func (a *App) Watches(ctx context.Context) ([]leakscope.Watch, error) {
	return a.Store.Watches(ctx)
}

// AddWatch saves a watch, replacing one of that name, and checks it once:
// the first check reports what already matches, so that the next ingest
// reports only what it adds. It returns the watch as checked (api.Watches).
func (a *App) AddWatch(ctx context.Context, w leakscope.Watch) (*leakscope.Watch, error) {
	if err := a.Store.PutWatch(ctx, w); err != nil {
		return nil, err
	}
	res, err := a.CheckWatches(ctx, []string{w.Name})
	if err != nil {
		return nil, err
	}
	w.Checked, w.Matches = time.Now().UTC(), res[0].Matches
	return &w, nil
}

// DeleteWatch removes a watch (api.Watches).
func (a *App) DeleteWatch(ctx context.Context, name string) error {
	return a.Store.DeleteWatch(ctx, name)
}

// CheckWatches runs the watches named (all when names is empty), records
// their matches and returns, for each, the matches not reported before.
// An unknown name is leakscope.ErrNotFound.
func (a *App) CheckWatches(ctx context.Context, names []string) ([]WatchResult, error) {
	ws, err := a.Store.Watches(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]leakscope.Watch{}
	for _, w := range ws {
		byName[w.Name] = w
	}
	if len(names) == 0 {
		for _, w := range ws {
			names = append(names, w.Name)
		}
	}
	out := []WatchResult{}
	for _, name := range names {
		w, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("no watch %q: %w", name, leakscope.ErrNotFound)
		}
		r, err := a.checkWatch(ctx, w)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (a *App) checkWatch(ctx context.Context, w leakscope.Watch) (WatchResult, error) {
	q, err := query.Parse(w.Query)
	if err != nil {
		return WatchResult{}, fmt.Errorf("watch %s: %w", w.Name, err)
	}
	ids, err := a.Index.IDs(ctx, search.Request{Query: q})
	if err != nil {
		return WatchResult{}, fmt.Errorf("watch %s: %w", w.Name, err)
	}
	fresh, err := a.Store.RecordWatch(ctx, w, ids, time.Now())
	if err != nil {
		return WatchResult{}, err
	}
	return WatchResult{Name: w.Name, Query: w.Query, Matches: len(ids), New: fresh}, nil
}
