package search

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// tok formats a token as term@position.
func tok(t *analysis.Token) string { return fmt.Sprintf("%s@%d", t.Term, t.Position) }

func analyze(a analysis.Analyzer, s string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(s)) {
		out = append(out, tok(t))
	}
	return out
}

func TestTextAnalyzer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"words", "Hello, World!", []string{"hello@1", "world@2"}},
		{"stemming", "Reports reporting reported", []string{"report@1", "report@2", "report@3"}},
		{"apostrophe", "don't stop", []string{"dont@1", "stop@2"}},
		{"curly apostrophe", "Pascal’s memo", []string{"pascal@1", "memo@2"}},
		{"quote is no apostrophe", "'quoted' word", []string{"quot@1", "word@2"}},
		{"hyphen splits", "e-mail", []string{"e@1", "mail@2"}},
		{"dot splits", "amy.pascal", []string{"ami@1", "pascal@2"}},
		{"digits not stemmed", "2001 abc123s", []string{"2001@1", "abc123s@2"}},
		{"address whole", "mail Amy.Pascal@Sony.com now", []string{
			"mail@1", "amy.pascal@sony.com@2", "ami@2", "pascal@3", "soni@4", "com@5", "now@6"}},
		{"enron leading dot", "<.ward@enron.com>", []string{".ward@enron.com@1", "ward@1", "enron@2", "com@3"}},
		{"address trailing dot", "write to bob@x.org.", []string{"write@1", "to@2", "bob@x.org@3", "bob@3", "x@4", "org@5"}},
		{"no address without dot", "user@localhost", []string{"user@1", "localhost@2"}},
		{"no address with short tld", "a@b.c", []string{"a@1", "b@2", "c@3"}},
		{"quoted address", "'amy@x.com'", []string{"amy@x.com@1", "ami@1", "x@2", "com@3"}},
		{"two at signs", "a@b@c.com", []string{"a@1", "b@c.com@2", "b@2", "c@3", "com@4"}},
		{"cjk", "東京タワー行く", []string{"東@1", "京@2", "タ@3", "ワ@4", "ー@5", "行@6", "く@7"}},
		{"cjk next to latin", "Sony東京", []string{"soni@1", "東@2", "京@3"}},
		{"hangul by word", "한국 회사", []string{"한국@1", "회사@2"}},
		{"accents", "Café naïve", []string{"café@1", "naïv@2"}},
		{"only punctuation", "... --- !!!", nil},
		{"invalid utf-8", "ab\xffcd", []string{"ab@1", "cd@2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := analyze(textAnalyzer, tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNameAnalyzer(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Amy Pascal", []string{"amy@1", "pascal@2"}},
		{"amy.pascal", []string{"amy@1", "pascal@2"}},
		{"Reports", []string{"reports@1"}}, // no stemming
		{"O'Brien, Kate", []string{"obrien@1", "kate@2"}},
	}
	for _, tt := range tests {
		if got := analyze(nameAnalyzer, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Analyze(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenOffsets(t *testing.T) {
	in := "Hi Amy.Pascal@sony.com, don't go"
	want := map[string]string{
		"hi":                  "Hi",
		"amy.pascal@sony.com": "Amy.Pascal@sony.com",
		"ami":                 "Amy",
		"dont":                "don't",
		"go":                  "go",
	}
	for _, tk := range textAnalyzer.Analyze([]byte(in)) {
		w, ok := want[string(tk.Term)]
		if !ok {
			continue
		}
		if got := in[tk.Start:tk.End]; got != w {
			t.Errorf("token %q spans %q, want %q", tk.Term, got, w)
		}
	}
}

// FuzzTokenizer checks the tokenizer's invariants on any input: spans lie
// inside the input on character boundaries and in order, positions start at
// 1 and grow by one per word (an address shares its first word's position),
// terms are never empty and are lower-case, and addresses hold an '@'.
func FuzzTokenizer(f *testing.F) {
	for _, s := range []string{"", "Hello world", "amy.pascal@sony.com wrote", "東京 don't", "a@b@c.com", ".ward@enron.com", "x\xff@y.zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts := textAnalyzer.Analyze([]byte(s))
		prevPos, prevStart := 0, 0
		for i, tk := range ts {
			if tk.Start < prevStart || tk.Start >= tk.End || tk.End > len(s) {
				t.Fatalf("token %d %q has span [%d,%d) in %d bytes after start %d", i, tk.Term, tk.Start, tk.End, len(s), prevStart)
			}
			// In invalid UTF-8 a stray continuation byte is a character
			// of its own, which utf8.RuneStart does not know.
			if utf8.ValidString(s) && (!utf8.RuneStart(s[tk.Start]) || tk.End < len(s) && !utf8.RuneStart(s[tk.End])) {
				t.Fatalf("token %d %q is cut inside a character", i, tk.Term)
			}
			if len(tk.Term) == 0 {
				t.Fatalf("token %d is empty", i)
			}
			if strings.Contains(string(tk.Term), "@") {
				if tk.Position != prevPos+1 {
					t.Fatalf("address %q at position %d after %d", tk.Term, tk.Position, prevPos)
				}
				if i+1 >= len(ts) || ts[i+1].Position != tk.Position {
					t.Fatalf("address %q is not followed by a word at its position", tk.Term)
				}
				prevStart = tk.Start
				continue
			}
			if tk.Position != prevPos+1 {
				t.Fatalf("token %d %q at position %d after %d", i, tk.Term, tk.Position, prevPos)
			}
			if term := string(tk.Term); utf8.ValidString(term) && strings.ToLower(term) != term {
				t.Fatalf("token %d %q is not lower-case", i, tk.Term)
			}
			prevPos, prevStart = tk.Position, tk.Start
		}
	})
}

// TestStemCache checks that stems from the caches equal Snowball's, from
// several goroutines at once (run with -race), and that a cache stops
// growing at its bound.
func TestStemCache(t *testing.T) {
	words := strings.Fields("reports reporting reported running runs easily fairly generously " +
		"quarterly quarter budgets budget connection connections organisation organization " +
		"abcdefghijklmnopqrstuvwxyzabc café naïveté")
	want := map[string]string{}
	for _, w := range words {
		env := snowballstem.NewEnv(w)
		english.Stem(env)
		want[w] = env.Current()
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				for _, w := range words {
					c := stemCaches.Get().(*stemCache)
					s, changed := c.stem([]byte(w))
					stemCaches.Put(c)
					if string(s) != want[w] || changed != (want[w] != w) {
						t.Errorf("stem(%q) = %q, %v; want %q", w, s, changed, want[w])
					}
				}
			}
		}()
	}
	wg.Wait()

	c := &stemCache{stems: map[string][]byte{}}
	for i := range stemCacheSize + 100 {
		w := []byte(fmt.Sprintf("w%c%c%c%c", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26, 'a'+i/17576%26))
		c.stem(w)
	}
	if n := len(c.stems); n != stemCacheSize {
		t.Errorf("stem cache holds %d words, want its bound %d", n, stemCacheSize)
	}
	if s, changed := c.stem([]byte("reporting")); string(s) != "report" || !changed {
		t.Errorf("stem(reporting) from a full cache = %q, %v", s, changed)
	}
}
