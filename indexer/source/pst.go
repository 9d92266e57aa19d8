package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
)

// pstMissing is the detail of the problem reported when readpst is missing.
const pstMissing = `readpst not found: install it with "apt-get install pst-utils"`

// pst converts an Outlook PST/OST file with readpst into a temporary tree
// of one-message files, reads that tree, and removes it. A PST found
// inside an archive is first copied to a temporary file. A PST is one
// mailbox: like an mbox, its name (without extension) is a folder, or the
// custodian when it is given directly as a PATH.
func (s *walk) pst(it *item, st *stream) error {
	bin := s.opts.Readpst
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("readpst"); err != nil {
			s.report(leakscope.ProblemFailure, it.location(0), "pst", pstMissing)
			return nil
		}
	} else if _, err := os.Stat(bin); err != nil {
		s.report(leakscope.ProblemFailure, it.location(0), "pst", pstMissing+fmt.Sprintf(" (%s: %v)", bin, err))
		return nil
	}
	tmp := s.opts.TempDir
	if tmp == "" {
		tmp = os.TempDir()
	}
	path := ""
	if st.file != nil {
		path = st.file.Name()
	} else {
		f, err := os.CreateTemp(tmp, "leakscope-*.pst")
		if err != nil {
			s.report(leakscope.ProblemFailure, it.location(0), "pst", fmt.Sprintf("copy PST to a temporary file: %v", err))
			return nil
		}
		defer os.Remove(f.Name())
		_, err = io.Copy(f, st.r)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = asStreamError(cerr, "pst", "copy PST to a temporary file")
		}
		if err != nil {
			s.fail(it, 0, err)
			return nil
		}
		path = f.Name()
	}
	out, err := os.MkdirTemp(tmp, "leakscope-pst-")
	if err != nil {
		s.report(leakscope.ProblemFailure, it.location(0), "pst", fmt.Sprintf("make a directory for readpst: %v", err))
		return nil
	}
	defer os.RemoveAll(out)

	s.log.Info("convert PST with readpst", "path", it.location(0))
	var output tail
	cmd := exec.CommandContext(s.ctx, bin, "-e", "-D", "-8", "-o", out, path)
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		if aerr := s.alive(); aerr != nil {
			return aerr
		}
		s.report(leakscope.ProblemFailure, it.location(0), "pst",
			fmt.Sprintf("readpst failed (%v): %s", err, strings.TrimSpace(output.String())))
		return nil
	}
	return s.pstTree(it, it.keptComps(), out, "")
}

// pstTree reads the files readpst wrote under root/rel, in sorted order,
// as members of the PST item it.
func (s *walk) pstTree(it *item, base []string, root, rel string) error {
	dir := filepath.Join(root, filepath.FromSlash(rel))
	entries, err := os.ReadDir(dir)
	if err != nil {
		s.report(leakscope.ProblemFailure, it.location(0), "pst", fmt.Sprintf("read readpst output: %v", err))
	}
	for _, e := range entries {
		if err := s.alive(); err != nil {
			return err
		}
		name := e.Name()
		if rel != "" {
			name = rel + "/" + name
		}
		switch {
		case e.IsDir():
			if err := s.pstTree(it, base, root, name); err != nil {
				return err
			}
		case e.Type().IsRegular():
			child := it.memberItem(base, name)
			child.converted = true
			if err := s.pstFile(child, filepath.Join(root, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	return nil
}

// pstFile reads one file written by readpst.
func (s *walk) pstFile(it *item, path string) error {
	f, err := os.Open(path)
	if err != nil {
		s.report(leakscope.ProblemFailure, it.location(0), "pst", fmt.Sprintf("read readpst output: %v", err))
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.report(leakscope.ProblemFailure, it.location(0), "pst", fmt.Sprintf("read readpst output: %v", err))
		return nil
	}
	return s.contain(it, func() error { return s.diskFile(it, f, fi.Size(), nil) })
}

// tail keeps the last bytes written to it (a program's output).
type tail struct{ b []byte }

const tailSize = 2 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailSize {
		t.b = append(t.b[:0], t.b[len(t.b)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(bytes.ToValidUTF8(t.b, []byte("?"))) }
