package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Scanning walks a pack from blob to blob without the store: each blob
// says how long it is and carries a checksum. Where the bytes at an offset
// are not a whole, valid blob (damage, or a torn write at the end), the
// scan reports a bad stretch and looks for the next offset where a valid
// blob starts: a magic, a codec and a kind it knows, a length that fits and
// a checksum that holds. A valid gap blob names the torn write before it
// (see sealTail), which is then not damage.

// scannedBlob is a blob found by scanPack, or a bad stretch of bytes.
type scannedBlob struct {
	off  int64 // offset in the pack
	n    int64 // length, header included (for a bad stretch, its length)
	bad  bool  // not a valid blob: off and n say where the bad bytes are
	code byte
	kind byte
	sha  []byte // SHA-256 of the original held, for originals and bundles
	data []byte // the payload after sha; valid only during the callback
}

// bufferedBlobMax is the largest payload scanPack reads into memory before
// checking its checksum; a larger one is checked as it streams first (a
// damaged length field may claim any size).
const bufferedBlobMax = 64 << 20

// scanPack walks the blobs of r from offset from to offset to and calls fn
// for each blob and each bad stretch, in order.
func scanPack(r io.ReaderAt, from, to int64, fn func(scannedBlob) error) error {
	var buf []byte
	var h [blobHeaderSize]byte
	for off := from; off < to; {
		b, ok, err := blobAt(r, off, to, &h, &buf)
		if err != nil {
			return err
		}
		if ok {
			if err := fn(b); err != nil {
				return err
			}
			off += b.n
			continue
		}
		next, err := nextBlob(r, off+1, to, &h)
		if err != nil {
			return err
		}
		if err := fn(scannedBlob{off: off, n: next - off, bad: true}); err != nil {
			return err
		}
		off = next
	}
	return nil
}

// blobAt reads the blob at off, reporting false when the bytes there are
// not a valid blob.
func blobAt(r io.ReaderAt, off, to int64, h *[blobHeaderSize]byte, buf *[]byte) (scannedBlob, bool, error) {
	n, ok, err := plausibleHeader(r, off, to, h)
	if err != nil || !ok {
		return scannedBlob{}, false, err
	}
	if n > bufferedBlobMax {
		if ok, err := checksumHolds(r, off, n, h); err != nil || !ok {
			return scannedBlob{}, false, err
		}
	}
	if int64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	p := (*buf)[:n]
	if _, err := r.ReadAt(p, off+blobHeaderSize); err != nil {
		return scannedBlob{}, false, fmt.Errorf("read pack at %d: %w", off, err)
	}
	crc := crc32.Update(crc32.Update(0, castagnoli, h[:8]), castagnoli, p)
	if crc != binary.BigEndian.Uint32(h[8:]) {
		return scannedBlob{}, false, nil
	}
	b := scannedBlob{off: off, n: blobHeaderSize + n, code: h[2], kind: h[3], data: p}
	if carriesSHA(b.kind) {
		if len(p) < shaSize {
			return scannedBlob{}, false, nil
		}
		b.sha, b.data = p[:shaSize], p[shaSize:]
	}
	return b, true, nil
}

// plausibleHeader reads the header at off and reports whether it could
// start a blob ending by to, with the payload length.
func plausibleHeader(r io.ReaderAt, off, to int64, h *[blobHeaderSize]byte) (int64, bool, error) {
	if to-off < blobHeaderSize {
		return 0, false, nil
	}
	if _, err := r.ReadAt(h[:], off); err != nil {
		return 0, false, fmt.Errorf("read pack at %d: %w", off, err)
	}
	n := int64(binary.BigEndian.Uint32(h[4:]))
	ok := h[0] == blobMagic[0] && h[1] == blobMagic[1] && knownCodec(h[2]) && knownKind(h[3]) &&
		n <= blobMaxPayload && n <= to-off-blobHeaderSize
	return n, ok, nil
}

// checksumHolds checks the CRC of a large blob as it streams.
func checksumHolds(r io.ReaderAt, off, n int64, h *[blobHeaderSize]byte) (bool, error) {
	crc := crc32.New(castagnoli)
	crc.Write(h[:8])
	if _, err := io.Copy(crc, io.NewSectionReader(r, off+blobHeaderSize, n)); err != nil {
		return false, fmt.Errorf("read pack at %d: %w", off, err)
	}
	return crc.Sum32() == binary.BigEndian.Uint32(h[8:]), nil
}

// nextBlob returns the first offset at or after from where a valid blob
// starts, or to.
func nextBlob(r io.ReaderAt, from, to int64, h *[blobHeaderSize]byte) (int64, error) {
	const window = 1 << 20
	buf := make([]byte, window)
	for start := from; start < to; start += window {
		n := min(int64(window), to-start)
		if _, err := r.ReadAt(buf[:n], start); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("read pack at %d: %w", start, err)
		}
		w := buf[:n]
		for i := 0; ; {
			j := bytes.IndexByte(w[i:], blobMagic[0])
			if j < 0 {
				break
			}
			off := start + int64(i+j)
			i += j + 1
			n, ok, err := plausibleHeader(r, off, to, h)
			if err != nil {
				return 0, err
			}
			if !ok {
				continue
			}
			if ok, err := checksumHolds(r, off, n, h); err != nil {
				return 0, err
			} else if ok {
				return off, nil
			}
		}
	}
	return to, nil
}

// parseGap returns the offset where the torn write a gap blob names
// starts.
func parseGap(data []byte) (int64, bool) {
	v, k := binary.Uvarint(data)
	return int64(v), k > 0 && k == len(data) && v <= 1<<62
}

// survey is what a scan of every pack of a directory found.
type survey struct {
	packs []uint32
	sizes map[uint32]int64
	// originals are the valid blobs holding an original, by place.
	originals map[blobKey]surveyed
	// control are the valid control blobs, in pack order.
	control []surveyed
	// bad are the stretches that are not valid blobs, torn writes sealed
	// by a gap excepted; torn is the one at the end of the last pack (a
	// write a crash cut short, which no writer has sealed yet), if any.
	bad  []badStretch
	torn *badStretch
	// blobs counts the valid blobs.
	blobs int
}

// surveyed is a valid blob found by a survey.
type surveyed struct {
	loc  blobLoc
	kind byte
	sha  []byte // originals and bundles
	tx   uint64 // control blobs: their transaction's number
}

// badStretch is a stretch of a pack that holds no valid blob.
type badStretch struct {
	pack uint32
	off  int64
	n    int64
}

func (b badStretch) String() string {
	return fmt.Sprintf("%s bytes %d-%d", packName(b.pack), b.off, b.off+b.n)
}

// contains reports whether the blob at loc starts in the stretch.
func (b badStretch) contains(loc blobLoc) bool {
	return loc.pack == b.pack && int64(loc.off) >= b.off && int64(loc.off) < b.off+b.n
}

// surveyPacks scans every pack in dir. progress, when not nil, is called
// with the bytes scanned so far.
func surveyPacks(dir string, progress func(int64)) (*survey, error) {
	nums, sizes, err := packFiles(dir)
	if err != nil {
		return nil, err
	}
	s := &survey{packs: nums, sizes: sizes, originals: make(map[blobKey]surveyed)}
	var done int64
	for i, n := range nums {
		if err := s.scan(dir, n, i == len(nums)-1, func(at int64) {
			if progress != nil {
				progress(done + at)
			}
		}); err != nil {
			return nil, err
		}
		done += sizes[n]
	}
	return s, nil
}

func (s *survey) scan(dir string, pack uint32, last bool, progress func(int64)) error {
	f, err := os.Open(filepath.Join(dir, packName(pack)))
	if err != nil {
		return fmt.Errorf("scan pack: %w", err)
	}
	defer f.Close()
	var open []badStretch // bad stretches no gap has sealed yet
	err = scanPack(f, 0, s.sizes[pack], func(b scannedBlob) error {
		progress(b.off + b.n)
		if b.bad {
			open = append(open, badStretch{pack: pack, off: b.off, n: b.n})
			return nil
		}
		s.blobs++
		loc := blobLoc{pack: pack, off: uint64(b.off), n: uint32(b.n)}
		switch {
		case carriesSHA(b.kind):
			s.originals[blobKey{pack, loc.off}] = surveyed{loc: loc, kind: b.kind, sha: bytes.Clone(b.sha)}
		case b.kind == blobGap:
			if start, ok := parseGap(b.data); ok {
				// A gap seals the torn writes from start up to it.
				open = slices.DeleteFunc(open, func(t badStretch) bool { return t.off >= start })
			}
		case b.kind == blobDict || b.kind == blobManifest || b.kind == blobJournal:
			if tx, _, ok := controlPayload(b.data); ok {
				s.control = append(s.control, surveyed{loc: loc, kind: b.kind, tx: tx})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n := len(open); last && n > 0 && open[n-1].off+open[n-1].n == s.sizes[pack] {
		s.torn, open = &open[n-1], open[:n-1]
	}
	s.bad = append(s.bad, open...)
	return nil
}

// kept returns the control blobs a rebuild replays: of the blobs that
// carry one transaction number, those of the last transaction (an earlier
// one with that number failed or was cut short by a crash, and its
// successor took the number again).
func (s *survey) kept() []surveyed {
	last := make(map[uint64]int) // number -> index of the first blob of its last group
	for i, c := range s.control {
		if i == 0 || s.control[i-1].tx != c.tx {
			last[c.tx] = i
		}
	}
	var out []surveyed
	for i, c := range s.control {
		if i >= last[c.tx] { // no group of that number starts after last[c.tx]
			out = append(out, c)
		}
	}
	return out
}
