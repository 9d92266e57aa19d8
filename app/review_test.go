package app

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/mailgen"
	"github.com/leakscope/leakscope/query"
)

// flagger is detect.Detector as the indexer takes it: flags only.
type flagger struct{ d *detect.Detector }

func (f flagger) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, _ := f.d.Detect(m, t)
	return flags, 0, nil
}

// ingested opens a new data directory for writing and ingests paths into
// it as leak "l", with the built-in detection rules.
func ingested(t *testing.T, paths ...string) *App {
	t.Helper()
	ctx := context.Background()
	a, err := Open(ctx, filepath.Join(t.TempDir(), "data"), Options{Mode: Write, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	det, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := &leakscope.IngestRun{Leak: "l", Inputs: paths, Started: time.Now().UTC()}
	if err := a.Store.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(a.Store, a.Index, indexer.Options{Detector: flagger{det}}).Run(ctx, run, paths); err != nil {
		t.Fatal(err)
	}
	return a
}

// generated is a data directory of n generated messages.
func generated(t *testing.T, n int, seed uint64) (*App, *mailgen.Corpus) {
	t.Helper()
	dump := filepath.Join(t.TempDir(), "dump")
	c, err := mailgen.Generate(dump, mailgen.Options{Messages: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return ingested(t, dump), c
}

// hits returns the sorted IDs of every message matching text.
func hits(t *testing.T, a *App, text string) []string {
	t.Helper()
	q, err := query.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := a.QueryIDs(context.Background(), q)
	if err != nil {
		t.Fatalf("QueryIDs(%q) = %v", text, err)
	}
	slices.Sort(ids)
	return ids
}

// TestChangeTagByQuery tags every hit of a query with many pages (of 7
// here), which tagging has to walk, records the change before the
// re-indexing, and finds the tagged messages by tag: at once.
func TestChangeTagByQuery(t *testing.T) {
	ctx := context.Background()
	a, c := generated(t, 120, 23)
	defer func(n int) { tagPage = n }(tagPage)
	tagPage = 7
	q := "to:" + c.People[0].Email + " OR from:" + c.People[0].Email + " OR to:" + c.People[1].Email
	want := hits(t, a, q)
	if all := hits(t, a, "*"); len(want) < 3*tagPage || len(want) == len(all) {
		t.Fatalf("query %q has %d of %d hits; want several pages and not all", q, len(want), len(all))
	}
	recorded := 0
	ch := api.TagChange{Add: true, Tag: leakscope.Tag{Name: "privileged", Note: "advice of counsel", User: "cora"}, Query: mustParse(t, q),
		Record: func(ctx context.Context, matched, changed int) error {
			recorded++
			if matched != len(want) || changed != len(want) {
				t.Errorf("Record(%d, %d), want %d matched and changed", matched, changed, len(want))
			}
			if n := len(hits(t, a, "tag:privileged")); n != 0 {
				t.Errorf("tag:privileged in Record = %d hits, want 0 (not yet re-indexed)", n)
			}
			return nil
		}}
	res, err := a.ChangeTag(ctx, ch)
	if err != nil || *res != (api.TagChangeResult{Matched: len(want), Changed: len(want)}) || recorded != 1 {
		t.Fatalf("ChangeTag = %+v, %v (recorded %d times), want %d matched and changed, recorded once", res, err, recorded, len(want))
	}
	if got := hits(t, a, "tag:privileged"); !slices.Equal(got, want) {
		t.Errorf("tag:privileged = %d hits, want the %d hits of %q", len(got), len(want), q)
	}
	tags, err := a.Store.MessageTags(ctx, want[0])
	if err != nil || len(tags) != 1 || tags[0].Note != "advice of counsel" || tags[0].User != "cora" {
		t.Errorf("MessageTags = %+v, %v, want privileged with its note, by cora", tags, err)
	}
	ch.Record = nil
	if res, err := a.ChangeTag(ctx, ch); err != nil || res.Matched != len(want) || res.Changed != 0 {
		t.Errorf("tagging again = %+v, %v, want %d matched, 0 changed", res, err, len(want))
	}
	res, err = a.ChangeTag(ctx, api.TagChange{Tag: leakscope.Tag{Name: "privileged"}, IDs: want[:2]})
	if err != nil || res.Matched != 2 || res.Changed != 2 {
		t.Errorf("remove from 2 = %+v, %v, want 2 changed", res, err)
	}
	if got := hits(t, a, "tag:privileged"); !slices.Equal(got, want[2:]) {
		t.Errorf("tag:privileged after removing 2 = %d hits, want %d", len(got), len(want)-2)
	}
}

// TestChangeTagErrors: an unknown message changes nothing; Record's error
// is ChangeTag's, but the messages are re-indexed all the same.
func TestChangeTagErrors(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 10, 5)
	ids := hits(t, a, "*")
	_, err := a.ChangeTag(ctx, api.TagChange{Add: true, Tag: leakscope.Tag{Name: "hot"}, IDs: []string{ids[0], "00000000000000000000"}})
	if !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("ChangeTag(unknown id) = %v, want ErrNotFound", err)
	}
	if _, err := a.ChangeTag(ctx, api.TagChange{Add: true, Tag: leakscope.Tag{Name: "-x-"}, IDs: ids[:1]}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("ChangeTag(bad name) = %v, want ErrInvalidInput", err)
	}
	if got := hits(t, a, "tag:hot"); len(got) != 0 {
		t.Errorf("tag:hot after failed changes = %v, want none", got)
	}
	boom := errors.New("audit log full")
	_, err = a.ChangeTag(ctx, api.TagChange{Add: true, Tag: leakscope.Tag{Name: "hot"}, IDs: ids[:1],
		Record: func(context.Context, int, int) error { return boom }})
	if !errors.Is(err, boom) {
		t.Errorf("ChangeTag with a failing Record = %v, want its error", err)
	}
	if got := hits(t, a, "tag:hot"); !slices.Equal(got, ids[:1]) {
		t.Errorf("tag:hot after a failing Record = %v, want %v (re-indexed all the same)", got, ids[:1])
	}
}

// TestTagCounts: the built-in tags first, used or not, then the custom
// ones by name.
func TestTagCounts(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 10, 7)
	ids := hits(t, a, "*")
	for _, ch := range []struct {
		name string
		ids  []string
	}{{"hot", ids[:3]}, {"zeta", ids[:1]}, {"board-2014", ids[2:4]}} {
		if _, err := a.ChangeTag(ctx, api.TagChange{Add: true, Tag: leakscope.Tag{Name: ch.name}, IDs: ch.ids}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := TagCounts(ctx, a.Store)
	if err != nil {
		t.Fatal(err)
	}
	want := []api.TagCount{{Name: "responsive", Builtin: true}, {Name: "privileged", Builtin: true}, {Name: "hot", Count: 3, Builtin: true},
		{Name: "redact", Builtin: true}, {Name: "board-2014", Count: 2}, {Name: "zeta", Count: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("TagCounts = %+v, want %+v", got, want)
	}
}

// TestIndexPendingAfterCrash: a tag change stored but not indexed (the process was
// killed in between) is indexed by the next tag change, or by
// IndexPending, and leaves the pending queue.
func TestIndexPendingAfterCrash(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 20, 5)
	ids := hits(t, a, "*")
	if _, err := a.Store.AddTag(ctx, ids[:3], leakscope.Tag{Name: "privileged"}); err != nil {
		t.Fatal(err)
	}
	if n := len(hits(t, a, "tag:privileged")); n != 0 {
		t.Fatalf("tag:privileged before re-indexing = %d hits, want 0", n)
	}
	if _, err := a.ChangeTag(ctx, api.TagChange{Add: true, Tag: leakscope.Tag{Name: "hot"}, IDs: ids[5:6]}); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, a, "tag:privileged"); !slices.Equal(got, ids[:3]) {
		t.Errorf("tag:privileged after the next tag change = %v, want %v", got, ids[:3])
	}
	if got := hits(t, a, "tag:hot"); !slices.Equal(got, ids[5:6]) {
		t.Errorf("tag:hot = %v, want %v", got, ids[5:6])
	}
	if pending, err := a.Store.Pending(ctx); err != nil || len(pending) != 0 {
		t.Errorf("pending = %v, %v, want none", pending, err)
	}

	if _, err := a.Store.AddTag(ctx, ids[7:9], leakscope.Tag{Name: "redact"}); err != nil {
		t.Fatal(err)
	}
	if err := a.IndexPending(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, a, "tag:redact"); !slices.Equal(got, ids[7:9]) {
		t.Errorf("tag:redact after IndexPending = %v, want %v", got, ids[7:9])
	}
	if pending, err := a.Store.Pending(ctx); err != nil || len(pending) != 0 {
		t.Errorf("pending after IndexPending = %v, %v, want none", pending, err)
	}
}
