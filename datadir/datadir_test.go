package datadir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// sampleDir ingests testdata/sample-leak into a new data directory.
func sampleDir(t *testing.T) Dir {
	t.Helper()
	dir := Dir(filepath.Join(t.TempDir(), "data"))
	if err := os.MkdirAll(string(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	ingestSample(t, dir)
	return dir
}

// ingestSample ingests testdata/sample-leak into dir.
func ingestSample(t *testing.T, dir Dir) leakscope.RunCounts {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir.Store(), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := search.Open(dir.Index(), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	input, err := filepath.Abs(filepath.Join("..", "testdata", "sample-leak"))
	if err != nil {
		t.Fatal(err)
	}
	run := &leakscope.IngestRun{Leak: "sample", Inputs: []string{input}, Started: time.Now().UTC()}
	if err := st.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(st, ix, indexer.Options{}).Run(ctx, run, run.Inputs); err != nil {
		t.Fatal(err)
	}
	return run.Counts
}

// counts are a data directory's totals as the store and the index say.
type counts struct {
	messages, copies int64
	indexed          uint64
}

func countsOf(t *testing.T, dir Dir) counts {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir.Store(), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(dir.Index(), search.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return counts{s.Messages, s.Copies, n}
}

func verify(t *testing.T, dir Dir) *Report {
	t.Helper()
	rep, err := Verify(context.Background(), dir, Options{})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

func TestVerifySound(t *testing.T) {
	dir := sampleDir(t)
	rep := verify(t, dir)
	if rep.Damaged() {
		t.Fatalf("Verify of a new data directory = %+v, want sound", rep)
	}
	if rep.Store.Messages == 0 || rep.Index.Documents != uint64(rep.Store.Messages) || rep.Index.Sampled == 0 {
		t.Errorf("Verify = store %+v, index %+v: want every message indexed and some looked up", rep.Store, rep.Index)
	}
}

func TestRepairLostStore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(path string) error
	}{
		{"deleted", os.Remove},
		{"emptied", func(p string) error { return os.Truncate(p, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sampleDir(t)
			want := countsOf(t, dir)
			if err := tc.damage(dir.Store()); err != nil {
				t.Fatal(err)
			}
			if err := dir.CheckStore(); !errors.Is(err, leakscope.ErrDamaged) {
				t.Errorf("CheckStore of a lost store = %v, want ErrDamaged", err)
			}
			if rep := verify(t, dir); !rep.Damaged() || rep.StoreProblem == "" {
				t.Errorf("Verify of a lost store = %+v, want the store named", rep)
			}
			rep, err := Repair(context.Background(), dir, Options{})
			if err != nil {
				t.Fatalf("Repair: %v", err)
			}
			if rep.Rebuilt == nil || rep.After.Damaged() || len(rep.Lost) != 0 {
				t.Errorf("Repair = actions %v, after %+v, lost %v: want a rebuilt store, sound, nothing lost", rep.Actions, rep.After, rep.Lost)
			}
			if got := countsOf(t, dir); got != want {
				t.Errorf("after Repair: %+v, want %+v", got, want)
			}
		})
	}
}

// TestRepairDamagedBlob: bytes flipped inside one original's blob cost that
// message's original, listed as lost; the message stays, and verify is
// clean afterwards.
func TestRepairDamagedBlob(t *testing.T) {
	ctx := context.Background()
	dir := sampleDir(t)
	want := countsOf(t, dir)
	pack := filepath.Join(dir.Packs(), "00000001.pack")
	b, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 2; i < len(b)/2+20; i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(pack, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := verify(t, dir)
	if !before.Damaged() || before.Store.StoreDamaged() || len(before.Store.Damage) == 0 || len(before.Store.Damage[0].Messages) == 0 {
		t.Fatalf("Verify = %+v, want damage in the packs naming the messages it costs", before.Store)
	}
	rep, err := Repair(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("Repair: %v", err)
	}
	if rep.After.Damaged() || len(rep.Lost) == 0 || rep.Rebuilt != nil {
		t.Fatalf("Repair = actions %v, lost %v, after %+v: want losses listed and a sound directory", rep.Actions, rep.Lost, rep.After)
	}
	if got := countsOf(t, dir); got != want {
		t.Errorf("after Repair: %+v, want %+v (lost messages keep their records)", got, want)
	}
	if fi, err := os.Stat(pack); err != nil || fi.Size() != int64(len(b)) {
		t.Errorf("pack after Repair: %v, %v; want it untouched (%d bytes)", fi, err, len(b))
	}

	// Indexing the dump again stores the lost originals again.
	got := ingestSample(t, dir)
	if got.Recovered != len(rep.Lost) || got.Copies != 0 {
		t.Errorf("indexing the sample again: %+v, want %d recovered and no new copy", got, len(rep.Lost))
	}
	after := verify(t, dir)
	if after.Damaged() {
		t.Fatalf("Verify after recovery: %+v", after.Store.Damage)
	}
	for _, l := range after.Store.Known {
		if l.Recovered.IsZero() {
			t.Errorf("loss %+v not marked recovered", l)
		}
	}
}

// TestReindexKeepsTheOldIndex: a reindex stopped midway leaves the index
// it found, and a finished one replaces it.
func TestReindexKeepsTheOldIndex(t *testing.T) {
	dir := sampleDir(t)
	want := countsOf(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Reindex(ctx, dir, Options{Progress: func(string, int64, int64) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Reindex cancelled midway = %v, want context.Canceled", err)
	}
	if got := countsOf(t, dir); got != want {
		t.Errorf("after a cancelled Reindex: %+v, want %+v", got, want)
	}
	if exists(dir.Index()+".rebuild") || exists(dir.Index()+".old") {
		t.Errorf("a cancelled Reindex left its work beside the index")
	}
	rep, err := Reindex(context.Background(), dir, Options{})
	if err != nil || rep.Messages != int(want.messages) {
		t.Fatalf("Reindex = %+v, %v; want %d messages", rep, err, want.messages)
	}
	if got := countsOf(t, dir); got != want {
		t.Errorf("after Reindex: %+v, want %+v", got, want)
	}
}

// TestRecoverSwap: a swap a crash cut between its two renames is undone
// (the old index back in place) or finished (the old one removed).
func TestRecoverSwap(t *testing.T) {
	dir := sampleDir(t)
	want := countsOf(t, dir)
	if err := os.Rename(dir.Index(), dir.Index()+".old"); err != nil {
		t.Fatal(err)
	}
	RecoverSwap(dir)
	if got := countsOf(t, dir); got != want || exists(dir.Index()+".old") {
		t.Errorf("after RecoverSwap with the index moved aside: %+v, want %+v and no index.old", got, want)
	}
	if err := os.MkdirAll(dir.Index()+".old", 0o700); err != nil {
		t.Fatal(err)
	}
	RecoverSwap(dir)
	if exists(dir.Index()+".old") || !exists(dir.Index()) {
		t.Errorf("RecoverSwap with both in place kept index.old or lost the index")
	}
}

// TestRepairCutPack: a pack cut short costs the originals past the cut,
// listed as lost; the store then writes to a new pack, never where the
// lost blobs are placed.
func TestRepairCutPack(t *testing.T) {
	ctx := context.Background()
	dir := sampleDir(t)
	pack := filepath.Join(dir.Packs(), "00000001.pack")
	fi, err := os.Stat(pack)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(pack, fi.Size()*2/3); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, dir.Store(), store.Options{}); !errors.Is(err, leakscope.ErrDamaged) {
		t.Fatalf("Open for writing beside a pack cut short = %v, want ErrDamaged", err)
	}
	rep, err := Repair(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("Repair: %v", err)
	}
	if rep.After.Damaged() || len(rep.Lost) == 0 {
		t.Fatalf("Repair = actions %v, lost %d, after %+v %+v: want losses listed and a sound directory", rep.Actions, len(rep.Lost), rep.After.Store.Damage, rep.After.Index)
	}
	st, err := store.Open(ctx, dir.Store(), store.Options{})
	if err != nil {
		t.Fatalf("Open for writing after Repair: %v", err)
	}
	if err := st.PutSetting(ctx, "x", []byte("y")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if !exists(filepath.Join(dir.Packs(), "00000002.pack")) {
		t.Errorf("writes after the repair did not go to a new pack")
	}
	if rep := verify(t, dir); rep.Damaged() {
		t.Errorf("Verify after writing on: %+v", rep.Store.Damage)
	}
}
