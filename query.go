package leakscope

import (
	"strconv"
	"strings"
	"time"
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
type Term struct {
	Field  string // one of the Field constants
	Value  string // as typed, without quotes or the trailing '*'
	Phrase bool   // the value was quoted
	Prefix bool   // the value ended in '*'
	Pos    int    // byte offset of the term in the query
}

// DateRange matches messages dated from From (inclusive) to To (exclusive),
// both in UTC; a zero bound is open.
type DateRange struct {
	From time.Time
	To   time.Time
	Pos  int
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
	if q.Phrase || needsQuotes(v) {
		v = strconv.Quote(v)
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

func needsQuotes(v string) bool {
	if v == "" {
		return true
	}
	for _, r := range v {
		switch r {
		case ' ', '\t', '\n', '\r', '(', ')', '"', ':', '*', '\\':
			return true
		}
	}
	u := strings.ToUpper(v)
	return u == "AND" || u == "OR" || u == "NOT" || v[0] == '-'
}
