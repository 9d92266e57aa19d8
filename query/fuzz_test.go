package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// FuzzParse checks, for any input: Parse never panics; a failure is a
// *leakscope.QueryError inside the query; a success is a well-formed tree
// whose canonical form parses back to the same tree and the same text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "budget", `"quarterly budget"`, "budg*", "*", "-*", "a b OR c d", "NOT a b",
		"-(a b)", "(a OR b) c", `from:"Amy Pascal" subject:merg*`, "mid:<a@b>", "severity:HIGH",
		"has:attachments", "date:2014-01..2014-06", "date:..1999-12-31", "after:2014 before:2015-03",
		"date:yesterday..today", "10:30 http://x/y", `"a\\\"b\c"`, "frm:bob", "a OR", "AND b",
		"from:", "(a", "a)", `"abc`, "date:2014-02-30", "a\u00a0b", "x:(y)", "--a", "tag:OR", "date:..9999", "before:1000",
		strings.Repeat("(", 70) + "a", strings.Repeat("a ", 300), strings.Repeat("-date:2014 ", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseAt(s, now)
		if err != nil {
			var qe *leakscope.QueryError
			if !errors.As(err, &qe) || !errors.Is(err, leakscope.ErrInvalidQuery) {
				t.Fatalf("ParseAt(%q) error = %T %v, want a *leakscope.QueryError", s, err, err)
			}
			if qe.Pos < 0 || qe.Pos > len(s) {
				t.Fatalf("ParseAt(%q) error Pos = %d, want 0 to %d", s, qe.Pos, len(s))
			}
			if qe.Msg == "" || qe.Query != s {
				t.Fatalf("ParseAt(%q) error = %+v, want a message and the query", s, qe)
			}
			return
		}
		checkTree(t, s, q)
		canon := q.String()
		back, err := ParseAt(canon, now)
		if len(canon) > MaxLength {
			// The one documented exception: the canonical form of a query
			// close to the limit may be longer than the limit.
			var qe *leakscope.QueryError
			if !errors.As(err, &qe) || !strings.Contains(qe.Msg, "too long") {
				t.Fatalf("ParseAt(%q) (canonical form of %q) = %v, want a too-long error", canon, s, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseAt(%q) = %v, want the canonical form of %q to parse", canon, err, s)
		}
		if got := back.String(); got != canon {
			t.Fatalf("ParseAt(%q).String() = %q, want %q (from %q)", canon, got, canon, s)
		}
		if !reflect.DeepEqual(stripPos(back), stripPos(q)) {
			t.Fatalf("ParseAt(%q) = %#v, want %#v (from %q)", canon, back, q, s)
		}
	})
}

// checkTree fails unless q, parsed from s, keeps the parser's invariants:
// And and Or have two or more clauses and are flattened, a phrase is never
// a prefix, values are not empty, dates are midnight UTC with at least one
// end and From before To, positions point inside s, and the limits hold.
func checkTree(t *testing.T, s string, q leakscope.Query) {
	t.Helper()
	terms := 0
	var walk func(q leakscope.Query, depth int)
	walk = func(q leakscope.Query, depth int) {
		if depth > 2*MaxDepth+1 {
			t.Fatalf("ParseAt(%q) tree depth > %d", s, 2*MaxDepth+1)
		}
		switch q := q.(type) {
		case leakscope.And:
			if len(q.Clauses) < 2 {
				t.Fatalf("ParseAt(%q) has an And of %d clauses", s, len(q.Clauses))
			}
			for _, c := range q.Clauses {
				if _, ok := c.(leakscope.And); ok {
					t.Fatalf("ParseAt(%q) has an And inside an And", s)
				}
				walk(c, depth+1)
			}
		case leakscope.Or:
			if len(q.Clauses) < 2 {
				t.Fatalf("ParseAt(%q) has an Or of %d clauses", s, len(q.Clauses))
			}
			for _, c := range q.Clauses {
				if _, ok := c.(leakscope.Or); ok {
					t.Fatalf("ParseAt(%q) has an Or inside an Or", s)
				}
				walk(c, depth+1)
			}
		case leakscope.Not:
			walk(q.Clause, depth+1)
		case leakscope.MatchAll:
			terms++
		case leakscope.Term:
			terms++
			if q.Value == "" || q.Phrase && q.Prefix {
				t.Fatalf("ParseAt(%q) has a bad term %#v", s, q)
			}
			if q.Pos < 0 || q.Pos >= len(s) {
				t.Fatalf("ParseAt(%q) term %#v has Pos outside the query", s, q)
			}
			if !q.Phrase && q.Field == leakscope.FieldText && !strings.Contains(s, q.Value) {
				t.Fatalf("ParseAt(%q) term %#v is not in the query", s, q)
			}
		case leakscope.DateRange:
			terms++
			if q.From.IsZero() && q.To.IsZero() {
				t.Fatalf("ParseAt(%q) has a date range open at both ends", s)
			}
			if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
				t.Fatalf("ParseAt(%q) has an empty date range %#v", s, q)
			}
			for _, b := range []int64{q.From.Unix(), q.To.Unix()} {
				if b%86400 != 0 {
					t.Fatalf("ParseAt(%q) has a date range bound off midnight UTC: %#v", s, q)
				}
			}
			if q.Pos < 0 || q.Pos >= len(s) {
				t.Fatalf("ParseAt(%q) date %#v has Pos outside the query", s, q)
			}
		default:
			t.Fatalf("ParseAt(%q) has an unknown node %T", s, q)
		}
	}
	walk(q, 0)
	if terms > MaxTerms {
		t.Fatalf("ParseAt(%q) has %d terms, more than %d", s, terms, MaxTerms)
	}
}
