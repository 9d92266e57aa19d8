package query

import (
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// now is the clock of every test: 2024-03-01 in New York, already
// 2024-03-02 in UTC, so that today follows now's location.
var now = time.Date(2024, 3, 1, 21, 30, 0, 0, time.FixedZone("EST", -5*3600))

func word(v string) leakscope.Term { return leakscope.Term{Value: v} }
func phrase(v string) leakscope.Term {
	return leakscope.Term{Value: v, Phrase: true}
}
func prefix(v string) leakscope.Term {
	return leakscope.Term{Value: v, Prefix: true}
}
func field(f, v string) leakscope.Term { return leakscope.Term{Field: f, Value: v} }
func and(qs ...leakscope.Query) leakscope.And {
	return leakscope.And{Clauses: qs}
}
func or(qs ...leakscope.Query) leakscope.Or { return leakscope.Or{Clauses: qs} }
func not(q leakscope.Query) leakscope.Not   { return leakscope.Not{Clause: q} }

// day parses YYYY-MM-DD as midnight UTC; "" is the zero time (open).
func day(t testing.TB, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// dates builds a DateRange from from (inclusive) to to (exclusive).
func dates(t testing.TB, from, to string) leakscope.DateRange {
	t.Helper()
	return leakscope.DateRange{From: day(t, from), To: day(t, to)}
}

// stripPos returns q with every position set to 0, to compare trees.
func stripPos(q leakscope.Query) leakscope.Query {
	switch q := q.(type) {
	case leakscope.And:
		cs := make([]leakscope.Query, len(q.Clauses))
		for i, c := range q.Clauses {
			cs[i] = stripPos(c)
		}
		return leakscope.And{Clauses: cs}
	case leakscope.Or:
		cs := make([]leakscope.Query, len(q.Clauses))
		for i, c := range q.Clauses {
			cs[i] = stripPos(c)
		}
		return leakscope.Or{Clauses: cs}
	case leakscope.Not:
		return leakscope.Not{Clause: stripPos(q.Clause)}
	case leakscope.Term:
		q.Pos = 0
		return q
	case leakscope.DateRange:
		q.Pos = 0
		return q
	}
	return q
}

// mustParse parses s at now and fails the test on error.
func mustParse(t testing.TB, s string) leakscope.Query {
	t.Helper()
	q, err := ParseAt(s, now)
	if err != nil {
		t.Fatalf("ParseAt(%q) = %v, want no error", s, err)
	}
	return q
}
