package source

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"

	"github.com/leakscope/leakscope"
)

// deeper reports a "depth" failure and returns false when it is already
// inside MaxArchiveDepth archives and compressed streams.
func (s *walk) deeper(it *item, what string) bool {
	if it.depth < s.limits.MaxArchiveDepth {
		return true
	}
	s.report(leakscope.ProblemFailure, it.location(0), "depth",
		fmt.Sprintf("%s nested in %d archives or compressed streams (MaxArchiveDepth)", what, it.depth))
	return false
}

// decompress reads a gzip or bzip2 stream and reads what it holds, sniffed
// again (a .tar.gz is gzip, then tar).
func (s *walk) decompress(it *item, st *stream, k kind) error {
	if !s.deeper(it, k.String()+" stream") {
		return nil
	}
	in := &countReader{r: st.r}
	var dr io.Reader
	what := k.String() + " stream"
	switch k {
	case kindGzip:
		br := bufio.NewReader(in)
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.fail(it, 0, asStreamError(err, "archive", what))
			return nil
		}
		defer zr.Close()
		dr = &gzipMembers{zr: zr, src: br, trailing: func() {
			s.report(leakscope.ProblemWarning, it.location(0), "archive",
				"gzip stream: data after the last compressed member is not gzip; ignored (as gzip -d does)")
		}}
	default:
		dr = bzip2.NewReader(in)
	}
	child := it.layer()
	g := newGuard(dr, in, s.limits.MaxRatio, it.budget, what)
	cst, err := openStream(g, -1)
	if err != nil {
		s.fail(child, 0, err)
		return nil
	}
	return s.dispatch(child, cst)
}

// gzipMembers reads every member of a gzip file one after the other, as
// gzip -d does, and ends quietly (calling trailing) at data after the last
// member that is not a gzip header: tape and disk images pad files with
// zeros. compress/gzip would fail there instead.
type gzipMembers struct {
	zr       *gzip.Reader
	src      *bufio.Reader // zr's input, so that Reset loses no buffered byte
	trailing func()
	done     bool
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	if g.done {
		return 0, io.EOF
	}
	g.zr.Multistream(false)
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		// End of one member: the end, another member, or trailing data.
		magic, perr := g.src.Peek(2)
		switch {
		case len(magic) == 0 && perr == io.EOF:
			g.done = true
			return n, io.EOF
		case len(magic) == 0:
			return n, perr
		case len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b:
			g.done = true
			g.trailing()
			return n, io.EOF
		}
		if err := g.zr.Reset(g.src); err != nil {
			return n, err
		}
		g.zr.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}
