package source

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader reads a stream line by line without holding more than one
// buffer of it, keeps the stream offset, and lets bytes be pushed back
// (for a Content-Length that turned out wrong).
type lineReader struct {
	br      *bufio.Reader
	pending []byte // pushed-back bytes, returned before br's
	scratch []byte // a line joined from pending and br
	off     int64  // stream offset of the next byte returned
	err     error  // a read error to return after the data before it
}

func newLineReader(r io.Reader, size int) *lineReader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= size {
		return &lineReader{br: br}
	}
	return &lineReader{br: bufio.NewReaderSize(r, size)}
}

// next returns the next chunk: a whole line with its "\n" (complete), or,
// for a line longer than the buffer, a piece of it (not complete; the rest
// follows). The last line of the stream is complete without "\n". The
// chunk is valid until the next call. At the end it returns io.EOF.
func (l *lineReader) next() (chunk []byte, complete bool, err error) {
	if len(l.pending) > 0 {
		if i := bytes.IndexByte(l.pending, '\n'); i >= 0 {
			chunk, l.pending = l.pending[:i+1], l.pending[i+1:]
			l.off += int64(len(chunk))
			return chunk, true, nil
		}
		tail := l.pending
		l.pending = nil
		rest, complete, err := l.readSlice()
		l.scratch = append(append(l.scratch[:0], tail...), rest...)
		l.off += int64(len(l.scratch))
		if err != nil { // keep it for the next call
			l.err = err
		}
		return l.scratch, complete || err != nil, nil
	}
	chunk, complete, err = l.readSlice()
	if len(chunk) > 0 {
		l.off += int64(len(chunk))
		if err != nil {
			l.err = err
			return chunk, true, nil
		}
		return chunk, complete, nil
	}
	if err == nil {
		err = io.EOF // cannot happen: ReadSlice returns data or an error
	}
	return nil, false, err
}

// readSlice reads one line or one buffer from br; err is nil for a line
// longer than the buffer (complete is false then) and for a line ended
// by "\n".
func (l *lineReader) readSlice() ([]byte, bool, error) {
	if l.err != nil {
		return nil, false, l.err
	}
	line, err := l.br.ReadSlice('\n')
	switch {
	case err == nil:
		return line, true, nil
	case errors.Is(err, bufio.ErrBufferFull):
		return line, false, nil
	}
	return line, false, err
}

// readN appends the next n bytes to dst. It returns what it could read
// and an error when the stream ends (io.ErrUnexpectedEOF) or fails first.
func (l *lineReader) readN(dst []byte, n int64) ([]byte, error) {
	if p := int64(len(l.pending)); p > 0 {
		take := min(p, n)
		dst = append(dst, l.pending[:take]...)
		l.pending = l.pending[take:]
		l.off += take
		n -= take
	}
	if n == 0 {
		return dst, nil
	}
	if l.err == io.EOF {
		// The end was met by next (a last line without "\n") and the
		// bytes were pushed back since: the stream ends early.
		return dst, io.ErrUnexpectedEOF
	}
	if l.err != nil {
		return dst, l.err
	}
	start := len(dst)
	dst = growBy(dst, n)
	got, err := io.ReadFull(l.br, dst[start:])
	l.off += int64(got)
	dst = dst[:start+got]
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		l.err = err
	}
	return dst, err
}

// growBy returns b extended by n bytes (contents of the new bytes unset).
func growBy(b []byte, n int64) []byte {
	if int64(cap(b)-len(b)) < n {
		nb := make([]byte, len(b), int64(len(b))+n)
		copy(nb, b)
		b = nb
	}
	return b[:int64(len(b))+n]
}

// peek returns up to n next bytes without consuming them; fewer at the
// end of the stream.
func (l *lineReader) peek(n int) []byte {
	if len(l.pending) >= n {
		return l.pending[:n]
	}
	if l.err != nil {
		return l.pending
	}
	b, _ := l.br.Peek(n - len(l.pending))
	if len(l.pending) == 0 {
		return b
	}
	return append(append([]byte(nil), l.pending...), b...)
}

// unread pushes b back: it is returned again, before anything else.
func (l *lineReader) unread(b []byte) {
	p := make([]byte, 0, len(b)+len(l.pending))
	l.pending = append(append(p, b...), l.pending...)
	l.off -= int64(len(b))
}
