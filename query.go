package leakscope

import (
	"strings"
	"time"
	"unicode"
)

// Query is a node of a parsed query (see package query for the syntax).
// The search package translates it into its engine's queries.
type Query interface {
	// String formats the node in a canonical form that parses back to an
	// equal tree.
	String() string
	queryNode()
}

// Query fields (canonical names; the parser maps aliases onto them).
const (
	FieldText       = ""           // subject, body and attachment text
	FieldFrom       = "from"       // address, domain or name words of the sender
	FieldTo         = "to"         // any recipient: To, Cc and Bcc
	FieldCc         = "cc"         // Cc only
	FieldBcc        = "bcc"        // Bcc only
	FieldSubject    = "subject"    // subject words
	FieldBody       = "body"       // body words
	FieldAttachment = "attachment" // attachment names and text
	FieldID         = "id"         // exact Message-ID
	FieldThread     = "thread"     // thread id
	FieldLeak       = "leak"       // leak name
	FieldBatch      = "batch"      // batch (wave) label
	FieldCustodian  = "custodian"  // whose mailbox a copy came from ("mailbox:" is an alias)
	FieldFolder     = "folder"     // folder path inside the mailbox
	FieldFlag       = "flag"       // sensitive-content category
	FieldSeverity   = "severity"   // at least this severity
	FieldTag        = "tag"        // review tag
	FieldHas        = "has"        // has:attachment
	FieldDate       = "date"       // date range (DateRange)
)

// Value fields: each category of MaskedFlags is also a query field whose
// value is one flagged value, looked up whole and exactly (ssn:536-22-1847,
// credential:"Cobalt-6425%"), never as a prefix: the index holds masked
// values only as their masks and a keyed token (see package search).

// MatchAll matches every message (the query "*").
type MatchAll struct{}

// And matches messages matching every clause.
type And struct{ Clauses []Query }

// Or matches messages matching any clause.
type Or struct{ Clauses []Query }

// Not matches messages not matching Clause.
type Not struct{ Clause Query }

// Term matches a word, a quoted phrase or a prefix ("word*") in a field.
// The parser never sets both Phrase and Prefix: a quoted phrase cannot end
// in '*'.
type Term struct {
	Field  string // one of the Field constants
	Value  string // as typed, without quotes, escapes or the trailing '*' (severity and has values are lower-cased, <> around an id removed)
	Phrase bool   // the value was quoted
	Prefix bool   // the value ended in '*'
	Pos    int    // byte offset of the term in the query
}

// DateRange matches messages dated from From (inclusive) to To (exclusive),
// both in UTC; a zero bound is open. The parser sets both bounds to
// midnight UTC and never leaves both open.
type DateRange struct {
	From time.Time
	To   time.Time
	Pos  int // byte offset of the date:, before: or after: term in the query
}

func (MatchAll) queryNode()  {}
func (And) queryNode()       {}
func (Or) queryNode()        {}
func (Not) queryNode()       {}
func (Term) queryNode()      {}
func (DateRange) queryNode() {}

// String methods print the canonical form: every node parses back (with
// package query) to an equal tree, positions aside. Operators are written
// AND, OR and NOT, and parentheses appear only where precedence needs them
// (an Or inside an And, an And or Or inside a Not), so the canonical form
// never nests deeper than the query it came from.

func (MatchAll) String() string { return "*" }
func (q And) String() string    { return joinQueries(q.Clauses, " AND ", true) }
func (q Or) String() string     { return joinQueries(q.Clauses, " OR ", false) }
func (q Not) String() string    { return "NOT " + group(q.Clause, true) }

func (q Term) String() string {
	v := q.Value
	if q.Phrase || !isBare(q.Field, q.Value, q.Prefix) {
		v = quote(v)
	}
	if q.Prefix {
		v += "*"
	}
	if q.Field != FieldText {
		v = q.Field + ":" + v
	}
	return v
}

// String writes a range in its shortest form: date:2014, date:2014-03,
// date:2014-03-05 for one whole year, month or day; date:A..B otherwise
// (B inclusive); after:A or before:B (B exclusive) when one end is open.
func (q DateRange) String() string {
	from, to := q.From.UTC(), q.To.UTC()
	switch {
	case q.From.IsZero() && q.To.IsZero():
		return "date:.." // never produced by the parser
	case q.To.IsZero():
		return "after:" + periodStart(from)
	case q.From.IsZero() && to.Year() > 9999:
		return "date:.." + periodEnd(to) // date:..9999 ends in year 10000
	case q.From.IsZero():
		return "before:" + periodStart(to)
	case from.Month() == time.January && from.Day() == 1 && to.Equal(from.AddDate(1, 0, 0)):
		return "date:" + from.Format("2006")
	case from.Day() == 1 && to.Equal(from.AddDate(0, 1, 0)):
		return "date:" + from.Format("2006-01")
	case to.Equal(from.AddDate(0, 0, 1)):
		return "date:" + from.Format(time.DateOnly)
	}
	return "date:" + periodStart(from) + ".." + periodEnd(to)
}

// periodStart writes t as the shortest date whose period starts at t:
// a year, a month or a day.
func periodStart(t time.Time) string {
	switch {
	case t.Month() == time.January && t.Day() == 1:
		return t.Format("2006")
	case t.Day() == 1:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// periodEnd writes the shortest date whose period ends just before t.
func periodEnd(t time.Time) string {
	switch {
	case t.Month() == time.January && t.Day() == 1:
		return t.AddDate(-1, 0, 0).Format("2006")
	case t.Day() == 1:
		return t.AddDate(0, -1, 0).Format("2006-01")
	}
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}

// joinQueries writes clauses separated by sep. Nested clauses of the same
// kind, and Or clauses inside an And (inAnd), are put in parentheses.
func joinQueries(qs []Query, sep string, inAnd bool) string {
	parts := make([]string, len(qs))
	for i, c := range qs {
		parts[i] = group(c, inAnd)
	}
	return strings.Join(parts, sep)
}

// group writes q, in parentheses if it is an Or, or an And when inAnd
// (inside an And or a Not).
func group(q Query, inAnd bool) string {
	switch q.(type) {
	case Or:
		return "(" + q.String() + ")"
	case And:
		if inAnd {
			return "(" + q.String() + ")"
		}
	}
	return q.String()
}

// quote writes v as a quoted phrase of the query language. A backslash
// escapes '"' and '\\' inside quotes and is literal before anything else,
// so only '"', and a '\\' before '"', '\\' or the closing quote, need one:
// the shortest text that reads back as v.
func quote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '"' || c == '\\' && (i+1 == len(v) || v[i+1] == '"' || v[i+1] == '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// isBare reports whether a value can be written without quotes and parse
// back to the same unquoted Term. It mirrors the rules of package query:
// a bare word ends at white space, '(', ')' or '"', may carry '*' only as
// its last character, and, in the text field, must not read as an
// operator (AND, OR, NOT), a negation ('-') or a field ("name:value").
func isBare(field, v string, prefix bool) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if unicode.IsSpace(r) {
			return false
		}
		switch r {
		case '(', ')', '"', '*':
			return false
		}
	}
	if field != FieldText {
		return true
	}
	w := v
	if prefix {
		w += "*"
	}
	if strings.EqualFold(w, "AND") || strings.EqualFold(w, "OR") || strings.EqualFold(w, "NOT") {
		return false
	}
	return w[0] != '-' && !looksLikeField(w)
}

// looksLikeField reports whether the query language reads word w as
// "name:value": the text before the first ':' is an ASCII letter followed
// by ASCII letters and underscores, and the ':' does not start "://" (a URL
// such as http://example.com is a plain word).
func looksLikeField(w string) bool {
	i := strings.IndexByte(w, ':')
	if i <= 0 || strings.HasPrefix(w[i+1:], "//") {
		return false
	}
	for j := 0; j < i; j++ {
		c := w[j] | 0x20 // ASCII lower case; '_' stays '_'
		if !('a' <= c && c <= 'z' || j > 0 && w[j] == '_') {
			return false
		}
	}
	return true
}
