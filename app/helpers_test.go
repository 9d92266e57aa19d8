package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/mailgen"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

// openTest opens a new data directory for writing in t.TempDir().
func openTest(t *testing.T) *App {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "data"), Options{Mode: Write, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// ingest ingests inputs into a as batch of the leak "l", without
// detection unless detect is set, and fails the test unless it succeeds.
func ingest(t *testing.T, a *App, batch string, detect bool, inputs ...string) *IngestSummary {
	t.Helper()
	for i, in := range inputs {
		abs, err := filepath.Abs(in)
		if err != nil {
			t.Fatal(err)
		}
		inputs[i] = abs
	}
	sum, err := a.Ingest(context.Background(), Ingest{Leak: "l", Batch: batch, Inputs: inputs}, IngestOptions{NoDetect: !detect})
	if err != nil {
		t.Fatalf("Ingest(%s, %v) = %v", batch, inputs, err)
	}
	return sum
}

// total counts the messages matching the query text q.
func total(t *testing.T, a *App, q string) int {
	t.Helper()
	pq, err := query.Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", q, err)
	}
	res, err := a.Index.Search(context.Background(), search.Request{Query: pq, Limit: 0})
	if err != nil {
		t.Fatalf("Search(%q) = %v", q, err)
	}
	return int(res.Total)
}

// generate writes n messages of mailgen's, with seed and domain (default
// example.com), under a new folder of dir, and returns its path.
func generate(t *testing.T, dir, name string, n int, seed uint64, domain string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if _, err := mailgen.Generate(path, mailgen.Options{Messages: n, Seed: seed, Domain: domain}); err != nil {
		t.Fatal(err)
	}
	return path
}

// messageID returns the ID of the message whose Message-ID is mid.
func messageID(t *testing.T, st interface {
	ByMessageID(context.Context, string) ([]string, error)
}, mid string) string {
	t.Helper()
	ids, err := st.ByMessageID(context.Background(), mid)
	if err != nil || len(ids) != 1 {
		t.Fatalf("ByMessageID(%q) = %v, %v; want one", mid, ids, err)
	}
	return ids[0]
}

// hrMbox is four messages: one with an SSN, a card number and a phone
// number, one with a password, one that mentions a project code name,
// and a harmless one (as cmd/leakscope's sensitiveMbox).
const hrMbox = "testdata/hr.mbox"
