package search

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/leakscope/leakscope"
)

// Sort orders of Request.Sort.
const (
	SortDateDesc  = "-date"     // newest first, undated messages last (the default)
	SortDateAsc   = "date"      // oldest first, undated messages last
	SortRelevance = "relevance" // best score first, then newest
	SortRisk      = "risk"      // highest risk score first, then newest
)

// Limits of a Request.
const (
	DefaultLimit     = 20
	MaxLimit         = 10_000
	MaxOffset        = 1_000_000 // deeper pages need After
	DefaultFacetSize = 10
	// flagFacetSize is the least size of the flag facet: more than the
	// 14 flag categories, so that it lists every one found.
	flagFacetSize = 16
	MaxFacetSize  = 1_000
)

// Request is one search. Only Query is required.
type Request struct {
	Query leakscope.Query
	// Sort is SortDateDesc (default when empty), SortDateAsc,
	// SortRelevance or SortRisk; ties are broken by date and then by
	// message ID (newest and highest first, but for SortDateAsc), so that
	// the order is total and pages never overlap.
	Sort string
	// Limit is the number of hits wanted: DefaultLimit when 0, at most MaxLimit.
	Limit int
	// Offset skips this many hits (at most MaxOffset). Prefer After for
	// deep pages; Offset and After cannot be combined.
	Offset int
	// After is Result.Next of the previous page, searched with the same
	// Query and Sort: the page after it.
	After string
	// Facets asks for facet counts over every hit.
	Facets bool
	// TagFacet, with Facets, also counts hits per review tag (FacetTag).
	// Leave it off for users who may not see tags (employees). Default
	// false.
	TagFacet bool
	// Values looks flagged values up by their keyed tokens (see valueToken):
	// value fields (ssn:536-22-1847) and the values a free-text word or
	// phrase may be ("536-22-1847" finds the message where that SSN was
	// flagged, though the index holds it as ***-**-1847). A hit then says
	// that the value typed is one flagged: set it only for users who may
	// see values (admins and counsel), never for those who see them masked.
	// Needs Options.Keyer. Default false: value fields match nothing, and
	// words match the masked text only.
	Values bool
	// Threads, when set, resolves thread: terms to the messages of the
	// thread (the store keeps threads current as messages arrive; the
	// index only knows the thread a message had when it was indexed).
	Threads ThreadResolver
	// FacetSize is the number of values per facet: DefaultFacetSize when 0,
	// at most MaxFacetSize. The flag facet always lists every category.
	FacetSize int
}

// ThreadResolver lists the IDs of the messages of a thread
// (store.DB implements it).
type ThreadResolver interface {
	ThreadMembers(ctx context.Context, thread string) ([]string, error)
}

// Result is one page of hits.
type Result struct {
	Total  uint64 // unique messages matching
	Hits   []Hit
	Facets []Facet // see FacetNames for the order; empty unless asked for
	Next   string  // cursor for Request.After; "" on the last page
}

// Hit is one matching message.
type Hit struct {
	ID    string  // Message.ID
	Score float64 // relevance; 0 when sorting by date
}

// Search runs req. A malformed request (sort, limit, offset, cursor) is an
// ErrInvalidInput error; a query that cannot be translated is a
// *leakscope.QueryError (errors.Is ErrInvalidQuery).
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	var threads threadMap
	if req.Threads != nil {
		threads = threadMap{}
		for _, t := range threadTerms(req.Query) {
			ids, err := req.Threads.ThreadMembers(ctx, t)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			threads[t] = ids
		}
	}
	sr, err := ix.request(req, threads)
	if err != nil {
		return nil, err
	}
	// Facets of a query already answered come from the cache.
	var key string
	var cached []Facet
	gen := ix.gen.Load()
	if req.Facets && ix.facets != nil {
		if key = facetKey(req, cmp.Or(req.FacetSize, DefaultFacetSize)); key != "" {
			var ok bool
			if cached, ok = ix.facets.get(key, gen); ok {
				sr.Facets = nil
			}
		}
	}
	var res *bleve.SearchResult
	err = ix.guard("searching", func() (err error) { res, err = ix.idx.SearchInContext(ctx, sr); return err })
	if err != nil {
		err = searchError(ctx, ix.dir, err)
		return nil, fmt.Errorf("search: %w", err)
	}
	limit := sr.Size - 1
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, min(len(res.Hits), limit))}
	for i, h := range res.Hits {
		if i == limit {
			out.Next = encodeCursor(req.Sort, res.Hits[i-1])
			break
		}
		out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score})
	}
	switch {
	case !req.Facets:
	case cached != nil:
		out.Facets = cloneFacets(cached)
	default:
		out.Facets = facets(res.Facets, req.TagFacet)
		if key != "" {
			ix.facets.put(key, gen, cloneFacets(out.Facets))
		}
	}
	ix.log.Debug("search done", "total", res.Total, "hits", len(out.Hits), "took", time.Since(start))
	return out, nil
}

// request validates req and builds the bleve request. It asks for one hit
// more than the limit to know whether there is a next page.
func (ix *Index) request(req Request, threads threadMap) (*bleve.SearchRequest, error) {
	if req.Sort == "" {
		req.Sort = SortDateDesc
	}
	order, ok := sortOrders[req.Sort]
	if !ok {
		return nil, fmt.Errorf("unknown sort %q: %w", req.Sort, leakscope.ErrInvalidInput)
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 0 || limit > MaxLimit {
		return nil, fmt.Errorf("limit %d out of range 1..%d: %w", req.Limit, MaxLimit, leakscope.ErrInvalidInput)
	}
	if req.Offset < 0 || req.Offset > MaxOffset {
		return nil, fmt.Errorf("offset %d out of range 0..%d: %w", req.Offset, MaxOffset, leakscope.ErrInvalidInput)
	}
	if req.Offset > 0 && req.After != "" {
		return nil, fmt.Errorf("offset and cursor together: %w", leakscope.ErrInvalidInput)
	}
	facetSize := req.FacetSize
	if facetSize == 0 {
		facetSize = DefaultFacetSize
	}
	if facetSize < 0 || facetSize > MaxFacetSize {
		return nil, fmt.Errorf("facet size %d out of range 1..%d: %w", req.FacetSize, MaxFacetSize, leakscope.ErrInvalidInput)
	}
	if req.Query == nil {
		return nil, fmt.Errorf("missing query: %w", leakscope.ErrInvalidInput)
	}
	tr := &translator{threads: threads}
	if req.Values {
		tr.keyer = ix.keyer
	}
	q, err := tr.translate(req.Query)
	if err != nil {
		return nil, err
	}

	sr := bleve.NewSearchRequestOptions(q, limit+1, req.Offset, false)
	sr.SortByCustom(order())
	if req.Sort != SortRelevance {
		sr.Score = bleve.ScoreNone
	}
	if req.After != "" {
		after, err := decodeCursor(req.After, req.Sort)
		if err != nil {
			return nil, err
		}
		sr.SearchAfter = after
	}
	if req.Facets {
		for _, f := range facetFields {
			size := facetSize
			if f.name == FacetFlag {
				size = max(size, flagFacetSize) // every category, always
			}
			sr.AddFacet(f.name, bleve.NewFacetRequest(f.field, size))
		}
		if req.TagFacet {
			sr.AddFacet(tagFacet.name, bleve.NewFacetRequest(tagFacet.field, facetSize))
		}
	}
	return sr, nil
}

// sortOrders builds a fresh sort order per request (bleve keeps state in
// them while collecting). Every order ends with the date sort key, unique
// per message, so that SearchAfter pages never skip or repeat a hit.
var sortOrders = map[string]func() bsearch.SortOrder{
	SortDateDesc: func() bsearch.SortOrder { return bsearch.SortOrder{newDateSort(true)} },
	SortDateAsc:  func() bsearch.SortOrder { return bsearch.SortOrder{newDateSort(false)} },
	SortRisk: func() bsearch.SortOrder {
		return bsearch.SortOrder{
			&bsearch.SortField{Field: fieldRiskKey, Desc: true, Type: bsearch.SortFieldAsString, Missing: bsearch.SortFieldMissingLast},
			newDateSort(true),
		}
	},
	SortRelevance: func() bsearch.SortOrder {
		return bsearch.SortOrder{&bsearch.SortScore{Desc: true}, newDateSort(true)}
	},
}

// dateSort orders hits by their date sort key (dateSortKey): by date, then
// by ID in the same direction, undated messages last both ways. Their keys
// (undatedPrefix) come last newest-first as they are; oldest-first they are
// compared with their prefix replaced by undatedLast, after every date.
type dateSort struct {
	desc    bool   // the direction, which Reverse turns
	newest  bool   // the direction it was made for, which places the undated
	current []byte // the key of the hit being collected
}

func newDateSort(newestFirst bool) *dateSort {
	return &dateSort{desc: newestFirst, newest: newestFirst}
}

// undatedLast replaces undatedPrefix in keys compared oldest first: a
// dated key starts with 0x00 or 0x01 (datePrefix).
const undatedLast = "\xff"

func (s *dateSort) UpdateVisitor(field string, term []byte) {
	if field == fieldDateKey {
		s.current = term
	}
}

func (s *dateSort) Value(*bsearch.DocumentMatch) string {
	key := s.current
	s.current = nil
	if !s.newest && len(key) >= datePrefixLen && string(key[:datePrefixLen]) == undatedPrefix {
		return undatedLast + string(key[datePrefixLen:])
	}
	return string(key)
}

func (s *dateSort) DecodeValue(v string) string { return v }
func (s *dateSort) Descending() bool            { return s.desc }
func (s *dateSort) RequiresDocID() bool         { return false }
func (s *dateSort) RequiresScoring() bool       { return false }
func (s *dateSort) RequiresFields() []string    { return []string{fieldDateKey} }
func (s *dateSort) Reverse()                    { s.desc = !s.desc }
func (s *dateSort) Copy() bsearch.SearchSort    { c := *s; c.current = nil; return &c }

// sortValues returns the values a cursor keeps for a hit: its raw sort
// values, with the score written out for relevance order.
func sortValues(h *bsearch.DocumentMatch) []string {
	out := make([]string, len(h.Sort))
	for i, v := range h.Sort {
		if v == "_score" {
			v = strconv.FormatFloat(h.Score, 'g', -1, 64)
		}
		out[i] = v
	}
	return out
}

// IDs returns the IDs of every message matching req.Query, in req.Sort
// order, walking all pages with SearchAfter (req.Limit is the page size;
// MaxLimit when 0). req.After and req.Facets are ignored.
func (ix *Index) IDs(ctx context.Context, req Request) ([]string, error) {
	req.After, req.Facets, req.TagFacet, req.Offset = "", false, false, 0
	if req.Limit == 0 {
		req.Limit = MaxLimit
	}
	var ids []string
	for {
		res, err := ix.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.Next == "" || len(res.Hits) == 0 {
			return ids, nil
		}
		req.After = res.Next
	}
}
