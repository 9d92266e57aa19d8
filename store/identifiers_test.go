package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestIdentifiers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	ssn := leakscope.Identifier{Kind: leakscope.IdentSSN, Value: "219099999"}
	card := leakscope.Identifier{Kind: leakscope.IdentCreditCard, Value: "4111111111111111"}
	a, b, c := item("1@x", "ssn here", "/a", d), item("2@x", "ssn and card", "/b", d), item("3@x", "nothing", "/c", d)
	a.Identifiers = []leakscope.Identifier{ssn, ssn}
	b.Identifiers = []leakscope.Identifier{card, ssn}
	dup := item("1@x", "ssn here", "/d", d) // a second copy adds no identifiers
	dup.Identifiers = []leakscope.Identifier{card}
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{a, b, c, dup}, nil); err != nil {
		t.Fatal(err)
	}
	find := func(db *DB, id leakscope.Identifier) []string {
		t.Helper()
		got, err := db.FindIdentifier(ctx, id)
		if err != nil {
			t.Fatalf("FindIdentifier(%v): %v", id, err)
		}
		slices.Sort(got)
		return got
	}
	want := []string{a.Message.ID, b.Message.ID}
	slices.Sort(want)
	if got := find(db, ssn); !slices.Equal(got, want) {
		t.Errorf("FindIdentifier(ssn) = %v, want %v", got, want)
	}
	if got := find(db, card); !slices.Equal(got, []string{b.Message.ID}) {
		t.Errorf("FindIdentifier(card) = %v, want [%s]", got, b.Message.ID)
	}
	if got := find(db, leakscope.Identifier{Kind: leakscope.IdentPhone, Value: "219099999"}); len(got) != 0 {
		t.Errorf("FindIdentifier with the SSN's digits as a phone = %v, want none (kinds are apart)", got)
	}

	// Redetection moves the SSN from a to c and flags c.
	flag := leakscope.Flag{Category: leakscope.FlagSSN, Rule: "ssn.dashed", Severity: "critical", Confidence: 0.9, Where: "body"}
	n, err := db.SetDetections(ctx, []Detection{
		{ID: a.Message.ID},
		{ID: b.Message.ID, Identifiers: b.Identifiers},
		{ID: c.Message.ID, Flags: []leakscope.Flag{flag}, Risk: 39.35, Identifiers: []leakscope.Identifier{ssn}},
	})
	if err != nil || n != 1 {
		t.Fatalf("SetDetections = %d, %v; want 1 changed", n, err)
	}
	want = []string{b.Message.ID, c.Message.ID}
	slices.Sort(want)
	if got := find(db, ssn); !slices.Equal(got, want) {
		t.Errorf("after SetDetections, FindIdentifier(ssn) = %v, want %v", got, want)
	}
	m, err := db.Message(ctx, c.Message.ID)
	if err != nil || m.Risk != 39.35 || len(m.Flags) != 1 || m.Flags[0] != flag {
		t.Errorf("Message after SetDetections = %+v, %v; want the flag and risk 39.35", m, err)
	}
	pending, err := db.Pending(ctx)
	if err != nil || !slices.Contains(pending, c.Message.ID) {
		t.Errorf("Pending = %v, %v; want %s queued for reindexing", pending, err, c.Message.ID)
	}
	if _, err := db.SetDetections(ctx, []Detection{{ID: "nope"}}); err == nil {
		t.Errorf("SetDetections of an unknown message: no error")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The store file holds neither the values nor unkeyed hashes of them,
	// and the secret survives reopening, also read-only.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{ssn.Value, card.Value} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("store file holds identifier %s in clear", v)
		}
	}
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got := find(ro, card); !slices.Equal(got, []string{b.Message.ID}) {
		t.Errorf("read-only FindIdentifier(card) = %v, want [%s]", got, b.Message.ID)
	}

	// Another data directory has another secret.
	other := openTest(t)
	if bytes.Equal(other.identHash(ssn), ro.identHash(ssn)) {
		t.Errorf("two data directories hash an identifier alike: the secret is not per directory")
	}

	// The pooled, reset HMACs hash as a fresh one does, whatever came before.
	for _, id := range []leakscope.Identifier{ssn, card, ssn, {Kind: "email", Value: "a@b.example"}} {
		mac := hmac.New(sha256.New, other.identSecret)
		mac.Write([]byte(id.Kind + "\x00" + id.Value))
		if want := mac.Sum(nil)[:identHashLen]; !bytes.Equal(other.identHash(id), want) {
			t.Errorf("identHash(%s) = %x, want HMAC-SHA-256 %x", id.Kind, other.identHash(id), want)
		}
	}
}

// IdentifierKey is the keyed hash the store keeps identifiers under: the
// same for the same identifier, another for another kind or value, and
// another in another data directory (its own secret); nil without a
// secret.
func TestIdentifierKey(t *testing.T) {
	ctx := context.Background()
	open := func(path string, ro bool) *DB {
		t.Helper()
		db, err := Open(ctx, path, Options{NoSync: true, ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(filepath.Join(t.TempDir(), "store.db"), false), open(filepath.Join(t.TempDir(), "store.db"), false)
	ssn := leakscope.Identifier{Kind: leakscope.IdentSSN, Value: "536221847"}
	k := a.IdentifierKey(ssn)
	if len(k) != identHashLen || !bytes.Equal(k, a.identHash(ssn)) || !bytes.Equal(k, a.IdentifierKey(ssn)) {
		t.Fatalf("IdentifierKey(%v) = %x, want the stored hash %x", ssn, k, a.identHash(ssn))
	}
	for _, other := range []leakscope.Identifier{{Kind: leakscope.IdentPhone, Value: ssn.Value}, {Kind: ssn.Kind, Value: "536221848"}} {
		if bytes.Equal(a.IdentifierKey(other), k) {
			t.Errorf("IdentifierKey(%v) = IdentifierKey(%v)", other, ssn)
		}
	}
	if bytes.Equal(b.IdentifierKey(ssn), k) {
		t.Error("two data directories key an identifier alike: want a secret each")
	}
	if got := a.IdentifierKey(leakscope.Identifier{Kind: ssn.Kind}); got != nil {
		t.Errorf("IdentifierKey of an empty value = %x, want nil", got)
	}
}
