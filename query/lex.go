package query

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokLeaf           // a Term, DateRange or MatchAll, in token.leaf
	tokLParen         // (
	tokRParen         // )
	tokAnd            // AND, any case
	tokOr             // OR, any case
	tokNot            // NOT, any case
	tokMinus          // '-' directly before a term or group
	tokErr            // a lexical error, in token.err; the lexer stops there
)

// token is one lexical unit of a query.
type token struct {
	kind tokKind
	pos  int             // byte offset in the query
	leaf leakscope.Query // for tokLeaf
	err  error           // for tokErr
}

// lexer splits a query into tokens. It builds the leaves of the tree
// itself (words, phrases, field terms, dates), so a token never needs to
// be looked at twice.
type lexer struct {
	src  string
	i    int
	now  time.Time
	done *token // the error token once one was returned
}

// errorf returns an error token; every later call to next returns it again.
func (l *lexer) errorf(pos int, msg string) token {
	t := token{kind: tokErr, pos: pos, err: newError(l.src, pos, msg)}
	l.done = &t
	return t
}

// next returns the next token.
func (l *lexer) next() token {
	if l.done != nil {
		return *l.done
	}
	l.skipSpace()
	if l.i >= len(l.src) {
		return token{kind: tokEOF, pos: len(l.src)}
	}
	start := l.i
	switch l.src[l.i] {
	case '(':
		l.i++
		return token{kind: tokLParen, pos: start}
	case ')':
		l.i++
		return token{kind: tokRParen, pos: start}
	case '"':
		v, tok, ok := l.phrase()
		if !ok {
			return tok
		}
		if strings.TrimSpace(v) == "" {
			return l.errorf(start, "empty phrase")
		}
		return leafToken(start, leakscope.Term{Value: v, Phrase: true, Pos: start})
	case '-':
		l.i++
		if l.i >= len(l.src) || l.spaceAt(l.i) > 0 {
			return l.errorf(start, "missing a term or group directly after '-' (no space)")
		}
		return token{kind: tokMinus, pos: start}
	}
	w := l.word()
	if name, rest, ok := splitField(w); ok {
		return l.field(start, name, rest)
	}
	switch {
	case strings.EqualFold(w, "AND"):
		return token{kind: tokAnd, pos: start}
	case strings.EqualFold(w, "OR"):
		return token{kind: tokOr, pos: start}
	case strings.EqualFold(w, "NOT"):
		return token{kind: tokNot, pos: start}
	case w == "*":
		return leafToken(start, leakscope.MatchAll{})
	}
	v, prefix, starPos := trimStar(w)
	if starPos >= 0 {
		return l.errorf(start+starPos, "'*' is only allowed at the end of a word")
	}
	return leafToken(start, leakscope.Term{Value: v, Prefix: prefix, Pos: start})
}

func leafToken(pos int, q leakscope.Query) token {
	return token{kind: tokLeaf, pos: pos, leaf: q}
}

// spaceAt returns the size of the white-space character at byte i, or 0.
func (l *lexer) spaceAt(i int) int {
	c := l.src[i]
	if c < utf8.RuneSelf {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(l.src[i:])
	if unicode.IsSpace(r) {
		return size
	}
	return 0
}

func (l *lexer) skipSpace() {
	for l.i < len(l.src) {
		n := l.spaceAt(l.i)
		if n == 0 {
			return
		}
		l.i += n
	}
}

// word reads a bare word: everything up to white space, '(', ')' or '"'.
func (l *lexer) word() string {
	start := l.i
	for l.i < len(l.src) {
		switch l.src[l.i] {
		case '(', ')', '"':
			return l.src[start:l.i]
		}
		if l.spaceAt(l.i) > 0 {
			return l.src[start:l.i]
		}
		l.i++
	}
	return l.src[start:l.i]
}

// phrase reads a quoted phrase starting at the opening quote and returns
// its unescaped text. Inside quotes, \" is a quote and \\ a backslash; any
// other backslash is kept as is. On error it returns the error token.
func (l *lexer) phrase() (string, token, bool) {
	open := l.i
	l.i++
	var b strings.Builder
	for l.i < len(l.src) {
		c := l.src[l.i]
		switch {
		case c == '"':
			l.i++
			if l.i < len(l.src) && l.src[l.i] == '*' {
				return "", l.errorf(l.i, "'*' cannot follow a quoted phrase; a prefix must be a bare word"), false
			}
			return b.String(), token{}, true
		case c == '\\' && l.i+1 < len(l.src) && (l.src[l.i+1] == '"' || l.src[l.i+1] == '\\'):
			b.WriteByte(l.src[l.i+1])
			l.i += 2
		default:
			b.WriteByte(c)
			l.i++
		}
	}
	return "", l.errorf(open, "unterminated quote: '\"' is never closed"), false
}

// splitField splits "name:rest" when name is an ASCII letter followed by
// ASCII letters and underscores (credit_card:) and the ':' does not start
// "://" (URLs are plain words). It must agree with
// leakscope's looksLikeField, which Term.String relies on.
func splitField(w string) (name, rest string, ok bool) {
	i := strings.IndexByte(w, ':')
	if i <= 0 || strings.HasPrefix(w[i+1:], "//") {
		return "", "", false
	}
	for j := 0; j < i; j++ {
		c := w[j] | 0x20 // ASCII lower case; '_' stays '_'
		if !('a' <= c && c <= 'z' || j > 0 && w[j] == '_') {
			return "", "", false
		}
	}
	return w[:i], w[i+1:], true
}

// trimStar removes a trailing '*' from w (prefix). If another '*' is left,
// starPos is its offset in w; otherwise starPos is -1.
func trimStar(w string) (v string, prefix bool, starPos int) {
	v, prefix = strings.CutSuffix(w, "*")
	return v, prefix, strings.IndexByte(v, '*')
}
