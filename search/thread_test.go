package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// threadsOf is a ThreadResolver over a fixed map.
type threadsOf map[string][]string

func (m threadsOf) ThreadMembers(_ context.Context, thread string) ([]string, error) {
	if thread == "broken" {
		return nil, errors.New("store unavailable")
	}
	return m[strings.ToLower(thread)], nil
}

// TestThreadResolver: with a resolver, thread: finds the thread's current
// members, whatever thread the index recorded when they were indexed.
func TestThreadResolver(t *testing.T) {
	docs := []leakscope.Document{simpleDoc("a", "budget", day0), simpleDoc("b", "re: budget", day0.Add(1)), simpleDoc("c", "other", day0.Add(2))}
	for _, d := range docs {
		d.Message.ThreadID = d.Message.ID // as indexed, before threading
	}
	ix := openMem(t, docs)
	threads := threadsOf{"a": {"a", "b"}, "c": {"c"}}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"thread:a", []string{"a", "b"}},
		{"thread:A budget", []string{"a", "b"}},
		{"thread:a -subject:re", []string{"a"}},
		{"thread:c OR thread:a", []string{"a", "b", "c"}},
		{"thread:nope", nil},
	} {
		q, err := query.Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), Request{Query: q, Sort: SortDateAsc, Threads: threads})
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.query, err)
		}
		if got := hitIDs(res); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.query, got, tc.want)
		}
	}
	q, _ := query.Parse("thread:broken")
	if _, err := ix.Search(context.Background(), Request{Query: q, Threads: threads}); err == nil {
		t.Error("Search with a failing resolver succeeded")
	}
	q, _ = query.Parse("thread:a*")
	var qe *leakscope.QueryError
	if _, err := ix.Search(context.Background(), Request{Query: q, Threads: threads}); !errors.As(err, &qe) {
		t.Errorf("thread:a* = %v, want a QueryError", err)
	}
}
