package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leakscope/leakscope"
)

// withTags returns shallow copies of docs where the documents whose index
// is in tagged carry tags.
func withTags(docs []leakscope.Document, tagged map[int]bool, tags ...string) []leakscope.Document {
	out := make([]leakscope.Document, len(docs))
	for i, d := range docs {
		d.Tags = nil
		if tagged[i] {
			d.Tags = tags
		}
		out[i] = d
	}
	return out
}

// sortedIDs returns the IDs of every hit of text, sorted.
func sortedIDs(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	ids := searchIDs(t, ix, text)
	slices.Sort(ids)
	return ids
}

// TestTagReindex tags documents by putting them again with their tags, as
// the tag command does after the store records a change: tag:privileged
// then finds exactly those, the tag facet counts them, and putting them
// again without the tag untags them.
func TestTagReindex(t *testing.T) {
	ctx := context.Background()
	docs := newGenerator(5).docs(300)
	ix := openMem(t, docs)
	everything := sortedIDs(t, ix, "*")

	// Tag every third message among those mentioning "the" (a query's
	// hits, as tag add --query would) and a few others by ID.
	hits := sortedIDs(t, ix, "the")
	if len(hits) < 30 {
		t.Fatalf("only %d hits for the; want a larger sample", len(hits))
	}
	byID := map[string]int{}
	for i, d := range docs {
		byID[d.Message.ID] = i
	}
	tagged := map[int]bool{}
	var want []string
	for i, id := range hits {
		if i%3 == 0 {
			tagged[byID[id]] = true
			want = append(want, id)
		}
	}
	var changed []leakscope.Document
	for i, d := range withTags(docs, tagged, "privileged", "Hot") {
		if tagged[i] {
			changed = append(changed, d)
		}
	}
	if err := ix.Put(ctx, changed); err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	tests := []struct {
		query string
		want  []string
	}{
		{"tag:privileged", want},
		{"tag:hot", want},
		{"tag:privileged tag:hot", want},
		{"tag:responsive", []string{}},
		{"-tag:privileged", without(everything, want)},
		{"*", everything},
	}
	for _, tt := range tests {
		if got := sortedIDs(t, ix, tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %d hits, want %d", tt.query, len(got), len(tt.want))
		}
	}

	// The tag facet, only when asked for.
	q := mustParse(t, "*")
	res, err := ix.Search(ctx, Request{Query: q, Limit: 1, Facets: true, TagFacet: true})
	if err != nil {
		t.Fatal(err)
	}
	last := res.Facets[len(res.Facets)-1]
	wantFacet := []FacetValue{{"hot", len(want)}, {"privileged", len(want)}}
	if len(res.Facets) != len(FacetNames)+1 || last.Name != FacetTag || !slices.Equal(last.Values, wantFacet) || last.Other != len(everything)-len(want) {
		t.Errorf("tag facet = %+v (of %d facets), want %v with %d other", last, len(res.Facets), wantFacet, len(everything)-len(want))
	}
	res, err = ix.Search(ctx, Request{Query: q, Limit: 1, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Facets {
		if f.Name == FacetTag {
			t.Errorf("Search without TagFacet returned the tag facet %+v", f)
		}
	}

	// Untag half of them: put them again without the tag.
	untag := map[int]bool{}
	var unchanged []leakscope.Document
	for i, id := range want {
		if i%2 == 0 {
			untag[byID[id]] = true
		}
	}
	var still []string
	for i, d := range withTags(docs, nil) {
		if untag[i] {
			unchanged = append(unchanged, d)
		} else if tagged[i] {
			still = append(still, d.Message.ID)
		}
	}
	if err := ix.Put(ctx, unchanged); err != nil {
		t.Fatal(err)
	}
	slices.Sort(still)
	if got := sortedIDs(t, ix, "tag:privileged"); !slices.Equal(got, still) {
		t.Errorf("Search(tag:privileged) after untagging = %d hits, want %d", len(got), len(still))
	}
	if got := sortedIDs(t, ix, "*"); !slices.Equal(got, everything) {
		t.Errorf("Search(*) after re-indexing = %d hits, want %d", len(got), len(everything))
	}
}

func without(ids, drop []string) []string {
	out := []string{}
	for _, id := range ids {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

// BenchmarkRetag re-indexes 10,000 messages of a 20,000-message index on
// disk, alternately with and without a tag: the index's share of tagging a
// whole query (the store's is BenchmarkAddTag10k and BenchmarkDocuments10k
// in package store).
func BenchmarkRetag(b *testing.B) {
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "index"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	g := newGenerator(benchSeed)
	var docs []leakscope.Document
	for range 20 {
		batch := g.docs(1000)
		if err := ix.Put(ctx, batch); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, batch...)
	}
	if err := ix.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	retag := docs[:10_000]
	q := mustParse(b, "tag:hot")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	on := false
	for b.Loop() {
		on = !on
		for i := 0; i < len(retag); i += 1000 {
			batch := retag[i : i+1000]
			if on {
				batch = withTags(batch, allOf(len(batch)), "hot")
			} else {
				batch = withTags(batch, nil)
			}
			if err := ix.Put(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		res, err := ix.Search(ctx, Request{Query: q, Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		if want := map[bool]uint64{true: 10_000, false: 0}[on]; res.Total != want {
			b.Fatalf("tag:hot = %d hits, want %d", res.Total, want)
		}
	}
	reportRate(b, len(retag))
}

func allOf(n int) map[int]bool {
	m := make(map[int]bool, n)
	for i := range n {
		m[i] = true
	}
	return m
}

// BenchmarkTagFacet counts facets over every hit of a 20,000-message index
// on disk of which 5,000 carry one of four tags, without and with the tag
// facet (un-inverted by bleve, there being no doc values on the field),
// each time on a freshly opened index as a CLI search would.
func BenchmarkTagFacet(b *testing.B) {
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "index")
	ix, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := newGenerator(benchSeed)
	tags := leakscope.BuiltinTags
	for n := range 20 {
		batch := g.docs(1000)
		for i := range batch {
			if i%4 == 0 {
				batch[i].Tags = []string{tags[(n+i)%len(tags)]}
			}
		}
		if err := ix.Put(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	q := mustParse(b, "*")
	for _, withTags := range []bool{false, true} {
		b.Run(fmt.Sprintf("tags=%v", withTags), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix, err := Open(dir, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				res, err := ix.Search(ctx, Request{Query: q, Limit: 1, Facets: true, TagFacet: withTags})
				if err != nil {
					b.Fatal(err)
				}
				if withTags && res.Facets[len(res.Facets)-1].Other != 15_000 {
					b.Fatalf("tag facet = %+v, want 15,000 untagged", res.Facets[len(res.Facets)-1])
				}
				ix.Close()
			}
		})
	}
}
