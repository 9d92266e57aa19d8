package mailgen

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Write writes the company under dir (which it creates):
//
//	dir/people.csv                    the people directory
//	dir/archive/MAILBOX/FOLDER/       the reference archive, maildirs
//	dir/leak/wave-1/hale-v/FOLDER/    maildirs
//	dir/leak/wave-1/sato-m/FOLDER.mbox
//	dir/leak/wave-1/castellano-r.zip  FOLDER.mbox inside
//	dir/leak/wave-2/marsh-e/FOLDER/   maildirs
//	dir/leak/wave-2/brandt-j/FOLDER.mbox
//	dir/leak/wave-2/quaye-h.zip       FOLDER/cur/... maildirs inside
//	dir/leak/wave-2/nakamura-o/FOLDER.mbox
//	dir/leak/wave-2/hale-v/sent.mbox  wave-1 mail published again
//
// FOLDER is inbox or sent. Messages have LF line endings. Files written
// before are replaced; Write does not remove other files.
func (c *Company) Write(dir string) (*CompanyLeak, error) {
	g := c.generate()
	raws := map[*cmsg][]byte{}
	raw := func(m *cmsg) []byte {
		if b, ok := raws[m]; ok {
			return b
		}
		raws[m] = renderCompany(m)
		return raws[m]
	}
	l := g.layout()
	out := &l.out
	out.Dir = dir
	out.People = filepath.Join(dir, "people.csv")
	out.Archive = filepath.Join(dir, "archive")
	out.Domains = []string{c.domain}
	out.Counsel = c.Counsel()
	out.Exposed = c.Exposed()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write company: %w", err)
	}
	if err := c.writePeople(out.People); err != nil {
		return nil, err
	}
	files := &fileSet{}
	for _, e := range c.executives() {
		out.Mailboxes = append(out.Mailboxes, e.Mailbox)
		writeMaildirs(files, filepath.Join(out.Archive, e.Mailbox), l.archive[e.Mailbox], raw)
	}
	seen := map[string]bool{}
	for _, w := range waveLayout {
		wave := Wave{Label: w.label, Published: w.published, Path: filepath.Join(dir, "leak", w.label)}
		ids := map[string]bool{}
		for _, b := range w.boxes {
			wave.Mailboxes = append(wave.Mailboxes, b.mbox)
			f := l.leak[b.mbox]
			if err := writeMailbox(files, wave.Path, b, f, raw); err != nil {
				return nil, err
			}
			for _, list := range f {
				for _, m := range list {
					ids[m.messageID] = true
					for _, p := range m.plants {
						if !slices.Contains(out.Planted, p) {
							out.Planted = append(out.Planted, p)
						}
					}
				}
			}
		}
		if w.label == "wave-2" {
			files.add(filepath.Join(wave.Path, "hale-v", "sent.mbox"), mbox(l.resent, raw))
			for _, m := range l.resent {
				ids[m.messageID] = true
			}
		}
		wave.Messages = len(ids)
		for id := range ids {
			if !seen[id] {
				wave.New++
				seen[id] = true
			}
		}
		out.Waves = append(out.Waves, wave)
	}
	if err := files.write(); err != nil {
		return nil, err
	}
	return out, nil
}

// writePeople writes the directory as `leakscope org --people` reads it.
func (c *Company) writePeople(path string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"name", "addresses", "department", "title", "vip"})
	for _, p := range c.people {
		addrs := p.Email
		if p.Personal != "" {
			addrs += ";" + p.Personal
		}
		vip := ""
		if p.VIP {
			vip = "yes"
		}
		w.Write([]string{p.Name, addrs, p.Department, p.Title, vip})
	}
	w.Flush()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write people: %w", err)
	}
	return nil
}

// writeMailbox writes one leaked mailbox in its wave's format.
func writeMailbox(files *fileSet, waveDir string, b waveBox, f boxFolders, raw func(*cmsg) []byte) error {
	switch b.format {
	case fmtMaildir:
		writeMaildirs(files, filepath.Join(waveDir, b.mbox), f, raw)
		return nil
	case fmtMbox:
		for _, name := range sortedKeys(f) {
			files.add(filepath.Join(waveDir, b.mbox, name+".mbox"), mbox(f[name], raw))
		}
		return nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: wave1Published})
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}
	for _, name := range sortedKeys(f) {
		if b.format == fmtZipMbox {
			if err := add(name+".mbox", mbox(f[name], raw)); err != nil {
				return fmt.Errorf("write %s: %w", b.mbox, err)
			}
			continue
		}
		for i, m := range f[name] {
			if err := add(name+"/cur/"+maildirName(m, i), raw(m)); err != nil {
				return fmt.Errorf("write %s: %w", b.mbox, err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", b.mbox, err)
	}
	files.add(filepath.Join(waveDir, b.mbox+".zip"), buf.Bytes())
	return nil
}

// writeMaildirs adds each folder as a maildir under dir: its messages in
// cur/, and empty new/ and tmp/.
func writeMaildirs(files *fileSet, dir string, f boxFolders, raw func(*cmsg) []byte) {
	for name, list := range f {
		for _, sub := range []string{"new", "tmp"} {
			files.dir(filepath.Join(dir, name, sub))
		}
		for i, m := range list {
			files.add(filepath.Join(dir, name, "cur", maildirName(m, i)), raw(m))
		}
	}
}

// maildirName is a maildir file name: time, a unique part, and the Seen
// flag.
func maildirName(m *cmsg, i int) string {
	return fmt.Sprintf("%d.M%dP%d.nwp-mail01:2,S", m.date.Unix(), m.seq, i)
}

// mbox writes messages in the mboxrd format: a From_ line before each,
// ">" added to body lines that start with ">*From ".
func mbox(list []*cmsg, raw func(*cmsg) []byte) []byte {
	var b bytes.Buffer
	for _, m := range list {
		fmt.Fprintf(&b, "From %s %s\n", m.from.email, m.date.UTC().Format(time.ANSIC))
		for _, line := range strings.SplitAfter(string(raw(m)), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
				b.WriteByte('>')
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// fileSet collects the files to write, so that they are written by
// several goroutines at once (creating thousands of small files is what
// Write spends its time on).
type fileSet struct {
	paths []string
	data  [][]byte
	dirs  []string // empty directories
}

func (fs *fileSet) dir(path string) { fs.dirs = append(fs.dirs, path) }

func (fs *fileSet) add(path string, data []byte) {
	fs.paths = append(fs.paths, path)
	fs.data = append(fs.data, data)
}

// write writes the files, creating their directories.
func (fs *fileSet) write() error {
	dirs := map[string]bool{}
	for _, d := range fs.dirs {
		dirs[d] = true
	}
	for _, p := range fs.paths {
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("write company: %w", err)
		}
	}
	errs := make([]error, len(fs.paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(fs.paths); i = int(next.Add(1) - 1) {
				if err := os.WriteFile(fs.paths[i], fs.data[i], 0o644); err != nil {
					errs[i] = fmt.Errorf("write %s: %w", fs.paths[i], err)
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func sortedKeys(f boxFolders) []string {
	var out []string
	for k := range f {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
