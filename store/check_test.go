package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// damageFixture is a data directory whose store holds a few hundred
// messages over a few dozen pages, with their packs; tests damage copies
// of it.
type damageFixture struct {
	dir  string // holds store.db and packs/
	file []byte // store.db
	ps   int    // page size
	hw   uint64 // pages in use
	// reached marks the pages of the B+tree (the others are free).
	reached []uint64
}

func newDamageFixture(t *testing.T) *damageFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	run := &leakscope.IngestRun{Leak: "l"}
	if err := db.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := db.Apply(ctx, run.ID, batchOf(40, i*1000), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := readMeta(f, int64(len(file)))
	if err != nil {
		t.Fatalf("readMeta of a good store: %v", err)
	}
	w := &pageWalk{ctx: ctx, r: f, ps: m.pageSize, hw: m.hw, seen: make([]uint64, (m.hw+63)/64)}
	if err := w.walk(m.root); err != nil {
		t.Fatalf("walk of a good store: %v", err)
	}
	fx := &damageFixture{dir: dir, file: file, ps: int(m.pageSize), hw: m.hw, reached: w.seen}
	branches := 0
	for page := range m.hw {
		if fx.isReached(page) && ne.Uint16(file[int(page)*fx.ps+8:]) == branchPageFlag {
			branches++
		}
	}
	if branches == 0 {
		t.Fatalf("the fixture's %d pages hold no branch page", w.pages)
	}
	t.Logf("fixture: %d pages in the B+tree (%d branch pages) of %d", w.pages, branches, m.hw)
	return fx
}

func (fx *damageFixture) isReached(page uint64) bool {
	return fx.reached[page/64]&(1<<(page%64)) != 0
}

// copyWith writes a new data directory whose store.db is fx's file changed
// by damage, and returns the store's path.
func (fx *damageFixture) copyWith(t *testing.T, damage func(b []byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "packs"), os.DirFS(filepath.Join(fx.dir, "packs"))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "store.db")
	if err := os.WriteFile(path, damage(append([]byte(nil), fx.file...)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flip inverts n bytes from off.
func flip(off, n int) func(b []byte) []byte {
	return func(b []byte) []byte {
		for i := off; i < off+n && i < len(b); i++ {
			b[i] ^= 0xff
		}
		return b
	}
}

// readAll reads everything a command reads: totals, runs, leaks, the
// pending list, and every message with its text, copies, originals and
// search document; then the consistency check. It returns the errors.
func readAll(ctx context.Context, db *DB) []error {
	var errs []error
	add := func(what string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
	}
	_, err := db.Stats(ctx)
	add("Stats", err)
	_, err = db.Runs(ctx)
	add("Runs", err)
	_, err = db.Leaks(ctx)
	add("Leaks", err)
	_, err = db.Pending(ctx)
	add("Pending", err)
	_, err = db.Problems(ctx, 1)
	add("Problems", err)
	err = db.MessageIDs(ctx, 100, func(ids []string) error {
		for _, id := range ids {
			_, err := db.Message(ctx, id)
			add("Message", err)
			_, err = db.Text(ctx, id)
			add("Text", err)
			cs, err := db.Copies(ctx, id)
			add("Copies", err)
			for _, c := range cs {
				_, err := db.Original(ctx, c.RawSHA256)
				add("Original", err)
			}
		}
		_, err := db.Documents(ctx, ids)
		add("Documents", err)
		return nil
	})
	add("MessageIDs", err)
	add("CheckConsistency", db.CheckConsistency(ctx))
	return errs
}

// openAndRead opens the store at path read-only and for writing, reads
// everything from each that opens, and returns the Open errors and the
// errors of the reads.
func openAndRead(t *testing.T, path string) (openErrs, readErrs []error) {
	t.Helper()
	ctx := context.Background()
	for _, ro := range []bool{true, false} {
		db, err := Open(ctx, path, Options{ReadOnly: ro, NoSync: true})
		if err != nil {
			openErrs = append(openErrs, err)
			continue
		}
		readErrs = append(readErrs, readAll(ctx, db)...)
		if err := db.Close(); err != nil {
			readErrs = append(readErrs, fmt.Errorf("Close: %w", err))
		}
	}
	return openErrs, readErrs
}

// wantDamaged checks that err is a damage error naming path and the mend.
func wantDamaged(t *testing.T, what string, err error, path string, detail string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s = nil, want an error wrapping ErrDamaged", what)
	case !errors.Is(err, leakscope.ErrDamaged):
		t.Errorf("%s = %v, want an error wrapping ErrDamaged", what, err)
	case !strings.Contains(err.Error(), fmt.Sprintf("%q", path)) ||
		!strings.Contains(err.Error(), "run `leakscope repair --data "+filepath.Dir(path)+"`") ||
		!strings.Contains(err.Error(), detail):
		t.Errorf("%s = %v, want it to name %q, say %q and how to mend it", what, err, path, detail)
	}
}

func TestGoodStoreChecks(t *testing.T) {
	fx := newDamageFixture(t)
	path := fx.copyWith(t, func(b []byte) []byte { return b })
	if openErrs, readErrs := openAndRead(t, path); len(openErrs)+len(readErrs) > 0 {
		t.Errorf("a good store: Open errors %v, read errors %v", openErrs, readErrs)
	}
}

func TestDamagedStoreOpen(t *testing.T) {
	fx := newDamageFixture(t)
	size := len(fx.file)
	need := int(fx.hw) * fx.ps // bbolt grows the file ahead of its pages
	meta := func(page int) int { return page*fx.ps + pageHeaderSize }
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		detail string // in the error of every Open; "" when Open may succeed
	}{
		{"truncated to half", func(b []byte) []byte { return b[:size/2] }, fmt.Sprintf("truncated: %d bytes, its pages need %d", size/2, need)},
		{"truncated by a page", func(b []byte) []byte { return b[:need-fx.ps] }, "truncated"},
		{"cut to its pages", func(b []byte) []byte { return b[:need] }, ""},
		{"truncated inside the first page", func(b []byte) []byte { return b[:100] }, "truncated: 100 bytes"},
		{"truncated inside the first meta", func(b []byte) []byte { return b[:40] }, "no valid meta page"},
		{"truncated to 0 beside packs", func(b []byte) []byte { return nil }, "empty: 0 bytes, beside packs/"},
		{"both metas flipped", func(b []byte) []byte { return flip(meta(1), 8)(flip(meta(0), 8)(b)) }, "no valid meta page"},
		{"both checksums flipped", func(b []byte) []byte {
			return flip(meta(1)+metaChecksumOff, 1)(flip(meta(0)+metaChecksumOff, 1)(b))
		}, "checksum mismatch"},
		{"first meta flipped", flip(meta(0), 200), ""},
		{"second meta flipped", flip(meta(1), 200), ""},
		{"garbage", func(b []byte) []byte {
			r := rand.New(rand.NewPCG(1, 2))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return b
		}, "no valid meta page"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := fx.copyWith(t, tc.damage)
			openErrs, readErrs := openAndRead(t, path)
			if tc.detail == "" {
				// One good meta page is enough: bbolt uses it.
				if len(openErrs)+len(readErrs) > 0 {
					t.Errorf("Open errors %v, read errors %v; want none", openErrs, readErrs)
				}
				return
			}
			if len(openErrs) != 2 {
				t.Fatalf("Open errors %v, want both opens to fail", openErrs)
			}
			for _, err := range openErrs {
				wantDamaged(t, "Open", err, path, tc.detail)
			}
		})
	}
}

func TestEmptyStoreAloneIsNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open of an empty file in an empty directory = %v, want a new store", err)
	}
	db.Close()
}

// TestDamagedPages damages every page of the store in turn, its header and
// its middle: no open or read may panic or fault; damage to a page of the
// B+tree is found by a writer's Open and by CheckConsistency.
func TestDamagedPages(t *testing.T) {
	fx := newDamageFixture(t)
	ctx := context.Background()
	found, stride := 0, uint64(1)
	if testing.Short() {
		stride = 7
	}
	for page := uint64(2); page < fx.hw; page += stride {
		for _, d := range []struct {
			name   string
			off, n int
		}{
			{"header", 0, pageHeaderSize},
			{"elements", pageHeaderSize, 64},
			{"middle", fx.ps/2 - 100, 200},
		} {
			path := fx.copyWith(t, flip(int(page)*fx.ps+d.off, d.n))
			var errs []error
			for _, ro := range []bool{false, true} {
				db, err := Open(ctx, path, Options{ReadOnly: ro, NoSync: true})
				if err != nil {
					errs = append(errs, err)
					if !ro && d.name != "middle" && fx.isReached(page) {
						// The writer's walk finds a damaged page header
						// or element array, whatever page it is.
						wantDamaged(t, fmt.Sprintf("page %d, %s flipped: writer's Open", page, d.name), err, path, "")
					}
					continue
				}
				if !ro && d.name != "middle" && fx.isReached(page) {
					t.Errorf("page %d, %s flipped: the writer's Open succeeded", page, d.name)
				}
				if ro {
					errs = append(errs, readAll(ctx, db)...)
				} else if _, err := db.Stats(ctx); err != nil {
					errs = append(errs, err) // the reader read everything
				}
				if ro && d.name != "middle" && fx.isReached(page) {
					wantDamaged(t, fmt.Sprintf("page %d, %s flipped: CheckConsistency", page, d.name), db.CheckConsistency(ctx), path, "")
				}
				db.Close()
			}
			for _, err := range errs {
				if errors.Is(err, leakscope.ErrDamaged) {
					found++
					if !strings.Contains(err.Error(), "leakscope repair --data") {
						t.Errorf("page %d, %s flipped: %v does not say how to mend it", page, d.name, err)
					}
				}
			}
		}
	}
	if found == 0 {
		t.Error("no damage found in any damaged copy")
	}
}

// TestRandomDamage writes random bytes over random spans of the store: no
// open or read may panic or fault.
func TestRandomDamage(t *testing.T) {
	fx := newDamageFixture(t)
	r := rand.New(rand.NewPCG(7, 7))
	n := 100
	if testing.Short() {
		n = 20
	}
	for range n {
		path := fx.copyWith(t, func(b []byte) []byte {
			for range 1 + r.IntN(4) {
				off := 2*fx.ps + r.IntN(len(b)-2*fx.ps)
				for i := off; i < min(len(b), off+1+r.IntN(256)); i++ {
					b[i] = byte(r.Uint32())
				}
			}
			return b
		})
		openAndRead(t, path)
	}
}

// TestFileTruncatedWhileOpen truncates the file under a reader that has it
// mapped: the reads fault (SIGBUS), which must be errors, not a crash.
func TestFileTruncatedWhileOpen(t *testing.T) {
	fx := newDamageFixture(t)
	ctx := context.Background()
	path := fx.copyWith(t, func(b []byte) []byte { return b })
	db, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Truncate(path, int64(2*fx.ps)); err != nil {
		t.Fatal(err)
	}
	errs := readAll(ctx, db)
	if len(errs) == 0 {
		t.Fatal("reads of a store truncated under them succeeded")
	}
	for _, err := range errs {
		if !errors.Is(err, leakscope.ErrDamaged) {
			t.Errorf("read of a truncated store = %v, want an error wrapping ErrDamaged", err)
		}
	}
}

func TestWindowReader(t *testing.T) {
	data := make([]byte, 3*windowSize+1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	src := strings.NewReader(string(data))
	w := &windowReader{r: src}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		off := r.IntN(len(data) + 100)
		n := 1 + r.IntN(9000)
		got := make([]byte, n)
		gn, gerr := w.ReadAt(got, int64(off))
		want := make([]byte, n)
		wn, werr := src.ReadAt(want, int64(off))
		if gn != wn || string(got[:gn]) != string(want[:wn]) || (gerr == nil) != (werr == nil) {
			t.Fatalf("ReadAt(%d bytes, %d) = %d, %v; want %d, %v", n, off, gn, gerr, wn, werr)
		}
		if gerr != nil && gerr != io.EOF {
			t.Fatalf("ReadAt(%d bytes, %d) = %v", n, off, gerr)
		}
	}
}
