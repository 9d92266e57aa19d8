package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/leakscope/leakscope"
)

// mark writes a snippet with its spans in brackets.
func mark(s string, spans []Span) string {
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.Start])
		b.WriteString("[" + s[sp.Start:sp.End] + "]")
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}

func TestSnippet(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 10) // 270 bytes
	tests := []struct {
		name  string
		query string
		text  string
		width int
		want  string // the snippet with its spans in brackets
	}{
		{"word", "budget", "The budget is final", 100, "The [budget] is final"},
		{"any case", "BUDGET", "Budget: final", 100, "[Budget]: final"},
		{"stemmed form", "reports", "Reporting on the report", 100, "[Reporting] on the [report]"},
		{"phrase words", `"annual report"`, "The annual report is due", 100, "The [annual] [report] is due"},
		{"phrase words apart", `"annual report"`, "annual and report", 100, "[annual] and [report]"},
		{"hyphenated word", "e-mail", "send an e-mail now", 100, "send an [e]-[mail] now"},
		{"address", "amy.pascal@sony.com", "write to Amy.Pascal@Sony.com today", 100, "write to [Amy.Pascal@Sony.com] today"},
		{"address words are not the address", "amy.pascal@sony.com", "Amy Pascal wrote", 100, "Amy Pascal wrote"},
		{"word inside an address", "pascal", "mail Amy.Pascal@sony.com", 100, "mail Amy.[Pascal]@sony.com"},
		{"address in a phrase", `"contact amy@sony.com"`, "contact amy@sony.com", 100, "[contact] [amy@sony.com]"},
		{"prefix", "repor*", "Reports and reporting", 100, "[Reports] and [reporting]"},
		{"prefix any case", "REP*", "reply", 100, "[reply]"},
		{"cjk characters join", "東京", "明日は東京タワー", 100, "明日は[東京]タワー"},
		{"apostrophe", "dont", "I don’t know", 100, "I [don’t] know"},
		{"prefix with apostrophe", "o'rei*", "It's O’Reilly's turn", 100, "It's [O’Reilly's] turn"},
		{"negated word", "budget -secret", "budget secret", 100, "[budget] secret"},
		{"negated group", "budget -(secret OR plan)", "plan budget secret", 100, "plan [budget] secret"},
		{"negated field", "budget -subject:plan", "plan budget", 100, "plan [budget]"},
		{"or", "plan OR budget", "plan budget", 100, "[plan] [budget]"},
		{"text fields", "subject:plan body:budget attachment:xls", "plan budget xls", 100, "[plan] [budget] [xls]"},
		{"other fields", "from:amy to:bob id:x@y leak:amy has:attachment date:2014", "amy bob x@y 2014", 100, "amy bob x@y 2014"},
		{"match all", "*", "nothing to see", 100, "nothing to see"},
		{"no match cut at a word", "zeppelin", "alpha beta gamma delta epsilon", 14, "alpha beta"},
		{"match at the end", "omega", filler + "omega", 20, "dolor sit amet [omega]"},
		{"match in the middle", "omega", filler + "omega " + filler, 21, "amet [omega] lorem"},
		{"best cluster", "budget report", "budget " + filler + "the budget report is here " + filler, 30, "the [budget] [report] is here"},
		{"more distinct terms win", "alpha beta", "alpha alpha alpha " + filler + " alpha beta " + filler, 20, "[alpha] [beta]"},
		{"match longer than the width", "amy.pascal@sony.com", "to amy.pascal@sony.com", 8, "amy.pasc"},
		{"words cut short", "budget", "ééééééééééééééééééé budget ééééééééééééééé", 14, "[budget]"},
		{"long word cut at a character", "budget", strings.Repeat("é", 40) + " budget", 20, "éééééé [budget]"},
		{"zero width", "budget", "budget", 0, ""},
		{"empty text", "budget", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustParse(t, tt.query)
			s, spans := Snippet(q, tt.text, tt.width)
			if got := mark(s, spans); got != tt.want {
				t.Errorf("Snippet(%q, %q, %d) = %q, want %q", tt.query, tt.text, tt.width, got, tt.want)
			}
			checkSnippet(t, q, tt.text, tt.width, s, spans)
		})
	}
}

// checkSnippet checks the properties every snippet has: at most width bytes,
// a substring of text cut at character boundaries, spans in order, apart,
// inside the snippet, and each covering a word the query's positive text
// terms match.
func checkSnippet(t *testing.T, q leakscope.Query, text string, width int, s string, spans []Span) {
	t.Helper()
	if len(s) > max(width, 0) {
		t.Fatalf("Snippet(%v, width %d) is %d bytes", q, width, len(s))
	}
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("Snippet(%v) = %q is not part of the text", q, s)
	}
	// Character boundaries are checked in valid UTF-8 (invalid bytes are
	// characters of their own to the analyzer, not to utf8.RuneStart).
	if s != "" && utf8.ValidString(text) && (!utf8.RuneStart(text[i]) || i+len(s) < len(text) && !utf8.RuneStart(text[i+len(s)])) {
		t.Fatalf("Snippet(%v) = %q is cut inside a character", q, s)
	}
	var m matcher
	m.collect(q)
	prev := -1
	for _, sp := range spans {
		if sp.Start <= prev || sp.Start >= sp.End || sp.End > len(s) {
			t.Fatalf("Snippet(%v) = %q has span %v after %d", q, s, sp, prev)
		}
		prev = sp.End
		ok := false
		for _, tk := range textAnalyzer.Analyze([]byte(s[sp.Start:sp.End])) {
			if _, hit := m.match(string(tk.Term)); hit {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("Snippet(%v) span %q matches no query term", q, s[sp.Start:sp.End])
		}
	}
}

// TestSnippetProperties checks the snippet properties on generated mail and
// queries of words taken from it, and that a match is always shown.
func TestSnippetProperties(t *testing.T) {
	g := newGenerator(3)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		d := g.doc()
		text := d.Text.Body
		words := strings.Fields(text)
		pos, neg := words[r.IntN(len(words))], words[r.IntN(len(words))]
		pos = strings.Trim(pos, ".,<>()")
		neg = strings.Trim(neg, ".,<>()")
		if pos == "" || neg == "" || strings.EqualFold(pos, neg) {
			continue
		}
		qtext := fmt.Sprintf("%q -%q", pos, neg)
		q, err := parseQuery(qtext)
		if err != nil {
			continue // a word such as "-----Original" that does not parse
		}
		width := 10 + r.IntN(300)
		s, spans := Snippet(q, text, width)
		checkSnippet(t, q, text, width, s, spans)
		var m matcher
		m.collect(q)
		matched := false
		for _, tk := range textAnalyzer.Analyze([]byte(text)) {
			if _, ok := m.match(string(tk.Term)); ok && tk.End-tk.Start <= width {
				matched = true
			}
		}
		if matched && len(spans) == 0 {
			t.Errorf("doc %d: Snippet(%s, width %d) = %q shows no match", i, qtext, width, s)
		}
		// Words only under NOT are never highlighted.
		var negOnly matcher
		negOnly.collect(leakscope.Term{Value: neg})
		for _, sp := range spans {
			for _, tk := range textAnalyzer.Analyze([]byte(s[sp.Start:sp.End])) {
				_, isNeg := negOnly.match(string(tk.Term))
				_, isPos := m.match(string(tk.Term))
				if isNeg && !isPos {
					t.Errorf("doc %d: Snippet(%s) highlights the negated %q", i, qtext, s[sp.Start:sp.End])
				}
			}
		}
	}
}

// FuzzSnippet checks the snippet properties on any query and text.
func FuzzSnippet(f *testing.F) {
	f.Add("budget", "The budget is final", 20)
	f.Add(`"annual report" -x`, "ééé annual report ééé", 7)
	f.Add("amy.pascal@sony.com OR repor*", "to Amy.Pascal@Sony.com: reporting", 12)
	f.Add("東京", "明日は東京タワー", 5)
	f.Fuzz(func(t *testing.T, qtext, text string, width int) {
		q, err := parseQuery(qtext)
		if err != nil {
			return
		}
		width %= 1000
		checkAnalyzeMatches(t, q, text)
		s, spans := Snippet(q, text, width)
		if width <= 0 {
			if s != "" || spans != nil {
				t.Fatalf("Snippet(width %d) = %q, %v; want nothing", width, s, spans)
			}
			return
		}
		checkSnippet(t, q, text, width, s, spans)
	})
}

// checkAnalyzeMatches checks that the matcher's analysis, which skips
// words that cannot match, finds the same matches as the full analysis.
func checkAnalyzeMatches(t *testing.T, q leakscope.Query, text string) {
	t.Helper()
	var m matcher
	m.collect(q)
	matches := func(tokens analysis.TokenStream) []match {
		var out []match
		for _, tok := range tokens {
			if id, ok := m.match(string(tok.Term)); ok {
				out = append(out, match{Span{tok.Start, tok.End}, id})
			}
		}
		return out
	}
	got, want := matches(m.analyze([]byte(text))), matches(textAnalyzer.Analyze([]byte(text)))
	if !slices.Equal(got, want) {
		t.Fatalf("matcher of %q finds %v in %q, full analysis %v", q, got, text, want)
	}
}

// TestAnalyzeMatches runs checkAnalyzeMatches over the words of the
// generated corpus, queried by words, prefixes and phrases of it, in all
// cases of letters.
func TestAnalyzeMatches(t *testing.T) {
	docs := newGenerator(3).docs(200)
	var words []string
	for _, d := range docs {
		words = append(words, strings.Fields(d.Text.Body)...)
	}
	queries := []string{"Σίσυφος", "KELVIN", "états-unis", "don't", "yelling", "y*", "skis", "Dying", "generous", "news"}
	for i := 0; i+3 < len(words) && len(queries) < 400; i += 7 {
		queries = append(queries, words[i], strings.ToUpper(words[i+1])+"*", `"`+words[i+2]+" "+words[i+3]+`"`)
	}
	for _, d := range docs[:50] {
		text := d.Text.Body + " Σίσυφος ΣΊΣΥΦΟΣ \u212Aelvin États-Unis DON'T Yelled skiing dies generously NEWS"
		for _, qtext := range queries {
			q, err := parseQuery(qtext)
			if err != nil {
				continue
			}
			checkAnalyzeMatches(t, q, text)
		}
	}
}
