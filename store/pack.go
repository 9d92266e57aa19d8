package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Blobs (originals, extracted texts, and the records the store is rebuilt
// from) live in append-only pack files in a directory beside the bbolt
// file, not in bbolt itself: bbolt gives every value over half a page its
// own overflow pages and rewrites the pages a transaction touches, so
// thousands of compressed messages per batch would cost far more disk and
// I/O there than appended to a file.
//
// A pack file is a sequence of blobs, each self-delimiting and
// self-checking, so that a pack can be walked without the store (scan.go):
//
//	0   'L' 'S'  magic
//	2   codec    how the data is compressed (codec.go)
//	3   kind     what it holds (bundle.go)
//	4   n        length of the payload, uint32 big endian
//	8   crc      CRC-32C of bytes 0-7 and of the payload
//	12  payload  for an original or a bundle: the SHA-256 of the original
//	             (32 bytes), then the data; for other kinds, the data
//
// bbolt holds each blob's location (pack, offset, length) and, in the meta
// bucket, the end of the last committed blob. A transaction appends its
// blobs, flushes and fsyncs the pack, then commits: a crash in between
// leaves blobs past the committed end that nothing refers to. Nothing is
// ever truncated or overwritten: a writer appends after whatever the pack
// holds, and seals a torn write at its end (a blob cut short by a crash)
// with a gap blob that names the torn bytes, so that a scan tells a torn
// write from damage. Readers only follow locations from committed
// transactions.

const (
	blobHeaderSize = 12
	shaSize        = 32
	// packMaxBytes is the size after which a new pack file is started.
	packMaxBytes = 1 << 30
	// blobMaxPayload bounds a blob's payload (the largest original
	// accepted is far below it).
	blobMaxPayload = 1<<31 - 1
)

var (
	blobMagic   = [2]byte{'L', 'S'}
	metaPackEnd = []byte("pack_end")
	castagnoli  = crc32.MakeTable(crc32.Castagnoli)
)

// blobLoc is where a blob is: pack number, offset and length (header
// included). It is stored as three uvarints, 6 to 10 bytes for a pack
// under 1 GiB.
type blobLoc struct {
	pack uint32
	off  uint64
	n    uint32
}

func (l blobLoc) bytes() []byte {
	b := make([]byte, 0, 3*binary.MaxVarintLen32)
	b = binary.AppendUvarint(b, uint64(l.pack))
	b = binary.AppendUvarint(b, l.off)
	return binary.AppendUvarint(b, uint64(l.n))
}

func (l blobLoc) String() string { return fmt.Sprintf("%s@%d", packName(l.pack), l.off) }

func parseBlobLoc(b []byte) (blobLoc, error) {
	var v [3]uint64
	rest := b
	for i := range v {
		n, k := binary.Uvarint(rest)
		if k <= 0 {
			return blobLoc{}, fmt.Errorf("bad blob location %x", b)
		}
		v[i], rest = n, rest[k:]
	}
	if len(rest) != 0 || v[0] > 1<<32-1 || v[2] > 1<<32-1 || v[2] < blobHeaderSize {
		return blobLoc{}, fmt.Errorf("bad blob location %x", b)
	}
	return blobLoc{pack: uint32(v[0]), off: v[1], n: uint32(v[2])}, nil
}

// blobHeader returns the header of a blob with this payload.
func blobHeader(codec, kind byte, payload ...[]byte) [blobHeaderSize]byte {
	var h [blobHeaderSize]byte
	h[0], h[1], h[2], h[3] = blobMagic[0], blobMagic[1], codec, kind
	n := 0
	for _, p := range payload {
		n += len(p)
	}
	binary.BigEndian.PutUint32(h[4:], uint32(n))
	crc := crc32.Update(0, castagnoli, h[:8])
	for _, p := range payload {
		crc = crc32.Update(crc, castagnoli, p)
	}
	binary.BigEndian.PutUint32(h[8:], crc)
	return h
}

// parseBlob checks a whole blob (header and payload) and returns its codec,
// kind and payload.
func parseBlob(b []byte) (codec, kind byte, payload []byte, err error) {
	if len(b) < blobHeaderSize || b[0] != blobMagic[0] || b[1] != blobMagic[1] {
		return 0, 0, nil, errors.New("no blob header")
	}
	n := binary.BigEndian.Uint32(b[4:])
	if uint64(n) != uint64(len(b)-blobHeaderSize) {
		return 0, 0, nil, fmt.Errorf("blob length %d, %d bytes found", n, len(b)-blobHeaderSize)
	}
	crc := crc32.Update(crc32.Update(0, castagnoli, b[:8]), castagnoli, b[blobHeaderSize:])
	if crc != binary.BigEndian.Uint32(b[8:]) {
		return 0, 0, nil, errors.New("bad checksum")
	}
	return b[2], b[3], b[blobHeaderSize:], nil
}

// packs reads and appends blobs.
type packs struct {
	dir string

	mu      sync.Mutex // guards readers
	readers map[uint32]*os.File

	// The writer's state: only the goroutine running a write transaction
	// touches it (bbolt serialises those).
	w         *os.File
	bw        *bufio.Writer
	wPack     uint32
	wEnd      uint64 // bytes in pack wPack, buffered ones included
	committed [2]uint64
	// journal holds the records of the open transaction (journal.go).
	journal journal
	// dirty is set when blobs were appended since the last commit.
	dirty bool
	// txNum is the open transaction's number, once it has one (txNumber).
	txNum uint64
}

func packName(n uint32) string { return fmt.Sprintf("%08d.pack", n) }

func openPacks(dir string) *packs {
	return &packs{dir: dir, readers: make(map[uint32]*os.File)}
}

// packFiles returns the numbers of the pack files in dir, in order, and
// their sizes.
func packFiles(dir string) ([]uint32, map[uint32]int64, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read pack directory: %w", err)
	}
	var nums []uint32
	sizes := make(map[uint32]int64)
	for _, e := range entries {
		n, ok := parsePackName(e.Name())
		if !ok {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return nil, nil, fmt.Errorf("read pack directory: %w", err)
		}
		nums = append(nums, n)
		sizes[n] = fi.Size()
	}
	slices.Sort(nums)
	return nums, sizes, nil
}

// committedEnd returns the committed end recorded in meta, and false when
// there is none (a store that never appended).
func committedEnd(meta *bolt.Bucket) (pack uint32, end uint64, ok bool) {
	v := meta.Get(metaPackEnd)
	if len(v) != 12 {
		return 1, 0, false
	}
	return binary.BigEndian.Uint32(v), binary.BigEndian.Uint64(v[4:]), true
}

// damaged is an error wrapping leakscope.ErrDamaged that says to repair
// the data directory the packs are in.
func (p *packs) damaged(format string, args ...any) error {
	return fmt.Errorf("%s: %w: run `leakscope repair --data %s`", fmt.Sprintf(format, args...), leakscope.ErrDamaged, filepath.Dir(p.dir))
}

// openWriter prepares appending after the end of the last pack. It
// refuses (ErrDamaged) when the packs do not hold what the store says was
// committed: a pack missing or shorter than its committed end, or packs
// holding blobs that a store without any committed end cannot know of.
// It never truncates: a torn write at the end of the last pack is sealed
// with a gap blob, and blobs a crashed writer appended past the committed
// end stay where they are, referred to by nothing.
func (p *packs) openWriter(meta *bolt.Bucket) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("create pack directory: %w", err)
	}
	cPack, cEnd, ok := committedEnd(meta)
	nums, sizes, err := packFiles(p.dir)
	if err != nil {
		return err
	}
	if !ok {
		var held int64
		for _, n := range nums {
			held += sizes[n]
		}
		if held > 0 {
			return p.damaged("the store records no pack data, but %s holds %d bytes in %d pack files (the store was lost or replaced)", p.dir, held, len(nums))
		}
	}
	if ok && cEnd > 0 {
		size, found := sizes[cPack]
		switch {
		case !found:
			return p.damaged("pack %s is missing from %s", packName(cPack), p.dir)
		case uint64(size) < cEnd:
			return p.damaged("pack %s holds %d bytes, less than the %d the store committed", packName(cPack), size, cEnd)
		}
	}
	last := cPack
	if len(nums) > 0 && nums[len(nums)-1] > last {
		last = nums[len(nums)-1]
	}
	// O_APPEND: whatever happens, a write lands after what the file holds.
	f, err := os.OpenFile(filepath.Join(p.dir, packName(last)), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open pack: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open pack: %w", err)
	}
	p.w, p.wPack, p.wEnd = f, last, uint64(fi.Size())
	p.bw = bufio.NewWriterSize(f, 1<<20)
	p.committed = [2]uint64{uint64(cPack), cEnd}
	from := uint64(0)
	if last == cPack {
		from = cEnd
	}
	if err := p.sealTail(from); err != nil {
		p.close()
		return err
	}
	return nil
}

// sealTail checks the writer's pack from offset from to its end: if the
// last bytes are not whole blobs (a write torn by a crash or a full disk),
// a gap blob naming them is appended, so that a scan does not take them for
// damage. The gap is made durable with the next commit.
func (p *packs) sealTail(from uint64) error {
	if from >= p.wEnd {
		return nil
	}
	f, err := os.Open(filepath.Join(p.dir, packName(p.wPack)))
	if err != nil {
		return fmt.Errorf("check pack tail: %w", err)
	}
	defer f.Close()
	torn := int64(-1)
	err = scanPack(f, int64(from), int64(p.wEnd), func(b scannedBlob) error {
		if b.bad && torn < 0 {
			torn = b.off
		}
		if !b.bad && b.kind == blobGap {
			if start, ok := parseGap(b.data); ok && start <= torn {
				torn = -1 // an earlier writer sealed it
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check pack tail: %w", err)
	}
	if torn < 0 {
		return nil
	}
	if _, err := p.append(codecNone, blobGap, nil, binary.AppendUvarint(nil, uint64(torn))); err != nil {
		return fmt.Errorf("seal torn write in %s: %w", packName(p.wPack), err)
	}
	return nil
}

func parsePackName(name string) (uint32, bool) {
	s, ok := strings.CutSuffix(name, ".pack")
	if !ok || len(s) != 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil && n > 0
}

// append writes one blob and returns its location. sha, when not nil, is
// the SHA-256 of the original the blob holds. The blob is durable only
// after sync.
func (p *packs) append(codec, kind byte, sha []byte, data []byte) (blobLoc, error) {
	if p.w == nil {
		return blobLoc{}, errors.New("store is read-only")
	}
	n := uint64(blobHeaderSize + len(sha) + len(data))
	if n-blobHeaderSize > blobMaxPayload {
		return blobLoc{}, fmt.Errorf("blob of %d bytes is too large", n)
	}
	if p.wEnd > 0 && p.wEnd+n > packMaxBytes {
		if err := p.roll(); err != nil {
			return blobLoc{}, err
		}
	}
	h := blobHeader(codec, kind, sha, data)
	p.dirty = true
	for _, b := range [][]byte{h[:], sha, data} {
		if _, err := p.bw.Write(b); err != nil {
			return blobLoc{}, fmt.Errorf("write pack: %w", err)
		}
	}
	loc := blobLoc{pack: p.wPack, off: p.wEnd, n: uint32(n)}
	p.wEnd += n
	return loc, nil
}

// roll finishes the current pack and starts the next one.
func (p *packs) roll() error {
	if err := p.sync(); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(p.dir, packName(p.wPack+1)), os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("start pack: %w", err)
	}
	p.w.Close()
	p.w, p.wPack, p.wEnd = f, p.wPack+1, 0
	p.bw.Reset(f)
	return syncDir(p.dir)
}

// sync makes every appended blob durable.
func (p *packs) sync() error {
	if p.w == nil {
		return nil
	}
	if err := p.bw.Flush(); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	if err := p.w.Sync(); err != nil {
		return fmt.Errorf("sync pack: %w", err)
	}
	return nil
}

// commit records the current end in meta, inside the transaction that
// refers to the blobs appended since the last commit.
func (p *packs) commit(meta *bolt.Bucket) error {
	if p.w == nil {
		return nil
	}
	return putPackEnd(meta, p.wPack, p.wEnd)
}

func putPackEnd(meta *bolt.Bucket, pack uint32, end uint64) error {
	var v [12]byte
	binary.BigEndian.PutUint32(v[:], pack)
	binary.BigEndian.PutUint64(v[4:], end)
	return meta.Put(metaPackEnd, v[:])
}

// committedNow is called after the transaction committed.
func (p *packs) committedNow() {
	p.committed = [2]uint64{uint64(p.wPack), p.wEnd}
	p.dirty, p.txNum = false, 0
	p.journal.reset()
}

// abandon is called after a transaction that appended blobs failed: the
// blobs stay in the pack, referred to by nothing; what was still buffered
// is written out so that the next blob follows whole ones, and a write the
// failure tore is sealed.
func (p *packs) abandon() error {
	p.journal.reset()
	p.txNum = 0
	if p.w == nil || !p.dirty {
		return nil
	}
	p.dirty = false
	err := p.bw.Flush()
	if err == nil {
		return nil
	}
	// Part of the buffer may be in the file: start again from what the
	// file holds and seal it.
	p.bw.Reset(p.w)
	fi, serr := p.w.Stat()
	if serr != nil {
		p.w.Close()
		p.w = nil
		return errors.Join(err, serr)
	}
	from := p.committed[1]
	if uint32(p.committed[0]) != p.wPack {
		from = 0
	}
	p.wEnd = uint64(fi.Size())
	if serr := p.sealTail(from); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// read returns a blob's codec, kind and payload, checking its header and
// CRC.
func (p *packs) read(loc blobLoc) (codec, kind byte, payload []byte, err error) {
	f, err := p.reader(loc.pack)
	if err != nil {
		return 0, 0, nil, err
	}
	buf := make([]byte, loc.n)
	if _, err := f.ReadAt(buf, int64(loc.off)); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, 0, nil, p.damaged("blob at %s is past the end of its pack", loc)
		}
		return 0, 0, nil, fmt.Errorf("read blob at %s: %w", loc, err)
	}
	codec, kind, payload, err = parseBlob(buf)
	if err != nil {
		return 0, 0, nil, p.damaged("blob at %s is corrupt (%v)", loc, err)
	}
	return codec, kind, payload, nil
}

func (p *packs) reader(n uint32) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f := p.readers[n]; f != nil {
		return f, nil
	}
	f, err := os.Open(filepath.Join(p.dir, packName(n)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, p.damaged("pack %s is missing", packName(n))
	}
	if err != nil {
		return nil, fmt.Errorf("open pack: %w", err)
	}
	p.readers[n] = f
	return f, nil
}

// size returns the total size of the pack files.
func (p *packs) size() int64 { return packBytes(p.dir) }

// packBytes returns the total size of the pack files in dir.
func packBytes(dir string) int64 {
	nums, sizes, _ := packFiles(dir)
	var total int64
	for _, n := range nums {
		total += sizes[n]
	}
	return total
}

func (p *packs) close() error {
	var errs []error
	p.mu.Lock()
	for _, f := range p.readers {
		errs = append(errs, f.Close())
	}
	p.readers = nil
	p.mu.Unlock()
	if p.w != nil {
		errs = append(errs, p.bw.Flush(), p.w.Close())
		p.w = nil
	}
	return errors.Join(errs...)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
