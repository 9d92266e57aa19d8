package source

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"

	"github.com/leakscope/leakscope"
)

// tar reads the members of a tar archive in archive order, streaming.
func (s *walk) tar(it *item, st *stream) error {
	if !s.deeper(it, "tar archive") {
		return nil
	}
	tr := tar.NewReader(st.r)
	base := it.archiveComps()
	last := ""
	for {
		if err := s.alive(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			what := "tar archive"
			if last != "" {
				what = fmt.Sprintf("tar archive after member %q", last)
			}
			s.fail(it, 0, asStreamError(err, "archive", what))
			return nil
		}
		last = hdr.Name
		switch hdr.Typeflag {
		case tar.TypeReg, '\x00', tar.TypeGNUSparse, tar.TypeCont:
		case tar.TypeSymlink, tar.TypeLink:
			child := s.member(it, base, hdr.Name)
			s.report(leakscope.ProblemSkipped, child.location(0), "unsupported", "link in archive, not followed")
			continue
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			child := s.member(it, base, hdr.Name)
			s.report(leakscope.ProblemSkipped, child.location(0), "unsupported", "special file in archive")
			continue
		default: // directories, extended and global headers, volume labels
			continue
		}
		child := s.member(it, base, hdr.Name)
		cst, err := openStream(tr, hdr.Size)
		if err != nil {
			s.fail(child, 0, asStreamError(err, "archive", "tar member"))
			continue
		}
		if err := s.dispatch(child, cst); err != nil {
			return err
		}
	}
}
