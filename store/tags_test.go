package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// storeMessages stores n messages and returns their IDs in order.
func storeMessages(t testing.TB, db *DB, n int) []string {
	t.Helper()
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	var items []leakscope.Ingested
	ids := make([]string, n)
	for i := range n {
		it := item(fmt.Sprintf("%d@x", i), fmt.Sprintf("body %d", i), fmt.Sprintf("/m%d", i), d)
		items = append(items, it)
		ids[i] = it.Message.ID
	}
	for len(items) > 0 {
		k := min(len(items), 1000)
		if _, err := db.Apply(context.Background(), 1, items[:k], nil); err != nil {
			t.Fatal(err)
		}
		items = items[k:]
	}
	if err := db.ClearPending(context.Background(), ids, 0); err != nil {
		t.Fatal(err)
	}
	return ids
}

func tagNamesOf(tags []leakscope.Tag) []string {
	out := []string{}
	for _, t := range tags {
		out = append(out, t.Name)
	}
	return out
}

func mustTags(t *testing.T, db *DB, id string) []leakscope.Tag {
	t.Helper()
	tags, err := db.MessageTags(context.Background(), id)
	if err != nil {
		t.Fatalf("MessageTags(%s): %v", id, err)
	}
	return tags
}

func TestAddRemoveTag(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	now := time.Date(2015, 1, 2, 3, 4, 5, 0, time.UTC)
	db.now = func() time.Time { return now }
	ids := storeMessages(t, db, 4)

	up, err := db.AddTag(ctx, []string{ids[2], ids[0], ids[0]}, leakscope.Tag{Name: "Privileged", Note: "advice of counsel", User: "cli:ann"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ids[0], ids[2]}
	slices.Sort(want)
	if !slices.Equal(up.Changed, want) || up.Seq == 0 {
		t.Errorf("AddTag = %+v, want Changed %v and a pending batch", up, want)
	}
	got := mustTags(t, db, ids[0])
	wantTag := leakscope.Tag{Name: "privileged", Note: "advice of counsel", User: "cli:ann", Time: now}
	if len(got) != 1 || !sameTag(got[0], wantTag) {
		t.Errorf("MessageTags = %+v, want [%+v]", got, wantTag)
	}
	if got := mustTags(t, db, ids[1]); len(got) != 0 {
		t.Errorf("MessageTags of an untagged message = %+v, want none", got)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pending)
	if !slices.Equal(pending, want) {
		t.Errorf("Pending after AddTag = %v, want %v", pending, want)
	}
	docs, err := db.Documents(ctx, ids[:2])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(docs[0].Tags, []string{"privileged"}) || len(docs[1].Tags) != 0 {
		t.Errorf("Documents tags = %v, %v; want [privileged], []", docs[0].Tags, docs[1].Tags)
	}

	// Adding it again changes nothing; a new note replaces the old one.
	now = now.Add(time.Hour)
	if up, err := db.AddTag(ctx, ids[:1], leakscope.Tag{Name: "privileged", User: "cli:bob"}); err != nil || len(up.Changed) != 0 || up.Seq != 0 {
		t.Errorf("AddTag again = %+v, %v; want no change", up, err)
	}
	if got := mustTags(t, db, ids[0]); got[0].User != "cli:ann" || !got[0].Time.Equal(now.Add(-time.Hour)) {
		t.Errorf("tag after re-adding without a note = %+v, want the first record", got[0])
	}
	if up, err := db.AddTag(ctx, ids[:1], leakscope.Tag{Name: "privileged", Note: "work product", User: "cli:bob"}); err != nil || len(up.Changed) != 1 {
		t.Errorf("AddTag with a new note = %+v, %v; want one change", up, err)
	}
	if got := mustTags(t, db, ids[0]); got[0].Note != "work product" || got[0].User != "cli:bob" || !got[0].Time.Equal(now) {
		t.Errorf("tag after a new note = %+v, want note, user and time replaced", got[0])
	}
	if _, err := db.AddTag(ctx, ids[:1], leakscope.Tag{Name: "hot"}); err != nil {
		t.Fatal(err)
	}
	if got := tagNamesOf(mustTags(t, db, ids[0])); !slices.Equal(got, []string{"hot", "privileged"}) {
		t.Errorf("tags = %v, want [hot privileged]", got)
	}
	counts, err := db.TagCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts["privileged"] != 2 || counts["hot"] != 1 {
		t.Errorf("TagCounts = %v, want privileged 2, hot 1", counts)
	}
	if tagged, err := db.Tagged(ctx, "PRIVILEGED"); err != nil || !slices.Equal(tagged, want) {
		t.Errorf("Tagged(PRIVILEGED) = %v, %v; want %v", tagged, err, want)
	}

	// Removing: only messages that had the tag change.
	if err := db.ClearPending(ctx, want, 0); err != nil {
		t.Fatal(err)
	}
	up, err = db.RemoveTag(ctx, ids[:3], "privileged")
	if err != nil || !slices.Equal(up.Changed, want) {
		t.Errorf("RemoveTag = %+v, %v; want Changed %v", up, err, want)
	}
	if got := tagNamesOf(mustTags(t, db, ids[0])); !slices.Equal(got, []string{"hot"}) {
		t.Errorf("tags after RemoveTag = %v, want [hot]", got)
	}
	counts, _ = db.TagCounts(ctx)
	if len(counts) != 1 || counts["hot"] != 1 {
		t.Errorf("TagCounts after RemoveTag = %v, want hot 1", counts)
	}
	if tagged, err := db.Tagged(ctx, "privileged"); err != nil || len(tagged) != 0 {
		t.Errorf("Tagged(privileged) after RemoveTag = %v, %v; want none", tagged, err)
	}
	if pending, _ := db.Pending(ctx); len(pending) != 2 {
		t.Errorf("Pending after RemoveTag = %v, want the two untagged messages", pending)
	}
}

// TestTagErrors: a bad name or an unknown message changes nothing at all.
func TestTagErrors(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ids := storeMessages(t, db, 2)
	unknown := "00000000000000000000"
	tests := []struct {
		name string
		do   func() (TagUpdate, error)
		want error
	}{
		{"add unknown message", func() (TagUpdate, error) {
			return db.AddTag(ctx, []string{ids[0], unknown}, leakscope.Tag{Name: "hot"})
		}, leakscope.ErrNotFound},
		{"add bad name", func() (TagUpdate, error) { return db.AddTag(ctx, ids, leakscope.Tag{Name: "-hot"}) }, leakscope.ErrInvalidInput},
		{"add empty name", func() (TagUpdate, error) { return db.AddTag(ctx, ids, leakscope.Tag{}) }, leakscope.ErrInvalidInput},
		{"remove unknown message", func() (TagUpdate, error) {
			return db.RemoveTag(ctx, []string{ids[1], unknown}, "responsive")
		}, leakscope.ErrNotFound},
		{"remove bad name", func() (TagUpdate, error) { return db.RemoveTag(ctx, ids, "a b") }, leakscope.ErrInvalidInput},
		{"set unknown message", func() (TagUpdate, error) {
			return db.SetTags(ctx, []string{unknown}, []leakscope.Tag{{Name: "hot"}})
		}, leakscope.ErrNotFound},
		{"set twice", func() (TagUpdate, error) {
			return db.SetTags(ctx, ids, []leakscope.Tag{{Name: "hot"}, {Name: "HOT"}})
		}, leakscope.ErrInvalidInput},
	}
	if _, err := db.AddTag(ctx, ids[1:], leakscope.Tag{Name: "responsive"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := tt.do()
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if len(up.Changed) != 0 {
				t.Errorf("Changed = %v, want none", up.Changed)
			}
			if got := tagNamesOf(mustTags(t, db, ids[0])); len(got) != 0 {
				t.Errorf("tags of %s = %v, want none", ids[0], got)
			}
			if got := tagNamesOf(mustTags(t, db, ids[1])); !slices.Equal(got, []string{"responsive"}) {
				t.Errorf("tags of %s = %v, want [responsive]", ids[1], got)
			}
		})
	}
	if _, err := db.MessageTags(ctx, unknown); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("MessageTags(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestSetTags(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	first := time.Date(2015, 1, 2, 0, 0, 0, 0, time.UTC)
	db.now = func() time.Time { return first }
	ids := storeMessages(t, db, 2)
	if _, err := db.AddTag(ctx, ids, leakscope.Tag{Name: "hot", Note: "n", User: "ann"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddTag(ctx, ids[:1], leakscope.Tag{Name: "redact", User: "ann"}); err != nil {
		t.Fatal(err)
	}
	later := first.Add(time.Hour)
	db.now = func() time.Time { return later }
	tests := []struct {
		name    string
		tags    []leakscope.Tag
		want    []leakscope.Tag // of ids[0]
		changed int
	}{
		{"same set keeps records", []leakscope.Tag{{Name: "hot", Note: "n", User: "bob"}, {Name: "redact", User: "bob"}},
			[]leakscope.Tag{{Name: "hot", Note: "n", User: "ann", Time: first}, {Name: "redact", User: "ann", Time: first}}, 1},
		{"drop one, change a note", []leakscope.Tag{{Name: "hot", Note: "m", User: "bob"}},
			[]leakscope.Tag{{Name: "hot", Note: "m", User: "bob", Time: later}}, 2},
		{"add a custom tag", []leakscope.Tag{{Name: "hot", Note: "m", User: "bob"}, {Name: "board-2014", User: "cy"}},
			[]leakscope.Tag{{Name: "board-2014", User: "cy", Time: later}, {Name: "hot", Note: "m", User: "bob", Time: later}}, 2},
		{"none", nil, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := db.SetTags(ctx, ids, tt.tags)
			if err != nil {
				t.Fatal(err)
			}
			// The first case changes ids[1] only: it gains redact.
			if len(up.Changed) != tt.changed {
				t.Errorf("SetTags changed %v, want %d messages", up.Changed, tt.changed)
			}
			got := mustTags(t, db, ids[0])
			if len(got) != len(tt.want) {
				t.Fatalf("tags = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if !sameTag(got[i], tt.want[i]) {
					t.Errorf("tag %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if got1 := tagNamesOf(mustTags(t, db, ids[1])); !slices.Equal(got1, tagNamesOf(tt.want)) {
				t.Errorf("tags of the second message = %v, want %v", got1, tagNamesOf(tt.want))
			}
		})
	}
}

// TestApplyKeepsTags: a new copy of a tagged message changes its search
// document, which keeps the message's tags.
func TestApplyKeepsTags(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	first := item("1@x", "hello", "/a", d)
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{first}, nil); err != nil {
		t.Fatal(err)
	}
	id := first.Message.ID
	if _, err := db.AddTag(ctx, []string{id}, leakscope.Tag{Name: "privileged"}); err != nil {
		t.Fatal(err)
	}
	res, err := db.Apply(ctx, 2, []leakscope.Ingested{item("1@x", "hello", "/b", d), item("2@x", "new", "/c", d)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string][]string{}
	for _, doc := range res.Documents {
		tags[doc.Message.ID] = doc.Tags
	}
	if len(tags) != 2 || !slices.Equal(tags[id], []string{"privileged"}) || len(tags[item("2@x", "new", "/c", d).Message.ID]) != 0 {
		t.Errorf("Apply documents' tags = %v, want [privileged] on %s only", tags, id)
	}
}

// TestTagsInOlderStore: a data directory made before tags existed opens
// read-only (no tags) and for writing (the buckets are created).
func TestTagsInOlderStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := storeMessages(t, db, 1)
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		return errors.Join(tx.DeleteBucket(bucketMsgTags), tx.DeleteBucket(bucketTagMsgs))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	if tags, err := ro.MessageTags(ctx, ids[0]); err != nil || len(tags) != 0 {
		t.Errorf("MessageTags = %v, %v; want none", tags, err)
	}
	if counts, err := ro.TagCounts(ctx); err != nil || len(counts) != 0 {
		t.Errorf("TagCounts = %v, %v; want none", counts, err)
	}
	if docs, err := ro.Documents(ctx, ids); err != nil || len(docs) != 1 || len(docs[0].Tags) != 0 {
		t.Errorf("Documents = %v, %v; want one without tags", docs, err)
	}
	ro.Close()

	rw, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open for writing: %v", err)
	}
	defer rw.Close()
	if _, err := rw.AddTag(ctx, ids, leakscope.Tag{Name: "hot"}); err != nil {
		t.Fatalf("AddTag after upgrade: %v", err)
	}
	if counts, err := rw.TagCounts(ctx); err != nil || counts["hot"] != 1 {
		t.Errorf("TagCounts = %v, %v; want hot 1", counts, err)
	}
}

// BenchmarkAddTag10k tags 10,000 messages in one transaction and reads
// their documents back for re-indexing: the store's share of tagging a
// whole query.
func BenchmarkAddTag10k(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "store.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids := storeMessages(b, db, 10_000)
	b.ReportAllocs()
	on := true
	for b.Loop() {
		var err error
		if on {
			_, err = db.AddTag(ctx, ids, leakscope.Tag{Name: "hot", User: "bench"})
		} else {
			_, err = db.RemoveTag(ctx, ids, "hot")
		}
		if err != nil {
			b.Fatal(err)
		}
		on = !on
	}
}

// BenchmarkDocuments10k reads 10,000 search documents (with their tags),
// what re-indexing after a tag change does.
func BenchmarkDocuments10k(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "store.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids := storeMessages(b, db, 10_000)
	if _, err := db.AddTag(ctx, ids, leakscope.Tag{Name: "hot"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		docs, err := db.Documents(ctx, ids)
		if err != nil || len(docs) != len(ids) || len(docs[0].Tags) != 1 {
			b.Fatalf("Documents = %d docs, %v", len(docs), err)
		}
	}
}
