package export

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
)

// A sink is where a production's files go. Document files (natives, texts)
// are written one at a time, each closed before the next is created;
// stream files (load files, logs, the manifest) stay open while documents
// are written. Nothing appears at the final path until commit.
type sink interface {
	file(name string) (io.WriteCloser, error)
	stream(name string) (io.WriteCloser, error)
	// close finishes writing (closes the archive, syncs) without moving
	// anything into place.
	close() error
	commit() error
	abort()
}

// checkFree refuses an output path that exists, and returns its parent.
func checkFree(out string) (string, error) {
	if _, err := os.Lstat(out); err == nil {
		return "", fmt.Errorf("%s exists already (choose a new path): %w", out, leakscope.ErrInvalidInput)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	parent := filepath.Dir(out)
	if st, err := os.Stat(parent); err != nil || !st.IsDir() {
		return "", fmt.Errorf("no directory %s to write into: %w", parent, leakscope.ErrInvalidInput)
	}
	return parent, nil
}

// dirSink writes into a temporary directory beside the output and renames
// it when done.
type dirSink struct {
	out, tmp string
	made     map[string]bool
	synced   []string // stream files, synced before the rename
}

func newDirSink(out string) (*dirSink, error) {
	parent, err := checkFree(out)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".partial-")
	if err != nil {
		return nil, err
	}
	return &dirSink{out: out, tmp: tmp, made: map[string]bool{}}, nil
}

func (d *dirSink) create(name string) (*os.File, error) {
	dir := path.Dir(name)
	if !d.made[dir] {
		if err := os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
			return nil, err
		}
		d.made[dir] = true
	}
	return os.OpenFile(filepath.Join(d.tmp, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

func (d *dirSink) file(name string) (io.WriteCloser, error) { return d.create(name) }

func (d *dirSink) stream(name string) (io.WriteCloser, error) {
	f, err := d.create(name)
	if err == nil {
		d.synced = append(d.synced, filepath.Join(d.tmp, filepath.FromSlash(name)))
	}
	return f, err
}

// close syncs the load files and the manifest: they describe the rest.
func (d *dirSink) close() error {
	for _, p := range d.synced {
		if err := syncFile(p); err != nil {
			return err
		}
	}
	return nil
}

func (d *dirSink) commit() error {
	if _, err := checkFree(d.out); err != nil {
		d.abort()
		return err
	}
	if err := os.Rename(d.tmp, d.out); err != nil {
		d.abort()
		return err
	}
	return syncDir(filepath.Dir(d.out))
}

func (d *dirSink) abort() { os.RemoveAll(d.tmp) }

// zipSink writes document files straight into a temporary zip file beside
// the output, stream files into a temporary directory beside it; close
// appends the stream files to the archive.
type zipSink struct {
	out     string
	f       *os.File
	zw      *zip.Writer
	tmpDir  string
	streams []zipStream
	now     time.Time
}

type zipStream struct{ name, path string }

func newZipSink(out string) (*zipSink, error) {
	parent, err := checkFree(out)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(parent, "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return nil, err
	}
	tmpDir, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".streams-")
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	zw := zip.NewWriter(f)
	// Mail compresses well; the fastest level keeps an export I/O-bound.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	return &zipSink{out: out, f: f, zw: zw, tmpDir: tmpDir, now: time.Now()}, nil
}

// nopCloser ends a zip entry: the next CreateHeader finishes it.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func (z *zipSink) file(name string) (io.WriteCloser, error) {
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.now})
	if err != nil {
		return nil, err
	}
	return nopCloser{w}, nil
}

func (z *zipSink) stream(name string) (io.WriteCloser, error) {
	p := filepath.Join(z.tmpDir, fmt.Sprintf("%03d", len(z.streams)))
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	z.streams = append(z.streams, zipStream{name, p})
	return f, nil
}

func (z *zipSink) close() error {
	for _, s := range z.streams {
		if err := z.copyIn(s); err != nil {
			return fmt.Errorf("add %s: %w", s.name, err)
		}
	}
	if err := z.zw.Close(); err != nil {
		return err
	}
	if err := z.f.Sync(); err != nil {
		return err
	}
	return z.f.Close()
}

func (z *zipSink) copyIn(s zipStream) error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := z.file(s.name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

func (z *zipSink) commit() error {
	os.RemoveAll(z.tmpDir)
	if _, err := checkFree(z.out); err != nil {
		os.Remove(z.f.Name())
		return err
	}
	if err := os.Rename(z.f.Name(), z.out); err != nil {
		os.Remove(z.f.Name())
		return err
	}
	return syncDir(filepath.Dir(z.out))
}

func (z *zipSink) abort() {
	z.f.Close()
	os.Remove(z.f.Name())
	os.RemoveAll(z.tmpDir)
}

func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync a directory; the rename is done anyway.
	d.Sync()
	return nil
}

// ManifestName is the name of the manifest at the root of a production:
// one "SHA256  PATH" line per other file, as sha256sum writes them, so
// that `sha256sum -c MANIFEST.sha256` run in the production's root checks
// every file.
const ManifestName = "MANIFEST.sha256"

// files writes a production's files through a sink, hashing each into the
// manifest as it is closed.
type files struct {
	s        sink
	manifest io.WriteCloser
	mh       hash.Hash // of the manifest itself
	count    int
	bytes    int64
	open     []*hashedFile // stream files not yet closed
}

func newFiles(s sink) (*files, error) {
	m, err := s.stream(ManifestName)
	if err != nil {
		return nil, err
	}
	return &files{s: s, manifest: m, mh: sha256.New()}, nil
}

// hashedFile hashes what is written to it and records itself in the
// manifest when closed.
type hashedFile struct {
	fs     *files
	name   string
	w      io.WriteCloser
	h      hash.Hash
	n      int64
	closed bool
}

func (f *hashedFile) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.h.Write(p[:n])
	f.n += int64(n)
	return n, err
}

func (f *hashedFile) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	if err := f.w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	f.fs.count++
	f.fs.bytes += f.n
	line := hex.EncodeToString(f.h.Sum(nil)) + "  " + f.name + "\n"
	f.fs.mh.Write([]byte(line))
	if _, err := io.WriteString(f.fs.manifest, line); err != nil {
		return fmt.Errorf("write %s: %w", ManifestName, err)
	}
	return nil
}

// put writes one document file whole.
func (fs *files) put(name string, data []byte) error {
	w, err := fs.s.file(name)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	f := &hashedFile{fs: fs, name: name, w: w, h: sha256.New()}
	if _, err := f.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Close()
}

// stream opens a stream file; finish closes it if it is still open.
func (fs *files) stream(name string) (io.WriteCloser, error) {
	w, err := fs.s.stream(name)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	f := &hashedFile{fs: fs, name: name, w: w, h: sha256.New()}
	fs.open = append(fs.open, f)
	return f, nil
}

// finish closes every stream file and then the manifest (which does not
// list itself), and returns the manifest's SHA-256.
func (fs *files) finish() (string, error) {
	for _, f := range fs.open {
		if err := f.Close(); err != nil {
			return "", err
		}
	}
	if err := fs.manifest.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", ManifestName, err)
	}
	fs.count++
	return hex.EncodeToString(fs.mh.Sum(nil)), nil
}
