package parse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"

	message "github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// errHeaderTooBig is returned by readHeader when a header block is longer
// than MaxHeaderBytes.
var errHeaderTooBig = errors.New("header over MaxHeaderBytes")

// headerLimitReader reads b and fails with errHeaderTooBig past max bytes.
type headerLimitReader struct {
	b   []byte
	off int
	max int
}

func (r *headerLimitReader) Read(p []byte) (int, error) {
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	if r.off >= r.max {
		return 0, errHeaderTooBig
	}
	n := copy(p, r.b[r.off:min(len(r.b), r.max)])
	r.off += n
	return n, nil
}

var bufioPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// readHeader reads the header block at the start of buf with go-message's
// textproto reader and returns it with the offset of the body. It fails on
// a header textproto rejects (a line that is neither a field nor a
// continuation before the blank line, a continuation first, a bad field
// name) and on one longer than max bytes; the lenient reader takes over.
func readHeader(buf []byte, max int) (message.Header, int, error) {
	lr := &headerLimitReader{b: buf, max: max}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(lr)
	h, err := textproto.ReadHeader(br)
	n := lr.off - br.Buffered()
	br.Reset(nil)
	bufioPool.Put(br)
	if err != nil {
		return message.Header{}, 0, err
	}
	return message.Header{Header: h}, n, nil
}

// headerBytes returns the size of a header block read by textproto.
func headerBytes(h *message.Header) int {
	n := 0
	fs := h.Fields()
	for fs.Next() {
		raw, _ := fs.Raw()
		n += len(raw)
	}
	return n
}

// lenientHeader is what readLenientHeader found.
type lenientHeader struct {
	h         message.Header
	bodyStart int  // offset of the body (after the blank line, or at the line that ended the header)
	badLine   bool // the header ended at a line that is not a field
	cut       bool // the header was longer than the limit
}

// readLenientHeader reads header fields from buf[pos:] where go-message's
// reader gives up. The header ends at a blank line, at a line that is not a
// field (kept as the first body line, as Python's email package does), at a
// delimiter line of an enclosing multipart, or at the end of buf. A
// continuation line before the first field is ignored. Fields past max bytes
// are dropped.
func readLenientHeader(buf []byte, pos int, stack []string, max int) lenientHeader {
	var r lenientHeader
	var fields [][]byte // raw fields, "Name: value" with folding, in order
	i := pos
	fieldStart := -1
	end := func(at int) {
		if fieldStart >= 0 && !r.cut {
			fields = append(fields, buf[fieldStart:at])
		}
		fieldStart = -1
	}
	for i < len(buf) {
		next := len(buf)
		lineEnd := next
		if nl := bytes.IndexByte(buf[i:], '\n'); nl >= 0 {
			lineEnd = i + nl
			next = lineEnd + 1
		}
		line := buf[i:lineEnd]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			end(i)
			r.bodyStart = next
			r.h = headerOf(fields)
			return r
		}
		if len(stack) > 0 && line[0] == '-' {
			if k, _ := matchStack(line, stack); k >= 0 {
				end(i)
				r.bodyStart = i
				r.h = headerOf(fields)
				return r
			}
		}
		if line[0] == ' ' || line[0] == '\t' {
			// Continuation: extends the field being read; ignored at the start.
			i = next
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !validName(line[:colon]) {
			end(i)
			r.badLine = true
			r.bodyStart = i
			r.h = headerOf(fields)
			return r
		}
		end(i)
		if next-pos > max {
			r.cut = true
		}
		fieldStart = i
		i = next
	}
	end(len(buf))
	r.bodyStart = len(buf)
	r.h = headerOf(fields)
	return r
}

// headerOf builds a go-message header from raw fields in the order written.
func headerOf(fields [][]byte) message.Header {
	var h message.Header
	// Header.AddRaw puts a field above those already there.
	for i := len(fields) - 1; i >= 0; i-- {
		h.AddRaw(fields[i])
	}
	return h
}

// validName reports whether b is a field name, allowing trailing white
// space before the colon as seen in the wild.
func validName(b []byte) bool {
	b = trimRightSpace(b)
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimRightSpace(b []byte) []byte {
	n := len(b)
	for n > 0 && isSpace(b[n-1]) {
		n--
	}
	return b[:n]
}
