package app

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/search"
)

// The search use case: a query runs in the index (package search), each
// hit is read from the store (message, text, copies, duplicates, tags),
// and Describe turns it into the one description of a hit,
// leakscope.Hit, with its snippet. The command line gets described hits
// (SearchHits); the server gets what the store holds (Search), redacts
// it for the caller's role and describes it with the same Describe.

var _ api.Searcher = (*App)(nil)

// snippetWidth is the length of a search snippet in bytes.
const snippetWidth = 200

// HitPage is one page of described hits: what `leakscope search --json`
// prints.
type HitPage struct {
	Total  uint64          `json:"total"` // unique messages matching
	Hits   []leakscope.Hit `json:"hits"`
	Facets []search.Facet  `json:"facets,omitempty"`
	Next   string          `json:"next,omitempty"` // cursor of the next page (search.Request.After)
}

// SearchHits runs req and describes its hits, unredacted and with their
// review tags: the command line's search. Unlike search.Request, a Limit
// of 0 lists no hit: only the total and the facets. req.Threads is the
// store.
func (a *App) SearchHits(ctx context.Context, req search.Request) (*HitPage, error) {
	countOnly := req.Limit == 0
	if countOnly {
		req.Limit = 1 // the engine counts every hit anyway; none is listed
	}
	req.Threads = a.Store
	res, err := a.Index.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	page := &HitPage{Total: res.Total, Hits: []leakscope.Hit{}, Facets: res.Facets, Next: res.Next}
	if countOnly {
		page.Next = ""
		return page, nil
	}
	hits, err := a.readHits(ctx, res.Hits, true)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		page.Hits = append(page.Hits, a.Describe(req.Query, h))
	}
	return page, nil
}

// Search runs a search of the server and reads what each hit shows (none
// with r.IDsOnly), a few hits at a time. The server describes the hits
// (Describe) once it has redacted them for the caller.
func (a *App) Search(ctx context.Context, r api.SearchRequest) (*api.SearchResult, error) {
	res, err := a.Index.Search(ctx, search.Request{Query: r.Query, Sort: r.Sort, Limit: r.Limit, After: r.After,
		Facets: r.Facets, TagFacet: r.Tags, Values: r.Values, Threads: a.Store})
	if err != nil {
		return nil, err
	}
	out := &api.SearchResult{Total: res.Total, Next: res.Next}
	for _, f := range res.Facets {
		af := api.Facet{Name: f.Name, Other: f.Other, Values: []api.FacetValue{}}
		for _, v := range f.Values {
			af.Values = append(af.Values, api.FacetValue{Value: v.Value, Count: v.Count})
		}
		out.Facets = append(out.Facets, af)
	}
	if r.IDsOnly {
		out.Hits = make([]api.Hit, len(res.Hits))
		for i, h := range res.Hits {
			out.Hits[i] = api.Hit{ID: h.ID, Score: h.Score}
		}
		return out, nil
	}
	if out.Hits, err = a.readHits(ctx, res.Hits, r.Tags); err != nil {
		return nil, err
	}
	return out, nil
}

// readHits reads what each hit shows from the store: its message, text,
// copies, number of duplicates and, with tags, the names of its review
// tags. It reads a few hits at a time (each is independent).
func (a *App) readHits(ctx context.Context, hits []search.Hit, tags bool) ([]api.Hit, error) {
	out := make([]api.Hit, len(hits))
	err := parallelEach(len(hits), func(i int) error {
		h := &out[i]
		h.ID, h.Score = hits[i].ID, hits[i].Score
		e, err := a.Store.Entry(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Message, h.Text, h.Copies, h.Duplicates = e.Message, e.Text, e.Copies, max(len(e.Duplicates)-1, 0)
		if !tags {
			return nil
		}
		ts, err := a.Store.MessageTags(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Tags = make([]string, 0, len(ts))
		for _, t := range ts {
			h.Tags = append(h.Tags, t.Name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Describe builds the description of a hit from what Search read of it,
// with the snippet of q cut from h.Text. The server passes the message and
// text redacted for roles that see values masked, and no tags to roles
// that may not see them: h.Tags nil leaves the hit's Tags out.
func (a *App) Describe(q leakscope.Query, h api.Hit) leakscope.Hit {
	m := h.Message
	o := leakscope.Hit{
		ID: m.ID, MessageID: m.MessageID, From: m.From, To: m.To, Cc: m.Cc, Subject: m.Subject,
		Flags: []string{}, Tags: h.Tags, Risk: m.Risk, Copies: len(h.Copies),
		Custodians: []string{}, Folders: []string{}, Leaks: []string{}, Thread: m.ThreadID,
		Attachments: len(m.Attachments), Duplicates: h.Duplicates, IDConflict: m.IDConflict,
		Parent: m.ParentID, Score: h.Score, Highlights: [][2]int{},
	}
	if o.To == nil {
		o.To = []leakscope.Address{}
	}
	if !m.Date.IsZero() {
		d := m.Date
		o.Date = &d
	}
	once := func(list []string, s string) []string {
		if s == "" || slices.Contains(list, s) {
			return list
		}
		return append(list, s)
	}
	for _, f := range m.Flags {
		o.Flags = once(o.Flags, f.Category)
	}
	for _, c := range h.Copies {
		o.Custodians = once(o.Custodians, c.Custodian)
		o.Folders = once(o.Folders, c.Folder)
		o.Leaks = once(o.Leaks, c.Leak)
	}
	if h.Text != nil {
		o.Snippet, o.Highlights = snippet(q, h.Text)
	}
	return o
}

// snippet picks the part of a message's text that best shows why it
// matched: the body, else the first attachment with a match, its text
// prefixed with "[name] ". It returns the byte ranges of the matched words
// in the snippet, never nil.
func snippet(q leakscope.Query, text *leakscope.Text) (string, [][2]int) {
	s, spans := search.Snippet(q, text.Body, snippetWidth)
	for _, a := range text.Attachments {
		if len(spans) > 0 {
			break
		}
		if as, aspans := search.Snippet(q, a.Text, snippetWidth); len(aspans) > 0 {
			s, spans = "["+a.Name+"] "+as, aspans
			for i := range spans {
				spans[i].Start += len(a.Name) + 3
				spans[i].End += len(a.Name) + 3
			}
		}
	}
	out := make([][2]int, len(spans))
	for i, sp := range spans {
		out[i] = [2]int{sp.Start, sp.End}
	}
	return s, out
}

// parallelEach calls fn(0) to fn(n-1), on as many goroutines as there are
// processors (reading hits from the store: decompressing and decoding is
// CPU work), and returns every error joined.
func parallelEach(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				errs[i] = fn(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
