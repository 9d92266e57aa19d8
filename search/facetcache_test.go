package search

import (
	"context"
	"reflect"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestFacetCache: a repeated query's facets come from the cache and equal
// fresh ones; a caller's changes do not reach the cache; a write through
// the Index makes them stale.
func TestFacetCache(t *testing.T) {
	ctx := context.Background()
	docs := newGenerator(5).docs(200)
	ix := openMem(t, docs[:199])
	q := mustParse(t, "*")
	search := func() *Result {
		t.Helper()
		res, err := ix.Search(ctx, Request{Query: q, Limit: 5, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := search()
	if _, ok := ix.facets.get(facetKey(Request{Query: q}, DefaultFacetSize), ix.gen.Load()); !ok {
		t.Fatal("the facets of * were not cached")
	}
	first.Facets[0].Values[0].Count = -1 // a caller's change
	second := search()
	fresh, err := ix.Search(ctx, Request{Query: q, Limit: 5, Facets: true, FacetSize: DefaultFacetSize + 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range second.Facets {
		want := fresh.Facets[i].Values
		if len(want) > DefaultFacetSize && second.Facets[i].Name != FacetFlag {
			want = want[:DefaultFacetSize]
		}
		if !reflect.DeepEqual(second.Facets[i].Values, want) {
			t.Errorf("cached facet %s = %v, fresh %v", second.Facets[i].Name, second.Facets[i].Values, want)
		}
	}
	// A new message with a new mailbox: the facet counts it at once.
	d := docs[199]
	d.Copies = []leakscope.Copy{{Leak: "new-leak", Custodian: "zz-new-custodian"}}
	if err := ix.Put(ctx, []leakscope.Document{d}); err != nil {
		t.Fatal(err)
	}
	third := search()
	if third.Total != first.Total+1 {
		t.Fatalf("total after Put = %d, want %d", third.Total, first.Total+1)
	}
	found := false
	for _, f := range third.Facets {
		if f.Name == FacetLeak {
			for _, v := range f.Values {
				found = found || v.Value == "new-leak" && v.Count == 1
			}
		}
	}
	if !found {
		t.Errorf("leak facet after Put = %+v, want new-leak 1 (stale cache?)", third.Facets)
	}
}

// TestIDs walks every page: the IDs of a small page size equal one search
// of them all, in order.
func TestIDs(t *testing.T) {
	ctx := context.Background()
	ix := openMem(t, newGenerator(9).docs(50))
	q := mustParse(t, "*")
	ids, err := ix.IDs(ctx, Request{Query: q, Limit: 3, Sort: SortDateAsc, After: "ignored", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.Search(ctx, Request{Query: q, Limit: 100, Sort: SortDateAsc})
	if err != nil {
		t.Fatal(err)
	}
	if want := hitIDs(all); !reflect.DeepEqual(ids, want) {
		t.Errorf("IDs over pages of 3 = %d ids %v, want %d %v", len(ids), ids, len(want), want)
	}
}
