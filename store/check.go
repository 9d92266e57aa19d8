package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// A damaged store file must be an error, never a crash. bbolt trusts its
// file: it maps it into memory and follows page numbers and offsets without
// checking them, so a truncated file faults (SIGBUS) and a garbage page
// panics, on the first read or, for a writer of a file without a synced
// free list (leakscope syncs it, see Open; older files did not), inside
// bolt.Open itself, which then walks the whole B+tree in a goroutine of its
// own to rebuild the free list, where nothing can recover. Three defences:
//
//   - checkFile, before bolt.Open, reads the two meta pages as bbolt does
//     and refuses a file shorter than the pages its meta counts, or with no
//     valid meta page, or empty beside packs or an index;
//   - a writer's open first walks the B+tree itself (pageWalk: every page
//     number, type, element bound, key order and sub-bucket), reading the
//     file under a shared lock, so that bbolt's own walk meets only pages
//     it can read;
//   - every transaction runs in guard, with debug.SetPanicOnFault set (a
//     fault on a damaged page becomes a panic in the faulting goroutine)
//     and a recover that turns any panic into a damageError.
//
// Readers do not walk the tree at open (it costs about as much as a
// writer's open, far more than a search): garbage found by their reads is
// caught by guard. CheckConsistency walks it on demand.

// damageError reports a damaged store file. It wraps leakscope.ErrDamaged.
type damageError struct {
	path    string // the store file
	problem string // what is wrong, lowercase
}

func (e *damageError) Error() string {
	return fmt.Sprintf("store %q is damaged (%s): run `leakscope repair --data %s`", e.path, e.problem, filepath.Dir(e.path))
}

func (e *damageError) Unwrap() error { return leakscope.ErrDamaged }

func damagef(path, format string, args ...any) error {
	return &damageError{path: path, problem: fmt.Sprintf(format, args...)}
}

// guard runs fn, which reads or writes the bbolt file at path, turning a
// panic inside it (bbolt's assertions, or a memory fault on a damaged page,
// which SetPanicOnFault makes a panic) into a damageError. The
// transaction fn runs in is rolled back by bbolt's own deferred calls as
// the panic unwinds. A panic of leakscope's own code inside a transaction
// becomes the same error: it says where it happened, and `leakscope
// verify` tells damage from a bug.
func guard(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damagef(path, "reading its pages panicked: %v", r)
		}
	}()
	return fn()
}

// boltView is bolt's View run in guard.
func (db *DB) boltView(fn func(tx *bolt.Tx) error) error {
	return db.guarded(func() error { return db.bolt.View(fn) })
}

// boltUpdate is bolt's Update run in guard.
func (db *DB) boltUpdate(fn func(tx *bolt.Tx) error) error {
	return db.guarded(func() error { return db.bolt.Update(fn) })
}

func (db *DB) guarded(fn func() error) error {
	err := guard(db.bolt.Path(), fn)
	if errors.Is(err, leakscope.ErrDamaged) {
		db.damaged.Store(true) // not compacted by Close (see maybeCompact)
	}
	return err
}

// bbolt's on-disk format (go.etcd.io/bbolt internal/common: page.go,
// meta.go), in the machine's byte order.
const (
	pageHeaderSize   = 16 // id u64, flags u16, count u16, overflow u32
	pageElementSize  = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	metaSize         = 64 // magic, version, pageSize, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	metaChecksumOff  = 56 // the checksum covers the meta up to here
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
	bucketHeaderSize = 16 // root u64, sequence u64; an inline page follows when root is 0
	noFreelist       = ^uint64(0)
)

var ne = binary.NativeEndian

// boltMeta is what checkFile reads of a meta page.
type boltMeta struct {
	pageSize           uint64
	root, freelist, hw uint64 // root bucket's page, free list page, high water mark (pages in use)
	txid               uint64
}

// parseMeta reads the meta page at the start of b.
func parseMeta(b []byte) (boltMeta, error) {
	if len(b) < pageHeaderSize+metaSize {
		return boltMeta{}, errors.New("too short")
	}
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	switch {
	case ne.Uint32(m[0:]) != boltMagic:
		return boltMeta{}, errors.New("not a bbolt meta page")
	case ne.Uint32(m[4:]) != boltVersion:
		return boltMeta{}, fmt.Errorf("bbolt version %d", ne.Uint32(m[4:]))
	}
	h := fnv.New64a()
	h.Write(m[:metaChecksumOff])
	if h.Sum64() != ne.Uint64(m[metaChecksumOff:]) {
		return boltMeta{}, errors.New("checksum mismatch")
	}
	return boltMeta{
		pageSize: uint64(ne.Uint32(m[8:])),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		hw:       ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, nil
}

// readMeta returns the meta page bbolt would use: the valid one with the
// highest transaction ID. Like bbolt, it finds the second meta page one
// page after the first, or, when the first is invalid (so the page size is
// unknown), at each power of two from 1 KiB.
func readMeta(r io.ReaderAt, size int64) (boltMeta, error) {
	buf := make([]byte, 4096)
	read := func(off int64) []byte {
		n, _ := r.ReadAt(buf, off)
		return buf[:n]
	}
	m0, err0 := parseMeta(read(0))
	var m1 boltMeta
	var err1 error
	if err0 == nil {
		m1, err1 = parseMeta(read(int64(m0.pageSize)))
	} else {
		err1 = errors.New("not found")
		for i := range 15 {
			off := int64(1024) << i
			if off >= size-1024 {
				break
			}
			if m, err := parseMeta(read(off)); err == nil {
				m1, err1 = m, nil
				break
			}
		}
	}
	switch {
	case err0 != nil && err1 != nil:
		return boltMeta{}, fmt.Errorf("no valid meta page: first %v, second %v", err0, err1)
	case err0 != nil:
		return m1, nil
	case err1 != nil || m0.txid >= m1.txid:
		return m0, nil
	default:
		return m1, nil
	}
}

// checkFile checks the store file at path before bbolt maps it (see the
// top of this file). A missing file, or an empty one in an otherwise empty
// directory, is left to bbolt, which creates a new store. A writer's open
// also walks the B+tree (pageWalk), holding a shared lock on the file so
// that no other writer changes it meanwhile; opts.Timeout bounds the wait
// for that lock.
func checkFile(path string, opts *bolt.Options) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	size := fi.Size()
	if size == 0 {
		f.Close()
		dir := filepath.Dir(path)
		for _, name := range []string{"packs", "index"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return damagef(path, "empty: 0 bytes, beside %s/ of the same data directory", name)
			}
		}
		return nil
	}
	defer f.Close()
	m, err := readMeta(f, size)
	if err != nil {
		return damagef(path, "%d bytes, %v", size, err)
	}
	if err := m.check(size); err != nil {
		return damagef(path, "%v", err)
	}
	if opts.ReadOnly {
		return nil
	}
	// A shared lock through bbolt itself (portable): opening read-only
	// maps the file and reads the meta pages, nothing else.
	ro, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: opts.Timeout})
	if err != nil {
		return err
	}
	defer ro.Close()
	// A compaction may have replaced the file while Open waited for the
	// lock: then f and the file locked may differ (see openBolt).
	if cur, err := os.Stat(path); err != nil || !os.SameFile(fi, cur) {
		return errReplaced
	}
	return guard(path, func() error {
		return ro.View(func(tx *bolt.Tx) error { return walkTx(context.Background(), tx, f, path) })
	})
}

// errReplaced tells openBolt to start again on the file now at the path.
var errReplaced = errors.New("store file replaced")

// check reports whether a file of size bytes can hold what m counts.
func (m boltMeta) check(size int64) error {
	switch {
	case m.pageSize < 1024 || m.pageSize > 1<<24 || m.pageSize&(m.pageSize-1) != 0:
		return fmt.Errorf("page size %d", m.pageSize)
	case m.hw < 3 || m.hw > uint64(1<<62)/m.pageSize:
		return fmt.Errorf("high water mark %d pages", m.hw)
	case m.root < 2 || m.root >= m.hw:
		return fmt.Errorf("root page %d out of range 2..%d", m.root, m.hw-1)
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.hw):
		return fmt.Errorf("free list page %d out of range 2..%d", m.freelist, m.hw-1)
	}
	if need := m.hw * m.pageSize; uint64(size) < need {
		return fmt.Errorf("truncated: %d bytes, its pages need %d", size, need)
	}
	return nil
}

// walkTx checks the B+tree that tx sees (pageWalk), reading f, the store
// file at path, whose pages tx keeps from being reused while it lasts.
func walkTx(ctx context.Context, tx *bolt.Tx, f *os.File, path string) error {
	ps := uint64(tx.DB().Info().PageSize)
	m := boltMeta{pageSize: ps, root: uint64(tx.Cursor().Bucket().Root()), hw: uint64(tx.Size()) / ps,
		freelist: noFreelist}
	if err := m.check(tx.Size()); err != nil {
		return damagef(path, "%v", err)
	}
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("check store: %w", err)
	} else if err := m.check(fi.Size()); err != nil {
		return damagef(path, "%v", err)
	}
	w := &pageWalk{ctx: ctx, r: &windowReader{r: f}, ps: ps, hw: m.hw, seen: make([]uint64, (m.hw+63)/64)}
	if err := w.walk(m.root); err != nil {
		var pe *pageError
		if errors.As(err, &pe) {
			return damagef(path, "%v", pe)
		}
		return fmt.Errorf("check store: %w", err)
	}
	return nil
}

// pageError is a problem pageWalk found in the file.
type pageError struct{ msg string }

func (e *pageError) Error() string { return e.msg }

func pagef(format string, args ...any) error { return &pageError{fmt.Sprintf(format, args...)} }

// pageWalk walks a bbolt B+tree from its root bucket, reading each page
// from the file and checking what bbolt relies on when it reads it (the
// checks of bbolt's Tx.Check, in bounds): each page is a branch or leaf
// page that says it is the page it was reached as, lies below the high
// water mark and is reached once; its elements, keys and values lie inside
// it; branch pages are not empty; keys are in order, within the range
// their parent gives them; sub-bucket values hold a bucket header and, for
// an inline bucket, a leaf page that fits.
type pageWalk struct {
	ctx   context.Context
	r     io.ReaderAt
	ps    uint64   // page size
	hw    uint64   // high water mark: pages 0..hw-1 exist
	seen  []uint64 // bit set of the pages reached
	bufs  [][]byte // one page buffer per depth
	pages int
}

func (w *pageWalk) walk(root uint64) error {
	_, err := w.tree(root, nil, nil, 0)
	return err
}

// page reads page id, reached at depth, with its overflow pages.
func (w *pageWalk) page(id uint64, depth int) ([]byte, error) {
	if w.pages++; w.pages%1024 == 0 {
		if err := w.ctx.Err(); err != nil {
			return nil, err
		}
	}
	if id < 2 || id >= w.hw {
		return nil, pagef("page %d out of range 2..%d", id, w.hw-1)
	}
	for len(w.bufs) <= depth {
		w.bufs = append(w.bufs, nil)
	}
	read := func(n uint64) ([]byte, error) {
		if uint64(cap(w.bufs[depth])) < n {
			w.bufs[depth] = make([]byte, n)
		}
		b := w.bufs[depth][:n]
		if _, err := w.r.ReadAt(b, int64(id*w.ps)); err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, pagef("page %d past the end of the file", id)
		} else if err != nil {
			return nil, fmt.Errorf("read page %d: %w", id, err)
		}
		return b, nil
	}
	p, err := read(w.ps)
	if err != nil {
		return nil, err
	}
	got, flags, overflow := ne.Uint64(p), ne.Uint16(p[8:]), uint64(ne.Uint32(p[12:]))
	switch {
	case got != id:
		return nil, pagef("page %d says it is page %d", id, got)
	case flags != branchPageFlag && flags != leafPageFlag:
		return nil, pagef("page %d has type %#x, not a branch or leaf page", id, flags)
	case id+overflow >= w.hw:
		return nil, pagef("page %d overflows past the high water mark %d", id, w.hw)
	}
	for i := id; i <= id+overflow; i++ {
		if w.seen[i/64]&(1<<(i%64)) != 0 {
			return nil, pagef("page %d reached twice", i)
		}
		w.seen[i/64] |= 1 << (i % 64)
	}
	if overflow > 0 {
		return read((overflow + 1) * w.ps)
	}
	return p, nil
}

// elem returns element i of page p (a page or an inline bucket's page):
// its flags (leaf) or child page (branch), key and value (leaf).
func elem(p []byte, i int, leaf bool) (flags uint32, child uint64, key, value []byte, err error) {
	off := uint64(pageHeaderSize + i*pageElementSize)
	e := p[off : off+pageElementSize]
	var pos, ksize, vsize uint64
	if leaf {
		flags, pos, ksize, vsize = ne.Uint32(e), uint64(ne.Uint32(e[4:])), uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
	} else {
		pos, ksize, child = uint64(ne.Uint32(e)), uint64(ne.Uint32(e[4:])), ne.Uint64(e[8:])
	}
	if end := off + pos + ksize + vsize; end > uint64(len(p)) {
		return 0, 0, nil, nil, fmt.Errorf("element %d ends at byte %d of %d", i, end, len(p))
	}
	k := off + pos
	return flags, child, p[k : k+ksize], p[k+ksize : k+ksize+vsize], nil
}

// elements returns the number of elements of page p, checking they fit.
func elements(p []byte) (int, error) {
	n := int(ne.Uint16(p[10:]))
	if pageHeaderSize+n*pageElementSize > len(p) {
		return 0, fmt.Errorf("%d elements do not fit in %d bytes", n, len(p))
	}
	return n, nil
}

// keyOrder checks key i of a page as bbolt's Tx.Check does: after the
// previous one (for the first key, not before the least key the parent
// allows, min), and before max, the parent's next key (nil: no bound).
func keyOrder(i int, key, prev, max []byte) error {
	switch {
	case i == 0 && prev != nil && bytes.Compare(prev, key) > 0:
		return fmt.Errorf("key %d (%x) before the parent's key %x", i, key, prev)
	case i > 0 && bytes.Compare(prev, key) >= 0:
		return fmt.Errorf("key %d (%x) not after the key before it (%x)", i, key, prev)
	case max != nil && bytes.Compare(key, max) >= 0:
		return fmt.Errorf("key %d (%x) not before the parent's next key %x", i, key, max)
	}
	return nil
}

// tree checks the subtree at page id, whose keys lie in [min, max), and
// returns its last key.
func (w *pageWalk) tree(id uint64, min, max []byte, depth int) ([]byte, error) {
	p, err := w.page(id, depth)
	if err != nil {
		return nil, err
	}
	if ne.Uint16(p[8:]) == leafPageFlag {
		last, err := w.leaf(p, min, max, depth)
		if err != nil {
			var pe *pageError
			if !errors.As(err, &pe) && w.ctx.Err() == nil {
				err = pagef("leaf page %d: %v", id, err)
			}
		}
		return last, err
	}
	n, err := elements(p)
	if err == nil && n == 0 {
		err = errors.New("no elements")
	}
	if err != nil {
		return nil, pagef("branch page %d: %v", id, err)
	}
	keys, children := make([][]byte, n), make([]uint64, n)
	for i := range n {
		_, children[i], keys[i], _, err = elem(p, i, false)
		if err != nil {
			return nil, pagef("branch page %d: %v", id, err)
		}
	}
	// keys point into p, which the children's reads (one depth further)
	// leave as it is.
	running := min
	for i := range n {
		if err := keyOrder(i, keys[i], running, max); err != nil {
			return nil, pagef("branch page %d: %v", id, err)
		}
		hi := max
		if i < n-1 {
			hi = keys[i+1]
		}
		if running, err = w.tree(children[i], keys[i], hi, depth+1); err != nil {
			return nil, err
		}
	}
	return running, nil
}

// leaf checks the leaf page (or inline bucket page) p and the sub-buckets
// it holds, and returns a copy of its last key.
func (w *pageWalk) leaf(p []byte, min, max []byte, depth int) ([]byte, error) {
	n, err := elements(p)
	if err != nil {
		return nil, err
	}
	running := min
	for i := range n {
		flags, _, key, value, err := elem(p, i, true)
		if err != nil {
			return nil, err
		}
		if err := keyOrder(i, key, running, max); err != nil {
			return nil, err
		}
		running = key
		if flags&bucketLeafFlag == 0 {
			continue
		}
		if len(value) < bucketHeaderSize {
			return nil, fmt.Errorf("bucket %x: %d-byte value", key, len(value))
		}
		if root := ne.Uint64(value); root != 0 {
			if _, err := w.tree(root, nil, nil, depth+1); err != nil {
				return nil, err
			}
			continue
		}
		inline := value[bucketHeaderSize:]
		if len(inline) < pageHeaderSize || ne.Uint16(inline[8:]) != leafPageFlag {
			return nil, fmt.Errorf("inline bucket %x: not a leaf page", key)
		}
		if _, err := w.leaf(inline, nil, nil, depth); err != nil {
			return nil, fmt.Errorf("inline bucket %x: %w", key, err)
		}
	}
	if n == 0 {
		return nil, nil
	}
	return bytes.Clone(running), nil
}

// CheckConsistency reads the whole store file and reports the first
// damage it finds as an error wrapping leakscope.ErrDamaged: first the
// B+tree page by page (as a writer's Open does), then bbolt's own
// consistency check (Tx.Check: free pages, pages neither reachable nor
// free). It reads every page, like copying the file: meant for `leakscope
// verify`, not for every open. Records and pack files are not decoded.
func (db *DB) CheckConsistency(ctx context.Context) error {
	path := db.bolt.Path()
	// The file at the path is the one open: no other process replaces it
	// while this one holds its lock.
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("check store: %w", err)
	}
	defer f.Close()
	return db.view(ctx, func(tx *bolt.Tx) error {
		if err := walkTx(ctx, tx, f, path); err != nil {
			return err
		}
		// bbolt's check runs in a goroutine of its own, where a fault
		// would crash the process: only once the walk found every page
		// readable.
		var errs []error
		for err := range tx.Check() {
			if len(errs) < 10 {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			return damagef(path, "%v", errors.Join(errs...))
		}
		return ctx.Err()
	})
}

// windowReader reads through a few aligned windows of the file, the least
// recently used replaced: a compacted file holds each bucket's pages in
// key order, so the walk reads forward in a few places at once (a
// branch page's children, the sub-buckets of a leaf), and a read per page
// would be most of its cost.
type windowReader struct {
	r    io.ReaderAt
	wins [windows]window
	tick int
}

type window struct {
	off  int64  // in the file; -1: empty
	buf  []byte // shorter than windowSize at the end of the file
	used int    // tick of the last read
}

const (
	windows    = 16
	windowSize = 256 << 10
)

func (w *windowReader) ReadAt(p []byte, off int64) (int, error) {
	start := off &^ (windowSize - 1)
	if off+int64(len(p)) > start+windowSize {
		return w.r.ReadAt(p, off) // across windows, or larger than one
	}
	w.tick++
	var win *window
	for i := range w.wins {
		if c := &w.wins[i]; c.buf != nil && c.off == start {
			win = c
			break
		}
	}
	if win == nil {
		win = &w.wins[0]
		for i := range w.wins {
			if c := &w.wins[i]; c.buf == nil || c.used < win.used {
				win = c
				if c.buf == nil {
					break
				}
			}
		}
		if cap(win.buf) < windowSize {
			win.buf = make([]byte, windowSize)
		}
		n, err := w.r.ReadAt(win.buf[:windowSize], start)
		if err != nil && err != io.EOF {
			win.buf = nil
			return 0, err
		}
		win.off, win.buf = start, win.buf[:n]
	}
	win.used = w.tick
	n := 0
	if rel := off - start; rel < int64(len(win.buf)) {
		n = copy(p, win.buf[rel:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
