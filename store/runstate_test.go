package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// TestKilledRunRecounted: a run its process left "running" (killed after
// storing a batch, with counters saved before it) shows as interrupted to
// a read-only DB, with the counters of what it stored; the next run
// records it so and is linked to it when it has the same inputs.
func TestKilledRunRecounted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	// Run 1 finishes: it stores message 1.
	done := &leakscope.IngestRun{Leak: "l", Inputs: []string{"/old"}}
	if err := db.BeginRun(ctx, done); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, done.ID, []leakscope.Ingested{item("1@x", "hello", "/old/1", d)}, nil); err != nil {
		t.Fatal(err)
	}
	done.Status = leakscope.RunDone
	if err := db.UpdateRun(ctx, done); err != nil {
		t.Fatal(err)
	}
	// Run 2 is killed after one batch: a copy of message 1, message 2 in
	// two places, and problems.
	killed := &leakscope.IngestRun{Leak: "l", Inputs: []string{"/dump"}}
	if err := db.BeginRun(ctx, killed); err != nil {
		t.Fatal(err)
	}
	killed.Counts = leakscope.RunCounts{Inputs: 7, Messages: 2, Known: 1, Bytes: 500} // saved before the batch
	if err := db.UpdateRun(ctx, killed); err != nil {
		t.Fatal(err)
	}
	items := []leakscope.Ingested{item("1@x", "hello", "/dump/a", d), item("2@x", "world", "/dump/b", d), item("2@x", "world", "/dump/c", d)}
	problems := []leakscope.Problem{
		{Severity: leakscope.ProblemFailure, Location: "/dump/bad", Code: "parse", Detail: "x"},
		{Severity: leakscope.ProblemSkipped, Location: "/dump/notes.txt", Code: "not_mail", Detail: "text"},
		{Severity: leakscope.ProblemWarning, Location: "/dump/b", Message: "m2", Code: "date", Detail: "no Date field"},
		{Severity: leakscope.ProblemWarning, Location: "/dump/b", Message: "m2", Code: "charset", Detail: "unknown"},
		{Severity: leakscope.ProblemWarning, Location: "/dump/b#2", Message: "m3", Code: "date", Detail: "no Date field"},
		{Severity: leakscope.ProblemWarning, Location: "/dump/x.mbox@10", Code: "mbox", Detail: "walker's, not a message's"},
	}
	if _, err := db.Apply(ctx, killed.ID, items, problems); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil { // the process is killed
		t.Fatal(err)
	}

	want := leakscope.RunCounts{Inputs: 7, Messages: 4, New: 1, Copies: 3, Known: 1, Duplicates: 2, Warnings: 1, Failures: 1, Skipped: 1, Bytes: 500}
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := ro.Runs(ctx)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r := runs[1]; r.Status != leakscope.RunInterrupted || r.Error != killedError || r.Counts != want {
		t.Errorf("read-only Runs: killed run %s (%s) counts %+v; want interrupted, counts %+v", r.Status, r.Error, r.Counts, want)
	}
	if r := runs[0]; r.Status != leakscope.RunDone {
		t.Errorf("read-only Runs: finished run %s, want done", r.Status)
	}

	db, err = Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	resume := &leakscope.IngestRun{Leak: "l", Inputs: []string{"/dump"}}
	if err := db.BeginRun(ctx, resume); err != nil {
		t.Fatal(err)
	}
	if resume.Resumes != killed.ID {
		t.Errorf("run of the same inputs: Resumes = %d, want %d", resume.Resumes, killed.ID)
	}
	runs, err = db.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := runs[1]; r.Status != leakscope.RunInterrupted || r.Counts != want {
		t.Errorf("after BeginRun: killed run %s counts %+v; want recorded interrupted, %+v", r.Status, r.Counts, want)
	}
	if r := runs[2]; r.Status != leakscope.RunRunning {
		t.Errorf("writer's Runs: its own run %s, want running", r.Status)
	}
	resume.Status = leakscope.RunDone
	if err := db.UpdateRun(ctx, resume); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  leakscope.IngestRun
	}{
		{"same inputs, the last run finished", leakscope.IngestRun{Leak: "l", Inputs: []string{"/dump"}}},
		{"other inputs", leakscope.IngestRun{Leak: "l", Inputs: []string{"/dump", "/more"}}},
		{"other batch", leakscope.IngestRun{Leak: "l", Batch: "w2", Inputs: []string{"/dump"}}},
	} {
		r := tc.run
		if err := db.BeginRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
		if r.Resumes != 0 {
			t.Errorf("%s: Resumes = %d, want 0", tc.name, r.Resumes)
		}
		r.Status = leakscope.RunDone
		if err := db.UpdateRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTopLocation(t *testing.T) {
	for loc, want := range map[string]string{
		"/d/a":          "/d/a",
		"/d/a#2":        "/d/a",
		"/d/a@10#2.1.3": "/d/a@10",
		"/d/a#b":        "/d/a#b",
		"/d/a#":         "/d/a#",
	} {
		if got := topLocation(loc); got != want {
			t.Errorf("topLocation(%q) = %q, want %q", loc, got, want)
		}
	}
}
