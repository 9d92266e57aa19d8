package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir returns the directory sub of the shared test corpus
// (../shared/corpus beside the repository), skipping the test when it is
// absent unless LEAKSCOPE_REQUIRE_CORPUS=1.
func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", filepath.FromSlash(sub))
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("corpus %s missing (LEAKSCOPE_REQUIRE_CORPUS=1): %v", dir, err)
		}
		t.Skipf("corpus %s not found (it lives in ../shared/corpus next to the repository); set LEAKSCOPE_REQUIRE_CORPUS=1 to make this a failure", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestIndexMimeOdditiesAlone is the regression test of a panic: the
// mime-oddities folder indexed alone into a new data directory trained
// the compression dictionaries on its messages, and klauspost/compress's
// builder panicked on one of 1.8 MB (exit 2, every re-run the same).
func TestIndexMimeOdditiesAlone(t *testing.T) {
	dir := corpusDir(t, "mime-oddities")
	data := filepath.Join(t.TempDir(), "data")
	r := run(t, "index", "--data", data, "--leak", "odd", "--no-progress", "--json", dir)
	if r.code != exitOK || strings.Contains(r.stderr, "panic") {
		t.Fatalf("index mime-oddities alone: exit %d, want 0 and no panic\nstderr: %s", r.code, r.stderr)
	}
	var sum summary
	decodeJSON(t, r.stdout, &sum)
	if sum.Status != "done" || sum.Counts.New == 0 {
		t.Errorf("summary %+v, want a finished run with new messages", sum)
	}
}

// TestRunRecoversPanic: a panic on the command's goroutine is an internal
// error (exit 1, not 2 as bad usage would be) with its stack on stderr.
func TestRunRecoversPanic(t *testing.T) {
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	err := func() (err error) {
		defer m.recoverPanic(&err)
		var d *data
		return d.Store.Close() // nil dereference
	}()
	if code := m.exitCode(context.Background(), err); code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	stderr := errb.String()
	for _, want := range []string{"internal error", "nil pointer dereference", "goroutine ", "TestRunRecoversPanic"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
