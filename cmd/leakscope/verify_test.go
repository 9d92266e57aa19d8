package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyRepairCLI: a store deleted beside its packs is refused by every
// command, named by verify (exit 1), and rebuilt by repair; verify is then
// clean and searches answer as before.
func TestVerifyRepairCLI(t *testing.T) {
	dump := makeDump(t, 120)
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "test", "--no-progress", dump)
	want := takeSnapshot(t, data)
	if out := mustRun(t, "verify", "--data", data, "--no-progress"); !strings.Contains(out, "result      sound") {
		t.Errorf("verify of a new data directory:\n%s", out)
	}
	if err := os.Remove(filepath.Join(data, "store.db")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"search", "--data", data, "x"}, {"index", "--data", data, "--leak", "test", "--no-progress", dump}, {"stats", "--data", data}} {
		r := run(t, args...)
		if r.code != exitError || !strings.Contains(r.stderr, "leakscope repair") {
			t.Errorf("leakscope %s on a lost store: exit %d, %q; want 1 naming repair", args[0], r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "store.db")); !os.IsNotExist(err) {
		t.Errorf("a command created a new store over the packs: %v", err)
	}
	if r := run(t, "verify", "--data", data, "--no-progress"); r.code != exitError || !strings.Contains(r.stdout, "store.db") {
		t.Errorf("verify of a lost store: exit %d\n%s", r.code, r.stdout)
	}
	if out := mustRun(t, "repair", "--data", data, "--no-progress"); !strings.Contains(out, "rebuilt the store") {
		t.Errorf("repair:\n%s", out)
	}
	mustRun(t, "verify", "--data", data, "--no-progress")
	compareSnapshots(t, takeSnapshot(t, data), want)
}
