package detect

import (
	"bufio"
	"io"
	"io/fs"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// enronDir returns the Enron maildir of the shared corpus, skipping the
// test when it is absent (failing when LEAKSCOPE_REQUIRE_CORPUS=1).
func enronDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "enron", "maildir")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("Enron corpus not found at %s: %v", dir, err)
		}
		t.Skipf("Enron corpus not found at %s; set LEAKSCOPE_REQUIRE_CORPUS=1 to require it", dir)
	}
	return dir
}

// enronMessage reads one raw Enron file: the subject and the body as the
// labels' offsets count it (the bytes after the header, decoded from
// quoted-printable when the top-level header says so).
func enronMessage(path string) (subject, body string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		return "", "", err
	}
	var r io.Reader = m.Body
	if strings.EqualFold(strings.TrimSpace(m.Header.Get("Content-Transfer-Encoding")), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	return m.Header.Get("Subject"), string(b), err
}

// enronCases loads a hand-labelled Enron sample (testdata/enron_labels.tsv,
// testdata/enron_heldout.tsv).
func enronCases(t *testing.T, labels string) []evalCase {
	t.Helper()
	dir := enronDir(t)
	f, err := os.Open(filepath.Join("testdata", labels))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byPath := map[string]*evalCase{}
	var order []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 4 {
			t.Fatalf("%s:%d: want 4 fields, got %d", labels, line, len(fields))
		}
		start, err1 := strconv.Atoi(fields[2])
		end, err2 := strconv.Atoi(fields[3])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s:%d: bad offsets", labels, line)
		}
		c := byPath[fields[0]]
		if c == nil {
			_, body, err := enronMessage(filepath.Join(dir, filepath.FromSlash(fields[0])))
			if err != nil {
				t.Fatalf("%s:%d: %v", labels, line, err)
			}
			c = &evalCase{name: fields[0], text: &leakscope.Text{Body: body}}
			byPath[fields[0]] = c
			order = append(order, fields[0])
		}
		if fields[1] == "-" {
			continue
		}
		if end > len(c.text.Body) || start < 0 || start >= end {
			t.Fatalf("%s:%d: offsets %d-%d outside the body (%d bytes): has the corpus changed?", labels, line, start, end, len(c.text.Body))
		}
		c.labels = append(c.labels, label{category: fields[1], where: WhereBody, start: start, end: end})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	cases := make([]evalCase, 0, len(order))
	for _, p := range order {
		cases = append(cases, *byPath[p])
	}
	return cases
}

// TestEnronCorpusReport runs the detector over the whole Enron subset and
// logs, per category, how many messages were flagged and the most
// confident findings (redacted snippets), for a human to read with -v.
func TestEnronCorpusReport(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-corpus report skipped with -short")
	}
	dir := enronDir(t)
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	type shown struct {
		conf float64
		line string
	}
	top := map[string][]shown{}
	messages, flagged := 0, map[string]int{}
	err = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		subject, body, err := enronMessage(path)
		if err != nil {
			return nil // a few files are not messages; the indexer's tests cover them
		}
		messages++
		rel, _ := filepath.Rel(dir, path)
		seen := map[string]bool{}
		for _, f := range d.Scan(&leakscope.Message{Subject: subject}, &leakscope.Text{Body: body}) {
			if !seen[f.Category] {
				seen[f.Category] = true
				flagged[f.Category]++
			}
			top[f.Category] = append(top[f.Category], shown{f.Confidence, rel + " " + f.Rule + ": " + f.Snippet})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if messages < 30000 {
		t.Errorf("read %d messages, want the whole subset (34,496)", messages)
	}
	cats := append([]string(nil), Categories...)
	sort.Strings(cats)
	for _, c := range cats {
		list := top[c]
		sort.SliceStable(list, func(i, j int) bool { return list[i].conf > list[j].conf })
		t.Logf("%s: %d messages flagged, %d findings", c, flagged[c], len(list))
		// The most confident findings, then a spread over the rest: what a
		// reviewer would see first, and what the bulk looks like.
		for i := 0; i < len(list) && i < 10; i++ {
			t.Logf("  top %.2f %s", list[i].conf, list[i].line)
		}
		if rest := len(list) - 10; rest > 0 {
			step := max(rest/15, 1)
			for i := 10; i < len(list); i += step {
				t.Logf("  any %.2f %s", list[i].conf, list[i].line)
			}
		}
	}
}
