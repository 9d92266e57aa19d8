package source

import (
	"io"
	"os"
)

// progress reports the bytes consumed from one file on disk to
// Options.OnRead, never more than the file's size in total, so that a
// Walk's reports add up to Size(paths).
type progress struct {
	fn       func(int64) // nil: nothing to report
	size     int64
	reported int64
}

func (p *progress) add(n int64) {
	if p == nil || p.fn == nil {
		return
	}
	n = min(n, p.size-p.reported)
	if n > 0 {
		p.reported += n
		p.fn(n)
	}
}

// finish reports what is left of the file: parts that were skipped count
// as consumed.
func (p *progress) finish() {
	if p != nil {
		p.add(p.size - p.reported)
	}
}

// diskReader reads a file on disk sequentially, reporting progress and
// turning errors into "read" stream errors.
type diskReader struct {
	f   *os.File
	p   *progress
	err error
}

func (d *diskReader) Read(b []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.f.Read(b)
	d.p.add(int64(n))
	if err != nil && err != io.EOF {
		d.err = asStreamError(err, "read", "read "+d.f.Name())
		return n, d.err
	}
	return n, err
}

// diskReaderAt is diskReader for random access (zip).
type diskReaderAt struct {
	f *os.File
	p *progress
}

func (d *diskReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := d.f.ReadAt(b, off)
	d.p.add(int64(n))
	if err != nil && err != io.EOF {
		return n, asStreamError(err, "read", "read "+d.f.Name())
	}
	return n, err
}
