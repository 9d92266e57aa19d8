package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// batchOf builds n distinct messages that look like mail, so that the
// compression dictionary can be trained on them.
func batchOf(n, from int) []leakscope.Ingested {
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	out := make([]leakscope.Ingested, n)
	for i := range n {
		body := fmt.Sprintf("Dear team,\nthe gas price forecast %d for the western region is attached.\n%s\nRegards,\nPhillip\n",
			from+i, strings.Repeat("Please review the schedule and the capacity numbers. ", 20))
		out[i] = item(fmt.Sprintf("%d.JavaMail.evans@thyme", from+i), body, fmt.Sprintf("/maildir/allen-p/inbox/%d.", from+i), d)
	}
	return out
}

func TestPacksSurviveReopenAndReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	items := batchOf(dictMinSamples+50, 0)
	if _, err := db.Apply(ctx, 1, items, nil); err != nil {
		t.Fatal(err)
	}
	if !db.codec.hasDicts() {
		t.Fatalf("no dictionary trained on a batch of %d messages", len(items))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, it := range []leakscope.Ingested{items[0], items[len(items)-1]} {
		raw, err := ro.Original(ctx, it.Copy.RawSHA256)
		if err != nil || !bytes.Equal(raw, it.Raw) {
			t.Errorf("Original(%s) = %q, %v; want the bytes stored", it.Copy.RawSHA256, raw, err)
		}
		text, err := ro.Text(ctx, it.Message.ID)
		if err != nil || text.Body != it.Text.Body {
			t.Errorf("Text(%s) = %v, %v; want the body stored", it.Message.ID, text, err)
		}
		m, err := ro.Message(ctx, it.Message.ID)
		if err != nil || m.MessageID != it.Message.MessageID {
			t.Errorf("Message(%s) = %v, %v", it.Message.ID, m, err)
		}
	}
	st, err := ro.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.RawBytes <= 0 || st.PackBytes <= 0 || st.PackBytes >= st.RawBytes {
		t.Errorf("Stats = %+v: want packs smaller than the raw bytes", st)
	}
}

// TestUncommittedBlobsStay: what a killed writer appended past the
// committed end is never truncated; the next writer appends after it and
// seals a torn last write, and a scan then finds no damage.
func TestUncommittedBlobsStay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	first := batchOf(3, 0)
	if _, err := db.Apply(ctx, 1, first, nil); err != nil {
		t.Fatal(err)
	}
	// A writer that appended and synced a blob, began another, and died
	// before its transaction committed.
	if _, err := db.packs.append(codecNone, blobOriginal, make([]byte, shaSize), []byte("garbage of a killed batch")); err != nil {
		t.Fatal(err)
	}
	if err := db.packs.sync(); err != nil {
		t.Fatal(err)
	}
	db.packs.close()
	db.bolt.Close()
	pack1 := filepath.Join(dir, "packs", packName(1))
	f, err := os.OpenFile(pack1, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	h := blobHeader(codecNone, blobText, make([]byte, 100))
	f.Write(h[:])
	f.Write([]byte("torn"))
	f.Close()
	before, _ := os.Stat(pack1)

	db, err = Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	second := batchOf(2, 10)
	if _, err := db.Apply(ctx, 2, second, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(pack1)
	if after.Size() <= before.Size() {
		t.Errorf("pack 1 went from %d to %d bytes, want it to grow", before.Size(), after.Size())
	}
	for _, it := range append(first, second...) {
		raw, err := db.Original(ctx, it.Copy.RawSHA256)
		if err != nil || !bytes.Equal(raw, it.Raw) {
			t.Errorf("Original(%s) = %q, %v; want the bytes stored", it.Copy.Source, raw, err)
		}
	}
	s, err := surveyPacks(filepath.Join(dir, "packs"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.bad) != 0 || s.torn != nil {
		t.Errorf("survey after the sealed torn write: bad %v, torn %v; want none", s.bad, s.torn)
	}
}

func TestCorruptBlobIsAnError(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "store.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	it := batchOf(1, 0)[0]
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{it}, nil); err != nil {
		t.Fatal(err)
	}
	var loc blobLoc
	db.bolt.View(func(tx *bolt.Tx) error {
		loc, err = parseBlobLoc(tx.Bucket(bucketOriginals).Get(hexKey(it.Copy.RawSHA256)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "packs", packName(loc.pack)), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xff, 0xff}, int64(loc.off)+blobHeaderSize+shaSize+2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := db.Original(ctx, it.Copy.RawSHA256); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("Original of a damaged blob = %v, want a corruption error", err)
	}
}

func TestApplyReturnsDocuments(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	items := batchOf(3, 0)
	res, err := db.Apply(ctx, 1, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != len(res.Changed) || len(res.Documents) != 3 {
		t.Fatalf("Apply returned %d documents for %d changed, want 3", len(res.Documents), len(res.Changed))
	}
	for i, d := range res.Documents {
		if d.Message.ID != res.Changed[i] || d.Text == nil || d.Text.Body == "" || len(d.Copies) != 1 {
			t.Errorf("Documents[%d] = %+v, want message %s with text and one copy", i, d, res.Changed[i])
		}
	}
	// A new copy of a known message returns its document with both copies.
	again := batchOf(1, 0)
	again[0].Copy.Source = "/maildir/lay-k/inbox/1."
	res, err = db.Apply(ctx, 2, again, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || len(res.Documents[0].Copies) != 2 {
		t.Errorf("Apply of a second copy = %+v, want one document with 2 copies", res.Documents)
	}
}
