package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/leakscope/leakscope"
)

// bleve trusts its files: a damaged segment makes it panic (an index out
// of range in zapx while reading postings, a slice beyond the file while
// loading a hit's ID) or fault on its memory map. Every call into bleve
// runs in guard, which turns a panic or a fault in the calling goroutine
// into a damageError. scorch also reads segments in goroutines of its own
// (field dictionaries for prefix queries, segment merges of a writer),
// where nothing can recover a panic: Options.Verify checks the CRC-32 of
// each segment file before bleve opens the index (verifyDir), so that a
// writer never starts on damaged segments (nor lets scorch delete the
// segments of a snapshot it cannot load, which it does on open).
//
// When the latest snapshot of an index does not load (its segment is
// damaged), scorch logs it and opens an older one, often the empty index
// of before the first batch: searches would find nothing, or old hits,
// without an error. Open checks that the latest snapshot loads
// (checkLatestSnapshot).

// damageError reports a damaged index. It wraps leakscope.ErrDamaged. The
// index does not know its data directory: the caller adds how to mend it.
type damageError struct {
	dir     string // the index directory; "" in memory
	problem string // what is wrong, lowercase
}

func (e *damageError) Error() string {
	if e.dir == "" {
		return fmt.Sprintf("in-memory index is damaged (%s)", e.problem)
	}
	return fmt.Sprintf("index %q is damaged (%s)", e.dir, e.problem)
}

func (e *damageError) Unwrap() error { return leakscope.ErrDamaged }

// guard runs fn, a call into bleve on the index in dir, turning a panic
// (or a memory fault, which SetPanicOnFault makes a panic) in this
// goroutine into a damageError saying what was being done. A panic of
// this package's own code inside fn is reported the same way: the error
// says where, and the index can always be rebuilt (`leakscope reindex`).
func guard(dir, what string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &damageError{dir: dir, problem: what + " panicked: " + brief(fmt.Sprint(r))}
		}
	}()
	return fn()
}

// guard runs fn on ix's index (see the function guard).
func (ix *Index) guard(what string, fn func() error) error {
	return guard(ix.dir, what, fn)
}

// footerSize is the least size of a zap segment file: its footer (number
// of documents, four offsets, chunk mode, version, CRC-32).
const footerSize = 8 + 4*8 + 4 + 4 + 4

// segmentPaths returns the paths of the segment files of idx's current
// snapshot.
func segmentPaths(idx bleve.Index) ([]string, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	r, err := s.Reader()
	if err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, r.Close()
	}
	defer snap.DecRef()
	var paths []string
	for _, ss := range snap.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			paths = append(paths, p.Path())
		}
	}
	slices.Sort(paths)
	return paths, nil
}

// verifyPaths checks the CRC-32 that ends each segment file against the
// bytes before it, as zapx wrote it (a segment with a flipped byte, cut
// short or overwritten fails), and returns the problem of each file that
// fails, by path. It reads every file whole (about 80 MB for the Enron
// subset, some 130 ms on a 2-core machine).
func verifyPaths(ctx context.Context, paths []string) (map[string]string, error) {
	bad := map[string]string{}
	buf := make([]byte, 1<<20)
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		problem, err := verifySegment(p, buf)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			bad[p] = problem
		}
	}
	return bad, nil
}

// firstDamaged returns the damage of the first path of used that is bad.
func firstDamaged(dir string, used []string, bad map[string]string) error {
	for _, p := range used {
		if problem, ok := bad[p]; ok {
			return &damageError{dir: dir, problem: fmt.Sprintf("segment %s: %s", filepath.Base(p), problem)}
		}
	}
	return nil
}

// verifyDir checks the segment files in dir/store before bleve reads any
// (Options.Verify). Only a file the index uses is damage: a crash can
// leave a half-written segment that no snapshot refers to (a writer's
// open removes it). So when a file fails, the index is opened read-only
// (no merges, nothing removed) to learn which files it uses; only then
// does bleve read a damaged file, which its recovered panics cover, but
// for the aborts described at the top of this file.
func verifyDir(dir string, openRO func() (*Index, error)) error {
	paths, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return fmt.Errorf("verify index %q: %w", dir, err)
	}
	slices.Sort(paths)
	return verifyPathsIn(dir, paths, openRO)
}

// verifyPathsIn checks the segment files paths of dir, and when one fails,
// whether the index uses it (see verifyDir).
func verifyPathsIn(dir string, paths []string, openRO func() (*Index, error)) error {
	bad, err := verifyPaths(context.Background(), paths)
	if err != nil {
		return fmt.Errorf("verify index %q: %w", dir, err)
	}
	if len(bad) == 0 {
		return nil
	}
	ro, err := openRO()
	if err != nil {
		return err
	}
	var used []string
	err = ro.guard("listing its segments", func() (err error) { used, err = segmentPaths(ro.idx); return err })
	if cerr := ro.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return firstDamaged(dir, used, bad)
}

// verifySegment returns what is wrong with the segment file at path, ""
// if nothing is; buf is a read buffer.
func verifySegment(path string, buf []byte) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	size := fi.Size()
	if size < footerSize {
		return fmt.Sprintf("%d bytes, shorter than a segment's footer", size), nil
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyBuffer(h, io.LimitReader(f, size-4), buf); err != nil {
		return "", err
	}
	var stored [4]byte
	if _, err := io.ReadFull(f, stored[:]); err != nil {
		return "", err
	}
	if got, want := h.Sum32(), binary.BigEndian.Uint32(stored[:]); got != want {
		return fmt.Sprintf("checksum %08x, its footer says %08x", got, want), nil
	}
	return "", nil
}

// CheckConsistency reads every segment file of the index's current
// snapshot and reports the first that is damaged (see Options.Verify) as
// an error wrapping
// leakscope.ErrDamaged; meant for `leakscope verify`. An index in memory
// has no files and always passes.
func (ix *Index) CheckConsistency(ctx context.Context) error {
	if ix.dir == "" {
		return nil
	}
	return ix.guard("verifying it", func() error {
		used, err := segmentPaths(ix.idx)
		if err != nil {
			return fmt.Errorf("verify index %q: %w", ix.dir, err)
		}
		bad, err := verifyPaths(ctx, used)
		if err != nil {
			return fmt.Errorf("verify index %q: %w", ix.dir, err)
		}
		return firstDamaged(ix.dir, used, bad)
	})
}

// openError classifies an error of bleve opening an existing index: a
// lock held elsewhere or a file it may not read is what it says; anything
// else (a mapping it cannot parse because its snapshot did not load, a
// segment it cannot open, root.bolt missing beside index_meta.json,
// index_meta.json garbled) means damage.
func openError(dir string, err error) error {
	var de *damageError
	switch {
	case errors.As(err, &de), errors.Is(err, os.ErrPermission):
		return err
	case err.Error() == "timeout":
		// bbolt's lock timeout is a bare "timeout" error (search may not
		// import bbolt to compare it).
		return fmt.Errorf("locked by another user of the index: %w", err)
	}
	return &damageError{dir: dir, problem: "opening it: " + brief(err.Error())}
}

// brief returns the first line of bleve's error text msg, at most 200
// bytes of it, without control characters: bleve appends what it could
// not parse (a mapping's bytes, binary when damaged).
func brief(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, msg)
}

// checkLatestSnapshot reports damage when the latest snapshot persisted in
// idx's root.bolt does not load, which scorch hides by falling back to an
// older one. With a single snapshot the fallback is an index without
// mapping, which Open already refuses; only then does it cost nothing
// (else a second open of the latest snapshot's segments, some 3 ms for the
// Enron subset).
func checkLatestSnapshot(dir string, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	epochs, err := s.RootBoltSnapshotEpochs() // newest first
	if err != nil || len(epochs) < 2 {
		return err
	}
	snap, err := s.LoadSnapshot(epochs[0])
	if err != nil {
		return &damageError{dir: dir, problem: fmt.Sprintf("its latest snapshot, %d, does not load: %v", epochs[0], err)}
	}
	return snap.DecRef()
}

// searchError classifies an error of bleve searching: the request is the
// one request built from a translated query, which bleve accepts, so an
// error that is not the context's (ctx's, or one bleve passed on) is
// bleve failing to read the index ("error loading roaring bitmap",
// "memUvarintReader overflow"): damage.
func searchError(ctx context.Context, dir string, err error) error {
	var de *damageError
	switch {
	case errors.As(err, &de), ctx.Err() != nil,
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return &damageError{dir: dir, problem: "searching failed: " + brief(err.Error())}
}
