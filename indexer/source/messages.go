package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/leakscope/leakscope"
)

// single reads a one-message file. A leading BOM and blank lines are not
// part of the message; Offset says where it starts.
func (s *walk) single(it *item, st *stream) error {
	data, err := s.readMessage(it, st.data, st.r, st.size)
	if data == nil || err != nil {
		return err
	}
	off := len(data)
	data = skipBlankLines(bytes.TrimPrefix(data, bom))
	off -= len(data)
	if len(bytes.TrimSpace(data)) == 0 {
		s.report(leakscope.ProblemSkipped, it.location(0), "empty", "only white space")
		return nil
	}
	return s.yield(it, it.messageComps(), int64(off), data, "", flagsFromName(it.name))
}

// readMessage returns the whole of a one-message input: data when it is
// already in memory, else read from r. A message over MaxMessageBytes or a
// read error is reported and gives nil.
func (s *walk) readMessage(it *item, data []byte, r io.Reader, size int64) ([]byte, error) {
	max := s.limits.MaxMessageBytes
	if data == nil {
		var err error
		data, err = io.ReadAll(io.LimitReader(r, max+1))
		if err != nil {
			s.fail(it, 0, err)
			return nil, nil
		}
	}
	if int64(len(data)) > max {
		if size < 0 {
			size = int64(len(data))
		}
		s.report(leakscope.ProblemFailure, it.location(0), "too_large",
			fmt.Sprintf("message of %d bytes or more is larger than MaxMessageBytes (%d)", size, max))
		return nil, nil
	}
	return data, nil
}

// emlx reads an Apple Mail .emlx file: a line with the message's byte
// count, the message, then a property list that is not part of it.
func (s *walk) emlx(it *item, st *stream) error {
	line, _, _ := bytes.Cut(st.head, []byte("\n"))
	skip := len(line) + 1
	n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 10, 64)
	if err != nil || n > s.limits.MaxMessageBytes {
		s.report(leakscope.ProblemFailure, it.location(0), "too_large",
			fmt.Sprintf(".emlx message of %s bytes is larger than MaxMessageBytes (%d)", bytes.TrimSpace(line), s.limits.MaxMessageBytes))
		return nil
	}
	var data []byte
	if st.data != nil {
		data = st.data[min(skip, len(st.data)):]
		data = data[:min(int64(len(data)), n)]
	} else {
		if _, err := io.CopyN(io.Discard, st.r, int64(skip)); err != nil {
			s.fail(it, 0, err)
			return nil
		}
		data, err = io.ReadAll(io.LimitReader(st.r, n))
		if err != nil {
			s.fail(it, int64(skip), err)
			return nil
		}
	}
	if int64(len(data)) < n {
		s.report(leakscope.ProblemWarning, it.location(int64(skip)), "archive",
			fmt.Sprintf(".emlx file holds %d message bytes, its first line says %d", len(data), n))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		s.report(leakscope.ProblemSkipped, it.location(0), "empty", "empty .emlx message")
		return nil
	}
	return s.yield(it, it.messageComps(), int64(skip), data, "", flagsFromName(it.name))
}

// mbox splits an mbox (or MMDF) stream. The From-escaping variant is
// decided for the whole file when it can be read twice (in memory or on
// disk), else for each message.
func (s *walk) mbox(it *item, st *stream, mmdf bool) error {
	escape := escapePerMessage
	switch {
	case mmdf:
		escape = escapeNone
	case st.data != nil:
		escape = variantOf(bytes.NewReader(st.data))
	case st.file != nil:
		escape = variantOf(io.NewSectionReader(st.file, 0, st.size))
	}
	comps := it.keptComps()
	sp := newSplitter(st.r, s.limits.MaxMessageBytes, escape, mmdf)
	sp.emit = func(m mboxMessage) error {
		return s.yield(it, comps, m.offset, m.data, m.fromLine, "")
	}
	sp.report = func(off int64, severity, code, detail string) {
		s.report(severity, it.location(off), code, detail)
	}
	err := sp.run()
	switch {
	case errors.Is(err, errStop):
		return err
	case err != nil:
		off := sp.lr.off
		if p := sp.partial(); p >= 0 {
			off = p
		}
		s.fail(it, off, err)
	case sp.emitted == 0:
		s.report(leakscope.ProblemSkipped, it.location(0), "empty", "mbox holds no messages")
	}
	return nil
}

// variantOf reads an mbox once to decide its From-escaping: mboxrd when a
// line starts with ">>From " (or more '>'s), else mboxo kept byte-exact.
func variantOf(r io.Reader) int {
	br := bufio.NewReaderSize(r, bufSize)
	lineStart := true
	for {
		line, err := br.ReadSlice('\n')
		if lineStart && bytes.HasPrefix(line, []byte(">>")) && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			return escapeRD
		}
		switch {
		case err == nil:
			lineStart = true
		case errors.Is(err, bufio.ErrBufferFull):
			lineStart = false
		default:
			return escapeNone
		}
	}
}
