package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/app"
)

// damagedCopy copies the data directory data and damages the copy's file
// name (relative to it) with damage; it returns the copy.
func damagedCopy(t *testing.T, data, name string, damage func(t *testing.T, path string)) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(data)); err != nil {
		t.Fatal(err)
	}
	damage(t, filepath.Join(dst, name))
	return dst
}

func truncateToHalf(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// zapFile returns the index's segment file, relative to the data directory.
func zapFile(t *testing.T, data string) string {
	t.Helper()
	zaps, err := filepath.Glob(filepath.Join(data, "index", "store", "*.zap"))
	if err != nil || len(zaps) != 1 {
		t.Fatalf("segments %v, %v; want one", zaps, err)
	}
	rel, _ := filepath.Rel(data, zaps[0])
	return rel
}

// wantOneLine checks that a command failed with exit 1 and one line on
// stderr holding each of want.
func wantOneLine(t *testing.T, args []string, r result, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != exitError || len(lines) != 1 {
		t.Errorf("leakscope %s: exit %d, stderr %q; want exit 1 and one line", strings.Join(args, " "), r.code, r.stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("leakscope %s: stderr %q, want it to say %q", strings.Join(args, " "), r.stderr, w)
		}
	}
}

// TestDamagedStore: every command that opens a store cut to half its size
// (which crashed bbolt) prints one line naming the file and the mend, and
// exits 1; so does one opening an empty store beside packs and an index.
func TestDamagedStore(t *testing.T) {
	data, _ := sampleData(t)
	dump := filepath.Join(filepath.Dir(data), "dump") // see sampleData
	for _, d := range []struct {
		name   string
		damage func(t *testing.T, path string)
		says   string
	}{
		{"truncated to half", truncateToHalf, "is damaged (truncated: "},
		{"emptied", func(t *testing.T, path string) { os.Truncate(path, 0) }, "is damaged (empty: 0 bytes"},
	} {
		t.Run(d.name, func(t *testing.T) {
			damaged := damagedCopy(t, data, "store.db", d.damage)
			store := filepath.Join(damaged, "store.db")
			for _, args := range [][]string{
				{"search", "--data", damaged, "budget"},
				{"show", "--data", damaged, "0123456789abcdef"},
				{"stats", "--data", damaged},
				{"report", "--data", damaged},
				{"index", "--data", damaged, "--leak", "sample", "--no-progress", dump},
				{"serve", "--data", damaged, "--addr", "127.0.0.1:0"},
				{"tag", "list", "--data", damaged},
				{"reindex", "--data", damaged},
			} {
				wantOneLine(t, args, run(t, args...), `store "`+store+`" `+d.says, "run `leakscope repair --data "+damaged+"`")
			}
		})
	}
}

// TestDamagedIndex: a segment whose footer is garbled (it would make bleve
// panic) is found by its checksum before bleve reads it, by a search as by
// a writer or a server: each says the index is damaged and how to mend it,
// in one line, and exits 1; what needs only the store still works.
func TestDamagedIndex(t *testing.T) {
	data, _ := sampleData(t)
	dump := filepath.Join(filepath.Dir(data), "dump") // see sampleData
	damaged := damagedCopy(t, data, zapFile(t, data), func(t *testing.T, path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// The sections index offset (see search's TestDamagedSegmentFooter).
		binary.BigEndian.PutUint64(b[len(b)-28:], 0)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	index := filepath.Join(damaged, "index")
	hint := "run `leakscope repair --data " + damaged + "`"
	args := []string{"search", "--data", damaged, "budget OR *"}
	wantOneLine(t, args, run(t, args...), `index "`+index+`" is damaged (segment `, "checksum", hint)
	for _, args := range [][]string{
		{"index", "--data", damaged, "--leak", "sample", "--no-progress", dump},
		{"serve", "--data", damaged, "--addr", "127.0.0.1:0"},
	} {
		wantOneLine(t, args, run(t, args...), `index "`+index+`" is damaged (segment `, "checksum", hint)
	}
	// stats searches too (its facets), and says so the same way; what
	// needs only the store still works.
	args = []string{"stats", "--data", damaged}
	wantOneLine(t, args, run(t, args...), `index "`+index+`" is damaged`, hint)
	for _, args := range [][]string{{"report", "--data", damaged}, {"show", "--data", damaged, "--json", firstID(t, data)}} {
		if r := run(t, args...); r.code != 0 {
			t.Errorf("%s of a data directory with a damaged index: exit %d, %s", args[0], r.code, r.stderr)
		}
	}
	// reindex mends it.
	mustRun(t, "reindex", "--data", damaged)
	if n := total(t, damaged, "*"); n == 0 {
		t.Errorf("search * after reindex = %d hits, want the messages", n)
	}
}

// TestServeDamagedIndex: the index of a running server is damaged on
// disk; the searches answer 500 data_damaged, and the server goes on
// answering what needs only the store (stats, which searches for its
// facets, fails the same way).
func TestServeDamagedIndex(t *testing.T) {
	data := serveData(t)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	admin := ts.client(t, "admin")
	admin.login("root")
	var all searchPage
	admin.get("/api/v1/search?q=*&limit=100", &all)
	if len(all.Hits) == 0 {
		t.Fatal("no messages to search")
	}
	// Damage the segment in place: the server maps the file, and sees it.
	f, err := os.OpenFile(filepath.Join(data, zapFile(t, data)), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 200)
	if _, err := f.ReadAt(b, 0); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] ^= 0xff
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for range 2 {
		resp, body := admin.do("GET", "/api/v1/search?q=*&sort=date", nil)
		if resp.StatusCode != http.StatusInternalServerError || apiErrorCode(t, body) != "data_damaged" {
			t.Errorf("search of a damaged index = %d %s, want 500 data_damaged", resp.StatusCode, body)
		}
		if strings.Contains(string(body), data) {
			t.Errorf("the answer %s names the server's files", body)
		}
		var m map[string]any
		admin.get("/api/v1/messages/"+all.Hits[0].ID, &m)
		admin.get("/api/v1/me", &m)
	}
}

func TestRepairHint(t *testing.T) {
	index := fmt.Errorf(`index "/srv/leak/index" is damaged (searching panicked): %w`, leakscope.ErrDamaged)
	err := app.MendHint(index, "/srv/leak")
	if !errors.Is(err, leakscope.ErrDamaged) || !strings.HasSuffix(err.Error(), "run `leakscope repair --data /srv/leak`") {
		t.Errorf("app.MendHint(index damaged) = %v", err)
	}
	if again := app.MendHint(err, "/srv/leak"); again != err {
		t.Errorf("repairHint of an error with the hint = %v, want it unchanged", again)
	}
	other := errors.New("disk full")
	if err := app.MendHint(other, "/srv/leak"); err != other {
		t.Errorf("app.MendHint(other) = %v, want it unchanged", err)
	}
	// Damage found while looking for a message is damage (exit 1), not a
	// message that is not there (exit 3).
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard)
	if code := m.exitCode(context.Background(), errors.Join(err, leakscope.ErrNotFound)); code != exitError {
		t.Errorf("exit code of damage that also wraps ErrNotFound = %d, want %d", code, exitError)
	}
}

// firstID returns the ID of a message of data (searched before damage).
func firstID(t *testing.T, data string) string {
	t.Helper()
	var res struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	decodeJSON(t, mustRun(t, "search", "--data", data, "--json", "--limit", "1", "*"), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no message to show")
	}
	return res.Hits[0].ID
}
