package parse

import (
	"errors"
	"fmt"
	"io"
	"strings"

	message "github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
	"github.com/leakscope/leakscope"
)

// strictError says why go-message could not read a message; the lenient
// reader then reads it again.
type strictError struct {
	what string // "header", "part header", "multipart", "limit"
	err  error
}

func (e *strictError) Error() string { return e.what + ": " + e.err.Error() }
func (e *strictError) Unwrap() error { return e.err }

// fallbackCode and fallbackDetail turn a strictError into the warning left
// on a message read leniently. The detail never holds message content
// (go-message's errors quote the offending line, so they are not copied).
func fallbackCode(err error) string {
	var se *strictError
	if errors.As(err, &se) && (se.what == "header" || se.what == "part header") {
		return leakscope.WarnHeader
	}
	return leakscope.WarnMIME
}

func fallbackDetail(err error) string {
	var se *strictError
	if !errors.As(err, &se) {
		return "message read leniently"
	}
	switch se.what {
	case "header":
		if errors.Is(se.err, errHeaderTooBig) {
			return "header over MaxHeaderBytes: read leniently"
		}
		return "malformed header rejected by go-message: read leniently"
	case "part header":
		return "malformed part header rejected by go-message: MIME structure read leniently"
	case "limit":
		return "part header over MaxHeaderBytes: MIME structure read leniently"
	}
	return "MIME structure rejected by go-message (" + se.err.Error() + "): read leniently"
}

// Causes of a multipart rejection, named without message content.
var (
	errNoBoundary   = errors.New("no boundary parameter")
	errNotClosed    = errors.New("multipart not closed")
	errBadDelimiter = errors.New("boundary not found or malformed delimiter line")
)

// readStrict reads the entity tree of buf with go-message: textproto's
// header reader and multipart reader, part by part. It fails on the first
// thing go-message rejects; nothing of the failed attempt is kept.
func readStrict(buf []byte, depth int, t *tree) (*entity, error) {
	t.reach(depth)
	h, n, err := readHeader(buf, t.lim.MaxHeaderBytes)
	if err != nil {
		return nil, &strictError{"header", err}
	}
	e := &entity{h: h}
	e.mediaType, e.params = contentType(&e.h, "text/plain", e)
	body := buf[n:]
	if !strings.HasPrefix(e.mediaType, "multipart/") {
		e.body = body
		return e, nil
	}
	if depth+1 > t.lim.MaxDepth {
		e.opaqueLimit(t.lim.MaxDepth)
		e.body = body
		return e, nil
	}
	// The parts' bodies are disjoint pieces of body: one buffer of its size
	// holds them all.
	a := &arena{buf: make([]byte, 0, len(body))}
	if err := readMultipart(e, &sliceReader{b: body}, depth, t, a); err != nil {
		return nil, err
	}
	return e, nil
}

// arena holds the bodies of the parts of one message, read from
// go-message's multipart reader, in one buffer.
type arena struct {
	buf []byte
}

// readAll reads r to its end into the arena and returns what it read. The
// slice returned stays valid if the buffer grows (it keeps the old array).
func (a *arena) readAll(r io.Reader) ([]byte, error) {
	start := len(a.buf)
	for {
		if len(a.buf) == cap(a.buf) {
			a.buf = append(a.buf, 0)[:len(a.buf)]
		}
		n, err := r.Read(a.buf[len(a.buf):cap(a.buf)])
		a.buf = a.buf[:len(a.buf)+n]
		if err == io.EOF {
			return a.buf[start:len(a.buf):len(a.buf)], nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readMultipart reads the parts of the multipart e from body with
// go-message's multipart reader, recursing into nested multiparts.
func readMultipart(e *entity, body io.Reader, depth int, t *tree, a *arena) error {
	boundary := e.params["boundary"]
	if boundary == "" {
		return &strictError{"multipart", errNoBoundary}
	}
	childType := "text/plain"
	if e.mediaType == "multipart/digest" {
		childType = "message/rfc822"
	}
	mr := textproto.NewMultipartReader(body, boundary)
	for !t.stopped {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if strings.Contains(err.Error(), "malformed MIME header") {
				return &strictError{"part header", errors.New("malformed")}
			}
			if len(e.parts) > 0 && strings.Contains(err.Error(), "EOF") {
				return &strictError{"multipart", errNotClosed}
			}
			return &strictError{"multipart", errBadDelimiter}
		}
		if t.parts >= t.lim.MaxParts {
			e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxParts %d reached: later parts not read", t.lim.MaxParts))
			t.stopped = true
			return nil
		}
		t.parts++
		t.reach(depth + 1)
		c := &entity{h: message.Header{Header: p.Header}}
		if headerBytes(&c.h) > t.lim.MaxHeaderBytes {
			return &strictError{"limit", errHeaderTooBig}
		}
		c.mediaType, c.params = contentType(&c.h, childType, c)
		e.parts = append(e.parts, c)
		if strings.HasPrefix(c.mediaType, "multipart/") {
			if depth+2 > t.lim.MaxDepth {
				c.opaqueLimit(t.lim.MaxDepth)
			} else {
				if err := readMultipart(c, p, depth+1, t, a); err != nil || t.stopped {
					return err
				}
				// The epilogue of the nested multipart.
				if _, err := io.Copy(io.Discard, p); err != nil {
					return &strictError{"multipart", errNotClosed}
				}
				continue
			}
		}
		if c.body, err = a.readAll(p); err != nil {
			return &strictError{"multipart", errNotClosed}
		}
	}
	return nil
}

// opaqueLimit marks a multipart nested too deep: it is kept as an opaque
// attachment.
func (e *entity) opaqueLimit(maxDepth int) {
	e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxDepth %d reached: multipart not read", maxDepth))
	e.opaque = true
}

// sliceReader is a bytes.Reader without the seeking.
type sliceReader struct {
	b   []byte
	off int
}

func (r *sliceReader) Read(p []byte) (int, error) {
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.off:])
	r.off += n
	return n, nil
}
