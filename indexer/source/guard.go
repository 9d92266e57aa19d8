package source

import (
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
)

// streamError is a failure of an input stream with its problem code. The
// same value is returned again by every later read of the stream, and
// reported once: the innermost reader that sees it reports it.
type streamError struct {
	code     string // problem code: "read", "archive", "bomb"
	detail   string
	reported bool
}

func (e *streamError) Error() string { return e.code + ": " + e.detail }

// asStreamError returns err as a *streamError, turning a foreign error
// into one with code.
func asStreamError(err error, code, what string) *streamError {
	var se *streamError
	if errors.As(err, &se) {
		return se
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &streamError{code: code, detail: what + ": truncated"}
	}
	return &streamError{code: code, detail: fmt.Sprintf("%s: %v", what, err)}
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// guard wraps the output of a decompressor: it counts what is produced,
// stops a bomb (ratio or budget exceeded), turns decompression errors
// into "archive" stream errors and checks a CRC-32 when one is known.
type guard struct {
	r      io.Reader    // decompressed bytes
	in     *countReader // compressed bytes consumed
	out    int64
	ratio  int64
	budget *budget
	what   string // "gzip stream", "zip member": for details

	crc     hash.Hash32 // nil: no check
	wantCRC uint32

	err error // sticky
}

func newGuard(r io.Reader, in *countReader, ratio int64, b *budget, what string) *guard {
	return &guard{r: r, in: in, ratio: ratio, budget: b, what: what}
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if g.crc != nil && n > 0 {
		g.crc.Write(p[:n])
	}
	g.out += int64(n)
	g.budget.used += int64(n)
	switch {
	case g.budget.used > g.budget.max:
		g.err = &streamError{code: "bomb", detail: fmt.Sprintf("%s: more than %d bytes decompressed from one input (MaxArchiveBytes)", g.what, g.budget.max)}
		return n, g.err
	case g.out > ratioFloor && g.out > g.ratio*max(g.in.n, 1):
		g.err = &streamError{code: "bomb", detail: fmt.Sprintf("%s: decompressed/compressed ratio above %d (%d bytes from %d)", g.what, g.ratio, g.out, g.in.n)}
		return n, g.err
	}
	if err == io.EOF {
		if g.crc != nil && g.crc.Sum32() != g.wantCRC {
			g.err = &streamError{code: "archive", detail: g.what + ": CRC-32 mismatch"}
			return n, g.err
		}
		return n, io.EOF
	}
	if err != nil {
		g.err = asStreamError(err, "archive", g.what)
		return n, g.err
	}
	return n, nil
}

// checkCRC makes the guard compare the CRC-32 of everything produced with
// want at the end of the stream.
func (g *guard) checkCRC(want uint32) {
	g.crc = crc32.NewIEEE()
	g.wantCRC = want
}
