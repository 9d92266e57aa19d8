package source

import (
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
		zr, err := gzip.NewReader(in)
		if err != nil {
			s.fail(it, 0, asStreamError(err, "archive", what))
			return nil
		}
		defer zr.Close()
		dr = zr
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
