package source

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"

	"github.com/leakscope/leakscope"
)

// stream is an input opened for reading, with its first bytes peeked.
type stream struct {
	r    io.Reader // the content from its start
	head []byte    // the first bytes (up to sniffLen), for sniff
	data []byte    // the whole content when it was read into memory, else nil
	file *os.File  // the file on disk when the stream is a whole file, else nil
	prog *progress // progress of file
	size int64     // -1 when unknown
}

// smallInput is the size up to which an input is read into memory at
// once: one allocation, and the bytes become the message as they are.
const smallInput = 1 << 20

// file reads one file on disk, a top-level input: it has its own budget
// and progress.
func (s *walk) file(it *item) error {
	f, err := os.Open(it.source)
	if err != nil {
		s.report(leakscope.ProblemFailure, it.source, "read", err.Error())
		if fi, serr := os.Lstat(it.source); serr == nil {
			p := &progress{fn: s.opts.OnRead, size: fi.Size()}
			p.finish()
		}
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.report(leakscope.ProblemFailure, it.source, "read", err.Error())
		return nil
	}
	if !fi.Mode().IsRegular() {
		s.report(leakscope.ProblemSkipped, it.source, "unsupported", "special file (device, pipe or socket)")
		return nil
	}
	it.budget = &budget{max: s.limits.MaxArchiveBytes}
	p := &progress{fn: s.opts.OnRead, size: fi.Size()}
	defer p.finish()
	return s.contain(it, func() error { return s.diskFile(it, f, fi.Size(), p) })
}

// diskFile reads the file f of size bytes as the item it.
func (s *walk) diskFile(it *item, f *os.File, size int64, p *progress) error {
	r := &diskReader{f: f, p: p}
	var st *stream
	if size <= smallInput {
		data := make([]byte, size)
		n, err := io.ReadFull(r, data)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.fail(it, int64(n), err)
			return nil
		}
		data = data[:n]
		st = &stream{r: bytes.NewReader(data), head: data[:min(n, sniffLen)], data: data}
	} else {
		br := bufio.NewReaderSize(r, bufSize)
		head, err := br.Peek(sniffLen)
		if err != nil && err != io.EOF {
			s.fail(it, 0, err)
			return nil
		}
		st = &stream{r: br, head: head}
	}
	st.file, st.prog, st.size = f, p, size
	return s.dispatch(it, st)
}

// openStream opens r, an archive member or decompressed stream, for
// dispatch. hint is its size when known (-1 otherwise): a small input is
// read into memory at once. A stream that fails after some bytes is still
// opened: its reader returns those bytes, then the error, so that the
// messages before the failure are read and the failure is reported where
// it happened. Only a stream that fails before its first byte gives an
// error here.
func openStream(r io.Reader, hint int64) (*stream, error) {
	if hint >= 0 && hint <= smallInput {
		buf := bytes.NewBuffer(make([]byte, 0, hint+bytes.MinRead))
		_, err := buf.ReadFrom(io.LimitReader(r, smallInput+1))
		data := buf.Bytes()
		switch {
		case err != nil && len(data) == 0:
			return nil, err
		case err != nil:
			return &stream{r: io.MultiReader(bytes.NewReader(data), errReader{err}), head: data[:min(len(data), sniffLen)], size: -1}, nil
		case len(data) <= smallInput:
			return &stream{r: bytes.NewReader(data), head: data[:min(len(data), sniffLen)], data: data, size: int64(len(data))}, nil
		}
		r = io.MultiReader(bytes.NewReader(data), r)
	}
	br := bufio.NewReaderSize(r, bufSize)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && len(head) == 0 {
		return nil, err
	}
	// On an error Peek keeps the bytes before it and the next read
	// returns the error again: every reader under a stream repeats its
	// error (see streamError).
	return &stream{r: br, head: head, size: -1}, nil
}

// errReader returns err on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// dispatch sniffs st and reads it as what it is.
func (s *walk) dispatch(it *item, st *stream) error {
	k, desc := sniff(st.head)
	switch k {
	case kindEmpty:
		s.report(leakscope.ProblemSkipped, it.location(0), "empty", "empty file")
	case kindNotMail:
		s.report(leakscope.ProblemSkipped, it.location(0), "not_mail", describeName(it.name, desc))
	case kindUnsupported:
		s.report(leakscope.ProblemSkipped, it.location(0), "unsupported", desc)
	case kindGzip, kindBzip2:
		return s.decompress(it, st, k)
	case kindZip:
		return s.zip(it, st)
	case kindTar:
		return s.tar(it, st)
	case kindPST:
		return s.pst(it, st)
	case kindMbox, kindMMDF:
		return s.mbox(it, st, k == kindMMDF)
	case kindEmlx:
		return s.emlx(it, st)
	case kindMessage:
		return s.single(it, st)
	}
	return nil
}

// describeName refines the description of a file that is not mail with
// what its name says about well-known mailbox metadata files.
func describeName(name, desc string) string {
	switch name {
	case ".mh_sequences", ".mh_profile", ".xmhcache", ".mhindex":
		return "MH folder metadata (" + name + ")"
	case "dovecot-uidlist", "dovecot-keywords", "dovecot-uidvalidity", "subscriptions", "maildirfolder":
		return "maildir metadata (" + name + ")"
	}
	return desc
}
