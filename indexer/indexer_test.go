package indexer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// boomDetector panics on messages whose subject says "boom", as a detector
// with a bug could on some leaked message.
type boomDetector struct{}

func (boomDetector) Detect(m *leakscope.Message, _ *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	if strings.Contains(m.Subject, "boom") {
		var flags []leakscope.Flag
		return flags[:1], 0, nil // slice bounds out of range
	}
	return nil, 0, nil
}

// openData opens a store and an index in a temporary directory.
func openData(t *testing.T) (*store.DB, *search.Index) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "store.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return st, ix
}

// TestDetectorPanicIsAFailure: a message the detector panics on is a
// "panic" failure naming the step, its bytes kept in the store; the run
// goes on and indexes the others.
func TestDetectorPanicIsAFailure(t *testing.T) {
	ctx := context.Background()
	dump := t.TempDir()
	boom := "From: a@example.com\nSubject: boom: SSN 078-05-1120\nDate: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <2@x>\n\nbody\n"
	for name, m := range map[string]string{
		"1.eml": "From: a@example.com\nSubject: fine\nDate: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <1@x>\n\nbody\n",
		"2.eml": boom,
		"3.eml": "From: a@example.com\nSubject: fine too\nDate: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <3@x>\n\nbody\n",
	} {
		if err := os.WriteFile(filepath.Join(dump, name), []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, ix := openData(t)
	run := &leakscope.IngestRun{Leak: "l", Inputs: []string{dump}, Started: time.Now().UTC()}
	if err := st.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	x := indexer.New(st, ix, indexer.Options{Detector: boomDetector{}, Workers: 2})
	if err := x.Run(ctx, run, run.Inputs); err != nil {
		t.Fatalf("Run = %v, want nil: a panic on one message does not stop the run", err)
	}
	if c := run.Counts; c.New != 2 || c.Failures != 1 || run.Status != leakscope.RunDone {
		t.Errorf("run %s, counts %+v; want done, 2 new, 1 failure", run.Status, c)
	}
	probs, err := st.Problems(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 {
		t.Fatalf("problems = %+v, want one", probs)
	}
	p := probs[0]
	if p.Severity != leakscope.ProblemFailure || p.Code != "panic" || p.Location != filepath.Join(dump, "2.eml") ||
		!strings.Contains(p.Detail, "detect sensitive content") || !strings.Contains(p.Detail, "out of range") {
		t.Errorf("problem = %+v, want a panic failure of 2.eml in the detection step", p)
	}
	if strings.Contains(p.Detail, "078-05") {
		t.Errorf("Detail = %q quotes the message", p.Detail)
	}
	raw, err := st.Original(ctx, p.RawSHA256)
	if err != nil || !bytes.Equal(raw, []byte(boom)) {
		t.Errorf("Original(%q) = %q, %v; want the bytes of 2.eml kept", p.RawSHA256, raw, err)
	}
}

// countingIndex is a real index that counts its merges; fail makes the
// next merge fail, as one cut short by a signal.
type countingIndex struct {
	*search.Index
	merges int
	fail   error
}

func (c *countingIndex) Optimize(ctx context.Context) error {
	if err := c.fail; err != nil {
		c.fail = nil
		return err
	}
	c.merges++
	return c.Index.Optimize(ctx)
}

// TestMergeLeftUndoneIsDoneNext: a run whose merge of the index did not
// happen (stopped during it) leaves it to the next run, which merges even
// though it adds nothing; a run after that, with nothing to merge, does
// not; Recover merges what was left too.
func TestMergeLeftUndoneIsDoneNext(t *testing.T) {
	ctx := context.Background()
	dump := t.TempDir()
	m := "From: a@example.com\nDate: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <1@x>\nSubject: s\n\nbody\n"
	if err := os.WriteFile(filepath.Join(dump, "1.eml"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	st, six := openData(t)
	ix := &countingIndex{Index: six}
	ingest := func() error {
		t.Helper()
		run := &leakscope.IngestRun{Leak: "l", Inputs: []string{dump}, Started: time.Now().UTC()}
		if err := st.BeginRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		return indexer.New(st, ix, indexer.Options{}).Run(ctx, run, run.Inputs)
	}
	pending := func() bool {
		t.Helper()
		p, err := st.OptimizePending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ix.fail = context.Canceled
	if err := ingest(); err == nil {
		t.Fatal("first run: nil error, want its merge's")
	}
	if ix.merges != 0 || !pending() {
		t.Fatalf("after a run whose merge failed: %d merges, pending %v; want 0, true", ix.merges, pending())
	}
	if err := ingest(); err != nil {
		t.Fatal(err)
	}
	if ix.merges != 1 || pending() {
		t.Errorf("after a run adding nothing: %d merges, pending %v; want 1 (the one left undone), false", ix.merges, pending())
	}
	if err := ingest(); err != nil {
		t.Fatal(err)
	}
	if ix.merges != 1 {
		t.Errorf("a run with nothing to merge merged: %d merges, want 1", ix.merges)
	}
	if err := st.SetOptimizePending(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(st, ix, indexer.Options{}).Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.merges != 2 || pending() {
		t.Errorf("after Recover: %d merges, pending %v; want 2, false", ix.merges, pending())
	}
}
