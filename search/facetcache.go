package search

import (
	"container/list"
	"strconv"
	"sync"
)

// facetCache keeps the facets of recent queries. Facets cost more than
// the hits (each facet walks the doc values of every hit: 5-10 ms per
// facet over 35,000 messages), and a server answers the same queries again
// and again (a search page, then its next pages and refinements). Counts
// depend only on the query and the index's content: an entry is valid
// while the Index's generation, raised by every Put and Delete, is the one
// it was computed at.
type facetCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; values *facetEntry
	byKey map[string]*list.Element
}

type facetEntry struct {
	key    string
	gen    uint64
	facets []Facet
}

// facetCacheSize is the number of queries whose facets an Index keeps.
const facetCacheSize = 256

func newFacetCache(max int) *facetCache {
	return &facetCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// facetKey identifies the facets of a request (by the query's canonical
// text); "" when they cannot be cached (thread: terms, resolved through
// the store at each search).
func facetKey(req Request, facetSize int) string {
	if len(threadTerms(req.Query)) > 0 {
		return ""
	}
	return strconv.Itoa(facetSize) + "|" + strconv.FormatBool(req.TagFacet) + "|" + req.Query.String()
}

// get returns the facets cached under key at generation gen. Callers must
// not modify them.
func (c *facetCache) get(key string, gen uint64) ([]Facet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	ent := e.Value.(*facetEntry)
	if ent.gen != gen {
		c.order.Remove(e)
		delete(c.byKey, key)
		return nil, false
	}
	c.order.MoveToFront(e)
	return ent.facets, true
}

// put caches facets computed at generation gen.
func (c *facetCache) put(key string, gen uint64, facets []Facet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value = &facetEntry{key: key, gen: gen, facets: facets}
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&facetEntry{key: key, gen: gen, facets: facets})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*facetEntry).key)
	}
}

// cloneFacets copies facets for a caller, who may change them.
func cloneFacets(fs []Facet) []Facet {
	out := make([]Facet, len(fs))
	for i, f := range fs {
		out[i] = Facet{Name: f.Name, Other: f.Other, Values: append([]FacetValue(nil), f.Values...)}
	}
	return out
}
