package search

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// tokenizer is the "leakscope_text" tokenizer, shared by both analyzers.
//
// Words are runs of Unicode letters, marks and digits; an apostrophe between
// two word characters is dropped and the word goes on ("don't" gives "dont");
// everything else separates words, so "amy.pascal" gives amy, pascal and
// "e-mail" gives e, mail, as Xapian (and so notmuch) splits them. Han,
// Hiragana and Katakana characters are one token each. An e-mail address
// local@domain.tld in the text is also emitted whole, at the position of its
// first word, so that a search for the full address finds it while its words
// keep consecutive positions for phrase queries.
type tokenizer struct{}

// span is a byte range [start, end) of the input.
type span struct{ start, end int }

func (tokenizer) Tokenize(input []byte) analysis.TokenStream {
	var ts tokens
	ts.init(len(input))
	scanTokens(input, func(t rawToken) {
		ts.add(t.start, t.end, t.term(input), t.pos, t.typ)
	})
	return ts.stream
}

// rawToken is a token found by scanTokens, before its term is made.
type rawToken struct {
	start, end int // byte range in the input
	pos        int // position, from 1
	typ        analysis.TokenType
	apostrophe bool // the word holds apostrophes to drop
	address    bool // a whole e-mail address, over the words that follow
}

// term returns t's term: a slice of input, or a new slice when it differs
// from the input's bytes (apostrophes dropped) or overlaps other terms (an
// address: to_lower rewrites terms in place and would otherwise change the
// bytes of the words inside it).
func (t rawToken) term(input []byte) []byte {
	b := input[t.start:t.end]
	switch {
	case t.address:
		return bytes.Clone(b)
	case t.apostrophe:
		return dropApostrophes(b)
	}
	return b
}

// scanTokens calls emit with each token of input in order (an address
// before the first of its words).
func scanTokens(input []byte, emit func(rawToken)) {
	addrs := findAddresses(input)
	pos := 0
	next := 0 // index in addrs of the next address not emitted yet
	for i := 0; i < len(input); {
		r, n := decodeRune(input, i)
		switch {
		case isCJK(r):
			pos++
			emit(rawToken{start: i, end: i + n, pos: pos, typ: analysis.Ideographic})
			i += n
		case isWordRune(r):
			end, apostrophe := scanWord(input, i)
			pos++
			for next < len(addrs) && addrs[next].end <= i {
				next++
			}
			if next < len(addrs) && addrs[next].start <= i {
				a := addrs[next]
				emit(rawToken{start: a.start, end: a.end, pos: pos, typ: analysis.AlphaNumeric, address: true})
				next++
			}
			emit(rawToken{start: i, end: end, pos: pos, typ: analysis.AlphaNumeric, apostrophe: apostrophe})
			i = end
		default:
			i += n
		}
	}
}

// tokens allocates tokens in chunks: one allocation per chunk instead of
// one per token.
type tokens struct {
	stream analysis.TokenStream
	chunk  []analysis.Token
}

func (ts *tokens) init(inputLen int) {
	n := inputLen/6 + 1
	ts.stream = make(analysis.TokenStream, 0, n)
	ts.chunk = make([]analysis.Token, 0, n)
}

func (ts *tokens) add(start, end int, term []byte, pos int, typ analysis.TokenType) {
	if len(ts.chunk) == cap(ts.chunk) {
		ts.chunk = make([]analysis.Token, 0, cap(ts.chunk)+64)
	}
	ts.chunk = append(ts.chunk, analysis.Token{Start: start, End: end, Term: term, Position: pos, Type: typ})
	ts.stream = append(ts.stream, &ts.chunk[len(ts.chunk)-1])
}

// scanWord returns the end of the word starting at i and whether it holds
// apostrophes to drop.
func scanWord(b []byte, i int) (end int, apostrophe bool) {
	j := i
	for j < len(b) {
		r, n := decodeRune(b, j)
		if isWordRune(r) && !isCJK(r) {
			j += n
			continue
		}
		if isApostrophe(r) && j+n < len(b) {
			if r2, _ := decodeRune(b, j+n); isWordRune(r2) && !isCJK(r2) {
				apostrophe = true
				j += n
				continue
			}
		}
		break
	}
	return j, apostrophe
}

func dropApostrophes(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, n := decodeRune(b, i)
		if !isApostrophe(r) {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// findAddresses returns the spans of the e-mail addresses in b, in order and
// not overlapping. An address is a local part of letters, digits and
// ". _ % + - '" (at least one letter or digit; leading apostrophes are
// quotes, not part of it), '@', and a domain of at least two labels whose
// last label has two or more characters and a letter. Leading dots are kept:
// Enron's `.ward@enron.com` is searchable as written.
func findAddresses(b []byte) []span {
	var out []span
	from := 0
	for from < len(b) {
		k := bytes.IndexByte(b[from:], '@')
		if k < 0 {
			break
		}
		at := from + k
		start := at
		for start > from {
			r, n := utf8.DecodeLastRune(b[:start])
			if !isLocalRune(r) {
				break
			}
			start -= n
		}
		for start < at && b[start] == '\'' {
			start++
		}
		end := at + 1
		for end < len(b) {
			r, n := decodeRune(b, end)
			if !isDomainRune(r) {
				break
			}
			end += n
		}
		for end > at+1 && (b[end-1] == '.' || b[end-1] == '-') {
			end--
		}
		if hasWordRune(b[start:at]) && validDomain(b[at+1:end]) {
			out = append(out, span{start, end})
			from = end
		} else {
			from = at + 1
		}
	}
	return out
}

func validDomain(d []byte) bool {
	last := bytes.LastIndexByte(d, '.')
	if last <= 0 || bytes.Contains(d, []byte("..")) || d[0] == '.' {
		return false
	}
	tld := d[last+1:]
	return utf8.RuneCount(tld) >= 2 && hasLetter(tld)
}

func hasWordRune(b []byte) bool {
	for i := 0; i < len(b); {
		r, n := decodeRune(b, i)
		if isWordRune(r) {
			return true
		}
		i += n
	}
	return false
}

func hasLetter(b []byte) bool {
	for i := 0; i < len(b); {
		r, n := decodeRune(b, i)
		if unicode.IsLetter(r) {
			return true
		}
		i += n
	}
	return false
}

func decodeRune(b []byte, i int) (rune, int) {
	if c := b[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(b[i:])
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }

// isCJK reports the characters indexed one by one: Han, Hiragana and
// Katakana (with the prolonged sound mark), which are written without
// spaces between words.
func isCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || r == '\u30FC'
}

func isLocalRune(r rune) bool {
	switch r {
	case '.', '_', '%', '+', '-', '\'':
		return true
	}
	return isWordRune(r) && !isCJK(r)
}

func isDomainRune(r rune) bool {
	return r == '.' || r == '-' || isWordRune(r) && !isCJK(r)
}
