package source

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/leakscope/leakscope"
)

// dir walks a directory in sorted name order. comps is the logical path of
// the directory. Symbolic links are not followed. In a maildir (a
// directory with cur/ or new/) cur/ and new/ add no folder, tmp/ is not
// read, and a Maildir++ folder ".Name" is the folder Name.
func (s *walk) dir(path string, comps []string) error {
	entries, err := os.ReadDir(path)
	if err != nil {
		// ReadDir returns what it read before the error: read those too.
		s.report(leakscope.ProblemFailure, path, "read", err.Error())
	}
	maildir := isMaildir(entries)
	if n := len(comps); maildir && n > 0 && isMaildirPlusPlus(comps[n-1]) {
		comps = append(clip(comps[:n-1]), maildirPlusPlus(comps[n-1])...)
	}
	for _, e := range entries {
		if err := s.alive(); err != nil {
			return err
		}
		name := e.Name()
		full := path + string(os.PathSeparator) + name
		var err error
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			s.report(leakscope.ProblemSkipped, full, "unsupported", "symbolic link, not followed")
		case e.IsDir() && maildir && name == "tmp":
			s.skipTmp(full)
		case e.IsDir() && maildir && (name == "cur" || name == "new"):
			err = s.dir(full, comps)
		case e.IsDir():
			err = s.dir(full, append(clip(comps), name))
		case e.Type().IsRegular():
			err = s.file(&item{source: full, comps: append(clip(comps), name), name: name})
		default:
			s.report(leakscope.ProblemSkipped, full, "unsupported", "special file (device, pipe or socket)")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isMaildir reports whether a directory with these entries is a maildir:
// it has a cur or new subdirectory.
func isMaildir(entries []os.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() && (e.Name() == "cur" || e.Name() == "new") {
			return true
		}
	}
	return false
}

// skipTmp reports a maildir tmp/ directory that holds files: messages
// there are still being delivered and are not read.
func (s *walk) skipTmp(path string) {
	n := 0
	countFiles(path, func(string, int64) { n++ })
	if n > 0 {
		s.report(leakscope.ProblemSkipped, path, "unsupported",
			fmt.Sprintf("maildir tmp/ directory (messages being delivered) not read: %d files", n))
	}
}

// countFiles calls fn for every regular file under path, not following
// symbolic links and skipping maildir tmp/ directories below path. It
// returns the first error met, after counting everything it could read.
func countFiles(path string, fn func(path string, size int64)) error {
	entries, err := os.ReadDir(path)
	maildir := isMaildir(entries)
	for _, e := range entries {
		full := path + string(os.PathSeparator) + e.Name()
		switch {
		case e.Type()&fs.ModeSymlink != 0:
		case e.IsDir() && maildir && e.Name() == "tmp":
		case e.IsDir():
			if cerr := countFiles(full, fn); cerr != nil && err == nil {
				err = cerr
			}
		case e.Type().IsRegular():
			fi, ierr := e.Info()
			if ierr != nil {
				if err == nil {
					err = ierr
				}
				continue
			}
			fn(full, fi.Size())
		}
	}
	return err
}
