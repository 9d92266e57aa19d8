package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// TestWatchReportsNewMatches: a watch added after a first wave reports
// nothing new until a second wave brings matching messages, and then only
// those; an ingest checks every watch.
func TestWatchReportsNewMatches(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openTest(t)
	ingest(t, a, "w1", false, generate(t, dir, "wave1", 60, 3, ""))
	q := "from:example.net OR from:example.com"
	w, err := a.AddWatch(ctx, leakscope.Watch{Name: "everyone", Query: q, Created: time.Now().UTC()})
	before := total(t, a, q)
	if err != nil || w.Matches != before || before == 0 || w.Checked.IsZero() {
		t.Fatalf("AddWatch = %+v, %v; %d messages match", w, err, before)
	}
	if _, err := a.AddWatch(ctx, leakscope.Watch{Name: "net", Query: "from:example.net"}); err != nil {
		t.Fatal(err)
	}

	sum := ingest(t, a, "w2", false, generate(t, dir, "wave2", 60, 4, "example.net"))
	after := total(t, a, q)
	news := map[string]int{}
	for _, w := range sum.Watches {
		news[w.Name] = len(w.New)
	}
	if news["everyone"] != after-before || news["net"] != total(t, a, "from:example.net") || after == before {
		t.Errorf("Ingest(w2).Watches = %+v; want everyone %d new, net %d new", sum.Watches, after-before, total(t, a, "from:example.net"))
	}
	// Reported once: checking again finds nothing new.
	res, err := a.CheckWatches(ctx, nil)
	if err != nil || len(res) != 2 || len(res[0].New)+len(res[1].New) != 0 {
		t.Errorf("second CheckWatches = %+v, %v; want both watches, nothing new", res, err)
	}
	ws, err := a.Watches(ctx)
	if err != nil || len(ws) != 2 || ws[0].Name != "everyone" || ws[1].Query != "from:example.net" || ws[0].Matches != after {
		t.Errorf("Watches = %+v, %v", ws, err)
	}
	if err := a.DeleteWatch(ctx, "net"); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteWatch(ctx, "net"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("DeleteWatch(removed) = %v, want ErrNotFound", err)
	}
	if _, err := a.CheckWatches(ctx, []string{"net"}); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("CheckWatches(removed) = %v, want ErrNotFound", err)
	}
	// A new wave's watch results name the new messages.
	wave3 := generate(t, dir, "wave3", 20, 5, "example.org")
	if _, err := a.AddWatch(ctx, leakscope.Watch{Name: "org", Query: "from:example.org"}); err != nil {
		t.Fatal(err)
	}
	sum = ingest(t, a, "w3", false, wave3)
	for _, r := range sum.Watches {
		if r.Name == "org" && (len(r.New) != total(t, a, "from:example.org") || len(r.New) == 0) {
			t.Errorf("Ingest(w3) watch org = %+v, want its %d new matches", r, total(t, a, "from:example.org"))
		}
	}
}
