package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/datadir"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// Mode says what an App is opened for.
type Mode int

const (
	// ReadOnly opens the store and the index read-only. The data
	// directory must exist.
	ReadOnly Mode = iota
	// Write opens the store and the index for writing, creating the data
	// directory when it does not exist. A writer holds the data
	// directory's lock: one at a time.
	Write
	// Serve opens both for writing, like Write, but the data directory
	// and its index must exist already: a server does not start over an
	// empty one.
	Serve
	// StoreOnly opens the store alone, read-only, for use cases that do
	// not search (an ingest report, one message): they work beside a
	// damaged index too.
	StoreOnly
	// StoreWrite opens the store alone for writing, creating the data
	// directory: users and productions can be made before anything is
	// indexed, and while the index is being rebuilt.
	StoreWrite
)

// Options configure Open.
type Options struct {
	Mode   Mode
	Logger *slog.Logger // nil: slog.Default()
}

// App is an open data directory: the store and the search index of the
// leak, and the use cases that need both. Its methods are safe for
// concurrent use as far as the store's and the index's are.
type App struct {
	dir   string
	Store *store.DB
	Index *search.Index // nil when opened StoreOnly
	Log   *slog.Logger
}

// Open opens the data directory dir. The errors name what is missing or
// damaged and the command that mends it: a missing directory is
// leakscope.ErrNotFound, a damaged store or index leakscope.ErrDamaged
// (see MendHint), an index of another version search.ErrOutdated.
func Open(ctx context.Context, dir string, opts Options) (*App, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	write := opts.Mode == Write || opts.Mode == Serve || opts.Mode == StoreWrite
	creates := opts.Mode == Write || opts.Mode == StoreWrite
	storePath := filepath.Join(dir, "store.db")
	switch {
	case creates:
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	case opts.Mode == Serve:
		if _, err := os.Stat(storePath); err != nil {
			return nil, fmt.Errorf("no data directory at %q (run `leakscope index` first, or pass --data): %w", dir, leakscope.ErrNotFound)
		}
	}
	// A new data directory is made by a writer; a store missing or empty
	// beside packs or an index is a damaged one, for every use.
	if err := datadir.Dir(dir).CheckStore(); err != nil && (!creates || !errors.Is(err, leakscope.ErrNotFound)) {
		return nil, err
	}
	if opts.Mode == Write || opts.Mode == Serve {
		datadir.RecoverSwap(datadir.Dir(dir))
	}
	a := &App{dir: dir, Log: log}
	var err error
	a.Store, err = store.Open(ctx, storePath, store.Options{Logger: log, ReadOnly: !write})
	if err != nil {
		return nil, err
	}
	if opts.Mode == StoreOnly || opts.Mode == StoreWrite {
		return a, nil
	}
	indexDir := filepath.Join(dir, "index")
	if opts.Mode == Serve {
		if _, err := os.Stat(filepath.Join(indexDir, "index_meta.json")); err != nil {
			a.Close()
			return nil, fmt.Errorf("open index %q: no index here (run `leakscope index` first): %w", indexDir, leakscope.ErrNotFound)
		}
	}
	// A writer verifies the index's segments first: scorch merges them in
	// goroutines where bleve's panics on a damaged segment cannot be
	// recovered (see package search, Damage).
	a.Index, err = search.Open(indexDir, search.Options{Logger: log, ReadOnly: !write, Verify: write, Keyer: a.Store})
	if err != nil {
		a.Close()
		return nil, MendHint(err, dir)
	}
	return a, nil
}

// Dir returns the path of the data directory.
func (a *App) Dir() string { return a.dir }

// Close closes the index and the store.
func (a *App) Close() error {
	var errs []error
	if a.Index != nil {
		errs = append(errs, a.Index.Close())
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	return errors.Join(errs...)
}

// ReferenceName is the leak name recorded on the reference archive's
// copies.
const ReferenceName = "reference"

// OpenReference opens the store of the reference archive, the company's
// own copy of its mail, kept in the "reference" folder of the data
// directory apart from the leak (it has no search index). Unless create
// is set, a missing archive is leakscope.ErrNotFound naming the command
// that makes one.
func (a *App) OpenReference(ctx context.Context, create bool) (*store.DB, error) {
	dir := filepath.Join(a.dir, "reference")
	path := filepath.Join(dir, "store.db")
	if !create {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no reference archive in %q (run `leakscope reference PATH...` first): %w", a.dir, leakscope.ErrNotFound)
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create reference directory: %w", err)
	}
	// Writable even for reports: they keep the reconciliation in it.
	return store.Open(ctx, path, store.Options{Logger: a.Log})
}

// MendHint adds to err the command that mends it, when err says the index
// is outdated (reindex) or part of the data directory dir is damaged
// (repair) and does not say so already (the store names its mend; the
// index does not know its data directory).
func MendHint(err error, dir string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, search.ErrOutdated) && !strings.Contains(err.Error(), "leakscope reindex"):
		return fmt.Errorf("%w: run `leakscope reindex --data %s`", err, dir)
	case errors.Is(err, leakscope.ErrDamaged) && !strings.Contains(err.Error(), "leakscope repair"):
		return fmt.Errorf("%w: run `leakscope repair --data %s`", err, dir)
	}
	return err
}
