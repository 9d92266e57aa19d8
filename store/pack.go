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
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Blobs (originals and extracted texts) live in append-only pack files in a
// directory beside the bbolt file, not in bbolt itself: bbolt gives every
// value over half a page its own overflow pages and rewrites the pages a
// transaction touches, so thousands of compressed messages per batch would
// cost far more disk and I/O there than appended to a file.
//
// A pack file is a sequence of blobs. A blob is an 8-byte header (magic
// 'L', the compression codec, the blob kind (see bundle.go), a zero byte,
// the CRC-32C of the payload) and its payload. bbolt holds each blob's
// location (pack, offset, length, entry of a chunk) and, in the meta
// bucket, the end of the last committed blob. A batch
// appends its blobs, flushes and fsyncs the pack, then commits the bbolt
// transaction that refers to them: a crash in between leaves bytes past
// the committed end, which the next writer truncates. Readers only follow
// locations from committed transactions.

const (
	blobMagic      = 'L'
	blobHeaderSize = 8
	// packMaxBytes is the size after which a new pack file is started.
	packMaxBytes = 1 << 30
)

var (
	metaPackEnd = []byte("pack_end")
	castagnoli  = crc32.MakeTable(crc32.Castagnoli)
)

// blobLoc is where a blob is: pack number, offset and length (header
// included), and for a chunk the entry (see bundle.go). It is stored as
// four uvarints, 7 to 11 bytes for a pack under 1 GiB.
type blobLoc struct {
	pack  uint32
	off   uint64
	n     uint32
	entry uint32
}

func (l blobLoc) bytes() []byte {
	b := make([]byte, 0, 4*binary.MaxVarintLen32)
	b = binary.AppendUvarint(b, uint64(l.pack))
	b = binary.AppendUvarint(b, l.off)
	b = binary.AppendUvarint(b, uint64(l.n))
	return binary.AppendUvarint(b, uint64(l.entry))
}

func parseBlobLoc(b []byte) (blobLoc, error) {
	var v [4]uint64
	for i := range v {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			return blobLoc{}, fmt.Errorf("bad blob location %x", b)
		}
		v[i], b = n, b[k:]
	}
	if len(b) != 0 || v[0] > 1<<32-1 || v[2] > 1<<32-1 || v[3] > 1<<32-1 {
		return blobLoc{}, fmt.Errorf("bad blob location")
	}
	return blobLoc{pack: uint32(v[0]), off: v[1], n: uint32(v[2]), entry: uint32(v[3])}, nil
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
	wEnd      uint64 // bytes appended to pack wPack, buffered ones included
	committed [2]uint64
}

func packName(n uint32) string { return fmt.Sprintf("%08d.pack", n) }

func openPacks(dir string) *packs {
	return &packs{dir: dir, readers: make(map[uint32]*os.File)}
}

// openWriter prepares appending after the committed end recorded in meta:
// it truncates what a crashed writer appended past it and removes packs it
// started.
func (p *packs) openWriter(meta *bolt.Bucket) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("create pack directory: %w", err)
	}
	pack, end := uint32(1), uint64(0)
	if v := meta.Get(metaPackEnd); len(v) == 12 {
		pack, end = binary.BigEndian.Uint32(v), binary.BigEndian.Uint64(v[4:])
	}
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return fmt.Errorf("read pack directory: %w", err)
	}
	for _, e := range entries {
		n, ok := parsePackName(e.Name())
		if ok && n > pack {
			if err := os.Remove(filepath.Join(p.dir, e.Name())); err != nil {
				return fmt.Errorf("remove uncommitted pack: %w", err)
			}
		}
	}
	f, err := os.OpenFile(filepath.Join(p.dir, packName(pack)), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open pack: %w", err)
	}
	if err := f.Truncate(int64(end)); err != nil {
		f.Close()
		return fmt.Errorf("truncate pack to its committed end: %w", err)
	}
	if _, err := f.Seek(int64(end), io.SeekStart); err != nil {
		f.Close()
		return fmt.Errorf("seek pack: %w", err)
	}
	p.w, p.wPack, p.wEnd = f, pack, end
	p.bw = bufio.NewWriterSize(f, 1<<20)
	p.committed = [2]uint64{uint64(pack), end}
	return nil
}

func parsePackName(name string) (uint32, bool) {
	s, ok := strings.CutSuffix(name, ".pack")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}

// append writes one blob and returns its location. The blob is durable
// only after sync.
func (p *packs) append(codec, kind byte, payload []byte) (blobLoc, error) {
	if p.w == nil {
		return blobLoc{}, errors.New("store is read-only")
	}
	n := uint64(blobHeaderSize + len(payload))
	if n > 1<<32-1 {
		return blobLoc{}, fmt.Errorf("blob of %d bytes is too large", n)
	}
	if p.wEnd > 0 && p.wEnd+n > packMaxBytes {
		if err := p.roll(); err != nil {
			return blobLoc{}, err
		}
	}
	var h [blobHeaderSize]byte
	h[0], h[1], h[2] = blobMagic, codec, kind
	binary.BigEndian.PutUint32(h[4:], crc32.Checksum(payload, castagnoli))
	if _, err := p.bw.Write(h[:]); err != nil {
		return blobLoc{}, fmt.Errorf("write pack: %w", err)
	}
	if _, err := p.bw.Write(payload); err != nil {
		return blobLoc{}, fmt.Errorf("write pack: %w", err)
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
	f, err := os.OpenFile(filepath.Join(p.dir, packName(p.wPack+1)), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
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
	var v [12]byte
	binary.BigEndian.PutUint32(v[:], p.wPack)
	binary.BigEndian.PutUint64(v[4:], p.wEnd)
	return meta.Put(metaPackEnd, v[:])
}

// committedNow is called after the transaction committed.
func (p *packs) committedNow() { p.committed = [2]uint64{uint64(p.wPack), p.wEnd} }

// rollback drops the blobs appended since the last commit, after the
// transaction referring to them failed.
func (p *packs) rollback() error {
	if p.w == nil {
		return nil
	}
	pack, end := uint32(p.committed[0]), p.committed[1]
	p.bw.Reset(p.w)
	if pack != p.wPack {
		p.w.Close()
		os.Remove(filepath.Join(p.dir, packName(p.wPack)))
		f, err := os.OpenFile(filepath.Join(p.dir, packName(pack)), os.O_RDWR, 0o600)
		if err != nil {
			return fmt.Errorf("reopen pack: %w", err)
		}
		p.w, p.wPack = f, pack
		p.bw.Reset(f)
	}
	if err := p.w.Truncate(int64(end)); err != nil {
		return fmt.Errorf("truncate pack: %w", err)
	}
	if _, err := p.w.Seek(int64(end), io.SeekStart); err != nil {
		return fmt.Errorf("seek pack: %w", err)
	}
	p.wEnd = end
	return nil
}

// read returns a blob's codec, kind and payload, checking its header and
// CRC.
func (p *packs) read(loc blobLoc) (codec, kind byte, payload []byte, err error) {
	f, err := p.reader(loc.pack)
	if err != nil {
		return 0, 0, nil, err
	}
	if loc.n < blobHeaderSize {
		return 0, 0, nil, fmt.Errorf("blob at %s@%d: bad length %d", packName(loc.pack), loc.off, loc.n)
	}
	buf := make([]byte, loc.n)
	if _, err := f.ReadAt(buf, int64(loc.off)); err != nil {
		return 0, 0, nil, fmt.Errorf("read blob at %s@%d: %w", packName(loc.pack), loc.off, err)
	}
	payload = buf[blobHeaderSize:]
	if buf[0] != blobMagic || binary.BigEndian.Uint32(buf[4:]) != crc32.Checksum(payload, castagnoli) {
		return 0, 0, nil, fmt.Errorf("blob at %s@%d is corrupt (bad header or checksum)", packName(loc.pack), loc.off)
	}
	return buf[1], buf[2], payload, nil
}

func (p *packs) reader(n uint32) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f := p.readers[n]; f != nil {
		return f, nil
	}
	f, err := os.Open(filepath.Join(p.dir, packName(n)))
	if err != nil {
		return nil, fmt.Errorf("open pack: %w", err)
	}
	p.readers[n] = f
	return f, nil
}

// size returns the total size of the pack files.
func (p *packs) size() int64 {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return 0
	}
	var total int64
	for _, e := range entries {
		if _, ok := parsePackName(e.Name()); ok {
			if fi, err := e.Info(); err == nil {
				total += fi.Size()
			}
		}
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
