package search

import (
	"strconv"

	"github.com/leakscope/leakscope/lru"
)

// facetCache keeps the facets of recent queries. Facets cost more than
// the hits (each facet walks the doc values of every hit: 5-10 ms per
// facet over 35,000 messages), and a server answers the same queries again
// and again (a search page, then its next pages and refinements). Counts
// depend only on the query and the index's content: an entry is valid
// while the Index's generation, raised by every Put and Delete, is the one
// it was computed at.
type facetCache struct {
	lru *lru.Cache[string, facetEntry]
}

type facetEntry struct {
	gen    uint64
	facets []Facet
}

// facetCacheSize is the number of queries whose facets an Index keeps.
const facetCacheSize = 256

func newFacetCache(max int) *facetCache {
	return &facetCache{lru: lru.New[string, facetEntry](max, nil)}
}

// facetKey identifies the facets of a request (by the query's canonical
// text); "" when they cannot be cached (thread: terms, resolved through
// the store at each search).
func facetKey(req Request, facetSize int) string {
	if len(threadTerms(req.Query)) > 0 {
		return ""
	}
	// Values changes what a query matches: facets of a query that looked
	// values up are never given to one that did not.
	return strconv.Itoa(facetSize) + "|" + strconv.FormatBool(req.TagFacet) + "|" + strconv.FormatBool(req.Values) + "|" + req.Query.String()
}

// get returns the facets cached under key at generation gen. Callers must
// not modify them.
func (c *facetCache) get(key string, gen uint64) ([]Facet, bool) {
	e, ok := c.lru.Get(key)
	if !ok || e.gen != gen {
		return nil, false
	}
	return e.facets, true
}

// put caches facets computed at generation gen.
func (c *facetCache) put(key string, gen uint64, facets []Facet) {
	c.lru.Add(key, facetEntry{gen: gen, facets: facets})
}

// cloneFacets copies facets for a caller, who may change them.
func cloneFacets(fs []Facet) []Facet {
	out := make([]Facet, len(fs))
	for i, f := range fs {
		out[i] = Facet{Name: f.Name, Other: f.Other, Values: append([]FacetValue(nil), f.Values...)}
	}
	return out
}
