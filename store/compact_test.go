package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// lowCompactThresholds makes small test stores worth compacting.
func lowCompactThresholds(t *testing.T) {
	t.Helper()
	w, s := compactMinWaste, compactMinShare
	compactMinWaste, compactMinShare = 64<<10, 0.1
	t.Cleanup(func() { compactMinWaste, compactMinShare = w, s })
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestCloseCompacts(t *testing.T) {
	lowCompactThresholds(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var all []leakscope.Ingested
	for b := range 20 {
		items := batchOf(50, b*50)
		if _, err := db.Apply(ctx, 1, items, nil); err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	before := fileSize(t, path)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if after := fileSize(t, path); after >= before {
		t.Errorf("store file after Close = %d bytes, want less than %d", after, before)
	}
	// A compaction interrupted by a crash leaves a temporary file.
	if err := os.WriteFile(compactPath(path), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(compactPath(path)); !os.IsNotExist(err) {
		t.Errorf("temporary file of a compaction still there after Open: %v", err)
	}
	n, err := db.MarkAllPending(ctx) // writes, reads every ID
	if err != nil || n != len(all) {
		t.Errorf("MarkAllPending = %d, %v; want %d", n, err, len(all))
	}
	for _, it := range []leakscope.Ingested{all[0], all[len(all)-1]} {
		m, err := db.Message(ctx, it.Message.ID)
		if err != nil || m.MessageID != it.Message.MessageID {
			t.Errorf("Message(%s) after compaction = %+v, %v", it.Message.ID, m, err)
		}
		if text, err := db.Text(ctx, it.Message.ID); err != nil || text.Body != it.Text.Body {
			t.Errorf("Text(%s) after compaction = %+v, %v", it.Message.ID, text, err)
		}
	}
	// Sequences survive: the next batch gets new sequence numbers.
	more := batchOf(5, 5000)
	if _, err := db.Apply(ctx, 2, more, nil); err != nil {
		t.Fatal(err)
	}
	if m, err := db.Message(ctx, more[0].Message.ID); err != nil || m.MessageID != more[0].Message.MessageID {
		t.Errorf("Message of a later batch = %+v, %v", m, err)
	}
	if m, err := db.Message(ctx, all[0].Message.ID); err != nil || m.MessageID != all[0].Message.MessageID {
		t.Errorf("Message of the first batch after a later one = %+v, %v", m, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// A writer waiting for the lock while the holder compacts must end up
// with the new file, not the one renamed away.
func TestWaitingWriterOpensCompactedFile(t *testing.T) {
	lowCompactThresholds(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for b := range 20 {
		if _, err := db.Apply(ctx, 1, batchOf(50, b*50), nil); err != nil {
			t.Fatal(err)
		}
	}
	type opened struct {
		db  *DB
		err error
	}
	ch := make(chan opened)
	go func() {
		w, err := Open(ctx, path, Options{NoSync: true, Timeout: 10 * time.Second})
		ch <- opened{w, err}
	}()
	time.Sleep(200 * time.Millisecond) // let it wait for the lock
	before := fileSize(t, path)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if after := fileSize(t, path); after >= before {
		t.Fatalf("store file after Close = %d bytes, want less than %d (no compaction to test)", after, before)
	}
	o := <-ch
	if o.err != nil {
		t.Fatal(o.err)
	}
	late := batchOf(1, 9000)
	if _, err := o.db.Apply(ctx, 2, late, nil); err != nil {
		t.Fatal(err)
	}
	if err := o.db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Message(ctx, late[0].Message.ID); err != nil {
		t.Errorf("message stored by the waiting writer: %v, want it in the store file", err)
	}
}
