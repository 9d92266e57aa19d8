package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/mailgen"
)

// TestWatchReportsNewMatches: a watch added after a first wave reports
// nothing new until a second wave brings matching messages, and then only
// those.
func TestWatchReportsNewMatches(t *testing.T) {
	dir, wave1, wave2 := twoWaves(t, 60, 60)
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--no-progress", wave1)
	q := "from:example.net OR from:example.com"
	out := mustRun(t, "watch", "add", "--data", data, "everyone", q)
	before := total(t, data, q)
	if !strings.Contains(out, "watch everyone saved") || before == 0 {
		t.Fatalf("watch add printed %q; %d messages match", out, before)
	}
	mustRun(t, "watch", "add", "--data", data, "net", "from:example.net")

	var sum summary
	decodeJSON(t, mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--no-progress", "--json", wave2), &sum)
	after := total(t, data, q)
	news := map[string]int{}
	for _, w := range sum.Watches {
		news[w.Name] = len(w.New)
	}
	if news["everyone"] != after-before || news["net"] != total(t, data, "from:example.net") || after == before {
		t.Errorf("index --json watches = %+v; want everyone %d new, net %d new", sum.Watches, after-before, total(t, data, "from:example.net"))
	}
	// Reported once: checking again finds nothing new.
	out = mustRun(t, "watch", "check", "--data", data)
	if !strings.Contains(out, "watch everyone: no new matches") || !strings.Contains(out, "watch net: no new matches") {
		t.Errorf("second check:\n%s", out)
	}
	out = mustRun(t, "watch", "list", "--data", data)
	if !strings.Contains(out, "everyone") || !strings.Contains(out, "from:example.net") {
		t.Errorf("watch list:\n%s", out)
	}
	mustRun(t, "watch", "remove", "--data", data, "net")
	if r := run(t, "watch", "remove", "--data", data, "net"); r.code != exitNotFound {
		t.Errorf("removing a removed watch: exit %d, want %d", r.code, exitNotFound)
	}
	if r := run(t, "watch", "add", "--data", data, "bad", "from:"); r.code != 2 {
		t.Errorf("watch add with a bad query: exit %d, want 2", r.code)
	}
	// A new wave's text output names the watch and the new messages.
	wave3 := filepath.Join(dir, "wave3")
	if _, err := mailgen.Generate(wave3, mailgen.Options{Messages: 20, Seed: 5, Domain: "example.org"}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "watch", "add", "--data", data, "org", "from:example.org")
	out = mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w3", "--no-progress", wave3)
	if !strings.Contains(out, "watch org: ") || !strings.Contains(out, "new match") {
		t.Errorf("index output does not report the watch's new matches:\n%s", out)
	}
}

// TestDiff: a second wave's new messages, newly exposed addresses and
// riskiest messages, against what the generator wrote.
func TestDiff(t *testing.T) {
	dir, wave1, wave2 := twoWaves(t, 50, 40)
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--no-progress", wave1)
	// wave 2 republishes wave 1 (the same mail in other files) and adds
	// its own, plus an SSN.
	again := filepath.Join(dir, "again")
	if _, err := mailgen.Generate(again, mailgen.Options{Messages: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--no-progress", again, wave2, sensitiveMbox(t))

	var o diffOutput
	decodeJSON(t, mustRun(t, "diff", "--data", data, "--batch", "w2", "--json"), &o)
	w1, all := total(t, data, "batch:w1"), total(t, data, "*")
	if o.Messages != all-w1 || o.Republished != w1 || o.Messages == 0 {
		t.Errorf("diff w2: %d new, %d republished; want %d new, %d republished", o.Messages, o.Republished, all-w1, w1)
	}
	if len(o.Earlier) != 1 || o.Earlier[0] != "w1" {
		t.Errorf("diff w2: earlier batches %v, want [w1]", o.Earlier)
	}
	for _, p := range o.NewPeople {
		if strings.HasSuffix(p.Address, "@example.com") && p.Address != "jane.doe@example.com" && p.Address != "hr@example.com" {
			if n := total(t, data, "batch:w1 (from:"+p.Address+" OR to:"+p.Address+")"); n > 0 {
				t.Errorf("diff w2 lists %s as newly exposed; it is on %d messages of w1", p.Address, n)
			}
		}
	}
	found := false
	for _, p := range o.NewPeople {
		found = found || p.Address == "jane.doe@example.com"
	}
	if !found || len(o.NewPeople) < 2 {
		t.Errorf("diff w2: newly exposed %v, want jane.doe@example.com and the example.net people", o.NewPeople)
	}
	if len(o.HighestRisk) == 0 || o.HighestRisk[0].Risk < 50 || o.Flags["ssn"] != 1 {
		t.Errorf("diff w2: highest risk %+v, flags %v; want the SSN message first", o.HighestRisk, o.Flags)
	}
	var first diffOutput
	decodeJSON(t, mustRun(t, "diff", "--data", data, "--batch", "w1", "--json"), &first)
	if first.Messages != w1 || first.Republished != 0 || len(first.Earlier) != 0 {
		t.Errorf("diff w1 = %d new, %d republished, earlier %v; want %d, 0, none", first.Messages, first.Republished, first.Earlier, w1)
	}
	if r := run(t, "diff", "--data", data, "--batch", "w9"); r.code != exitNotFound {
		t.Errorf("diff of an unknown batch: exit %d, want %d", r.code, exitNotFound)
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
