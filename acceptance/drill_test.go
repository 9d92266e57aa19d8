package acceptance

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDamageDrill damages copies of the Enron data directory in each way a
// disk, a crash or a careless hand can (store deleted, emptied, cut in
// half; 200 bytes flipped in a pack, in an index segment, in the store
// file) and checks, for each:
//
//   - no command crashes: every exit is 0, 1 or 3 (never 2, a panic or a
//     signal), whatever it is asked;
//   - no command shrinks or rewrites a pack: every pack keeps its bytes;
//   - `verify` exits 1 and names the damaged part;
//   - `repair` exits 0, and `verify` is then clean;
//   - searches give the undamaged copy's hits, less only messages the
//     repair lists as lost; every original shown is the undamaged copy's,
//     byte for byte, and a lost one is refused, not shown wrong.
func TestDamageDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("damages and repairs copies of the Enron data directory; skipped with -short")
	}
	base, _ := enronData(t)
	maildir := filepath.Join(corpusDir(t), "enron", "maildir")
	queries := []string{"*", "gas", `"natural gas"`, "from:phillip.allen@enron.com", "custodian:lay-k",
		"has:attachment", "flag:phone", "leak:enron", "date:2001-05"}
	want := make(map[string][]string)
	for _, q := range queries {
		ids, err := allHitIDs(t, base, q)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		want[q] = ids
	}
	sample := want["*"][:0:0]
	for i := 0; i < len(want["*"]); i += len(want["*"])/25 + 1 {
		sample = append(sample, want["*"][i])
	}
	raws := make(map[string][]byte)
	for _, id := range sample {
		r := run(t, "show", "--data", base, "--raw", id)
		if r.code != 0 {
			t.Fatalf("%v\nwant exit 0", r)
		}
		raws[id] = r.stdout
	}

	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		names  string // what verify must name
	}{
		{"store deleted", func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, "store.db"))) }, "store.db"},
		{"store emptied", func(t *testing.T, dir string) { must(t, os.Truncate(filepath.Join(dir, "store.db"), 0)) }, "store.db"},
		{"store cut in half", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "store.db")
			fi, err := os.Stat(p)
			must(t, err)
			must(t, os.Truncate(p, fi.Size()/2))
		}, "store.db"},
		{"pack bytes flipped", func(t *testing.T, dir string) { flipMiddle(t, filepath.Join(dir, "packs", "00000001.pack")) }, ".pack"},
		{"index segment bytes flipped", func(t *testing.T, dir string) {
			flipMiddle(t, largest(t, filepath.Join(dir, "index", "store"), ".zap"))
		}, ".zap"},
		{"store bytes flipped", func(t *testing.T, dir string) { flipMiddle(t, filepath.Join(dir, "store.db")) }, "store.db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			copyTree(t, base, dir)
			tc.damage(t, dir)
			// Taken after the damage: a pack damaged on purpose keeps its
			// damaged bytes too.
			packs := packPrints(t, dir)

			// Whatever a user asks of the damaged directory: no crash, no
			// pack touched.
			for _, args := range [][]string{
				{"stats", "--json"}, {"search", "--json", "*"}, {"search", "--json", `"natural gas"`},
				{"show", "--json", sample[0]}, {"show", "--raw", sample[1]}, {"report", "--json"},
				{"search", "--json", "--facets", "gas"},
				{"index", "--leak", "enron", "--no-progress", maildir},
			} {
				r := run(t, append(args[:1:1], append([]string{"--data", dir}, args[1:]...)...)...)
				checkExit(t, r, 0, 1, 3)
				checkPacks(t, dir, packs)
			}
			r := run(t, "verify", "--data", dir, "--no-progress")
			checkExit(t, r, 1)
			if out := string(r.stdout) + string(r.stderr); !strings.Contains(out, tc.names) || !strings.Contains(out, "damaged") && !strings.Contains(out, "DAMAGED") {
				t.Errorf("verify does not name the damage (%s):\n%s", tc.names, out)
			}
			checkPacks(t, dir, packs)

			r = run(t, "repair", "--data", dir, "--no-progress", "--json")
			checkExit(t, r, 0)
			checkPacks(t, dir, packs)
			var rep struct {
				Lost []struct {
					Messages []string `json:"messages"`
					Copy     string   `json:"copy"`
					Reason   string   `json:"reason"`
				} `json:"lost"`
				Actions []string `json:"actions"`
			}
			if err := json.Unmarshal(r.stdout, &rep); err != nil {
				t.Fatalf("repair --json: %v\n%s", err, r.stdout)
			}
			t.Logf("repair: %s; %d lost", strings.Join(rep.Actions, "; "), len(rep.Lost))
			lost := make(map[string]bool)
			for _, l := range rep.Lost {
				for _, id := range l.Messages {
					lost[id] = true
				}
			}
			if r := run(t, "verify", "--data", dir, "--no-progress"); r.code != 0 {
				t.Errorf("verify after repair: %v\n%s", r, r.stdout)
			}

			for _, q := range queries {
				ids, err := allHitIDs(t, dir, q)
				if err != nil {
					t.Errorf("after repair: %v", err)
					continue
				}
				if extra, gone := diffIDs(ids, want[q]); len(extra) > 0 || !allIn(gone, lost) {
					t.Errorf("search %q after repair: %d hits, want %d: %d not in the undamaged copy (%.3v), %d missing that are not listed as lost (%.3v)",
						q, len(ids), len(want[q]), len(extra), extra, len(notIn(gone, lost)), notIn(gone, lost))
				}
			}
			for _, id := range sample {
				r := run(t, "show", "--data", dir, "--raw", id)
				switch {
				case lost[id]:
					checkExit(t, r, 1)
				case r.code != 0 || !bytes.Equal(r.stdout, raws[id]):
					t.Errorf("show --raw %s after repair: exit %d, %d bytes; want the %d bytes of the undamaged copy\n%s", id, r.code, len(r.stdout), len(raws[id]), r.stderr)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkExit fails the test unless r exited with one of codes, without a
// panic (a signal is exit -1).
func checkExit(t *testing.T, r *result, codes ...int) {
	t.Helper()
	if !slices.Contains(codes, r.code) || r.panicked() {
		t.Errorf("%v\nwant exit %v and no panic", r, codes)
	}
}

// flipMiddle inverts 200 bytes in the middle of the file at path.
func flipMiddle(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	must(t, err)
	defer f.Close()
	fi, err := f.Stat()
	must(t, err)
	b := make([]byte, 200)
	off := fi.Size()/2 - 100
	_, err = f.ReadAt(b, off)
	must(t, err)
	for i := range b {
		b[i] ^= 0xff
	}
	_, err = f.WriteAt(b, off)
	must(t, err)
}

// largest returns the largest file of dir whose name ends with suffix.
func largest(t *testing.T, dir, suffix string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	best, size := "", int64(-1)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), suffix) && fi.Size() > size {
			best, size = filepath.Join(dir, e.Name()), fi.Size()
		}
	}
	if best == "" {
		t.Fatalf("no %s file in %s", suffix, dir)
	}
	return best
}

// packPrint is a pack's size and the hash of its bytes.
type packPrint struct {
	size int64
	sum  [sha256.Size]byte
}

func packPrints(t *testing.T, dir string) map[string]packPrint {
	t.Helper()
	out := make(map[string]packPrint)
	paths, err := filepath.Glob(filepath.Join(dir, "packs", "*.pack"))
	must(t, err)
	for _, p := range paths {
		fi, err := os.Stat(p)
		must(t, err)
		out[p] = packPrint{size: fi.Size(), sum: prefixSum(t, p, fi.Size())}
	}
	return out
}

func prefixSum(t *testing.T, path string, n int64) [sha256.Size]byte {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyN(h, f, n); err != nil {
		t.Errorf("%s is shorter than its %d bytes: %v", path, n, err)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// checkPacks fails the test when a pack lost or changed any of the bytes
// it held when before was taken.
func checkPacks(t *testing.T, dir string, before map[string]packPrint) {
	t.Helper()
	for p, want := range before {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("pack %s: %v", p, err)
			continue
		}
		if fi.Size() < want.size {
			t.Errorf("pack %s shrank from %d to %d bytes", p, want.size, fi.Size())
			continue
		}
		if got := prefixSum(t, p, want.size); got != want.sum {
			t.Errorf("pack %s: its first %d bytes changed", p, want.size)
		}
	}
}

func diffIDs(got, want []string) (extra, gone []string) {
	g, w := make(map[string]bool), make(map[string]bool)
	for _, id := range got {
		g[id] = true
	}
	for _, id := range want {
		w[id] = true
		if !g[id] {
			gone = append(gone, id)
		}
	}
	for _, id := range got {
		if !w[id] {
			extra = append(extra, id)
		}
	}
	return extra, gone
}

func allIn(ids []string, set map[string]bool) bool { return len(notIn(ids, set)) == 0 }

func notIn(ids []string, set map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !set[id] {
			out = append(out, id)
		}
	}
	return out
}
