package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/mailgen"
)

// TestWatchCLI: what watch add, check, list and remove print and exit
// with, and the watches of index's output (app's TestWatchReportsNewMatches
// checks the matches).
func TestWatchCLI(t *testing.T) {
	dir, wave1, wave2 := twoWaves(t, 20, 20)
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--no-progress", wave1)
	out := mustRun(t, "watch", "add", "--data", data, "everyone", "from:example.net", "OR", "from:example.com")
	if want := fmt.Sprintf("watch everyone saved: %d messages match now", total(t, data, "from:example.com")); !strings.Contains(out, want) {
		t.Fatalf("watch add printed %q, want %q", out, want)
	}
	var sum summary
	decodeJSON(t, mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--no-progress", "--json", wave2), &sum)
	if len(sum.Watches) != 1 || sum.Watches[0].Name != "everyone" || len(sum.Watches[0].New) != total(t, data, "from:example.net") {
		t.Errorf("index --json watches = %+v; want everyone with the %d new messages", sum.Watches, total(t, data, "from:example.net"))
	}
	out = mustRun(t, "watch", "check", "--data", data)
	if !strings.Contains(out, "watch everyone: no new matches (40 in all)") {
		t.Errorf("second check:\n%s", out)
	}
	var res []map[string]any
	decodeJSON(t, mustRun(t, "watch", "check", "--data", data, "--json", "everyone"), &res)
	if len(res) != 1 || res[0]["name"] != "everyone" || res[0]["matches"] != 40.0 {
		t.Errorf("watch check --json = %v", res)
	}
	out = mustRun(t, "watch", "list", "--data", data)
	if !strings.Contains(out, "everyone") || !strings.Contains(out, "from:example.net OR from:example.com") || !strings.Contains(out, "40 matches at") {
		t.Errorf("watch list:\n%s", out)
	}
	mustRun(t, "watch", "remove", "--data", data, "everyone")
	if r := run(t, "watch", "remove", "--data", data, "everyone"); r.code != exitNotFound {
		t.Errorf("removing a removed watch: exit %d, want %d", r.code, exitNotFound)
	}
	if r := run(t, "watch", "add", "--data", data, "bad", "from:"); r.code != 2 {
		t.Errorf("watch add with a bad query: exit %d, want 2", r.code)
	}
	if out := mustRun(t, "watch", "list", "--data", data); !strings.Contains(out, "no watches") {
		t.Errorf("watch list without watches:\n%s", out)
	}
	// A new wave's text output names the watch and the new messages.
	wave3 := filepath.Join(dir, "wave3")
	if _, err := mailgen.Generate(wave3, mailgen.Options{Messages: 20, Seed: 5, Domain: "example.org"}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "watch", "add", "--data", data, "org", "from:example.org")
	out = mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w3", "--no-progress", wave3)
	if !strings.Contains(out, "watch org: ") || !strings.Contains(out, "new match") || !strings.Contains(out, "[id ") {
		t.Errorf("index output does not report the watch's new matches:\n%s", out)
	}
}

// TestDiffCLI: what diff prints and exits with (app's TestBatchDiff checks
// the figures).
func TestDiffCLI(t *testing.T) {
	dir, wave1, wave2 := twoWaves(t, 20, 20)
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--no-progress", wave1)
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--no-progress", wave2, sensitiveMbox(t))
	var o diffOutput
	decodeJSON(t, mustRun(t, "diff", "--data", data, "--batch", "w2", "--json"), &o)
	if o.Messages != total(t, data, "batch:w2") || len(o.Earlier) != 1 || len(o.HighestRisk) == 0 || o.Flags["ssn"] != 1 {
		t.Errorf("diff --json = %+v", o)
	}
	out := mustRun(t, "diff", "--data", data, "--leak", "l", "--batch", "w2", "--top", "1")
	for _, want := range []string{fmt.Sprintf("batch w2: %d new messages, 0 republished (earlier batches: w1)", o.Messages),
		"flags on new messages:\n", "  ssn ", fmt.Sprintf("\n%d people exposed for the first time (most messages first):\n", len(o.NewPeople)),
		"highest-risk new messages:\n", "Benefits enrolment"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if r := run(t, "diff", "--data", data, "--batch", "w9"); r.code != exitNotFound {
		t.Errorf("diff of an unknown batch: exit %d, want %d", r.code, exitNotFound)
	}
	if r := run(t, "diff", "--data", data); r.code != 2 {
		t.Errorf("diff without --batch: exit %d, want 2", r.code)
	}
}

// twoWaves generates two waves of mail in a temporary directory: n1
// messages of example.com, then n2 of example.net.
func twoWaves(t *testing.T, n1, n2 int) (dir, wave1, wave2 string) {
	t.Helper()
	dir = t.TempDir()
	wave1, wave2 = filepath.Join(dir, "wave1"), filepath.Join(dir, "wave2")
	if _, err := mailgen.Generate(wave1, mailgen.Options{Messages: n1, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := mailgen.Generate(wave2, mailgen.Options{Messages: n2, Seed: 4, Domain: "example.net"}); err != nil {
		t.Fatal(err)
	}
	return dir, wave1, wave2
}
