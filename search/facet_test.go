package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// bruteFacets counts, for the documents with the given IDs, the values of
// every facet the way the index defines them, and the hits without a value.
func bruteFacets(docs map[string]leakscope.Document, ids []string) (counts map[string]map[string]int, missing map[string]int) {
	counts = map[string]map[string]int{}
	missing = map[string]int{}
	for _, name := range FacetNames {
		counts[name] = map[string]int{}
	}
	for _, id := range ids {
		d := docs[id]
		m := d.Message
		values := map[string][]string{}
		if dom := m.From.Domain(); dom != "" {
			values[FacetSenderDomain] = []string{strings.ToLower(dom)}
		}
		if date := m.Date.UTC(); !m.Date.IsZero() && !date.Before(minDate) && date.Before(maxDate) {
			values[FacetMonth] = []string{date.Format("2006-01")}
		}
		for _, c := range d.Copies {
			values[FacetCustodian] = appendUnique(values[FacetCustodian], strings.ToLower(c.Custodian))
			values[FacetLeak] = appendUnique(values[FacetLeak], strings.ToLower(c.Leak))
		}
		values[FacetHasAttachment] = []string{"no"}
		for _, a := range m.Attachments {
			if !a.Inline || a.MessageID != "" {
				values[FacetHasAttachment] = []string{"yes"}
			}
		}
		for _, f := range m.Flags {
			values[FacetFlag] = appendUnique(values[FacetFlag], strings.ToLower(f.Category))
		}
		for _, name := range FacetNames {
			if len(values[name]) == 0 {
				missing[name]++
			}
			for _, v := range values[name] {
				counts[name][v]++
			}
		}
	}
	return counts, missing
}

// TestFacets compares facet counts with counts made by hand over the
// matching documents, for several queries and facet sizes.
func TestFacets(t *testing.T) {
	docs := newGenerator(11).docs(400)
	docs[0].Message.From = leakscope.Address{Raw: "nobody", Name: "nobody"} // no sender domain
	docs[1].Message.Date = docs[1].Message.Date.AddDate(900, 0, 0)          // outside the index range: no month
	byID := map[string]leakscope.Document{}
	for _, d := range docs {
		byID[d.Message.ID] = d
	}
	ix := openMem(t, docs)
	ctx := context.Background()
	for _, text := range []string{"*", "the", "from:enron.com", "has:attachment", "-has:attachment", "meeting OR deal", "zzzunknownword"} {
		all, err := parseAndSearch(ix, text, SortDateAsc)
		if err != nil {
			t.Fatal(err)
		}
		counts, missing := bruteFacets(byID, hitIDs(all))
		for _, size := range []int{0, 3, MaxFacetSize} {
			q := mustParse(t, text)
			res, err := ix.Search(ctx, Request{Query: q, Limit: 1, Facets: true, FacetSize: size})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Facets) != len(FacetNames) {
				t.Fatalf("Search(%q) has %d facets, want %d", text, len(res.Facets), len(FacetNames))
			}
			wantSize := size
			if size == 0 {
				wantSize = DefaultFacetSize
			}
			for i, f := range res.Facets {
				if f.Name != FacetNames[i] {
					t.Errorf("Search(%q) facet %d is %q, want %q", text, i, f.Name, FacetNames[i])
					continue
				}
				if text == "*" && len(f.Values) < 2 {
					t.Errorf("Search(*) facet %s has values %v, want several", f.Name, f.Values)
				}
				n := wantSize
				if f.Name == FacetFlag {
					n = max(n, flagFacetSize) // every category, whatever the size
				}
				want := topValues(counts[f.Name], n)
				if !slices.Equal(f.Values, want) {
					t.Errorf("Search(%q) facet %s (size %d) = %v, want %v", text, f.Name, size, f.Values, want)
				}
				other := missing[f.Name]
				for _, n := range counts[f.Name] {
					other += n
				}
				for _, v := range want {
					other -= v.Count
				}
				if f.Other != other {
					t.Errorf("Search(%q) facet %s (size %d) other = %d, want %d", text, f.Name, size, f.Other, other)
				}
			}
		}
	}
	// Without Facets, no facets.
	res, err := ix.Search(ctx, Request{Query: leakscope.MatchAll{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Facets != nil {
		t.Errorf("Search without Facets = %v facets, want none", res.Facets)
	}
}

// topValues returns the n most frequent values, ties by value.
func topValues(counts map[string]int, n int) []FacetValue {
	var out []FacetValue
	for v, c := range counts {
		out = append(out, FacetValue{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
	})
	return out[:min(n, len(out))]
}

func mustParse(t testing.TB, text string) leakscope.Query {
	t.Helper()
	q, err := parseQuery(text)
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return q
}
