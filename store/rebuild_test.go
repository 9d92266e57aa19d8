package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// reparseItem is the ParseFunc of the rebuild tests: it reads back what
// item wrote.
func reparseItem(raw []byte, fromLine string, c leakscope.Copy) ([]leakscope.Ingested, []leakscope.Problem) {
	head, body, ok := strings.Cut(string(raw), "\n\n")
	id, _, _ := strings.Cut(strings.TrimPrefix(head, "Message-ID: <"), ">")
	if !ok || id == "" {
		return nil, []leakscope.Problem{{Severity: leakscope.ProblemFailure, Location: c.Location(), Code: "parse", Detail: "no id", Raw: raw}}
	}
	it := item(id, body, c.Source, time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC))
	it.Copy = c
	return []leakscope.Ingested{it}, nil
}

// snapshot is what a store holds, as the rest of leakscope sees it.
type snapshot struct {
	Stats     Stats
	Runs      []leakscope.IngestRun
	Problems  []leakscope.Problem
	Leaks     []leakscope.Leak
	Users     []leakscope.User
	Tokens    []leakscope.Token
	Tags      map[string]int
	Watches   []leakscope.Watch
	Setting   string
	Audit     AuditHead
	Copies    map[string][]leakscope.Copy
	Originals map[string]bool
}

func takeSnapshot(t *testing.T, db *DB) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	if s.Stats, err = db.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	s.Stats.FileBytes, s.Stats.PackBytes = 0, 0
	s.Runs, _ = db.Runs(ctx)
	s.Problems, _ = db.Problems(ctx, 0)
	s.Leaks, _ = db.Leaks(ctx)
	s.Users, _ = db.Users(ctx)
	s.Tokens, _ = db.Tokens(ctx, "")
	s.Tags, _ = db.TagCounts(ctx)
	s.Watches, _ = db.Watches(ctx)
	v, _ := db.Setting(ctx, "rules")
	s.Setting = string(v)
	if s.Audit, err = db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	s.Copies, s.Originals = map[string][]leakscope.Copy{}, map[string]bool{}
	err = db.MessageIDs(ctx, 100, func(ids []string) error {
		for _, id := range ids {
			cs, err := db.Copies(ctx, id)
			if err != nil {
				return err
			}
			s.Copies[id] = cs
			for _, c := range cs {
				if raw, err := db.Original(ctx, c.RawSHA256); err == nil && len(raw) > 0 {
					s.Originals[c.RawSHA256] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fillStore writes two runs, problems and everything the journal keeps.
func fillStore(t *testing.T, path string) (snapshot, []leakscope.Ingested) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run := &leakscope.IngestRun{Leak: "l", Inputs: []string{"/maildir"}, Started: time.Now().UTC()}
	if err := db.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	items := batchOf(dictMinSamples+20, 0)
	bad := leakscope.Problem{Severity: leakscope.ProblemFailure, Location: "/maildir/x/1.", Code: "parse", Detail: "no header", Raw: []byte("garbage that could not be parsed")}
	if _, err := db.Apply(ctx, run.ID, items, []leakscope.Problem{bad}); err != nil {
		t.Fatal(err)
	}
	run.Status, run.Counts.Copies = leakscope.RunDone, len(items)
	if err := db.UpdateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	run2 := &leakscope.IngestRun{Leak: "l", Batch: "wave-2", Inputs: []string{"/wave2"}, Started: time.Now().UTC()}
	if err := db.BeginRun(ctx, run2); err != nil {
		t.Fatal(err)
	}
	more := batchOf(30, 1000)
	again := batchOf(1, 0)[0] // a second copy of a known message
	again.Copy.Source = "/wave2/allen-p/0."
	more = append(more, again)
	if _, err := db.Apply(ctx, run2.ID, more, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSetting(ctx, "rules", []byte("[[rule]]\nid = \"x\"")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, leakscope.User{Name: "counsel", Role: leakscope.RoleCounsel}, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	// A token revoked by disabling its user, and one made after enabling
	// them again.
	if _, _, err := db.CreateToken(ctx, "counsel"); err != nil {
		t.Fatal(err)
	}
	for _, disabled := range []bool{true, false} {
		if _, err := db.SetDisabled(ctx, "counsel", disabled); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.CreateToken(ctx, "counsel"); err != nil {
		t.Fatal(err)
	}
	ids := []string{items[0].Message.ID, items[1].Message.ID}
	if _, err := db.AddTag(ctx, ids, leakscope.Tag{Name: "privileged", Note: "n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RemoveTag(ctx, ids[1:], "privileged"); err != nil {
		t.Fatal(err)
	}
	w := leakscope.Watch{Name: "gas", Query: "gas"}
	if err := db.PutWatch(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordWatch(ctx, w, ids, time.Now()); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := db.AppendAudit(ctx, leakscope.AuditEntry{User: "cli:me", Action: "search", Detail: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	return takeSnapshot(t, db), append(items, more...)
}

func rebuildStore(t *testing.T, path string) (*DB, *RebuildReport) {
	t.Helper()
	ctx := context.Background()
	rb, err := Rebuild(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := rb.Reingest(ctx, reparseItem)
	if err != nil {
		rb.DB.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { rb.DB.Close() })
	return rb.DB, rep
}

// TestRebuildFromPacks: a store deleted is refused, not recreated over its
// packs, and rebuilt from them holds what it held.
func TestRebuildFromPacks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	want, _ := fillStore(t, path)
	packSize := packBytes(filepath.Join(dir, "packs"))
	for _, damage := range []func() error{
		func() error { return os.Remove(path) },
		func() error { return os.WriteFile(path, nil, 0o600) },
	} {
		if err := damage(); err != nil {
			t.Fatal(err)
		}
		if db, err := Open(ctx, path, Options{NoSync: true}); !errors.Is(err, leakscope.ErrDamaged) {
			if db != nil {
				db.Close()
			}
			t.Fatalf("Open of a lost store beside its packs = %v, want ErrDamaged", err)
		}
		if got := packBytes(filepath.Join(dir, "packs")); got != packSize {
			t.Fatalf("packs went from %d to %d bytes", packSize, got)
		}
	}
	os.Remove(path)
	db, rep := rebuildStore(t, path)
	if len(rep.Lost) != 0 || len(rep.Damaged) != 0 {
		t.Errorf("rebuild of undamaged packs lost %v, found damage %v", rep.Lost, rep.Damaged)
	}
	got := takeSnapshot(t, db)
	for i := range want.Problems {
		want.Problems[i].Raw = nil
	}
	if !reflect.DeepEqual(got, want) {
		gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
		for i := range gv.NumField() {
			if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
				t.Errorf("rebuilt %s = %+v\nwant %+v", gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
			}
		}
	}
	if got := packBytes(filepath.Join(dir, "packs")); got < packSize {
		t.Errorf("packs shrank from %d to %d bytes", packSize, got)
	}
}

// TestRebuildLosesOnlyDamagedBlobs: bytes flipped inside one original's
// blob cost that message alone, and the rebuild names its copy.
func TestRebuildLosesOnlyDamagedBlobs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	want, items := fillStore(t, path)
	victim := items[100]
	db, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var loc blobLoc
	db.bolt.View(func(tx *bolt.Tx) error {
		loc, err = parseBlobLoc(tx.Bucket(bucketOriginals).Get(hexKey(victim.Copy.RawSHA256)))
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	flipFile(t, filepath.Join(dir, "packs", packName(loc.pack)), int64(loc.off)+int64(loc.n)/4, int64(loc.n)/2)
	os.Remove(path)
	db, rep := rebuildStore(t, path)
	if len(rep.Lost) != 1 || rep.Lost[0].Copy != victim.Copy.Location() {
		t.Fatalf("rebuild lost %+v, want the copy at %s", rep.Lost, victim.Copy.Location())
	}
	got := takeSnapshot(t, db)
	if len(got.Copies) != len(want.Copies)-1 || got.Copies[victim.Message.ID] != nil {
		t.Errorf("rebuilt store holds %d messages, want %d without %s", len(got.Copies), len(want.Copies)-1, victim.Message.ID)
	}
	lost, err := db.LostOriginals(context.Background())
	if err != nil || len(lost) != 1 {
		t.Errorf("LostOriginals = %+v, %v; want the one loss", lost, err)
	}
	// The dump indexed again gives the message back.
	res, err := db.Apply(context.Background(), 3, []leakscope.Ingested{victim}, nil)
	if err != nil || res.New != 1 || res.Recovered != 1 {
		t.Errorf("Apply of the lost copy = %+v, %v; want it new and its loss recovered", res, err)
	}
	if lost, _ := db.LostOriginals(context.Background()); len(lost) != 1 || lost[0].Recovered.IsZero() {
		t.Errorf("LostOriginals after recovery = %+v, want the loss marked recovered", lost)
	}
	if s := slices.Collect(func(yield func(string) bool) {
		for id := range want.Copies {
			if got.Copies[id] == nil && id != victim.Message.ID && !yield(id) {
				return
			}
		}
	}); len(s) > 0 {
		t.Errorf("messages missing besides the damaged one: %v", s)
	}
}

// flipFile inverts n bytes of the file at path from off.
func flipFile(t *testing.T, path string, off, n int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := off; i < off+n && i < int64(len(b)); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
