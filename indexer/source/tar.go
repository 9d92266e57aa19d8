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
	var mr *tarMember // the member read last
	for {
		if err := s.alive(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			if mr != nil && mr.err != nil && mr.err.reported {
				return nil // the archive broke inside that member: reported there
			}
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
		mr = &tarMember{r: tr}
		cst, err := openStream(mr, hdr.Size)
		if err != nil {
			s.fail(child, 0, asStreamError(err, "archive", "tar member"))
			continue
		}
		if err := s.dispatch(child, cst); err != nil {
			return err
		}
	}
}

// tarMember reads one tar member: an error of the archive while it is read
// (a truncated or corrupt tar stream) becomes an "archive" stream error,
// reported once by whoever reads the member.
type tarMember struct {
	r   io.Reader
	err *streamError
}

func (m *tarMember) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		m.err = asStreamError(err, "archive", "tar member")
		return n, m.err
	}
	return n, err
}
