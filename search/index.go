package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/leakscope/leakscope"
)

// mappingVersionKey is the internal key holding the mapping version.
var mappingVersionKey = []byte("leakscope.mapping_version")

// Options configure Open. The zero value works.
type Options struct {
	// Logger receives debug records about opening and indexing (counts and
	// durations, never content). Nil discards them.
	Logger *slog.Logger
	// ReadOnly opens an existing index for searching only: several
	// read-only Index values (in one process or several) can share it, but
	// not with a writer, which holds the index's lock (Open waits about a
	// second for it, then fails). A read-only index sees the index as
	// it was when opened; Put and Delete fail with ErrInvalidInput. A
	// missing index is an ErrNotFound error instead of being created, and
	// ReadOnly with an empty dir (in memory) is an ErrInvalidInput error.
	// Default false.
	ReadOnly bool
	// Verify checks the CRC-32 of every segment file the index uses
	// before bleve opens it (see damage.go), reading them whole (some 130
	// ms for the Enron subset's 80 MB): a damaged segment fails Open with
	// an ErrDamaged error instead of crashing the process later in one of
	// scorch's own goroutines. Meant
	// for writers and servers, which live long and merge segments; a
	// one-search command may leave it off and rely on recovered panics.
	// Default false. Without it, Open still checks the segments no writer
	// recorded as whole when it closed (verified.go).
	Verify bool
	// Keyer keys the tokens of flagged values (see valueToken): it must be
	// the data directory's (store.DB), so that the tokens of an index
	// written with it are found by searches with Request.Values. Nil: the
	// index holds flagged values masked and no tokens, and values cannot
	// be looked up.
	Keyer Keyer

	noVerify bool // the open verifyDir makes to list the segments in use
}

// Keyer gives the keyed hash of a normalised flagged value
// (detect.NormalizeValue): a MAC under a secret the index never holds.
// store.DB implements it with the HMAC its identifiers are stored under.
// It returns nil when it has no key.
type Keyer interface {
	IdentifierKey(id leakscope.Identifier) []byte
}

// lockTimeout bounds how long Open waits for the lock of an index held by
// another Index value or process (a writer excludes every other user; a
// read-only user excludes writers). bleve waits forever without it.
const lockTimeout = time.Second

// boltTimeout is lockTimeout as scorch's "bolt_timeout" option.
var boltTimeout = lockTimeout.String()

// Index is a full-text index of messages. It is safe for concurrent use.
type Index struct {
	dir      string // "" in memory
	idx      bleve.Index
	log      *slog.Logger
	readOnly bool
	// gen counts the writes through this Index (Put, Delete): cached
	// facets computed at an older generation are stale.
	gen    atomic.Uint64
	facets *facetCache
	keyer  Keyer // nil: no tokens (Options.Keyer)
}

// Open opens the index in dir, creating it (and dir) when it does not exist.
// An empty dir opens a new index in memory, for tests and tools. An index
// built with another mapping version is refused: rebuild it from the store.
func Open(dir string, opts Options) (*Index, error) {
	return open(dir, opts, defaultMappingConfig)
}

func open(dir string, opts Options, cfg mappingConfig) (*Index, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	start := time.Now()
	_, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	existing := dir != "" && statErr == nil
	if existing {
		// The read-only open that tells which segments are in use must
		// not verify again (it would recurse).
		openRO := func() (*Index, error) {
			return open(dir, Options{Logger: opts.Logger, ReadOnly: true, noVerify: true}, cfg)
		}
		verify := verifyUnverified
		if opts.Verify {
			verify = verifyDir
		}
		if !opts.noVerify {
			if err := verify(dir, openRO); err != nil {
				return nil, err
			}
		}
	}
	var (
		idx     bleve.Index
		created bool
	)
	err := guard(dir, "opening it", func() error {
		var err error
		idx, created, err = openBleve(dir, opts, cfg, statErr)
		return err
	})
	if err != nil && existing {
		err = openError(dir, err)
	}
	var de *damageError
	if errors.As(err, &de) {
		return nil, err // names the index
	} else if err != nil {
		return nil, fmt.Errorf("open index %q: %w", dir, err)
	}
	err = guard(dir, "reading its mapping version", func() error {
		if created {
			return idx.SetInternal(mappingVersionKey, []byte(mappingVersion))
		}
		if err := checkLatestSnapshot(dir, idx); err != nil {
			return err
		}
		return checkVersion(idx)
	})
	if errors.As(err, &de) {
		guard(dir, "closing it", idx.Close)
		return nil, err
	} else if err != nil {
		guard(dir, "closing it", idx.Close)
		return nil, fmt.Errorf("open index %q: %w", dir, err)
	}
	log.Debug("search index opened", "created", created, "took", time.Since(start))
	return &Index{dir: dir, idx: idx, log: log, readOnly: opts.ReadOnly, facets: newFacetCache(facetCacheSize), keyer: opts.Keyer}, nil
}

// openBleve opens or creates the bleve index in dir (see Open); statErr is
// what stat said of its index_meta.json.
func openBleve(dir string, opts Options, cfg mappingConfig, statErr error) (bleve.Index, bool, error) {
	switch {
	case dir == "" && opts.ReadOnly:
		return nil, false, fmt.Errorf("a read-only index needs a directory: %w", leakscope.ErrInvalidInput)
	case dir == "":
		idx, err := bleve.NewUsing("", newMapping(cfg), scorch.Name, scorch.Name, nil)
		return idx, true, err
	case statErr == nil && opts.ReadOnly:
		idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
		return idx, false, err
	case statErr == nil:
		idx, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": boltTimeout})
		return idx, false, err
	case opts.ReadOnly:
		return nil, false, fmt.Errorf("no index here: %w", leakscope.ErrNotFound)
	case errors.Is(statErr, os.ErrNotExist):
		idx, err := bleve.NewUsing(dir, newMapping(cfg), scorch.Name, scorch.Name, map[string]any{"bolt_timeout": boltTimeout})
		if err != nil && err.Error() == "timeout" {
			err = fmt.Errorf("locked by another user of the index: %w", err)
		}
		return idx, true, err
	default:
		return nil, false, statErr
	}
}

func checkVersion(idx bleve.Index) error {
	v, err := idx.GetInternal(mappingVersionKey)
	if err != nil {
		return fmt.Errorf("read mapping version: %w", err)
	}
	if string(v) != mappingVersion {
		return fmt.Errorf("index has mapping version %q, this program uses %q: %w", v, mappingVersion, ErrOutdated)
	}
	return nil
}

// ErrOutdated is returned by Open for an index built by another version of
// the mapping: it must be rebuilt from the store (leakscope reindex).
var ErrOutdated = errors.New("the index was built by another version of leakscope and must be rebuilt")

// errReadOnly is returned by writes to an index opened with
// Options.ReadOnly: scorch would accept them and then wait forever for a
// persister that a read-only index does not run.
var errReadOnly = fmt.Errorf("index opened read-only: %w", leakscope.ErrInvalidInput)

// Close closes the index.
func (ix *Index) Close() error {
	if err := ix.guard("closing it", ix.idx.Close); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	// The segments a writer leaves are whole (it wrote or checked them):
	// readers need not check them again (verified.go).
	if ix.dir != "" && !ix.readOnly {
		if err := recordVerified(ix.dir); err != nil {
			ix.log.Warn("index segments not recorded as checked; readers will check them", "err", err)
		}
	}
	return nil
}

// Put indexes docs in one batch. A document replaces any indexed document
// with the same Message.ID. A document without Message or ID fails the whole
// batch with ErrInvalidInput before anything is written.
func (ix *Index) Put(ctx context.Context, docs []leakscope.Document) error {
	if len(docs) == 0 {
		return nil
	}
	if ix.readOnly {
		return errReadOnly
	}
	start := time.Now()
	b := ix.idx.NewBatch()
	for i, d := range docs {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("index batch: %w", err)
			}
		}
		f, err := fields(d, ix.keyer)
		if err != nil {
			return fmt.Errorf("index document %d of %d: %w", i+1, len(docs), err)
		}
		if err := b.Index(d.Message.ID, f); err != nil {
			return fmt.Errorf("index document %d of %d: %w", i+1, len(docs), err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	err := ix.guard("indexing a batch", func() error { return ix.idx.Batch(b) })
	ix.gen.Add(1) // even a failed batch may have changed something
	if err != nil {
		return fmt.Errorf("index batch of %d: %w", len(docs), err)
	}
	ix.log.Debug("search batch indexed", "docs", len(docs), "took", time.Since(start))
	return nil
}

// Delete removes the documents with the given IDs; unknown IDs are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if ix.readOnly {
		return errReadOnly
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete from index: %w", err)
	}
	b := ix.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	err := ix.guard("deleting", func() error { return ix.idx.Batch(b) })
	ix.gen.Add(1)
	if err != nil {
		return fmt.Errorf("delete %d from index: %w", len(ids), err)
	}
	return nil
}

// Count returns the number of indexed messages.
func (ix *Index) Count(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("count index: %w", err)
	}
	var n uint64
	err := ix.guard("counting", func() (err error) { n, err = ix.idx.DocCount(); return err })
	if err != nil {
		return 0, fmt.Errorf("count index: %w", err)
	}
	return n, nil
}

// Optimize merges the index into as few segments as it can (one, up to
// bleve's size limits). Searches on a merged index read one dictionary
// and one set of doc values per field instead of one per segment, which
// matters most for short-lived CLI searches; ingest calls it at the end of
// a run.
func (ix *Index) Optimize(ctx context.Context) error {
	start := time.Now()
	var live uint64
	err := ix.guard("merging its segments", func() error {
		adv, err := ix.idx.Advanced()
		if err != nil {
			return err
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			return nil
		}
		// A force merge merges the segments already persisted: one the
		// persister was still writing stays beside the merged one (seen
		// after ingesting folders of very different mail in one run). So
		// it is asked again until one segment is left, all on disk.
		for attempt := 0; ; attempt++ {
			if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
				return err
			}
			stats := s.StatsMap()
			mem, _ := stats["TotMemorySegmentsAtRoot"].(uint64)
			live, _ = stats["TotFileSegmentsAtRoot"].(uint64)
			if mem == 0 && live <= 1 || attempt == 20 {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	if err != nil {
		return fmt.Errorf("optimize index: %w", err)
	}
	// The merged-away segment files are removed by scorch's persister
	// while it idles; wait for it (a loaded machine can take many
	// seconds) so that they do not double the index on disk until the
	// next writer opens it.
	if ix.dir != "" {
		for deadline := time.Now().Add(60 * time.Second); ; {
			n := zapFiles(filepath.Join(ix.dir, "store"))
			if uint64(n) <= max(live, 1) {
				break
			}
			if time.Now().After(deadline) {
				ix.log.Warn("old index segments still on disk; they are removed when the index is next opened for writing", "segments", n)
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("optimize index: %w", ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	ix.log.Debug("search index merged", "took", time.Since(start), "segments", live)
	return nil
}

func zapFiles(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") {
			n++
		}
	}
	return n
}
