package search

import (
	"sync"
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

	// The analyzers the mapping names (mapping version 4 on): the same
	// terms and positions, without byte offsets (see positionsOnly).
	indexTextAnalyzerName = "leakscope_text_pos"
	indexNameAnalyzerName = "leakscope_name_pos"
)

// The analyzers, shared by the query translation and Snippet; the index
// uses them through positionsOnly. They hold no state and are safe for
// concurrent use.
var (
	textFilters                    = []analysis.TokenFilter{lowercase.NewLowerCaseFilter(), stemFilter{}}
	textAnalyzer analysis.Analyzer = &analysis.DefaultAnalyzer{Tokenizer: tokenizer{}, TokenFilters: textFilters}
	nameAnalyzer analysis.Analyzer = &analysis.DefaultAnalyzer{
		Tokenizer:    tokenizer{},
		TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter()},
	}
)

// positionsOnly is an analyzer that drops the byte offsets of the tokens
// another one makes, keeping their terms and positions. bleve writes each
// token's position, start and end offsets into the term vectors of a field
// as varints, but reads only positions (for phrase queries): offsets
// serve its highlighter, which this package does not use (Snippet
// re-analyzes the stored text). Zero offsets take one byte each instead of
// two or three: on the Enron subset the index is 12% smaller (93 MB to 81 MB).
type positionsOnly struct{ analysis.Analyzer }

func (a positionsOnly) Analyze(text []byte) analysis.TokenStream {
	tokens := a.Analyzer.Analyze(text)
	for _, t := range tokens {
		t.Start, t.End = 0, 0
	}
	return tokens
}

func init() {
	must(registry.RegisterTokenizer(textTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return tokenizer{}, nil }))
	must(registry.RegisterTokenFilter(stemFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return stemFilter{}, nil }))
	must(registry.RegisterAnalyzer(textAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) { return textAnalyzer, nil }))
	must(registry.RegisterAnalyzer(nameAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) { return nameAnalyzer, nil }))
	must(registry.RegisterAnalyzer(indexTextAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return positionsOnly{textAnalyzer}, nil
		}))
	must(registry.RegisterAnalyzer(indexNameAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return positionsOnly{nameAnalyzer}, nil
		}))
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
	c := stemCaches.Get().(*stemCache)
	defer stemCaches.Put(c)
	for _, t := range input {
		if len(t.Term) < 3 || t.Type == analysis.Ideographic || !allLetters(t.Term) {
			continue // Snowball leaves words of one or two letters as they are
		}
		if s, ok := c.stem(t.Term); ok {
			t.Term = s
		}
	}
	return input
}

// A stemCache remembers the stems of words seen: mail follows Zipf's law,
// so a few thousand words make most of any text, and a look-up costs a
// fraction of Snowball's rules. It keeps at most stemCacheSize words (the
// first seen; common words come early) and holds only words of letters.
//
// Each analysing goroutine borrows a cache of its own from stemCaches for
// one token stream (the pool keeps one per processor): one cache shared by
// all (a sync.Map) spent a fifth of the analysis in its look-ups. The pool
// may drop its caches at a garbage collection; the common words are back
// after a few hundred tokens.
type stemCache struct {
	stems map[string][]byte // nil when the word is its own stem
}

var stemCaches = sync.Pool{New: func() any { return &stemCache{stems: make(map[string][]byte, 1024)} }}

const stemCacheSize = 50_000

// maxCachedWord bounds the words kept in the cache.
const maxCachedWord = 24

// stem returns the stem of a lower-case word of letters and whether it
// differs from the word. A stem from the cache is shared: callers must not
// modify it (the stem filter is the last of its analyzers).
func (c *stemCache) stem(word []byte) ([]byte, bool) {
	cache := len(word) <= maxCachedWord
	if cache {
		if s, ok := c.stems[string(word)]; ok {
			if s != nil {
				return s, true
			}
			return word, false
		}
	}
	env := snowballstem.NewEnv(string(word))
	english.Stem(env)
	var out []byte
	if s := env.Current(); s != string(word) {
		out = []byte(s)
	}
	if cache && len(c.stems) < stemCacheSize {
		c.stems[string(word)] = out
	}
	if out == nil {
		return word, false
	}
	return out, true
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
