package query

import (
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
)

// Limits against hostile input. A query beyond any of them is an error.
const (
	MaxLength = 4096 // bytes in a query
	MaxDepth  = 64   // nested parentheses, NOTs and '-'s
	MaxTerms  = 256  // words, phrases, field terms, dates and '*'s
)

// Parse parses a query (see the package documentation for the language).
// Relative dates (today, yesterday) are the calendar days of time.Now()
// in the local time zone. Errors are *leakscope.QueryError, for which
// errors.Is(err, leakscope.ErrInvalidQuery) holds.
func Parse(s string) (leakscope.Query, error) {
	return ParseAt(s, time.Now())
}

// ParseAt is Parse with "now" given: today and yesterday are the calendar
// days of now in now's location, taken as UTC days like every other date.
func ParseAt(s string, now time.Time) (leakscope.Query, error) {
	if len(s) > MaxLength {
		return nil, newError(s, MaxLength, fmt.Sprintf("query is too long: %d bytes, at most %d", len(s), MaxLength))
	}
	p := &parser{lex: lexer{src: s, now: now}}
	p.advance()
	if p.tok.kind == tokEOF {
		return nil, newError(s, 0, "empty query")
	}
	q, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tokRParen {
		return nil, p.errorf(p.tok.pos, "unbalanced parenthesis: ')' has no matching '('")
	}
	return q, nil
}

// parser is a recursive-descent parser over the lexer's tokens with one
// token of look-ahead:
//
//	query   = or EOF
//	or      = and { OR and }
//	and     = unary { [AND] unary }
//	unary   = ( NOT | '-' ) unary | primary
//	primary = '(' or ')' | leaf
type parser struct {
	lex   lexer
	tok   token // the current token, not yet consumed
	depth int   // nesting of parentheses and negations
	terms int   // leaves so far
}

func (p *parser) advance() { p.tok = p.lex.next() }

func (p *parser) errorf(pos int, msg string) error {
	return newError(p.lex.src, pos, msg)
}

// newError returns a *leakscope.QueryError with pos kept within the query.
func newError(src string, pos int, msg string) error {
	pos = min(max(pos, 0), len(src))
	return &leakscope.QueryError{Query: src, Pos: pos, Msg: msg}
}

// startsOperand reports whether a token of kind k can start an operand.
// An error token does, so that it is reported where the operand was due.
func startsOperand(k tokKind) bool {
	switch k {
	case tokLeaf, tokLParen, tokNot, tokMinus, tokErr:
		return true
	}
	return false
}

func (p *parser) parseOr() (leakscope.Query, error) {
	q, err := p.parseAnd()
	if err != nil || p.tok.kind != tokOr {
		return q, err
	}
	clauses := appendOr(nil, q)
	for p.tok.kind == tokOr {
		op := p.tok
		p.advance()
		if !startsOperand(p.tok.kind) {
			return nil, p.missingAfter(op)
		}
		q, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		clauses = appendOr(clauses, q)
	}
	return leakscope.Or{Clauses: clauses}, nil
}

func (p *parser) parseAnd() (leakscope.Query, error) {
	q, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	var clauses []leakscope.Query
	for {
		switch {
		case p.tok.kind == tokAnd:
			op := p.tok
			p.advance()
			if !startsOperand(p.tok.kind) {
				return nil, p.missingAfter(op)
			}
		case startsOperand(p.tok.kind):
			// implicit AND
		default:
			if clauses == nil {
				return q, nil
			}
			return leakscope.And{Clauses: clauses}, nil
		}
		if clauses == nil {
			clauses = appendAnd(nil, q)
		}
		next, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		clauses = appendAnd(clauses, next)
	}
}

func (p *parser) parseUnary() (leakscope.Query, error) {
	if p.tok.kind != tokNot && p.tok.kind != tokMinus {
		return p.parsePrimary()
	}
	op := p.tok
	if err := p.enter(op.pos); err != nil {
		return nil, err
	}
	p.advance()
	if !startsOperand(p.tok.kind) {
		return nil, p.missingAfter(op)
	}
	q, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	p.depth--
	return leakscope.Not{Clause: q}, nil
}

func (p *parser) parsePrimary() (leakscope.Query, error) {
	switch p.tok.kind {
	case tokLeaf:
		p.terms++
		if p.terms > MaxTerms {
			return nil, p.errorf(p.tok.pos, fmt.Sprintf("query has too many terms (at most %d)", MaxTerms))
		}
		q := p.tok.leaf
		p.advance()
		return q, nil
	case tokLParen:
		open := p.tok
		if err := p.enter(open.pos); err != nil {
			return nil, err
		}
		p.advance()
		if p.tok.kind == tokRParen {
			return nil, p.errorf(open.pos, "empty parentheses")
		}
		q, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.errorf(open.pos, "unbalanced parenthesis: '(' is never closed")
		}
		p.advance()
		p.depth--
		return q, nil
	case tokErr:
		return nil, p.tok.err
	case tokAnd:
		return nil, p.errorf(p.tok.pos, "missing a term before AND")
	case tokOr:
		return nil, p.errorf(p.tok.pos, "missing a term before OR")
	case tokRParen:
		return nil, p.errorf(p.tok.pos, "unbalanced parenthesis: ')' has no matching '('")
	}
	// Unreachable: operators check for an operand before parsing one and
	// an empty query is caught first.
	return nil, p.errorf(p.tok.pos, "unexpected end of query")
}

// enter counts one more level of nesting, at pos.
func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errorf(pos, fmt.Sprintf("query is nested too deeply (at most %d levels of parentheses and negations)", MaxDepth))
	}
	return nil
}

// missingAfter reports an operator with nothing usable after it.
func (p *parser) missingAfter(op token) error {
	var msg string
	switch op.kind {
	case tokAnd:
		msg = "missing a term after AND"
	case tokOr:
		msg = "missing a term after OR"
	case tokNot:
		msg = "missing a term or group after NOT"
	default:
		msg = "missing a term or group directly after '-'"
	}
	return p.errorf(op.pos, msg)
}

// appendAnd appends q to clauses, splicing in the clauses of a nested And.
func appendAnd(clauses []leakscope.Query, q leakscope.Query) []leakscope.Query {
	if a, ok := q.(leakscope.And); ok {
		return append(clauses, a.Clauses...)
	}
	return append(clauses, q)
}

// appendOr appends q to clauses, splicing in the clauses of a nested Or.
func appendOr(clauses []leakscope.Query, q leakscope.Query) []leakscope.Query {
	if o, ok := q.(leakscope.Or); ok {
		return append(clauses, o.Clauses...)
	}
	return append(clauses, q)
}
