package app

import (
	"context"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestIndexPending: a tag change is in the index once drained, with every
// other message left pending, and the queue is empty after.
func TestIndexPending(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	ingest(t, a, "", false, hrMbox)
	// As an interrupted run leaves them: every message queued.
	if _, err := a.Store.MarkAllPending(ctx); err != nil {
		t.Fatal(err)
	}
	up, err := a.Store.AddTag(ctx, []string{messageID(t, a.Store, "pii@example.com"), messageID(t, a.Store, "pwd@example.com")}, leakscope.Tag{Name: "hot", User: "test"})
	if err != nil || len(up.Changed) != 2 {
		t.Fatalf("AddTag = %+v, %v", up, err)
	}
	if n := total(t, a, "tag:hot"); n != 0 {
		t.Fatalf("before IndexPending, tag:hot has %d hits, want 0", n)
	}
	if err := a.IndexPending(ctx, up.Changed, up.Seq); err != nil {
		t.Fatal(err)
	}
	if n := total(t, a, "tag:hot"); n != 2 {
		t.Errorf("after IndexPending, tag:hot has %d hits, want 2", n)
	}
	if pending, err := a.Store.Pending(ctx); err != nil || len(pending) != 0 {
		t.Errorf("after IndexPending, pending = %v, %v; want none", pending, err)
	}
	// Nothing pending: nothing to do.
	if err := a.IndexPending(ctx, nil, 0); err != nil {
		t.Errorf("IndexPending(nothing) = %v", err)
	}
}
