package parse

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// corpusDir returns the shared test corpus (../shared/corpus from the
// repository root), skipping the test when it is absent unless
// LEAKSCOPE_REQUIRE_CORPUS=1.
func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("corpus %s: %v", dir, err)
		}
		t.Skipf("corpus %s not found (set LEAKSCOPE_REQUIRE_CORPUS=1 to require it)", dir)
	}
	return dir
}

// corpusFiles lists the message files under dir, leaving out expected
// outputs and licence files.
func corpusFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		base := strings.ToUpper(d.Name())
		switch {
		case strings.HasSuffix(base, ".GOLDEN"), strings.HasPrefix(base, "LICENSE"),
			strings.HasPrefix(base, "COPYING"), strings.HasPrefix(base, "README"),
			strings.HasPrefix(base, "MIT-LICENSE"):
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	sort.Strings(out)
	return out
}

// corpusSets are the parts of the shared corpus read one message per file.
var corpusSets = []string{"enron/maildir", "mime-oddities", "notmuch/corpora", "mu/testdata"}

// corpusStats sums what parsing a set of the corpus yields.
type corpusStats struct {
	Files, Rejected, Attached int
	BodyBytes, BodyWords      int
	AttTextBytes, AttWords    int
	Attachments               int
	NoDate, NoFromDomain      int
	Warnings                  map[string]int
}

func (s *corpusStats) add(p *Parsed, top bool) {
	if !top {
		s.Attached++
	}
	s.BodyBytes += len(p.Text.Body)
	s.BodyWords += len(strings.Fields(p.Text.Body))
	for _, a := range p.Text.Attachments {
		s.AttTextBytes += len(a.Text)
		s.AttWords += len(strings.Fields(a.Text))
	}
	s.Attachments += len(p.Message.Attachments)
	if top && p.Message.Date.IsZero() {
		s.NoDate++
	}
	if top && p.Message.From.Domain() == "" {
		s.NoFromDomain++
	}
	for _, w := range p.Message.Warnings {
		s.Warnings[w.Code]++
	}
	for _, c := range p.Attached {
		s.add(c, false)
	}
}

func (s *corpusStats) String() string {
	keys := make([]string, 0, len(s.Warnings))
	for k := range s.Warnings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "files %d rejected %d attached %d\n", s.Files, s.Rejected, s.Attached)
	fmt.Fprintf(&b, "body bytes %d words %d\n", s.BodyBytes, s.BodyWords)
	fmt.Fprintf(&b, "attachments %d text bytes %d words %d\n", s.Attachments, s.AttTextBytes, s.AttWords)
	fmt.Fprintf(&b, "no date %d no from domain %d\n", s.NoDate, s.NoFromDomain)
	b.WriteString("warnings")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, s.Warnings[k])
	}
	b.WriteString("\n")
	return b.String()
}

// checkParsed asserts the properties every parsed message has.
func checkParsed(t testing.TB, name string, p *Parsed) {
	t.Helper()
	if err := checkProperties(p, Limits{}.withDefaults()); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// TestCorpus parses every message of the shared corpus, checks the
// properties of each and compares the totals (messages, text, attachments,
// warnings by code) with testdata/corpus.golden, so that a change that
// loses text or adds warnings is noticed; -update rewrites the golden file.
// The totals are counts only: no corpus content is kept in the tree.
//
// With LEAKSCOPE_PARSE_BASELINE=file, every message's summary is also
// compared with the one stored in file (written when file does not exist),
// naming each message that lost words; keep such files outside the tree.
func TestCorpus(t *testing.T) {
	var golden strings.Builder
	var summaries []msgSummary
	for _, set := range corpusSets {
		dir := corpusDir(t, set)
		st := &corpusStats{Warnings: map[string]int{}}
		for _, f := range corpusFiles(t, dir) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, f)
			rel = set + "/" + filepath.ToSlash(rel)
			st.Files++
			p, err := Parse(raw, "", Options{})
			if err != nil {
				st.Rejected++
				summaries = append(summaries, msgSummary{Key: rel, Rejected: true})
				continue
			}
			checkParsed(t, rel, p)
			st.add(p, true)
			summaries = appendSummaries(summaries, rel, p)
		}
		t.Logf("%s:\n%s", set, st)
		fmt.Fprintf(&golden, "[%s]\n%s", set, st)
		if set == "enron/maildir" {
			if bad := max(st.NoDate, st.NoFromDomain); float64(bad) > 0.001*float64(st.Files) {
				t.Errorf("%d of %d Enron messages lack a date and %d a From domain, want at most 0.1%%", st.NoDate, st.Files, st.NoFromDomain)
			}
		}
	}
	compareGolden(t, filepath.Join("testdata", "corpus.golden"), golden.String())
	if path := os.Getenv("LEAKSCOPE_PARSE_BASELINE"); path != "" {
		compareBaseline(t, path, summaries)
	}
}

// compareGolden compares got with the golden file at path, rewriting it
// with -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("read golden file (run with -update to create it): %v", err)
		return
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// msgSummary is what the baseline keeps of one parsed message.
type msgSummary struct {
	Key         string         `json:"k"`
	Rejected    bool           `json:"r,omitempty"`
	Words       map[string]int `json:"w,omitempty"` // body and attachment text words
	BodyBytes   int            `json:"b,omitempty"`
	Attachments int            `json:"a,omitempty"`
	From        string         `json:"f,omitempty"`
	Date        string         `json:"d,omitempty"`
	Subject     string         `json:"s,omitempty"`
	Hash        string         `json:"h,omitempty"`
	Warnings    []string       `json:"x,omitempty"`
}

func appendSummaries(out []msgSummary, key string, p *Parsed) []msgSummary {
	s := msgSummary{
		Key:         key,
		Words:       map[string]int{},
		BodyBytes:   len(p.Text.Body),
		Attachments: len(p.Message.Attachments),
		From:        p.Message.From.Email,
		Date:        p.Message.Date.String(),
		Subject:     p.Message.Subject,
		Hash:        p.Message.ContentHash,
	}
	for _, w := range strings.Fields(p.Text.Body) {
		s.Words[w]++
	}
	for _, a := range p.Text.Attachments {
		for _, w := range strings.Fields(a.Text) {
			s.Words[w]++
		}
	}
	for _, w := range p.Message.Warnings {
		s.Warnings = append(s.Warnings, w.Code+": "+w.Detail)
	}
	out = append(out, s)
	for _, c := range p.Attached {
		out = appendSummaries(out, key+"#"+c.Part, c)
	}
	return out
}

// compareBaseline reports every message whose text lost words, or whose
// sender, date, subject or content hash changed, since the baseline.
func compareBaseline(t *testing.T, path string, got []msgSummary) {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		writeBaseline(t, path, got)
		t.Logf("baseline of %d messages written to %s", len(got), path)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]msgSummary{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var s msgSummary
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		want[s.Key] = s
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	changed := map[string]int{}
	for _, g := range got {
		w, ok := want[g.Key]
		if !ok {
			changed["new message"]++
			continue
		}
		delete(want, g.Key)
		lost := 0
		for word, n := range w.Words {
			if g.Words[word] < n {
				lost += n - g.Words[word]
			}
		}
		if lost > 0 || g.Rejected && !w.Rejected {
			changed["lost words"]++
			t.Errorf("%s: %d words lost (body %d bytes, was %d)", g.Key, lost, g.BodyBytes, w.BodyBytes)
		}
		for what, diff := range map[string]bool{
			"attachments": g.Attachments != w.Attachments, "from": g.From != w.From, "date": g.Date != w.Date,
			"subject": g.Subject != w.Subject, "content hash": g.Hash != w.Hash,
		} {
			if diff {
				changed[what]++
				t.Logf("%s: %s changed", g.Key, what)
			}
		}
		if gw, ww := strings.Join(g.Warnings, "; "), strings.Join(w.Warnings, "; "); gw != ww {
			changed["warnings"]++
			t.Logf("%s: warnings changed:\n\twas %s\n\tnow %s", g.Key, ww, gw)
		}
	}
	changed["message gone"] = len(want)
	for k := range want {
		t.Errorf("%s: message gone", k)
	}
	t.Logf("changes since the baseline: %v", changed)
}

func writeBaseline(t *testing.T, path string, got []msgSummary) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, s := range got {
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
