package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// A bbolt file never shrinks, and an ingest leaves much of it unused: the
// buckets with random keys (ids, originals, copy keys, identifiers...) get
// a few keys on every page in every batch, so their pages end about two
// thirds full, and each batch rewrites most of them, leaving the file as
// large as the data plus one batch's rewritten pages (on the Enron corpus
// a third of the file). So a writer that wrote to the file and finds at
// least compactMinShare of it unused rewrites it compactly when it closes
// (for the Enron corpus, 77 MB down to 52 MB in about 0.9 s of CPU):
// bbolt's Compact copies every bucket in key order, pages full, into a
// new file, which is synced and renamed over the old one. A crash before the rename leaves the old file
// as it was (and a temporary file that the next writer removes); after
// it, the new file is complete.
//
// A process that opened the old file and waited for its lock while it was
// being replaced would get a file no longer in the directory: openBolt
// checks the file it locked is still the one at the path, and opens again
// if not.

var (
	// compactMinWaste is the least unused space worth compacting.
	compactMinWaste int64 = 4 << 20
	// compactMinShare is the least share of the file that must be unused.
	compactMinShare = 0.2
)

// compactTxBytes is how much Compact copies per transaction.
const compactTxBytes = 16 << 20

func compactPath(path string) string { return path + ".compact" }

// openBolt opens the bbolt file at path, making sure the file it locked is
// still the one at path. A damaged file is an error (see check.go).
func openBolt(path string, opts *bolt.Options) (*bolt.DB, error) {
	for range 5 {
		if err := checkFile(path, opts); errors.Is(err, errReplaced) {
			continue
		} else if err != nil {
			return nil, err
		}
		before, statErr := os.Stat(path)
		var bdb *bolt.DB
		err := guard(path, func() (err error) { bdb, err = bolt.Open(path, 0o600, opts); return err })
		if err != nil {
			return nil, err
		}
		after, err := os.Stat(path)
		if err != nil || statErr != nil || os.SameFile(before, after) {
			return bdb, nil
		}
		bdb.Close() // replaced by a compaction while we waited
	}
	return nil, errors.New("store file keeps being replaced")
}

// waste returns the size of the file and how much of it holds no data.
func (db *DB) waste() (size, unused int64, err error) {
	fi, err := os.Stat(db.bolt.Path())
	if err != nil {
		return 0, 0, err
	}
	var used int64
	err = db.boltView(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			s := b.Stats()
			used += int64(s.BranchInuse + s.LeafInuse + s.InlineBucketInuse)
			return nil
		})
	})
	return fi.Size(), fi.Size() - used, err
}

// maybeCompact compacts the file of a writer that wrote to it when enough
// of it is unused, unless a transaction found it damaged (guard): a copy
// would hide the damage from `leakscope verify`.
func (db *DB) maybeCompact() error {
	if !db.dirty.Load() || db.bolt.IsReadOnly() || db.damaged.Load() {
		return nil
	}
	size, unused, err := db.waste()
	if err != nil {
		return fmt.Errorf("measure store file: %w", err)
	}
	if unused < compactMinWaste || float64(unused) < compactMinShare*float64(size) {
		return nil
	}
	start := time.Now()
	if err := db.compact(); err != nil {
		return err
	}
	if fi, err := os.Stat(db.bolt.Path()); err == nil {
		db.log.Debug("store file compacted", "before", size, "after", fi.Size(), "took", time.Since(start))
	}
	return nil
}

// compact rewrites the file compactly and renames the copy over it; the
// open file stays locked until Close closes it.
func (db *DB) compact() error {
	path := db.bolt.Path()
	tmp := compactPath(path)
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compact store: %w", err)
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{
		Timeout: time.Second, NoSync: true, FreelistType: bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("compact store: %s is in use", tmp)
	}
	if err != nil {
		return fmt.Errorf("compact store: %w", err)
	}
	dst.AllocSize = 1 << 20
	err = bolt.Compact(dst, db.bolt, compactTxBytes)
	// bbolt grows a file ahead of its data; the copy is cut to its data.
	var end int64
	if err == nil {
		err = dst.View(func(tx *bolt.Tx) error { end = tx.Size(); return nil })
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = truncateSync(tmp, end, !db.bolt.NoSync)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact store: %w", err)
	}
	if !db.bolt.NoSync {
		return syncDir(filepath.Dir(path))
	}
	return nil
}

// truncateSync cuts the file at path to size and, when sync is set,
// flushes it to disk.
func truncateSync(path string, size int64, sync bool) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Truncate(size)
	if err == nil && sync {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
