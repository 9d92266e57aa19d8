package source

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// zip reads the members of a zip archive in name order. zip needs random
// access: a file on disk is read in place, anything else is held in memory
// up to MaxBufferedBytes.
func (s *walk) zip(it *item, st *stream) error {
	if !s.deeper(it, "zip archive") {
		return nil
	}
	var ra io.ReaderAt
	size := st.size
	switch {
	case st.data != nil:
		ra, size = bytes.NewReader(st.data), int64(len(st.data))
	case st.file != nil:
		ra = &diskReaderAt{f: st.file, p: st.prog}
	default:
		max := s.limits.MaxBufferedBytes
		data, err := io.ReadAll(io.LimitReader(st.r, max+1))
		if err != nil {
			s.fail(it, 0, err)
			return nil
		}
		if int64(len(data)) > max {
			s.report(leakscope.ProblemFailure, it.location(0), "too_large",
				fmt.Sprintf("nested zip archive larger than MaxBufferedBytes (%d)", max))
			return nil
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		s.fail(it, 0, asStreamError(err, "archive", "zip archive"))
		return nil
	}
	files := slices.Clone(zr.File)
	slices.SortStableFunc(files, func(a, b *zip.File) int { return cmp.Compare(a.Name, b.Name) })
	base := it.archiveComps()
	for _, f := range files {
		if err := s.alive(); err != nil {
			return err
		}
		if strings.HasSuffix(f.Name, "/") || f.Mode().IsDir() {
			continue
		}
		child := s.member(it, base, f.Name)
		switch {
		case f.Mode()&fs.ModeSymlink != 0:
			s.report(leakscope.ProblemSkipped, child.location(0), "unsupported", "symbolic link in archive, not followed")
			continue
		case f.Flags&0x1 != 0:
			s.report(leakscope.ProblemFailure, child.location(0), "archive", "encrypted zip member (password protected), not read")
			continue
		}
		if err := s.zipMember(child, f); err != nil {
			return err
		}
	}
	return nil
}

// zipMember reads one zip member, decompressing it here so that the
// compressed bytes consumed are counted for the ratio check.
func (s *walk) zipMember(it *item, f *zip.File) error {
	raw, err := f.OpenRaw()
	if err != nil {
		s.fail(it, 0, asStreamError(err, "archive", "zip member"))
		return nil
	}
	in := &countReader{r: raw}
	var dr io.Reader
	switch f.Method {
	case zip.Store:
		dr = in
	case zip.Deflate:
		fr := flate.NewReader(in)
		defer fr.Close()
		dr = fr
	default:
		s.report(leakscope.ProblemFailure, it.location(0), "archive",
			fmt.Sprintf("zip member uses compression method %d, which is not supported (only store and deflate)", f.Method))
		return nil
	}
	g := newGuard(dr, in, s.limits.MaxRatio, it.budget, "zip member")
	if f.CRC32 != 0 {
		g.checkCRC(f.CRC32)
	}
	hint := int64(-1)
	if f.UncompressedSize64 <= smallInput {
		hint = int64(f.UncompressedSize64)
	}
	st, err := openStream(g, hint)
	if err != nil {
		s.fail(it, 0, err)
		return nil
	}
	return s.dispatch(it, st)
}

// member returns the item of the archive member name of it, whose logical
// path is base, reporting a name that tries to leave the archive.
func (s *walk) member(it *item, base []string, name string) *item {
	clean, traversal := neutralise(name)
	child := it.memberItem(base, clean)
	if traversal {
		s.report(leakscope.ProblemWarning, child.location(0), "path_traversal",
			fmt.Sprintf("member name %q leaves the archive; read as %q", name, clean))
	}
	return child
}

// neutralise turns an archive member name into a relative slash path
// without "." or ".." components (backslashes count as slashes).
// traversal says whether the name was absolute or went up with "..".
func neutralise(name string) (clean string, traversal bool) {
	n := strings.ReplaceAll(name, "\\", "/")
	if len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z') {
		n, traversal = n[2:], true // a Windows drive letter
	}
	if strings.HasPrefix(n, "/") {
		traversal = true
	}
	var parts []string
	for _, p := range strings.Split(n, "/") {
		switch p {
		case "", ".":
		case "..":
			traversal = true
		default:
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "unnamed", traversal
	}
	return strings.Join(parts, "/"), traversal
}
