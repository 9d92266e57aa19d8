package acceptance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFolders are the top folders of ../shared/corpus indexed after the
// Enron maildir, each as its own run and leak.
var corpusFolders = []string{"notmuch", "mu", "mime-oddities", "mbox", "pst"}

// pstMessages is how many messages readpst extracts from pst/outlook.pst
// (SOURCES.md: `readpst -e -D -8` gives Inbox/1.eml and
// Recovered_Group2/2.eml).
const pstMessages = 2

// corpusFile is one file of the corpus as the counting reader sees it.
type corpusFile struct {
	path     string
	kind     fileKind
	messages [][]byte // top-level messages
	attached int      // message/rfc822 parts in them, at any depth
	inTmp    string   // the maildir tmp/ directory holding the file, if any
}

// folderExpectation is what indexing one top folder should do.
type folderExpectation struct {
	files    []*corpusFile
	top      int // top-level messages
	attached int
	keys     map[string]int // messageKey -> copies, for the unique count
}

// expectFolder reads every file under root.
func expectFolder(t *testing.T, root string, readpst bool) *folderExpectation {
	t.Helper()
	e := &folderExpectation{keys: map[string]int{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := readCorpusFile(b)
		f.path, f.inTmp = p, maildirTmp(p)
		if f.inTmp == "" {
			for _, m := range f.messages {
				e.keys[messageKey(m)]++
				for _, a := range attachedMessages(m) {
					e.keys[messageKey(a)]++
				}
			}
			e.top += len(f.messages)
			e.attached += f.attached
			if f.kind == kindPST && readpst {
				e.top += pstMessages
			}
		}
		e.files = append(e.files, f)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	return e
}

// maildirTmp returns the tmp/ directory of a maildir holding p (a directory
// named tmp next to cur/ or new/), or "". Maildir readers do not read tmp/:
// it holds messages still being delivered.
func maildirTmp(p string) string {
	for dir := filepath.Dir(p); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if filepath.Base(dir) != "tmp" {
			continue
		}
		parent := filepath.Dir(dir)
		for _, sib := range []string{"cur", "new"} {
			if fi, err := os.Stat(filepath.Join(parent, sib)); err == nil && fi.IsDir() {
				return dir
			}
		}
	}
	return ""
}

// messageKey approximates the product's identity of a message (documented in
// leakscope.MessageKey: Message-ID plus a fingerprint of sender, Date,
// subject and body) with raw header values and the raw body, white space
// collapsed and mbox ">From " escapes undone.
func messageKey(m []byte) string {
	header, body := splitEntity(m)
	var mid, from, date, subject string
	for _, f := range header {
		switch strings.ToLower(f.name) {
		case "message-id":
			if mid == "" {
				mid = normalizeID(f.value)
			}
		case "from":
			from = strings.ToLower(strings.TrimSpace(f.value))
		case "date":
			date = strings.TrimSpace(f.value)
		case "subject":
			subject = strings.TrimSpace(f.value)
		}
	}
	h := sha256.New()
	for _, s := range []string{from, date, subject} {
		io.WriteString(h, strings.Join(strings.Fields(s), " "))
		h.Write([]byte{0})
	}
	for _, w := range strings.Fields(string(body)) {
		io.WriteString(h, strings.TrimLeft(w, ">"))
		h.Write([]byte{' '})
	}
	return mid + " " + hex.EncodeToString(h.Sum(nil))[:16]
}

// normalizeID returns the id inside the first <...> of a Message-ID value (or
// the whole value), lower-cased, without white space.
func normalizeID(v string) string {
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			v = v[i+1 : i+j]
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(v), ""))
}

// TestCorpusIngest indexes every top folder of the corpus into one data
// directory (a copy of the shared Enron one, so that copies found in several
// folders collapse as in real use) and checks that each run exits 0 without a
// panic and that every file and every message is accounted for: indexed, or
// listed by `leakscope report` with a reason.
func TestCorpusIngest(t *testing.T) {
	corpus := corpusDir(t)
	enron, enronSummary := enronData(t)
	data := filepath.Join(workDir, "corpus-data")
	copyTree(t, enron, data)
	_, err := exec.LookPath("readpst")
	readpst := err == nil
	if !readpst {
		t.Logf("readpst is not installed: the PST must be listed in the report instead")
	}

	var table strings.Builder
	fmt.Fprintf(&table, "%-14s %6s %6s %6s %6s %8s %6s %8s %6s %6s %6s %6s\n",
		"folder", "files", "mail", "skip", "tmp", "messages", "attach", "counted", "new", "dups", "fail", "warn")
	wantTotal := enronSummary.Counts.New
	allKeys := map[string]int{}
	for _, f := range corpusFolders {
		root := filepath.Join(corpus, f)
		e := expectFolder(t, root, readpst)
		for k, n := range e.keys {
			allKeys[k] += n
		}
		s, _ := index(t, data, f, root)
		rep := getReport(t, data)
		var problems []problem
		for _, p := range rep.Problems {
			if p.Run == s.Run {
				problems = append(problems, p)
			}
		}
		t.Run(f, func(t *testing.T) {
			checkFolder(t, data, e, s, problems, readpst)
		})
		wantTotal += s.Counts.New
		mail, skip, tmp := 0, 0, 0
		for _, cf := range e.files {
			switch {
			case cf.inTmp != "":
				tmp++
			case cf.kind == kindEmpty || cf.kind == kindNotMail:
				skip++
			default:
				mail++
			}
		}
		c := s.Counts
		fmt.Fprintf(&table, "%-14s %6d %6d %6d %6d %8d %6d %8d %6d %6d %6d %6d\n",
			f, len(e.files), mail, skip, tmp, e.top+e.attached, e.attached, c.Messages, c.New, c.Duplicates, c.Failures, c.Warnings)
	}
	t.Logf("ingest of ../shared/corpus (files: all files; mail: files read as mail; skip: empty or not mail; "+
		"tmp: in maildir tmp/; messages: counted here, attached included; counted: the run's count):\n%s", table.String())

	got := searchTotal(t, data, "*")
	if got != wantTotal {
		t.Errorf("search '*' total = %d, want %d: the Enron run's new messages plus each folder's", got, wantTotal)
	}
	// The counting reader's own bounds on the unique messages. The product
	// identifies a message by its Message-ID and a fingerprint of its
	// decoded sender, Date, subject, body and attachments
	// (leakscope.MessageKey). Decoding is out of reach of a small reader,
	// so the count is bounded instead of matched: at least the distinct
	// Message-IDs (messages with different ids are never one message), at
	// most the distinct raw keys (copies differing only in transfer
	// encoding, line endings or folding are one message to the product but
	// two raw keys: enmime ships such variants of one test message).
	o := loadOracle(t)
	for _, m := range o.messages {
		allKeys[m.key]++
	}
	ids := map[string]bool{}
	for k := range allKeys {
		if id, _, _ := strings.Cut(k, " "); id != "" {
			ids[id] = true
		}
	}
	t.Logf("unique messages: search '*' %d (sum of the runs' new %d); distinct Message-IDs %d, distinct raw keys %d",
		got, wantTotal, len(ids), len(allKeys))
	if got < len(ids) || got > len(allKeys) {
		t.Errorf("search '*' total = %d, want between %d (distinct Message-IDs) and %d (distinct raw keys)", got, len(ids), len(allKeys))
	}

	t.Run("oddities", func(t *testing.T) { checkOddities(t, data) })
}

// copyTree copies the directory tree src to dst (a data directory no process
// holds open).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// TestPSTRerunAddsNothing: readpst draws MIME boundaries at random, so the
// bytes of a converted message differ from one run to the next; indexing a
// PST again must still add nothing (its copies are keyed by place).
func TestPSTRerunAddsNothing(t *testing.T) {
	requireTool(t, "readpst")
	pst := filepath.Join(corpusDir(t), "pst")
	data := filepath.Join(t.TempDir(), "data")
	first, _ := index(t, data, "pst", pst)
	if first.Counts.Copies == 0 {
		t.Fatalf("first run of %s recorded no copy: %+v", pst, first.Counts)
	}
	for i := range 2 {
		again, _ := index(t, data, "pst", pst)
		if again.Counts.Copies != 0 || again.Counts.New != 0 || again.Counts.Known != first.Counts.Copies {
			t.Errorf("run %d of the same PST: %+v, want every copy known and nothing added", i+2, again.Counts)
		}
	}
}
