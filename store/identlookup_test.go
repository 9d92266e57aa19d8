package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/oprf"
)

// hashesOf returns the hashes of a lookup answer.
func hashesOf(r *IdentifierLookup) []string {
	var out []string
	for _, e := range r.Entries {
		out = append(out, e.Hash)
	}
	return out
}

// clientLookup runs a client's side of the OPRF against db: the lookup
// hash of id, without db seeing it.
func clientLookup(t *testing.T, db *DB, id leakscope.Identifier) string {
	t.Helper()
	r, err := oprf.Blind(oprf.Input(id.Kind, id.Value))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := db.EvaluateBlinded(context.Background(), [][]byte{r.Element})
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Finalize(ev[0])
	if err != nil {
		t.Fatal(err)
	}
	return oprf.Lookup(out)
}

func TestIdentifierLookup(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ssn := leakscope.Identifier{Kind: leakscope.IdentSSN, Value: "536221847"}
	card := leakscope.Identifier{Kind: leakscope.IdentCreditCard, Value: "4556737586899855"}
	mail := leakscope.Identifier{Kind: leakscope.IdentEmail, Value: "jane.doe@example.com"}
	d1 := time.Date(2014, 11, 24, 10, 30, 0, 0, time.UTC)
	d2 := time.Date(2014, 12, 2, 23, 59, 0, 0, time.UTC)
	a, b, c := item("1@x", "one", "/a", d1), item("2@x", "two", "/b", d2), item("3@x", "three", "/c", d2)
	a.Identifiers = []leakscope.Identifier{ssn, mail}
	b.Identifiers = []leakscope.Identifier{ssn, card}
	c.Identifiers = []leakscope.Identifier{mail}
	b.Copy.Batch = "wave-2"
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{a, b, c}, nil); err != nil {
		t.Fatal(err)
	}
	h := clientLookup(t, db, ssn)
	query := func(prefix string, min int) *IdentifierLookup {
		t.Helper()
		r, err := db.IdentifierLookup(ctx, prefix, min)
		if err != nil {
			t.Fatalf("IdentifierLookup(%s, %d): %v", prefix, min, err)
		}
		return r
	}
	find := func(r *IdentifierLookup, h string) *leakscope.IdentifierMatch {
		for i := range r.Entries {
			if r.Entries[i].Hash == h {
				return &r.Entries[i]
			}
		}
		return nil
	}

	r := query(h[:5], 0)
	e := find(r, h)
	if e == nil || r.Incomplete {
		t.Fatalf("IdentifierLookup(%s, 0) = %+v, want the SSN's %s", h[:5], r, h)
	}
	var ids []string
	var dates []time.Time
	for _, m := range e.Messages {
		ids, dates = append(ids, m.ID), append(dates, m.Date)
	}
	if !slices.Equal(ids, []string{a.Message.ID, b.Message.ID}) || !dates[0].Equal(d1) || !dates[1].Equal(d2) ||
		!slices.Equal(e.Messages[1].Batches, []leakscope.BatchRef{{Leak: "l", Batch: "wave-2"}}) {
		t.Errorf("SSN entry = %+v, want messages %s (%v) and %s (%v, wave-2)", e, a.Message.ID, d1, b.Message.ID, d2)
	}
	// The client's lookup hash is the one computed at ingest, and the
	// store's key is the same after reopening.
	if got := hashesOf(query(strings.ToUpper(h[:5]), 0)); !slices.Contains(got, h) {
		t.Errorf("IdentifierLookup with an upper-case prefix = %v, want %s among them", got, h)
	}
	hm := clientLookup(t, db, mail)
	if e := find(query(hm[:5], 0), hm); e == nil || len(e.Messages) != 2 {
		t.Errorf("IdentifierLookup(address) = %+v, want %s in 2 messages", e, hm)
	}
	// The same value of another kind is another identifier.
	if other := clientLookup(t, db, leakscope.Identifier{Kind: leakscope.IdentPhone, Value: ssn.Value}); other == h {
		t.Errorf("phone %s has the SSN's lookup hash", ssn.Value)
	}

	// Padding: decoys with the prefix, without messages, the same on
	// every call.
	padded := query(h[:5], 16)
	got := hashesOf(padded)
	if len(got) != 16 || !slices.Contains(got, h) || !slices.IsSorted(got) {
		t.Fatalf("IdentifierLookup(%s, 16) = %v, want 16 sorted hashes with %s", h[:5], got, h)
	}
	for _, e := range padded.Entries {
		if !strings.HasPrefix(e.Hash, h[:5]) || len(e.Hash) != 32 {
			t.Errorf("padded entry %+v: want a 32-hex hash starting %s", e, h[:5])
		}
		if e.Hash != h && len(e.Messages) != 0 {
			t.Errorf("decoy %+v has messages", e)
		}
	}
	if again := hashesOf(query(h[:5], 16)); !slices.Equal(again, got) {
		t.Errorf("decoys differ between calls:\n%v\n%v", got, again)
	}
	for _, bad := range []string{h[:4], h[:6], "zzzzz", ""} {
		if _, err := db.IdentifierLookup(ctx, bad, 0); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("IdentifierLookup(%q) error = %v, want ErrInvalidInput", bad, err)
		}
	}
	for _, bad := range [][]byte{nil, make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)} {
		if _, err := db.EvaluateBlinded(ctx, [][]byte{bad}); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("EvaluateBlinded(%x) error = %v, want ErrInvalidInput", bad, err)
		}
	}

	// Redetection that drops the SSN everywhere drops its lookup record.
	if _, err := db.SetDetections(ctx, []Detection{
		{ID: a.Message.ID, Identifiers: []leakscope.Identifier{mail}},
		{ID: b.Message.ID, Identifiers: []leakscope.Identifier{card}},
	}); err != nil {
		t.Fatal(err)
	}
	if find(query(h[:5], 0), h) != nil {
		t.Errorf("after redetection without the SSN: it is still in the lookup index")
	}
	if find(query(hm[:5], 0), hm) == nil {
		t.Errorf("after redetection: the address left the lookup index")
	}

	// A store written before the lookup index existed: the index is empty
	// while identifiers exist, until redetection fills it.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIdentLookup, bucketLookupOf} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(metaLookupChecked)
	}); err != nil {
		t.Fatal(err)
	}
	if got := query(hm[:5], 16); !got.Incomplete || len(got.Entries) != 0 {
		t.Errorf("lookup over an emptied index = %+v, want Incomplete", got)
	}
	if _, err := db.SetDetections(ctx, []Detection{
		{ID: a.Message.ID, Identifiers: []leakscope.Identifier{mail}},
		{ID: b.Message.ID, Identifiers: []leakscope.Identifier{card}},
		{ID: c.Message.ID, Identifiers: []leakscope.Identifier{mail, ssn}},
	}); err != nil {
		t.Fatal(err)
	}
	if got := query(h[:5], 0); got.Incomplete || find(got, h) == nil {
		t.Errorf("after redetection: lookup = %+v, want complete with the SSN", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened, the key is the same.
	if db, err = Open(ctx, path, Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	if again := clientLookup(t, db, ssn); again != h {
		t.Errorf("lookup hash after reopening = %s, want %s", again, h)
	}
	db.Close()

	// The file holds neither the values, nor their digits as written, nor
	// their unkeyed hashes (hex or raw).
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []leakscope.Identifier{ssn, card, mail} {
		sum := sha256.Sum256([]byte(id.Kind + ":" + id.Value))
		hx := hex.EncodeToString(sum[:])
		for name, b := range map[string][]byte{"value": []byte(id.Value), "hex hash": []byte(hx), "hash": sum[:], "hash tail": sum[3:]} {
			if bytes.Contains(raw, b) {
				t.Errorf("store file holds the %s of %s %s", name, id.Kind, id.Value)
			}
		}
	}
}

// TestLegacyRangesDropped: the unkeyed range index of an older store
// (identrange, whose keys held 20 bits of SHA-256 of each identifier) is
// deleted when the store is opened for writing.
func TestLegacyRangesDropped(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range legacyRangeBuckets[:2] {
			b, err := tx.CreateBucket(name)
			if err != nil {
				return err
			}
			if err := b.Put([]byte("ssn\x00\x01\x02\x03"), []byte("x")); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(legacyRangeBuckets[2], u64key(1))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path, Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range legacyRangeBuckets[:2] {
			if tx.Bucket(name) != nil {
				t.Errorf("bucket %s still there after a writable open", name)
			}
		}
		if tx.Bucket(bucketMeta).Get(legacyRangeBuckets[2]) != nil {
			t.Errorf("meta %s still there", legacyRangeBuckets[2])
		}
		return nil
	})
}
