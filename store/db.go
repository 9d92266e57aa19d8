package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// schemaVersion is bumped when the layout changes incompatibly.
const schemaVersion = "1"

var (
	bucketMeta        = []byte("meta")
	bucketMessages    = []byte("messages")
	bucketTexts       = []byte("texts")
	bucketOriginals   = []byte("originals")
	bucketCopies      = []byte("copies")
	bucketCopyKeys    = []byte("copykeys")
	bucketMsgIDs      = []byte("msgids")
	bucketContents    = []byte("contents")
	bucketThreadInfo  = []byte("threadinfo")
	bucketThreads     = []byte("threads")
	bucketPending     = []byte("pending")
	bucketRuns        = []byte("runs")
	bucketProblems    = []byte("problems")
	bucketProblemKeys = []byte("problemkeys")
	bucketLeaks       = []byte("leaks")

	allBuckets = [][]byte{bucketMeta, bucketMessages, bucketTexts, bucketOriginals,
		bucketCopies, bucketCopyKeys, bucketMsgIDs, bucketContents, bucketThreadInfo, bucketThreads,
		bucketPending, bucketRuns, bucketProblems, bucketProblemKeys, bucketLeaks}
)

// Options configure Open; the zero value works.
type Options struct {
	// Timeout is how long Open waits for another process's file lock.
	// Default 5s.
	Timeout time.Duration
	// ReadOnly opens the file shared, for commands that only read.
	ReadOnly bool
	// NoSync skips fsync after each commit: faster, unsafe on power loss.
	// Meant for tests and benchmarks only. Default false.
	NoSync bool
	// Logger receives debug messages. Default: discard.
	Logger *slog.Logger
}

// DB is the bbolt-backed store.
type DB struct {
	bolt   *bolt.DB
	log    *slog.Logger
	enc    *zstd.Encoder
	dec    *zstd.Decoder
	now    func() time.Time
	readOK bool
}

// Open opens or creates the store file at path.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        opts.Timeout,
		ReadOnly:       opts.ReadOnly,
		NoSync:         opts.NoSync,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open store %q: another leakscope process holds it (waited %s)", path, opts.Timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open store: zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open store: zstd decoder: %w", err)
	}
	db := &DB{bolt: bdb, log: opts.Logger, enc: enc, dec: dec, now: time.Now}
	if opts.ReadOnly {
		if err := db.checkSchema(); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	if err := db.init(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the file.
func (db *DB) Close() error {
	db.dec.Close()
	return db.bolt.Close()
}

// Path returns the path of the store file.
func (db *DB) Path() string { return db.bolt.Path() }

func (db *DB) init() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("schema")); {
		case v == nil:
			return meta.Put([]byte("schema"), []byte(schemaVersion))
		case string(v) != schemaVersion:
			return fmt.Errorf("store schema %s, this leakscope reads %s: re-create the data directory", v, schemaVersion)
		}
		return nil
	})
}

func (db *DB) checkSchema() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("store %q is empty: %w", db.bolt.Path(), errEmpty)
		}
		if v := meta.Get([]byte("schema")); string(v) != schemaVersion {
			return fmt.Errorf("store schema %s, this leakscope reads %s", v, schemaVersion)
		}
		return nil
	})
}

var errEmpty = errors.New("no data: run `leakscope index` first")

// view runs fn in a read transaction unless ctx is done.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.View(fn)
}

// update runs fn in a write transaction unless ctx is done.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(fn)
}

func (db *DB) compress(b []byte) []byte { return db.enc.EncodeAll(b, make([]byte, 0, len(b)/3+16)) }

func (db *DB) decompress(b []byte) ([]byte, error) {
	out, err := db.dec.DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	return out, nil
}

// counter keys in the meta bucket.
var (
	counterMessages  = []byte("n_messages")
	counterCopies    = []byte("n_copies")
	counterOriginals = []byte("n_originals")
	counterRawBytes  = []byte("n_raw_bytes")
)

func addCounter(meta *bolt.Bucket, key []byte, n int64) error {
	if n == 0 {
		return nil
	}
	v := getCounter(meta, key) + n
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(v))
	return meta.Put(key, buf[:])
}

func getCounter(meta *bolt.Bucket, key []byte) int64 {
	v := meta.Get(key)
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

func u64key(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, data)
}
