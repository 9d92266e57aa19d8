package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope"
)

// Variants of From-escaping (see the package documentation).
const (
	escapeNone       = iota // mboxo (or mboxcl2): bytes kept as they are
	escapeRD                // mboxrd: one '>' removed from every ">+From " line
	escapePerMessage        // unknown: a message holding ">>From " lines is mboxrd
)

// mboxMessage is one message cut from an mbox.
type mboxMessage struct {
	offset   int64  // of the From_ line (MMDF: of the opening separator)
	data     []byte // the message, unescaped
	fromLine string // the From_ line without "From " and line ending
}

// splitter cuts an mbox or MMDF stream into messages, streaming.
type splitter struct {
	lr      *lineReader
	max     int64 // MaxMessageBytes
	escape  int
	mmdf    bool
	emit    func(mboxMessage) error
	report  func(off int64, severity, code, detail string)
	emitted int // messages emitted or reported (too large, empty)

	// The message being read.
	in        bool
	off       int64
	fromLine  string
	buf       []byte // reused from message to message
	size      int64  // bytes of the message so far (also when too large)
	tooLarge  bool
	header    bool   // still in the header
	clen      int64  // Content-Length, -1 when none
	noTrim    bool   // ended by its Content-Length: keep trailing blank lines
	prevBlank bool   // the previous line was empty
	forceSep  bool   // the next line is a From_ line after a fitting Content-Length
	closing   string // closing boundary of the top-level multipart, until seen
	lineStart bool   // the next chunk starts a line

	lookedAhead bool   // the next line is a From_ line that lookAhead gave back
	lookFrom    int64  // no look-ahead before this offset (see lookAhead)
	joined      []byte // buffer of joinLine
}

// bufSize is the line buffer: longer lines are read in pieces.
const bufSize = 64 << 10

// keepBuf is the largest message buffer kept for the next message.
const keepBuf = 4 << 20

func newSplitter(r io.Reader, max int64, escape int, mmdf bool) *splitter {
	return &splitter{lr: newLineReader(r, bufSize), max: max, escape: escape, mmdf: mmdf, clen: -1}
}

// partial returns the offset of the message being read when run stopped
// on a read error, -1 when none was.
func (s *splitter) partial() int64 {
	if s.in {
		return s.off
	}
	return -1
}

// run reads the whole stream, calling emit for every message and report
// for problems. It returns emit's error or the stream's read error.
func (s *splitter) run() error {
	if bytes.HasPrefix(s.lr.peek(len(bom)), bom) {
		s.lr.readN(nil, int64(len(bom)))
	}
	started := false
	s.lineStart = true
	for {
		off := s.lr.off
		chunk, complete, err := s.lr.next()
		if err == io.EOF {
			return s.finish()
		}
		if err != nil {
			return err
		}
		atStart := s.lineStart
		if atStart && !complete && !s.mmdf && bytes.HasPrefix(chunk, []byte("From ")) {
			// A From_ line in pieces (a small buffer): join it to classify it.
			if chunk, complete, err = s.joinLine(chunk); err != nil {
				return err
			}
		}
		s.lineStart = complete
		if s.mmdf {
			if err := s.mmdfLine(chunk, atStart, off); err != nil {
				return err
			}
			continue
		}
		if atStart && complete && bytes.HasPrefix(chunk, []byte("From ")) && len(trimEOL(chunk)) <= fromLineMax {
			line := trimEOL(chunk)
			k := fromLineKind(line)
			if !started || s.forceSep || k == fromStrong || (k == fromWeak && s.prevBlank) {
				if started && !s.forceSep && !s.header && s.closing != "" && !s.lookedAhead && off >= s.lookFrom {
					// Inside an open multipart: a From_ line in an
					// attachment, unless the multipart never closes.
					inside, err := s.lookAhead(off, chunk)
					if err != nil {
						return err
					}
					if !inside {
						s.lookedAhead, s.lineStart = true, true
					}
					continue
				}
				if err := s.finish(); err != nil {
					return err
				}
				if !started && k == fromNone {
					s.report(off, leakscope.ProblemWarning, "mbox", "malformed From_ line")
				}
				started = true
				s.start(off, string(line[len("From "):]))
				continue
			}
		}
		s.forceSep, s.lookedAhead = false, false
		if !started {
			if isBlank(chunk) {
				continue
			}
			s.report(off, leakscope.ProblemWarning, "mbox", "text before the first From_ line read as a message")
			started = true
			s.start(off, "")
		}
		s.add(chunk)
		blank := atStart && complete && isBlank(chunk)
		switch {
		case atStart && s.header && blank:
			s.header = false
			s.closing = closingBoundary(s.buf)
			if s.clen >= 0 {
				if err := s.tryContentLength(); err != nil {
					return err
				}
			}
		case atStart && s.header && hasPrefixFold(chunk, "content-length:"):
			s.clen = parseContentLength(chunk[len("content-length:"):])
		case atStart && s.closing != "" && isClosing(chunk, s.closing):
			s.closing = ""
		}
		s.prevBlank = blank
	}
}

// fromLineMax is the longest line (without line ending) that can be a
// From_ line: real ones are well under 200 bytes.
const fromLineMax = 1 << 10

// joinLine reads the rest of the line whose first piece is first, up to
// fromLineMax bytes. It returns the line and whether it is complete; a
// longer line is returned in part (not complete) and is no From_ line.
func (s *splitter) joinLine(first []byte) ([]byte, bool, error) {
	line := append(s.joined[:0], first...)
	complete := false
	for !complete && len(line) <= fromLineMax {
		chunk, c, err := s.lr.next()
		if err == io.EOF {
			return line, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		line, complete = append(line, chunk...), c
	}
	s.joined = line
	return line, complete, nil
}

// lookAheadMax bounds how far the splitter reads ahead for the end of a
// multipart message when a From_ line appears inside it.
const lookAheadMax = 4 << 20

// lookAhead is called with a From_ line met at off inside a multipart
// message whose closing boundary was not seen yet. It reads ahead for that
// boundary: when it comes, everything up to it belongs to the message
// (inside is true); when the stream ends or lookAheadMax is reached first,
// the bytes are pushed back and the From_ line is a separator after all.
// No look-ahead starts inside bytes a failed one read: each byte is looked
// at ahead at most once, so that a mailbox of multiparts that are never
// closed is not read over and over.
func (s *splitter) lookAhead(off int64, first []byte) (inside bool, err error) {
	ahead := append([]byte(nil), first...)
	limit := min(int64(lookAheadMax), s.max-s.size)
	atStart := true
	for int64(len(ahead)) <= limit {
		chunk, complete, err := s.lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return false, err
		}
		ahead = append(ahead, chunk...)
		if atStart && isClosing(chunk, s.closing) {
			s.add(ahead)
			s.closing, s.lineStart, s.prevBlank = "", complete, false
			return true, nil
		}
		atStart = complete
	}
	s.lr.unread(ahead)
	s.lookFrom = off + int64(len(ahead))
	return false, nil
}

// closingBoundary returns the line that closes the top-level multipart of
// a message with header hdr ("--boundary--"), "" when it is not multipart.
func closingBoundary(hdr []byte) string {
	v := headerValue(hdr, "content-type")
	if v == "" {
		return ""
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil && mt == "" {
		return ""
	}
	if !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return ""
	}
	return "--" + params["boundary"] + "--"
}

// isClosing reports whether the line chunk is the closing boundary line
// (trailing white space allowed).
func isClosing(chunk []byte, closing string) bool {
	return bytes.HasPrefix(chunk, []byte("--")) && string(bytes.TrimRight(chunk, " \t\r\n")) == closing
}

// headerValue returns the unfolded value of the first field name in the
// header block hdr, "" when there is none.
func headerValue(hdr []byte, name string) string {
	var v []byte
	found := false
	for len(hdr) > 0 {
		var line []byte
		line, hdr = cutLine(hdr)
		if found {
			if len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
				break
			}
			v = append(append(v, ' '), bytes.TrimSpace(line)...)
			continue
		}
		if hasPrefixFold(line, name) {
			rest := bytes.TrimLeft(line[len(name):], " \t")
			if len(rest) > 0 && rest[0] == ':' {
				v, found = append(v, bytes.TrimSpace(rest[1:])...), true
			}
		}
	}
	return string(v)
}

// mmdfLine handles one chunk of an MMDF file: messages sit between lines
// of four ^A characters.
func (s *splitter) mmdfLine(chunk []byte, atStart bool, off int64) error {
	if atStart && isMMDFSeparator(chunk) && len(trimEOL(chunk)) == 4 {
		if s.in {
			s.noTrim = true
			return s.finish()
		}
		s.start(off, "")
		return nil
	}
	if !s.in {
		if atStart && isBlank(chunk) {
			return nil
		}
		s.report(off, leakscope.ProblemWarning, "mbox", "text outside MMDF separators read as a message")
		s.start(off, "")
	}
	s.add(chunk)
	return nil
}

// start begins a message at off.
func (s *splitter) start(off int64, fromLine string) {
	s.in, s.off, s.fromLine = true, off, fromLine
	s.buf, s.size, s.tooLarge = s.buf[:0], 0, false
	s.header, s.clen, s.noTrim, s.prevBlank, s.forceSep = true, -1, false, false, false
	s.closing, s.lookedAhead = "", false
}

// add appends a chunk to the message, dropping the bytes of one that has
// grown too large (its size is still counted).
func (s *splitter) add(chunk []byte) {
	s.size += int64(len(chunk))
	if s.tooLarge {
		return
	}
	if s.size > s.max {
		s.tooLarge, s.buf = true, s.buf[:0]
		return
	}
	s.buf = append(s.buf, chunk...)
}

// tryContentLength reads the body as long as the header's Content-Length
// says; it is kept when it ends where a message can end (end of file, a
// From_ line, or a blank line before one). Otherwise the bytes are pushed
// back and the message is cut at From_ lines, with a warning.
func (s *splitter) tryContentLength() error {
	n := s.clen
	if s.tooLarge || n > s.max-int64(len(s.buf)) {
		return nil
	}
	hdr := len(s.buf)
	buf, err := s.lr.readN(s.buf, n)
	s.buf = buf
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if next := s.lr.peek(len("\r\nFrom ")); err == nil && clFits(next) {
		s.size += n
		switch {
		case bytes.HasPrefix(next, []byte("\n")):
			s.lr.readN(nil, 1)
		case bytes.HasPrefix(next, []byte("\r\n")):
			s.lr.readN(nil, 2)
		}
		s.noTrim, s.forceSep = true, true
		return nil
	}
	s.lr.unread(s.buf[hdr:])
	s.buf = s.buf[:hdr]
	s.report(s.off, leakscope.ProblemWarning, "mbox", fmt.Sprintf("Content-Length %d does not fit the message; split at From_ lines", n))
	return nil
}

// clFits reports whether next, the bytes after a Content-Length body, are
// where a message can end.
func clFits(next []byte) bool {
	switch {
	case len(next) == 0, string(next) == "\n", string(next) == "\r\n":
		return true
	}
	for _, p := range []string{"From ", "\nFrom ", "\r\nFrom "} {
		if bytes.HasPrefix(next, []byte(p)) {
			return true
		}
	}
	return false
}

// finish ends the message being read: it drops the one blank line an mbox
// writer adds before the next From_ line, unescapes mboxrd, and emits it
// (or reports it as too large or empty).
func (s *splitter) finish() error {
	if !s.in {
		return nil
	}
	s.in = false
	s.emitted++
	if s.tooLarge {
		s.report(s.off, leakscope.ProblemFailure, "too_large", fmt.Sprintf("message of %d bytes is larger than MaxMessageBytes (%d)", s.size, s.max))
		return nil
	}
	data := s.buf
	if cap(s.buf) > keepBuf {
		s.buf = nil // do not hold a huge buffer for the rest of the stream
	}
	if !s.noTrim {
		data = dropBlankLine(data)
	}
	if s.escape == escapeRD || (s.escape == escapePerMessage && hasRDEscape(data)) {
		data = unescapeRD(data)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		s.report(s.off, leakscope.ProblemSkipped, "empty", "empty message")
		return nil
	}
	// The message gets its own exact-size copy: s.buf is reused.
	return s.emit(mboxMessage{offset: s.off, data: bytes.Clone(data), fromLine: s.fromLine})
}

// dropBlankLine removes one trailing empty line ("\n" or "\r\n" after a
// line ending).
func dropBlankLine(b []byte) []byte {
	switch {
	case bytes.HasSuffix(b, []byte("\n\r\n")):
		return b[:len(b)-2]
	case bytes.HasSuffix(b, []byte("\n\n")):
		return b[:len(b)-1]
	case string(b) == "\n":
		return b[:0]
	case string(b) == "\r\n":
		return b[:0]
	}
	return b
}

// hasRDEscape reports whether b has a line starting ">>From " (more '>'s
// allowed), which only an mboxrd writer produces.
func hasRDEscape(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(">>From "))
		if j < 0 {
			return false
		}
		j += i
		k := j
		for k > 0 && b[k-1] == '>' {
			k--
		}
		if k == 0 || b[k-1] == '\n' {
			return true
		}
		i = j + 1
	}
}

// unescapeRD removes one '>' from every line starting with '>'s and
// "From ".
func unescapeRD(b []byte) []byte {
	out := b[:0]
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i+1]
		}
		b = b[len(line):]
		if len(line) > 0 && line[0] == '>' && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			line = line[1:]
		}
		out = append(out, line...) // never ahead of b: out only shrinks
	}
	return out
}

// isBlank reports whether chunk is an empty line.
func isBlank(chunk []byte) bool {
	return len(chunk) == 0 || string(chunk) == "\n" || string(chunk) == "\r\n"
}

// hasPrefixFold reports whether b starts with prefix, ignoring ASCII case.
func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// parseContentLength parses a Content-Length value, -1 when it is not a
// plain number.
func parseContentLength(v []byte) int64 {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
