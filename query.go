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

func (MatchAll) String() string { return "*" }
func (q And) String() string    { return joinQueries(q.Clauses, " AND ") }
func (q Or) String() string     { return joinQueries(q.Clauses, " OR ") }
func (q Not) String() string    { return "NOT " + q.Clause.String() }

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

func (q DateRange) String() string {
	var from, to string
	if !q.From.IsZero() {
		from = q.From.UTC().Format(time.DateOnly)
	}
	if !q.To.IsZero() {
		to = q.To.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return "date:" + from + ".." + to
}

func joinQueries(qs []Query, sep string) string {
	parts := make([]string, len(qs))
	for i, c := range qs {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}

// quote writes v as a quoted phrase of the query language: only '"' and
// '\\' are escaped, with a backslash.
func quote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
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
// "name:value": the text before the first ':' is one or more ASCII letters
// and the ':' does not start "://" (a URL such as http://example.com is a
// plain word).
func looksLikeField(w string) bool {
	i := strings.IndexByte(w, ':')
	if i <= 0 || strings.HasPrefix(w[i+1:], "//") {
		return false
	}
	for j := 0; j < i; j++ {
		c := w[j] | 0x20 // ASCII lower case
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
