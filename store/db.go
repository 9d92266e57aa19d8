package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/lru"
	"github.com/leakscope/leakscope/oprf"
)

// schemaVersion is bumped when the layout changes incompatibly.
const schemaVersion = "6"

var (
	bucketMeta        = []byte("meta")
	bucketIDs         = []byte("ids")
	bucketMessages    = []byte("messages")
	bucketTexts       = []byte("texts")
	bucketOriginals   = []byte("originals")
	bucketCopies      = []byte("copies")
	bucketCopyKeys    = []byte("copykeys")
	bucketMsgIDs      = []byte("msgids")
	bucketContents    = []byte("contents")
	bucketThreadInfo  = []byte("threadinfo")
	bucketThreads     = []byte("threads")
	bucketThreadOf    = []byte("threadof")
	bucketPending     = []byte("pending")
	bucketRuns        = []byte("runs")
	bucketProblems    = []byte("problems")
	bucketProblemKeys = []byte("problemkeys")
	bucketLeaks       = []byte("leaks")
	bucketIdents      = []byte("idents")
	bucketIdentOf     = []byte("identof")
	bucketWatches     = []byte("watches")
	bucketWatchHits   = []byte("watchhits")
	bucketUsers       = []byte("users")
	bucketUserNames   = []byte("usernames")
	bucketTokens      = []byte("tokens")
	bucketSessions    = []byte("sessions")
	bucketAudit       = []byte("audit")
	bucketIdentLookup = []byte("identlookup")
	bucketLookupOf    = []byte("identlookupof")

	allBuckets = [][]byte{bucketMeta, bucketIDs, bucketMessages, bucketTexts, bucketOriginals,
		bucketCopies, bucketCopyKeys, bucketMsgIDs, bucketContents, bucketThreadInfo, bucketThreads, bucketThreadOf,
		bucketPending, bucketRuns, bucketProblems, bucketProblemKeys, bucketLeaks,
		bucketIdents, bucketIdentOf, bucketWatches, bucketWatchHits,
		bucketUsers, bucketUserNames, bucketTokens, bucketSessions, bucketAudit,
		bucketIdentLookup, bucketLookupOf,
		bucketMsgTags, bucketTagMsgs,
		bucketProductions, bucketBates, bucketLost}
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
	// PackDir is the directory of the pack files holding originals and
	// texts. Default: "packs" beside the store file.
	PackDir string
	// Logger receives debug messages. Default: discard.
	Logger *slog.Logger
	// Repairing opens a writer that mends damage (MendPacks): packs that
	// do not hold what the store committed leave it without a pack writer
	// (appending fails) instead of failing Open. Default false.
	Repairing bool
	// BlobCacheBytes bounds the decompressed pack data kept for reads
	// (blobcache.go). Default DefaultBlobCacheBytes; negative: none.
	BlobCacheBytes int
}

// DB is the bbolt-backed store.
type DB struct {
	bolt  *bolt.DB
	log   *slog.Logger
	codec *codec
	packs *packs
	// blobs caches decompressed blobs; nil when Options turn it off.
	blobs *blobCache
	// records caches decoded message records, copies decoded copy
	// records (recordcache.go).
	records *recordCache
	copies  *lru.Cache[string, leakscope.Copy]
	// audit queues concurrent audit appends for group commit (audit.go).
	audit auditGroup
	now   func() time.Time
	// identSecret keys the hashes of personal identifiers (identifiers.go).
	identSecret []byte
	identMACs   sync.Pool // of HMACs keyed with identSecret (newIdentMAC)
	// prf is the OPRF key derived from identSecret (identlookup.go).
	prf *oprf.Key
	// dirty is set by writes: Close then compacts the file if worthwhile.
	dirty atomic.Bool
	// rebuilt, in a store being rebuilt from its packs, says where each
	// original already is (rebuild.go); nil otherwise.
	rebuilt map[string]rebuiltBlob
	// damaged is set when a transaction found the file damaged (check.go).
	damaged atomic.Bool
	// writeMu serialises write: bbolt releases its writer lock when a
	// transaction commits, before write records the commit in packs, so
	// without it the next transaction's journal could be reset under it.
	writeMu sync.Mutex
}

// Open opens or creates the store file at path.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PackDir == "" {
		opts.PackDir = filepath.Join(filepath.Dir(path), "packs")
	}
	if !opts.ReadOnly {
		if err := refuseLostStore(path, opts.PackDir); err != nil {
			return nil, err
		}
	}
	bdb, err := openBolt(path, &bolt.Options{
		Timeout:  opts.Timeout,
		ReadOnly: opts.ReadOnly,
		NoSync:   opts.NoSync,
		// The freelist is written with each commit. Without it bbolt
		// rebuilds it on open by walking every page in a goroutine of
		// its own, where a damaged page is a panic nothing can recover:
		// the process dies instead of reporting the damage.
		NoFreelistSync: false,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open store %q: another leakscope process holds it (waited %s)", path, opts.Timeout)
	}
	if errors.Is(err, leakscope.ErrDamaged) {
		return nil, err // names the file and the mend (check.go)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	if !opts.ReadOnly {
		// Left by a compaction that a crash interrupted (see compact.go).
		os.Remove(compactPath(path))
	}
	// bbolt grows the file 16 MiB at a time by default; 1 MiB keeps a
	// small data directory small, at the cost of a few more truncate calls.
	bdb.AllocSize = 1 << 20
	db := &DB{bolt: bdb, log: opts.Logger, packs: openPacks(opts.PackDir), now: time.Now}
	db.identMACs.New = db.newIdentMAC
	db.records = newRecordCache(recordCacheSize)
	db.copies = newCopyCache(recordCacheSize)
	switch {
	case opts.BlobCacheBytes == 0:
		db.blobs = newBlobCache(DefaultBlobCacheBytes)
	case opts.BlobCacheBytes > 0:
		db.blobs = newBlobCache(opts.BlobCacheBytes)
	}
	if opts.ReadOnly {
		err = db.checkSchema()
	} else {
		err = db.init(opts.Repairing)
	}
	if err == nil {
		err = db.loadCodec()
	}
	if err == nil {
		err = db.loadIdentSecret(!opts.ReadOnly)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// refuseLostStore refuses to create a store where one was lost: a store
// file missing or empty beside packs that hold data. Writing a new store
// there would make every original in the packs unreachable.
func refuseLostStore(path, packDir string) error {
	fi, err := os.Stat(path)
	if err == nil && fi.Size() > 0 {
		return nil
	}
	held := packBytes(packDir)
	switch {
	case held == 0:
		return nil
	case err == nil:
		return damagef(path, "empty: 0 bytes, beside packs/ holding %d bytes of originals; the store can be rebuilt from them", held)
	}
	return fmt.Errorf("store %q is missing, but %s holds %d bytes of originals: %w: run `leakscope repair --data %s` to rebuild the store from them",
		path, packDir, held, leakscope.ErrDamaged, filepath.Dir(path))
}

// loadCodec sets up compression with the dictionaries stored in meta, if
// any.
func (db *DB) loadCodec() error {
	return db.boltView(func(tx *bolt.Tx) error {
		c, err := newCodec(tx.Bucket(bucketMeta))
		if err != nil {
			return fmt.Errorf("open store: %w", err)
		}
		db.codec = c
		return nil
	})
}

// Close closes the file, first compacting it when this writer left much
// of it unused (see compact.go).
func (db *DB) Close() error {
	if db.codec != nil {
		db.codec.close()
	}
	if err := db.maybeCompact(); err != nil {
		// The store is as good as before, only larger.
		db.log.Warn("store file not compacted", "err", err)
	}
	return errors.Join(db.packs.close(), db.bolt.Close())
}

// Path returns the path of the store file.
func (db *DB) Path() string { return db.bolt.Path() }

func (db *DB) init(repairing bool) error {
	return db.write(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("schema")); {
		case v == nil:
			if err := meta.Put([]byte("schema"), []byte(schemaVersion)); err != nil {
				return err
			}
		case string(v) != schemaVersion:
			return fmt.Errorf("store schema %s, this leakscope reads %s: re-create the data directory", v, schemaVersion)
		}
		if err := dropLegacyRanges(tx); err != nil {
			return err
		}
		err := db.packs.openWriter(meta)
		if repairing && errors.Is(err, leakscope.ErrDamaged) {
			db.log.Warn("store opened for repair without a pack writer", "err", err)
			return nil
		}
		return err
	})
}

func (db *DB) checkSchema() error {
	return db.boltView(func(tx *bolt.Tx) error {
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
	return db.boltView(fn)
}

// update runs fn in a write transaction unless ctx is done.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.dirty.Store(true)
	return db.write(fn)
}

// write runs fn in a write transaction that commits only once what fn
// appended to the packs, and the journal of its writes, are durable.
func (db *DB) write(fn func(tx *bolt.Tx) error) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	err := db.boltUpdate(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return db.finishPacks(tx)
	})
	if err != nil {
		if aerr := db.packs.abandon(); aerr != nil {
			err = errors.Join(err, aerr)
		}
		return err
	}
	db.packs.committedNow()
	return nil
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

func putJSON(b putter, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, data)
}

// putValue stores v as compressed JSON.
func (db *DB) putValue(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, db.codec.value(data))
}

// getValue decodes a value stored by putValue into v.
func (db *DB) getValue(data []byte, v any) error {
	raw, err := db.codec.unvalue(data)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// seqOf returns the internal sequence key of message id, or nil.
func seqOf(tx *bolt.Tx, id string) []byte {
	return tx.Bucket(bucketIDs).Get([]byte(id))
}

// fullBuckets have their pages filled completely: those keyed by message
// sequence (see doc.go) or by run and sequence, whose keys only grow, and
// "threads", which Rethread writes in one transaction (bbolt splits a
// page only when the transaction commits). The default, half-full pages,
// suits buckets with random keys written by many transactions.
var fullBuckets = [][]byte{bucketMessages, bucketTexts, bucketCopies, bucketThreadInfo, bucketThreadOf,
	bucketIdentOf, bucketProblems, bucketThreads}

// appendFill sets the fill percent of fullBuckets in tx.
func appendFill(tx *bolt.Tx) {
	for _, name := range fullBuckets {
		tx.Bucket(name).FillPercent = 1.0
	}
}

// hexKey turns a hex hash (SHA-256, copy key, content hash) into the
// binary key it is stored under, half the size; anything that is not hex
// is kept as it is.
func hexKey(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		return []byte(s)
	}
	return b
}

// msgIDKey is the 16-byte key prefix of a Message-ID in the msgids bucket:
// a hash of the lower-cased id (ids can be hundreds of bytes long).
func msgIDKey(messageID string) []byte {
	sum := sha256.Sum256([]byte(strings.ToLower(messageID)))
	return sum[:16]
}
