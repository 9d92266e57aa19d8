package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// search runs text (a user query) on ix and returns every hit's ID, oldest
// first.
func searchIDs(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	res, err := parseAndSearch(ix, text, SortDateAsc)
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	return hitIDs(res)
}

func count(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.Count(context.Background())
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

func simpleDoc(id, subject string, date time.Time) leakscope.Document {
	return leakscope.Document{
		Message: &leakscope.Message{ID: id, Subject: subject, Date: date, From: leakscope.Address{Email: id + "@example.com"}},
		Text:    &leakscope.Text{Body: "body of " + id},
		Copies:  []leakscope.Copy{{MessageID: id, Leak: "test", Custodian: "c-" + id}},
	}
}

var day0 = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)

func TestPutDeleteCount(t *testing.T) {
	ctx := context.Background()
	ix := openMem(t, nil)
	if n := count(t, ix); n != 0 {
		t.Fatalf("Count of a new index = %d, want 0", n)
	}
	docs := []leakscope.Document{
		simpleDoc("m1", "alpha", day0),
		simpleDoc("m2", "beta", day0.Add(time.Hour)),
		simpleDoc("m3", "gamma", day0.Add(2*time.Hour)),
	}
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ix); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}

	// Re-putting a document replaces it: its old words are gone.
	changed := simpleDoc("m2", "delta", day0.Add(time.Hour))
	changed.Copies = append(changed.Copies, leakscope.Copy{MessageID: "m2", Leak: "test", Custodian: "second"})
	if err := ix.Put(ctx, []leakscope.Document{changed}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ix); n != 3 {
		t.Errorf("Count after re-Put = %d, want 3", n)
	}
	for q, want := range map[string][]string{
		"beta":             nil,
		"delta":            {"m2"},
		"custodian:second": {"m2"},
		"custodian:c-m2":   {"m2"},
		"*":                {"m1", "m2", "m3"},
	} {
		if got := searchIDs(t, ix, q); !slices.Equal(got, want) {
			t.Errorf("after re-Put, Search(%q) = %q, want %q", q, got, want)
		}
	}

	// The same ID twice in one batch: the last one wins.
	if err := ix.Put(ctx, []leakscope.Document{simpleDoc("m4", "first", day0), simpleDoc("m4", "second", day0)}); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, "subject:first OR subject:second"); !slices.Equal(got, []string{"m4"}) {
		t.Errorf("Search after a batch with one ID twice = %q, want [m4]", got)
	}
	if got := searchIDs(t, ix, "subject:second"); !slices.Equal(got, []string{"m4"}) {
		t.Errorf("the later copy of m4 was not kept: Search(subject:second) = %q", got)
	}

	if err := ix.Delete(ctx, []string{"m1", "m4", "unknown"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ix); n != 2 {
		t.Errorf("Count after Delete = %d, want 2", n)
	}
	if got := searchIDs(t, ix, "*"); !slices.Equal(got, []string{"m2", "m3"}) {
		t.Errorf("Search(*) after Delete = %q, want [m2 m3]", got)
	}
	if err := ix.Put(ctx, nil); err != nil {
		t.Errorf("Put(nil) = %v, want nil", err)
	}
	if err := ix.Delete(ctx, nil); err != nil {
		t.Errorf("Delete(nil) = %v, want nil", err)
	}
}

func TestPutInvalid(t *testing.T) {
	ctx := context.Background()
	ix := openMem(t, nil)
	tests := []struct {
		name string
		doc  leakscope.Document
	}{
		{"no message", leakscope.Document{}},
		{"no id", leakscope.Document{Message: &leakscope.Message{Subject: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ix.Put(ctx, []leakscope.Document{simpleDoc("ok", "fine", day0), tt.doc})
			if !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Errorf("Put(%s) = %v, want ErrInvalidInput", tt.name, err)
			}
			if n := count(t, ix); n != 0 {
				t.Errorf("Put(%s) wrote %d documents, want none", tt.name, n)
			}
		})
	}
	// A message without text or copies is fine.
	if err := ix.Put(ctx, []leakscope.Document{{Message: &leakscope.Message{ID: "bare"}}}); err != nil {
		t.Errorf("Put(bare message) = %v", err)
	}
	if got := searchIDs(t, ix, "*"); !slices.Equal(got, []string{"bare"}) {
		t.Errorf("Search(*) = %q, want [bare]", got)
	}
}

func TestCanceledContext(t *testing.T) {
	ix := openMem(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Put(ctx, []leakscope.Document{simpleDoc("m1", "x", day0)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Put(canceled) = %v, want context.Canceled", err)
	}
	if err := ix.Delete(ctx, []string{"m1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete(canceled) = %v, want context.Canceled", err)
	}
	if _, err := ix.Count(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Count(canceled) = %v, want context.Canceled", err)
	}
	if _, err := ix.Search(ctx, Request{Query: leakscope.MatchAll{}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search(canceled) = %v, want context.Canceled", err)
	}
}

// TestOnDisk writes an index, reopens it, and checks that an index made
// with another mapping version is refused.
func TestOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, []leakscope.Document{simpleDoc("m1", "alpha", day0), simpleDoc("m2", "beta", day0)}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if n := count(t, ix); n != 2 {
		t.Errorf("Count after reopen = %d, want 2", n)
	}
	if got := searchIDs(t, ix, "beta"); !slices.Equal(got, []string{"m2"}) {
		t.Errorf("Search(beta) after reopen = %q, want [m2]", got)
	}
	if err := ix.idx.SetInternal(mappingVersionKey, []byte("0")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	for _, opts := range []Options{{}, {ReadOnly: true}} {
		_, err = Open(dir, opts)
		if !errors.Is(err, ErrOutdated) || !strings.Contains(err.Error(), `mapping version "0"`) || !strings.Contains(err.Error(), "rebuilt") {
			t.Errorf("Open(index of mapping version 0, %+v) = %v, want a mapping version error", opts, err)
		}
	}
}

// TestReadOnly checks what bleve (scorch over bbolt) allows: read-only
// Index values share an index with each other but not with a writer, and
// writes through a read-only value fail instead of hanging.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")

	if _, err := Open(dir, Options{ReadOnly: true}); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Open(missing, ReadOnly) = %v, want ErrNotFound", err)
	}
	if _, err := Open("", Options{ReadOnly: true}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("Open(in memory, ReadOnly) = %v, want ErrInvalidInput", err)
	}

	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(ctx, []leakscope.Document{simpleDoc("m1", "alpha", day0)}); err != nil {
		t.Fatal(err)
	}
	// A writer holds the lock: a reader waits lockTimeout and gives up.
	start := time.Now()
	if r, err := Open(dir, Options{ReadOnly: true}); err == nil {
		r.Close()
		t.Errorf("Open(ReadOnly) while a writer has the index succeeded; bbolt's lock should refuse it")
	} else if !strings.Contains(err.Error(), "locked") {
		t.Errorf("Open(ReadOnly) while a writer has the index = %v, want a lock error", err)
	}
	if d := time.Since(start); d < lockTimeout/2 || d > 10*lockTimeout {
		t.Errorf("Open(ReadOnly) on a locked index took %v, want about %v", d, lockTimeout)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	r1, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(ReadOnly): %v", err)
	}
	defer r1.Close()
	r2, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second Open(ReadOnly) at the same time: %v", err)
	}
	defer r2.Close()
	for _, r := range []*Index{r1, r2} {
		if got := searchIDs(t, r, "alpha"); !slices.Equal(got, []string{"m1"}) {
			t.Errorf("read-only Search(alpha) = %q, want [m1]", got)
		}
		if n := count(t, r); n != 1 {
			t.Errorf("read-only Count = %d, want 1", n)
		}
	}
	if err := r1.Put(ctx, []leakscope.Document{simpleDoc("m2", "beta", day0)}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("Put on a read-only index = %v, want ErrInvalidInput", err)
	}
	if err := r1.Delete(ctx, []string{"m1"}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("Delete on a read-only index = %v, want ErrInvalidInput", err)
	}
	// Readers hold the lock too: a writer cannot open the index meanwhile.
	if w, err := Open(dir, Options{}); err == nil {
		w.Close()
		t.Errorf("Open(writer) while readers have the index succeeded")
	} else if !strings.Contains(err.Error(), "locked") {
		t.Errorf("Open(writer) while readers have the index = %v, want a lock error", err)
	}
}

func TestOpenBadDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ix, err := Open(filepath.Join(file, "index"), Options{}); err == nil {
		ix.Close()
		t.Errorf("Open(under a file) succeeded")
	}
}

func TestSearchQueryErrors(t *testing.T) {
	ix := openMem(t, []leakscope.Document{simpleDoc("m1", "alpha", day0)})
	ctx := context.Background()
	tests := []struct {
		name string
		q    leakscope.Query
		pos  int // -1: not a QueryError
	}{
		{"nil query", nil, -2},
		{"empty date range", leakscope.DateRange{From: day0, To: day0, Pos: 3}, 3},
		{"reversed date range", &leakscope.DateRange{From: day0.AddDate(0, 0, 1), To: day0, Pos: 4}, 4},
		{"date term", leakscope.Term{Field: leakscope.FieldDate, Value: "2014", Pos: 5}, 5},
		{"unknown field", leakscope.Term{Field: "colour", Value: "red", Pos: 6}, 6},
		{"bad severity", leakscope.Term{Field: leakscope.FieldSeverity, Value: "urgent", Pos: 7}, 7},
		{"bad has", leakscope.Term{Field: leakscope.FieldHas, Value: "pdf", Pos: 8}, 8},
		{"empty keyword", leakscope.And{Clauses: []leakscope.Query{leakscope.MatchAll{}, leakscope.Term{Field: leakscope.FieldLeak, Value: " ", Pos: 9}}}, 9},
		{"empty prefix", leakscope.Or{Clauses: []leakscope.Query{leakscope.Term{Value: "", Prefix: true, Pos: 10}}}, 10},
		{"empty name", leakscope.Not{Clause: leakscope.Term{Field: leakscope.FieldFrom, Value: "", Pos: 11}}, 11},
		{"unknown node", badNode{}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(ctx, Request{Query: tt.q})
			var qe *leakscope.QueryError
			switch {
			case tt.pos == -2:
				if !errors.Is(err, leakscope.ErrInvalidInput) {
					t.Errorf("Search(%v) = %v, want ErrInvalidInput", tt.q, err)
				}
			case tt.pos == -1:
				if !errors.Is(err, leakscope.ErrInvalidQuery) {
					t.Errorf("Search(%v) = %v, want ErrInvalidQuery", tt.q, err)
				}
			case !errors.As(err, &qe):
				t.Errorf("Search(%v) = %v, want a *leakscope.QueryError", tt.q, err)
			case qe.Pos != tt.pos:
				t.Errorf("Search(%v) error at %d, want %d", tt.q, qe.Pos, tt.pos)
			}
		})
	}
}

type badNode struct{ leakscope.Query }

func (badNode) String() string { return "bad" }

// TestPointerNodes checks that query trees built from pointers search like
// trees of values.
func TestPointerNodes(t *testing.T) {
	ix := openMem(t, []leakscope.Document{
		simpleDoc("m1", "alpha beta", day0), simpleDoc("m2", "beta", day0.Add(time.Hour)), simpleDoc("m3", "gamma", day0.Add(2*time.Hour)),
	})
	alpha := &leakscope.Term{Value: "alpha"}
	beta := &leakscope.Term{Value: "beta"}
	tests := []struct {
		q    leakscope.Query
		want []string
	}{
		{&leakscope.MatchAll{}, []string{"m1", "m2", "m3"}},
		{&leakscope.And{Clauses: []leakscope.Query{alpha, beta}}, []string{"m1"}},
		{&leakscope.Or{Clauses: []leakscope.Query{alpha, &leakscope.Term{Value: "gamma"}}}, []string{"m1", "m3"}},
		{&leakscope.Not{Clause: beta}, []string{"m3"}},
		{&leakscope.And{Clauses: []leakscope.Query{beta, &leakscope.Not{Clause: alpha}}}, []string{"m2"}},
		{&leakscope.DateRange{From: day0.Add(time.Minute)}, []string{"m2", "m3"}},
		{leakscope.And{}, []string{"m1", "m2", "m3"}},
		{leakscope.Or{}, nil},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Request{Query: tt.q, Sort: SortDateAsc})
		if err != nil {
			t.Errorf("Search(%v): %v", tt.q, err)
			continue
		}
		if got := hitIDs(res); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%v) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestRequestErrors checks that malformed requests are ErrInvalidInput.
func TestRequestErrors(t *testing.T) {
	ix := openMem(t, []leakscope.Document{simpleDoc("m1", "alpha", day0)})
	q, err := query.Parse("alpha")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  Request
	}{
		{"no query", Request{}},
		{"unknown sort", Request{Query: q, Sort: "subject"}},
		{"negative limit", Request{Query: q, Limit: -1}},
		{"limit too big", Request{Query: q, Limit: MaxLimit + 1}},
		{"negative offset", Request{Query: q, Offset: -1}},
		{"offset too deep", Request{Query: q, Offset: MaxOffset + 1}},
		{"offset and cursor", Request{Query: q, Offset: 1, After: "AQEA"}},
		{"negative facet size", Request{Query: q, Facets: true, FacetSize: -1}},
		{"facet size too big", Request{Query: q, Facets: true, FacetSize: MaxFacetSize + 1}},
	}
	for _, tt := range tests {
		if _, err := ix.Search(context.Background(), tt.req); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("Search(%s) = %v, want ErrInvalidInput", tt.name, err)
		}
	}
}

// TestDateRangeInsideDays checks date ranges whose bounds fall inside a UTC
// day (midnight in another time zone, as "today" is on a server that is
// not on UTC): the index keeps whole days in the date field, and the
// partial days come from the sort key. Every pair of bounds is compared
// with the messages' dates.
func TestDateRangeInsideDays(t *testing.T) {
	var docs []leakscope.Document
	var dates []time.Time
	for i, offset := range []time.Duration{
		-time.Nanosecond, 0, time.Nanosecond, 5*time.Hour + 29*time.Minute, 5*time.Hour + 30*time.Minute,
		12 * time.Hour, 24*time.Hour - time.Second, 24 * time.Hour, 29*time.Hour + 30*time.Minute,
		36 * time.Hour, 48*time.Hour + 5*time.Hour + 30*time.Minute, 72*time.Hour + time.Minute,
	} {
		date := day0.Add(offset)
		dates = append(dates, date)
		docs = append(docs, simpleDoc(fmt.Sprintf("m%02d", i), "dated", date))
	}
	ix := openMem(t, docs)

	india := time.FixedZone("IST", 5*3600+1800)
	bounds := []time.Time{
		{}, day0, day0.Add(time.Nanosecond), time.Date(2014, 1, 1, 0, 0, 0, 0, india), time.Date(2014, 1, 2, 0, 0, 0, 0, india),
		time.Date(2014, 1, 3, 0, 0, 0, 0, india), day0.Add(12 * time.Hour), day0.Add(24 * time.Hour), day0.Add(36 * time.Hour),
		day0.Add(100 * time.Hour),
	}
	for _, from := range bounds {
		for _, to := range bounds {
			if !from.IsZero() && !to.IsZero() && !from.Before(to) {
				continue
			}
			var want []string
			for i, d := range dates {
				if (from.IsZero() || !d.Before(from)) && (to.IsZero() || d.Before(to)) {
					want = append(want, docs[i].Message.ID)
				}
			}
			res, err := ix.Search(context.Background(), Request{
				Query: leakscope.DateRange{From: from, To: to}, Sort: SortDateAsc, Limit: MaxLimit,
			})
			if err != nil {
				t.Fatalf("[%v, %v): %v", from, to, err)
			}
			if got := hitIDs(res); !slices.Equal(got, want) {
				t.Errorf("[%v, %v): hits %v, want %v", from, to, got, want)
			}
		}
	}
}
