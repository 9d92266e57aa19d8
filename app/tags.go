package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// TagCounts lists the built-in tags (in leakscope.BuiltinTags order, used
// or not), then the custom tags in use by name, with the number of
// messages carrying each (`leakscope tag list`, GET /api/v1/tags). It
// reads the store alone, so that it works beside a damaged index.
func TagCounts(ctx context.Context, st *store.DB) ([]api.TagCount, error) {
	counts, err := st.TagCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.TagCount{}
	for _, name := range leakscope.BuiltinTags {
		out = append(out, api.TagCount{Name: name, Count: counts[name], Builtin: true})
	}
	var custom []api.TagCount
	for name, n := range counts {
		if !slices.Contains(leakscope.BuiltinTags, name) {
			custom = append(custom, api.TagCount{Name: name, Count: n})
		}
	}
	slices.SortFunc(custom, func(a, b api.TagCount) int { return cmp.Compare(a.Name, b.Name) })
	return append(out, custom...), nil
}

// ChangeTag adds or removes a tag (`leakscope tag add|remove`, POST
// /api/v1/tags/TAG/add|remove): the store's change to the messages ch.IDs
// or to every hit of ch.Query, then ch.Record (the audit entry), then the
// re-indexing of the changed messages and of any left pending before, so
// that a tag: search finds them at once. ch.Record's error is returned,
// but only after the messages are re-indexed. Changes of one App must not
// overlap: two re-indexings of one message could end with the older
// document in the index (Review serializes the server's).
func (a *App) ChangeTag(ctx context.Context, ch api.TagChange) (*api.TagChangeResult, error) {
	ids := ch.IDs
	if ch.Query != nil {
		var err error
		if ids, err = a.QueryIDs(ctx, ch.Query); err != nil {
			return nil, err
		}
	}
	var up store.TagUpdate
	var err error
	verb := "add"
	if ch.Add {
		up, err = a.Store.AddTag(ctx, ids, leakscope.Tag{Name: ch.Tag.Name, Note: ch.Tag.Note, User: ch.Tag.User})
	} else {
		verb = "remove"
		up, err = a.Store.RemoveTag(ctx, ids, ch.Tag.Name)
	}
	if err != nil {
		return nil, err
	}
	res := &api.TagChangeResult{Matched: len(ids), Changed: len(up.Changed)}
	// The change is in the store: it is recorded even if interrupted now,
	// and before re-indexing, which an interrupted run leaves to the next
	// tag, index or reindex run (the messages stay pending until the
	// index has them).
	var recErr error
	if ch.Record != nil {
		recErr = ch.Record(ctx, res.Matched, res.Changed)
	}
	if err := a.IndexPending(ctx, up.Changed, up.Seq); err != nil {
		return nil, fmt.Errorf("tag %s: re-index: %w", verb, err)
	}
	if recErr != nil {
		return nil, recErr
	}
	return res, nil
}

// tagPage is the page size of QueryIDs (tests lower it).
var tagPage = search.MaxLimit

// QueryIDs returns the IDs of every message matching q, all pages, newest
// first, as search finds them (thread: terms resolved through the store).
func (a *App) QueryIDs(ctx context.Context, q leakscope.Query) ([]string, error) {
	return a.Index.IDs(ctx, search.Request{Query: q, Limit: tagPage, Threads: a.Store, Values: true})
}
