package parse

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

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

// checkParsed asserts the properties every parsed message has and counts
// its warnings by code.
func checkParsed(t testing.TB, name string, p *Parsed, counts map[string]int) {
	t.Helper()
	if len(p.Message.ID) != 20 {
		t.Errorf("%s: ID %q, want 20 characters", name, p.Message.ID)
	}
	if !utf8.ValidString(p.Text.Body) || strings.IndexByte(p.Text.Body, 0) >= 0 {
		t.Errorf("%s: body is not valid UTF-8 without NUL", name)
	}
	for _, w := range p.Message.Warnings {
		counts[w.Code]++
	}
	for _, c := range p.Attached {
		if c.Message.ParentID != p.Message.ID {
			t.Errorf("%s: attached %s has ParentID %q, want %q", name, c.Part, c.Message.ParentID, p.Message.ID)
		}
		checkParsed(t, name+"#"+c.Part, c, counts)
	}
}

func formatCounts(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, counts[k])
	}
	return b.String()
}

func TestCorpusOddities(t *testing.T) {
	for _, sub := range []string{"mime-oddities", "notmuch/corpora", "mu/testdata"} {
		t.Run(strings.ReplaceAll(sub, "/", "_"), func(t *testing.T) {
			dir := corpusDir(t, sub)
			counts := map[string]int{}
			parsed, rejected, attached := 0, 0, 0
			for _, f := range corpusFiles(t, dir) {
				raw, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, f)
				p, err := Parse(raw, "", Options{})
				if err != nil {
					rejected++
					t.Logf("%s: rejected: %v", rel, err)
					continue
				}
				parsed++
				attached += countAttached(p)
				checkParsed(t, rel, p, counts)
			}
			t.Logf("%s: %d parsed (%d attached messages), %d rejected; warnings:%s", sub, parsed, attached, rejected, formatCounts(counts))
			if parsed == 0 {
				t.Errorf("no message parsed under %s", dir)
			}
		})
	}
}

func countAttached(p *Parsed) int {
	n := len(p.Attached)
	for _, c := range p.Attached {
		n += countAttached(c)
	}
	return n
}

func TestCorpusEnron(t *testing.T) {
	dir := corpusDir(t, "enron/maildir")
	files := corpusFiles(t, dir)
	counts := map[string]int{}
	bad := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		p, err := Parse(raw, "", Options{})
		if err != nil {
			bad++
			t.Logf("exception %s: %v", rel, err)
			continue
		}
		checkParsed(t, rel, p, counts)
		m := p.Message
		if m.Date.IsZero() || m.From.Domain() == "" {
			bad++
			t.Logf("exception %s: date %v (%s), from %q", rel, m.Date, m.DateSource, m.From.Raw)
		}
	}
	t.Logf("enron: %d messages, %d exceptions; warnings:%s", len(files), bad, formatCounts(counts))
	if len(files) == 0 {
		t.Fatal("no Enron message found")
	}
	if rate := float64(bad) / float64(len(files)); rate > 0.001 {
		t.Errorf("%d of %d Enron messages lack a date or a From domain (%.3f%%), want at most 0.1%%", bad, len(files), 100*rate)
	}
}

var _ = leakscope.WarnDate
