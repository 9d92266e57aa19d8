package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
)

// TestIngest: an ingest of the sample leak stores and indexes every
// message; run again it adds nothing; its summary says what it did.
func TestIngest(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	input, err := filepath.Abs(filepath.Join("..", "testdata", "sample-leak"))
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2014, 12, 8, 0, 0, 0, 0, time.UTC)
	var progress int
	opts := IngestOptions{Progress: func(indexer.Progress) { progress++ }, Workers: 2}
	sum, err := a.Ingest(ctx, Ingest{Leak: "sample", Batch: "w1", Published: published, Inputs: []string{input}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Run == 0 || sum.Leak != "sample" || sum.Batch != "w1" || sum.Status != leakscope.RunDone || sum.Counts.New == 0 || progress == 0 {
		t.Fatalf("Ingest = %+v (%d progress calls), want a finished run with new messages", sum, progress)
	}
	if n := total(t, a, "*"); n != int(sum.Counts.New) {
		t.Errorf("after Ingest, %d messages searchable, want %d", n, sum.Counts.New)
	}
	if len(sum.Watches) != 0 {
		t.Errorf("Ingest without watches: Watches = %v, want none", sum.Watches)
	}
	again, err := a.Ingest(ctx, Ingest{Leak: "sample", Batch: "w1", Inputs: []string{input}}, opts)
	if err != nil || again.Counts.New != 0 || again.Counts.Copies != 0 || again.Counts.Known == 0 || again.Run <= sum.Run {
		t.Errorf("Ingest again = %+v, %v; want nothing new, every copy known", again, err)
	}
	runs, err := a.Store.Runs(ctx)
	if err != nil || len(runs) != 2 || !runs[0].Published.Equal(published) || runs[0].Batch != "w1" {
		t.Errorf("Runs = %+v, %v; want two, the first published %v", runs, err, published)
	}
	// A bad rule file stops the ingest before it reads anything.
	bad := filepath.Join("testdata", "bad.toml")
	if sum, err := a.Ingest(ctx, Ingest{Leak: "sample", Inputs: []string{input}}, IngestOptions{Detect: DetectSettings{RulesFile: bad}}); err == nil || sum != nil {
		t.Errorf("Ingest with a bad rule file = %+v, %v; want an error and no summary", sum, err)
	}
}

// TestIngestReference: the reference archive is stored apart from the
// leak: its messages are in its own store, not in the leak's search.
func TestIngestReference(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	if _, err := a.OpenReference(ctx, false); err == nil {
		t.Fatal("a reference archive before any reference ingest")
	}
	abs, _ := filepath.Abs(hrMbox)
	sum, err := a.IngestReference(ctx, []string{abs}, IngestOptions{})
	if err != nil || sum.Leak != ReferenceName || sum.Counts.New != 4 || sum.Status != leakscope.RunDone {
		t.Fatalf("IngestReference = %+v, %v; want 4 new messages in %q", sum, err, ReferenceName)
	}
	if n := total(t, a, "*"); n != 0 {
		t.Errorf("after IngestReference, the leak's search finds %d messages, want 0", n)
	}
	ref, err := a.OpenReference(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	st, err := ref.Stats(ctx)
	if err != nil || st.Messages != 4 {
		t.Errorf("reference store: %+v, %v; want 4 messages", st, err)
	}
	m, err := ref.Message(ctx, messageID(t, ref, "pii@example.com"))
	if err != nil || m.Collection != leakscope.CollectionReference || len(m.Flags) == 0 {
		t.Errorf("reference message = %+v, %v; want the reference collection, flagged", m, err)
	}
}
