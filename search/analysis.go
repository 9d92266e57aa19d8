package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// Names of the analysis components registered in bleve's registry. The
// mapping stored with an index refers to them by name, so they never change
// meaning: a change of analysis is a new mapping version (see mapping.go).
const (
	textTokenizerName = "leakscope_text"
	stemFilterName    = "leakscope_stem"
	textAnalyzerName  = "leakscope_text"
	nameAnalyzerName  = "leakscope_name"
)

// The analyzers, shared by the index (through the registry), the query
// translation and Snippet. They hold no state and are safe for concurrent use.
var (
	textAnalyzer analysis.Analyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    tokenizer{},
		TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter(), stemFilter{}},
	}
	nameAnalyzer analysis.Analyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    tokenizer{},
		TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter()},
	}
)

func init() {
	must(registry.RegisterTokenizer(textTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return tokenizer{}, nil }))
	must(registry.RegisterTokenFilter(stemFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return stemFilter{}, nil }))
	must(registry.RegisterAnalyzer(textAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) { return textAnalyzer, nil }))
	must(registry.RegisterAnalyzer(nameAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) { return nameAnalyzer, nil }))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// stemFilter stems tokens made only of letters with the English Snowball
// (Porter2) stemmer, the one Xapian and so notmuch use. Addresses and tokens
// holding digits are left alone. It expects lower-cased input: in both
// analyzers it runs after to_lower.
type stemFilter struct{}

func (stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if len(t.Term) < 3 || t.Type == analysis.Ideographic || !allLetters(t.Term) {
			continue // Snowball leaves words of one or two letters as they are
		}
		env := snowballstem.NewEnv(string(t.Term))
		english.Stem(env)
		if s := env.Current(); s != string(t.Term) {
			t.Term = []byte(s)
		}
	}
	return input
}

func allLetters(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
		i += n
	}
	return true
}
