package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// queryCase is one case of testdata/queries/<set>/queries.json. Exactly one
// of IDs, Total and Error is set.
type queryCase struct {
	Name  string `json:"name"`
	Query string `json:"query"`
	// Sort is a Request.Sort; the runner's default is SortDateAsc (oldest
	// first, undated last, ties by ID) so that expected lists read in time
	// order.
	Sort string `json:"sort"`
	// IDs are the expected hits in order (the total is their number).
	IDs *[]string `json:"ids"`
	// Total is the expected number of hits when their order does not matter.
	Total *uint64 `json:"total"`
	// Error expects a *leakscope.QueryError at byte offset Pos whose text
	// holds Contains.
	Error *struct {
		Pos      int    `json:"pos"`
		Contains string `json:"contains"`
	} `json:"error"`
}

// queryNow is the clock of the data-driven queries (date:today).
var queryNow = time.Date(2014, 3, 5, 12, 0, 0, 0, time.UTC)

// TestQueries runs the data-driven search tests: for every set in
// testdata/queries it indexes docs.json in memory and runs each case of
// queries.json, parsed with package query. A case that expects hits is also
// run in its canonical form (Query.String), which must find the same.
func TestQueries(t *testing.T) {
	sets, err := filepath.Glob(filepath.Join("testdata", "queries", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 {
		t.Fatal("no query sets in testdata/queries")
	}
	for _, dir := range sets {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			docs := loadDocs(t, filepath.Join(dir, "docs.json"))
			var cases []queryCase
			readJSON(t, filepath.Join(dir, "queries.json"), &cases)
			if len(cases) == 0 {
				t.Fatal("no cases")
			}
			ix := openMem(t, docs)
			names := map[string]bool{}
			for _, c := range cases {
				if names[c.Name] || c.Name == "" {
					t.Fatalf("case name %q is empty or used twice", c.Name)
				}
				names[c.Name] = true
				t.Run(c.Name, func(t *testing.T) { runQueryCase(t, ix, c) })
			}
		})
	}
}

func runQueryCase(t *testing.T, ix *Index, c queryCase) {
	t.Helper()
	set := 0
	for _, ok := range []bool{c.IDs != nil, c.Total != nil, c.Error != nil} {
		if ok {
			set++
		}
	}
	if set != 1 {
		t.Fatalf("case %q: set exactly one of ids, total and error", c.Name)
	}
	sort := c.Sort
	if sort == "" {
		sort = SortDateAsc
	}
	res, err := parseAndSearch(ix, c.Query, sort)
	if c.Error != nil {
		var qe *leakscope.QueryError
		switch {
		case err == nil:
			t.Fatalf("Search(%q) = %q, want an error at %d", c.Query, hitIDs(res), c.Error.Pos)
		case !errors.As(err, &qe) || !errors.Is(err, leakscope.ErrInvalidQuery):
			t.Fatalf("Search(%q) error = %v (%T), want a *leakscope.QueryError", c.Query, err, err)
		case qe.Pos != c.Error.Pos:
			t.Errorf("Search(%q) error at %d (%v), want at %d", c.Query, qe.Pos, err, c.Error.Pos)
		case !strings.Contains(err.Error(), c.Error.Contains):
			t.Errorf("Search(%q) error = %q, want it to hold %q", c.Query, err, c.Error.Contains)
		}
		return
	}
	if err != nil {
		t.Fatalf("Search(%q) error: %v", c.Query, err)
	}
	got := hitIDs(res)
	if c.IDs != nil {
		if want := *c.IDs; !slices.Equal(got, want) || res.Total != uint64(len(want)) {
			t.Errorf("Search(%q, sort %s) = %q (total %d), want %q", c.Query, sort, got, res.Total, want)
		}
	} else if res.Total != *c.Total {
		t.Errorf("Search(%q) total = %d, want %d", c.Query, res.Total, *c.Total)
	}

	q, _ := query.ParseAt(c.Query, queryNow)
	canon := q.String()
	res2, err := parseAndSearch(ix, canon, sort)
	if err != nil {
		t.Fatalf("Search(canonical %q of %q) error: %v", canon, c.Query, err)
	}
	if got2 := hitIDs(res2); !slices.Equal(got2, got) {
		t.Errorf("Search(canonical %q) = %q, want %q as for %q", canon, got2, got, c.Query)
	}
}

// parseQuery parses text as a user query at queryNow.
func parseQuery(text string) (leakscope.Query, error) { return query.ParseAt(text, queryNow) }

// parseAndSearch parses text as a user query and returns every hit.
func parseAndSearch(ix *Index, text, sort string) (*Result, error) {
	q, err := parseQuery(text)
	if err != nil {
		return nil, err
	}
	return ix.Search(context.Background(), Request{Query: q, Sort: sort, Limit: MaxLimit})
}

// FuzzSearch searches the boolean and addresses test sets with any query
// that parses: the search never fails but with a *leakscope.QueryError
// pointing inside the query, every hit is a document of the set, and the
// canonical form of the query finds the same hits.
func FuzzSearch(f *testing.F) {
	var docs []leakscope.Document
	for _, set := range []string{"addresses", "boolean", "text"} {
		docs = append(docs, loadDocs(f, filepath.Join("testdata", "queries", set, "docs.json"))...)
	}
	known := map[string]bool{}
	for _, d := range docs {
		known[d.Message.ID] = true
	}
	ix := openMem(f, docs)
	for _, s := range []string{"apple -banana", "from:@sony.com OR to:amy*", `"annual report" date:2014`, "cc:... bcc:@", "*", `body:"!!"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := parseQuery(text)
		if err != nil {
			return
		}
		res, err := ix.Search(context.Background(), Request{Query: q, Sort: SortDateAsc, Limit: MaxLimit})
		if err != nil {
			var qe *leakscope.QueryError
			if !errors.As(err, &qe) || qe.Pos < 0 || qe.Pos >= len(text) {
				t.Fatalf("Search(%q) = %v, want a *leakscope.QueryError inside the query", text, err)
			}
			return
		}
		if res.Total != uint64(len(res.Hits)) {
			t.Fatalf("Search(%q) total %d for %d hits", text, res.Total, len(res.Hits))
		}
		for _, h := range res.Hits {
			if !known[h.ID] {
				t.Fatalf("Search(%q) found unknown document %q", text, h.ID)
			}
		}
		canon, err := parseQuery(q.String())
		if err != nil {
			return // only possible close to query.MaxLength
		}
		res2, err := ix.Search(context.Background(), Request{Query: canon, Sort: SortDateAsc, Limit: MaxLimit})
		if err != nil {
			t.Fatalf("Search(canonical %q of %q) = %v", q.String(), text, err)
		}
		if !slices.Equal(hitIDs(res2), hitIDs(res)) {
			t.Fatalf("Search(canonical %q) = %q, want %q as for %q", q.String(), hitIDs(res2), hitIDs(res), text)
		}
	})
}
