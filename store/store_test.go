package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"), Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// item builds an Ingested message found at source.
func item(msgID, body, source string, date time.Time, refs ...string) leakscope.Ingested {
	raw := []byte("Message-ID: <" + msgID + ">\nSubject: s\n\n" + body)
	sum := sha256.Sum256(raw)
	hash := leakscope.Fingerprint("a@x.com", date.String(), "s", body, nil)
	m := &leakscope.Message{
		ID: leakscope.MessageKey(msgID, hash), MessageID: msgID, ContentHash: hash,
		Collection: leakscope.CollectionLeak, Date: date, Subject: "s",
		From: leakscope.Address{Email: "a@x.com"}, References: refs,
	}
	return leakscope.Ingested{
		Message: m, Text: &leakscope.Text{Body: body}, Raw: raw,
		Copy: leakscope.Copy{Leak: "l", Source: source, RawSHA256: hex.EncodeToString(sum[:]), Size: int64(len(raw))},
	}
}

func TestApplyIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	batch := func() []leakscope.Ingested {
		return []leakscope.Ingested{item("1@x", "hello", "/a", d), item("2@x", "world", "/b", d), item("1@x", "hello", "/c", d)}
	}
	res, err := db.Apply(ctx, 1, batch(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Copies != 3 || res.Duplicates != 1 || res.Known != 0 {
		t.Errorf("first Apply = %+v, want New 2, Copies 3, Duplicates 1", res)
	}
	res, err = db.Apply(ctx, 2, batch(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Copies != 0 || res.Known != 3 || len(res.Changed) != 0 {
		t.Errorf("second Apply = %+v, want only Known 3", res)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 2 || st.Copies != 3 || st.Originals != 2 {
		t.Errorf("Stats = %+v, want 2 messages, 3 copies, 2 originals", st)
	}
	id := batch()[0].Message.ID
	cs, err := db.Copies(ctx, id)
	if err != nil || len(cs) != 2 {
		t.Fatalf("Copies(%s) = %v, %v; want 2", id, cs, err)
	}
	raw, err := db.Original(ctx, cs[0].RawSHA256)
	if err != nil || !bytes.Equal(raw, batch()[0].Raw) {
		t.Errorf("Original = %q, %v; want the bytes stored", raw, err)
	}
}

func TestApplyConflict(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	a, b := item("same@x", "one text", "/a", d), item("same@x", "another text", "/b", d)
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{a}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := db.Apply(ctx, 1, []leakscope.Ingested{b}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 1 || !slices.Contains(res.Changed, a.Message.ID) {
		t.Errorf("Apply = %+v, want a new message and the first one changed", res)
	}
	ids, err := db.ByMessageID(ctx, "<SAME@x>")
	if err != nil || len(ids) != 2 {
		t.Fatalf("ByMessageID = %v, %v; want 2 ids", ids, err)
	}
	for _, id := range ids {
		m, err := db.Message(ctx, id)
		if err != nil || !m.IDConflict {
			t.Errorf("Message(%s).IDConflict = false (%v), want true", id, err)
		}
	}
}

func TestPendingAndDocuments(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	it := item("1@x", "hello", "/a", time.Now().UTC())
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{it}, nil); err != nil {
		t.Fatal(err)
	}
	p, err := db.Pending(ctx)
	if err != nil || len(p) != 1 {
		t.Fatalf("Pending = %v, %v; want 1", p, err)
	}
	docs, err := db.Documents(ctx, p)
	if err != nil || len(docs) != 1 || docs[0].Text.Body != "hello" || len(docs[0].Copies) != 1 {
		t.Fatalf("Documents = %+v, %v", docs, err)
	}
	if err := db.ClearPending(ctx, p, 0); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.Pending(ctx); len(p) != 0 {
		t.Errorf("Pending after clear = %v, want none", p)
	}
	if _, err := db.Message(ctx, "nope"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Message(nope) = %v, want ErrNotFound", err)
	}
}

func TestProblemsOnceAndRawKept(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	p := leakscope.Problem{Severity: leakscope.ProblemFailure, Location: "/x@5", Code: "not_mail", Detail: "binary", Raw: []byte{0, 1, 2}}
	for run := uint64(1); run <= 2; run++ {
		if _, err := db.Apply(ctx, run, nil, []leakscope.Problem{p}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := db.Problems(ctx, 0)
	if err != nil || len(ps) != 1 || ps[0].Run != 1 {
		t.Fatalf("Problems = %+v, %v; want one problem of run 1", ps, err)
	}
	raw, err := db.Original(ctx, ps[0].RawSHA256)
	if err != nil || !bytes.Equal(raw, []byte{0, 1, 2}) {
		t.Errorf("Original of failed message = %v, %v", raw, err)
	}
}

func TestRethread(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	root := item("root@x", "root", "/1", d)
	reply := item("reply@x", "reply", "/2", d.Add(time.Hour), "root@x")
	orphan1 := item("o1@x", "o1", "/3", d, "missing@x")
	orphan2 := item("o2@x", "o2", "/4", d, "missing@x")
	other := item("other@x", "other", "/5", d)
	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{reply, orphan1, other, orphan2, root}, nil); err != nil {
		t.Fatal(err)
	}
	need, _ := db.NeedsRethread(ctx)
	if !need {
		t.Fatal("NeedsRethread = false after new messages")
	}
	if _, err := db.Rethread(ctx); err != nil {
		t.Fatal(err)
	}
	thread := func(it leakscope.Ingested) string {
		m, err := db.Message(ctx, it.Message.ID)
		if err != nil {
			t.Fatal(err)
		}
		return m.ThreadID
	}
	if thread(root) != thread(reply) || thread(orphan1) != thread(orphan2) || thread(root) == thread(other) || thread(root) == thread(orphan1) {
		t.Errorf("threads root=%s reply=%s o1=%s o2=%s other=%s", thread(root), thread(reply), thread(orphan1), thread(orphan2), thread(other))
	}
	members, err := db.ThreadMembers(ctx, thread(root))
	if err != nil || len(members) != 2 {
		t.Errorf("ThreadMembers = %v, %v; want 2", members, err)
	}
	if n, _ := db.Rethread(ctx); n != 0 {
		t.Errorf("second Rethread changed %d, want 0", n)
	}
}

func TestSubjectThreading(t *testing.T) {
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC).Unix()
	h := hashString
	infos := []*threadInfo{
		{Subject: h("gas prices"), Date: d, People: []uint64{h("a@x"), h("b@x")}},
		{Subject: h("gas prices"), Reply: true, Date: d + 3600, People: []uint64{h("b@x"), h("a@x")}},
		{Subject: h("gas prices"), Reply: true, Date: d + 7200, People: []uint64{h("z@y")}},                         // no shared people
		{Subject: h("gas prices"), Reply: true, Date: d + 90*86400, People: []uint64{h("a@x")}},                     // outside the window
		{Subject: h("gas prices"), Reply: true, Date: d + 4000, People: []uint64{h("a@x")}, Refs: []uint64{h("q")}}, // has references
	}
	ids := []string{"a", "b", "c", "d", "e"}
	got := computeThreads(ids, infos)
	want := []string{"a", "a", "c", "d", "e"}
	if !slices.Equal(got, want) {
		t.Errorf("computeThreads = %v, want %v", got, want)
	}
}
