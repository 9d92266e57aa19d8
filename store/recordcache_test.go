package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// TestCloneMessage checks that every slice and pointer field of Message is
// copied (a field added later without a clone fails here).
func TestCloneMessage(t *testing.T) {
	m := &leakscope.Message{}
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Map:
			t.Errorf("Message.%s is a map: cloneMessage must copy it", v.Type().Field(i).Name)
		}
	}
	c := reflect.ValueOf(cloneMessage(m)).Elem()
	for i := range v.NumField() {
		f, g := v.Field(i), c.Field(i)
		switch f.Kind() {
		case reflect.Slice, reflect.Pointer:
			if f.Pointer() == g.Pointer() {
				t.Errorf("cloneMessage shares Message.%s with the original", v.Type().Field(i).Name)
			}
		}
	}
}

// TestRecordCache: a cached record reads back equal, as a copy of its own;
// a rewritten record is read anew.
func TestRecordCache(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	it := item("1@x", "hello", "/a", time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC))
	it.Message.To = []leakscope.Address{{Email: "b@x.com"}}
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{it}, nil); err != nil {
		t.Fatal(err)
	}
	first, err := db.Message(ctx, it.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.To[0].Email = "changed@x.com" // a caller's change
	second, err := db.Message(ctx, it.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if db.records.lru.Len() != 1 || second.To[0].Email != "b@x.com" {
		t.Errorf("cached read: %d cached, To %v; want 1 and b@x.com", db.records.lru.Len(), second.To)
	}
	if second.ID != it.Message.ID || second.Subject != it.Message.Subject || !second.Date.Equal(it.Message.Date) {
		t.Errorf("cached message %+v differs from %+v", second, it.Message)
	}
	// Flags rewritten by redetection: a new record, read as such.
	flags := []leakscope.Flag{{Category: leakscope.FlagSSN, Severity: "high", Where: "body", Start: 0, End: 5}}
	if _, err := db.SetDetections(ctx, []Detection{{ID: it.Message.ID, Flags: flags, Risk: 50}}); err != nil {
		t.Fatal(err)
	}
	third, err := db.Message(ctx, it.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Flags) != 1 {
		t.Errorf("after the record was rewritten: flags %v, want the new one", third.Flags)
	}
}

// TestCopyCache: copies read twice come from the cache the second time,
// equal to the first read, each with its message's ID.
func TestCopyCache(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	date := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	a, b := item("1@x", "hello", "/a", date), item("1@x", "hello", "/b", date)
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	first, err := db.Entry(ctx, a.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Copies) != 2 || db.copies.Len() != 2 {
		t.Fatalf("first read: %d copies, %d cached; want 2 and 2", len(first.Copies), db.copies.Len())
	}
	first.Copies[0].Source = "changed" // a caller's change
	second, err := db.Entry(ctx, a.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for i, cp := range second.Copies {
		sources = append(sources, cp.Source)
		if cp.MessageID != a.Message.ID || cp.RawSHA256 != a.Copy.RawSHA256 || cp.Source != first.Copies[i].Source && i != 0 {
			t.Errorf("cached copy %d: %+v", i, cp)
		}
	}
	if slices.Sort(sources); !slices.Equal(sources, []string{"/a", "/b"}) {
		t.Errorf("cached copies come from %v, want /a and /b", sources)
	}
}
