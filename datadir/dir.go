package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakscope/leakscope"
)

// Dir is a data directory.
type Dir string

// Store is the path of the store file.
func (d Dir) Store() string { return filepath.Join(string(d), "store.db") }

// Packs is the path of the pack directory.
func (d Dir) Packs() string { return filepath.Join(string(d), "packs") }

// Index is the path of the search index.
func (d Dir) Index() string { return filepath.Join(string(d), "index") }

// Reference is the reference archive's directory (a store and packs, no
// index).
func (d Dir) Reference() Dir { return Dir(filepath.Join(string(d), "reference")) }

// repairHint is the command that mends d.
func (d Dir) repairHint() string { return "run `leakscope repair --data " + string(d) + "`" }

// CheckStore reports whether d's store is there: nil when it is, an error
// wrapping leakscope.ErrNotFound when the directory holds no data at all,
// and one wrapping leakscope.ErrDamaged when the store file is missing or
// empty while packs or an index exist (the store was lost: writing a new
// one would orphan them).
func (d Dir) CheckStore() error {
	fi, err := os.Stat(d.Store())
	if err == nil && fi.Size() > 0 {
		return nil
	}
	state := "is missing,"
	if err == nil {
		state = "is damaged (empty: 0 bytes, beside packs/ or an index),"
	}
	packs := packBytes(d.Packs())
	_, indexErr := os.Stat(d.Index())
	switch {
	case packs > 0:
		return fmt.Errorf("store %q %s but %s holds %s of originals: %w: %s to rebuild it from them",
			d.Store(), state, d.Packs(), byteSize(packs), leakscope.ErrDamaged, d.repairHint())
	case indexErr == nil:
		return fmt.Errorf("store %q %s but %s exists: %w: %s", d.Store(), state, d.Index(), leakscope.ErrDamaged, d.repairHint())
	}
	return fmt.Errorf("no data directory at %q (run `leakscope index` first, or pass --data): %w", string(d), leakscope.ErrNotFound)
}

// byteSize formats n bytes for people.
func byteSize(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

// packBytes is the size of the files in a pack directory.
func packBytes(dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
