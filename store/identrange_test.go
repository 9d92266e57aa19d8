package store

import (
	"bytes"
	"context"
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
)

// hashesOf returns the hashes of a range answer.
func hashesOf(r *IdentifierRange) []string {
	var out []string
	for _, e := range r.Entries {
		out = append(out, e.Hash)
	}
	return out
}

func TestIdentifierRange(t *testing.T) {
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
	h := leakscope.IdentifierHash(ssn.Kind, ssn.Value)
	query := func(kind, prefix string, min int) *IdentifierRange {
		t.Helper()
		r, err := db.IdentifierRange(ctx, kind, prefix, min)
		if err != nil {
			t.Fatalf("IdentifierRange(%s, %s, %d): %v", kind, prefix, min, err)
		}
		return r
	}

	r := query(leakscope.IdentSSN, h[:5], 0)
	if len(r.Entries) != 1 || r.Incomplete {
		t.Fatalf("IdentifierRange(ssn, %s, 0) = %+v, want the SSN alone", h[:5], r)
	}
	e := r.Entries[0]
	day1, day2 := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2014, 12, 2, 0, 0, 0, 0, time.UTC)
	wantBatches := []leakscope.BatchRef{{Leak: "l"}, {Leak: "l", Batch: "wave-2"}}
	if e.Hash != h || e.Messages != 2 || e.First == nil || !e.First.Equal(day1) || !e.Last.Equal(day2) || !slices.Equal(e.Batches, wantBatches) {
		t.Errorf("SSN entry = %+v (first %v, last %v), want hash %s, 2 messages, %v..%v, batches %v", e, e.First, e.Last, h, day1, day2, wantBatches)
	}
	// Upper-case prefixes are the same prefix; kinds are apart.
	if got := hashesOf(query(leakscope.IdentSSN, strings.ToUpper(h[:5]), 0)); !slices.Equal(got, []string{h}) {
		t.Errorf("IdentifierRange with an upper-case prefix = %v, want [%s]", got, h)
	}
	if got := query(leakscope.IdentPhone, h[:5], 0); len(got.Entries) != 0 {
		t.Errorf("IdentifierRange(phone, the SSN's prefix) = %v, want nothing", hashesOf(got))
	}
	hm := leakscope.IdentifierHash(mail.Kind, mail.Value)
	if got := query(leakscope.IdentEmail, hm[:5], 0); len(got.Entries) != 1 || got.Entries[0].Hash != hm || got.Entries[0].Messages != 2 {
		t.Errorf("IdentifierRange(email) = %+v, want %s in 2 messages", got.Entries, hm)
	}

	// Padding: decoys with the prefix, the same on every call, with the
	// figures of real identifiers.
	padded := query(leakscope.IdentSSN, h[:5], 16)
	got := hashesOf(padded)
	if len(got) != 16 || !slices.Contains(got, h) || !slices.IsSorted(got) {
		t.Fatalf("IdentifierRange(ssn, %s, 16) = %v, want 16 sorted hashes with %s", h[:5], got, h)
	}
	for _, e := range padded.Entries {
		if !strings.HasPrefix(e.Hash, h[:5]) || len(e.Hash) != 64 || e.Messages < 1 {
			t.Errorf("padded entry %+v: want a 64-hex hash starting %s and at least one message", e, h[:5])
		}
		if e.Hash != h && e.Messages != 2 && e.Messages != 1 {
			t.Errorf("decoy %+v does not borrow a real identifier's figures", e)
		}
	}
	if again := hashesOf(query(leakscope.IdentSSN, h[:5], 16)); !slices.Equal(again, got) {
		t.Errorf("decoys differ between calls:\n%v\n%v", got, again)
	}
	other := "00000"
	if h[:5] == other {
		other = "fffff"
	}
	if o := hashesOf(query(leakscope.IdentSSN, other, 16)); len(o) != 16 || slices.Contains(o, h) {
		t.Errorf("IdentifierRange(ssn, %s, 16) = %v, want 16 decoys", other, o)
	}

	for _, bad := range []struct{ kind, prefix string }{
		{"passport", h[:5]}, {leakscope.IdentSSN, h[:4]}, {leakscope.IdentSSN, h[:6]}, {leakscope.IdentSSN, "zzzzz"}, {"", ""},
	} {
		if _, err := db.IdentifierRange(ctx, bad.kind, bad.prefix, 0); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("IdentifierRange(%q, %q) error = %v, want ErrInvalidInput", bad.kind, bad.prefix, err)
		}
	}

	// Redetection that drops the SSN everywhere drops its range record.
	if _, err := db.SetDetections(ctx, []Detection{
		{ID: a.Message.ID, Identifiers: []leakscope.Identifier{mail}},
		{ID: b.Message.ID, Identifiers: []leakscope.Identifier{card}},
	}); err != nil {
		t.Fatal(err)
	}
	if got := query(leakscope.IdentSSN, h[:5], 0); len(got.Entries) != 0 {
		t.Errorf("after redetection without the SSN: range = %v, want nothing", hashesOf(got))
	}
	if got := query(leakscope.IdentEmail, hm[:5], 0); len(got.Entries) != 1 {
		t.Errorf("after redetection: the address's range = %v, want it still", hashesOf(got))
	}

	// A store written before the range index existed: the index is empty
	// while identifiers exist, until redetection fills it.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIdentRange, bucketRangeOf} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(metaRangeChecked)
	}); err != nil {
		t.Fatal(err)
	}
	if got := query(leakscope.IdentEmail, hm[:5], 16); !got.Incomplete || len(got.Entries) != 0 {
		t.Errorf("range over an emptied index = %+v, want Incomplete", got)
	}
	if _, err := db.SetDetections(ctx, []Detection{
		{ID: a.Message.ID, Identifiers: []leakscope.Identifier{mail}},
		{ID: b.Message.ID, Identifiers: []leakscope.Identifier{card}},
		{ID: c.Message.ID, Identifiers: []leakscope.Identifier{mail, ssn}},
	}); err != nil {
		t.Fatal(err)
	}
	if got := query(leakscope.IdentSSN, h[:5], 0); got.Incomplete || !slices.Equal(hashesOf(got), []string{h}) {
		t.Errorf("after redetection: range = %+v, want complete with the SSN", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The file holds neither the values, nor their digits as written, nor
	// their unkeyed hashes (hex or raw).
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []leakscope.Identifier{ssn, card, mail} {
		sum := leakscope.IdentifierHash(id.Kind, id.Value)
		bin, _ := hex.DecodeString(sum)
		for name, b := range map[string][]byte{"value": []byte(id.Value), "hex hash": []byte(sum), "hash": bin, "hash tail": bin[3:]} {
			if bytes.Contains(raw, b) {
				t.Errorf("store file holds the %s of %s %s", name, id.Kind, id.Value)
			}
		}
	}
}
