package query

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// TestCanonical checks the canonical form of parsed queries and that it
// parses back to an equal tree.
func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"word", "budget", "budget"},
		{"implicit and", "a b", "a AND b"},
		{"lower-case operators", "a and b or c", "a AND b OR c"},
		{"and in or needs no parentheses", "(a b) OR c", "a AND b OR c"},
		{"or in and keeps parentheses", "(a OR b) c", "(a OR b) AND c"},
		{"not of group", "-(a b)", "NOT (a AND b)"},
		{"not of or", "NOT (a OR b)", "NOT (a OR b)"},
		{"not of word", "-a", "NOT a"},
		{"double negation", "--a", "NOT NOT a"},
		{"flattened", "((a b) (c d))", "a AND b AND c AND d"},
		{"star", "*", "*"},
		{"negated star", "-*", "NOT *"},
		{"prefix", "budg*", "budg*"},
		{"operator prefix", "and*", "and*"},
		{"phrase", `"a b"`, `"a b"`},
		{"one-word phrase stays quoted", `"budget"`, `"budget"`},
		{"phrase escapes", `"say \"hi\" \\"`, `"say \"hi\" \\"`},
		{"phrase literal backslash", `"a\b"`, `"a\b"`},
		{"phrase backslash before quote", `"a\\\"b"`, `"a\\\"b"`},
		{"quoted operator", `"or"`, `"or"`},
		{"field alias", "mailbox:amy", "custodian:amy"},
		{"field case", "From:Amy", "from:Amy"},
		{"field phrase", `from:"Amy Pascal"`, `from:"Amy Pascal"`},
		{"field prefix", "subject:merg*", "subject:merg*"},
		{"field value with colon", "folder:a:b", "folder:a:b"},
		{"field value operator", "tag:or", "tag:or"},
		{"id angles", "mid:<a@b>", "id:a@b"},
		{"severity", "severity:HIGH", "severity:high"},
		{"has", "has:attachments", "has:attachment"},
		{"time word", "10:30", "10:30"},
		{"url word", "http://x.y/z", "http://x.y/z"},
		{"date year", "date:2014", "date:2014"},
		{"date year as range", "date:2014-01-01..2014-12-31", "date:2014"},
		{"date month", "date:2014-3", "date:2014-03"},
		{"date day", "date:2014/03/05", "date:2014-03-05"},
		{"date range of months", "date:2014-01..2014-06", "date:2014..2014-06"},
		{"date range of years", "date:2001..2003", "date:2001..2003"},
		{"date range of days", "date:2014-03-05..2014-03-09", "date:2014-03-05..2014-03-09"},
		{"date range day to month", "date:2014-03-05..2014-04", "date:2014-03-05..2014-04"},
		{"date open end", "date:2001..", "after:2001"},
		{"date open start", "date:..1999-12-31", "before:2000"},
		{"date open start month", "date:..1999-11", "before:1999-12"},
		{"after", "after:2014-03-05", "after:2014-03-05"},
		{"before", "before:2014-03-05", "before:2014-03-05"},
		{"before first year", "before:1000", "before:1000"},
		{"open start last year", "date:..9999", "date:..9999"},
		{"open start last day", "date:..9999-12-31", "date:..9999"},
		{"after last day", "after:9999-12-31", "after:9999-12-31"},
		{"whole last year", "date:9999", "date:9999"},
		{"last years range", "date:1000..9999", "date:1000..9999"},
		{"today", "date:today", "date:2024-03-01"},
		{"yesterday to today", "date:yesterday..today", "date:2024-02-29..2024-03-01"},
		{"mixed", `-from:bob (subject:"q3 plan" OR has:attachment) after:2014`,
			`NOT from:bob AND (subject:"q3 plan" OR has:attachment) AND after:2014`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustParse(t, tt.in)
			got := q.String()
			if got != tt.want {
				t.Errorf("ParseAt(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			back, err := ParseAt(got, now)
			if err != nil {
				t.Fatalf("ParseAt(%q) = %v, want it to parse (canonical form of %q)", got, err, tt.in)
			}
			if !reflect.DeepEqual(stripPos(back), stripPos(q)) {
				t.Errorf("ParseAt(%q) = %#v, want %#v", got, back, q)
			}
		})
	}
}

// TestStringBuilt checks String on trees built by hand, as the search
// package or a test would.
func TestStringBuilt(t *testing.T) {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    leakscope.Query
		want string
	}{
		{"word", word("a"), "a"},
		{"word needing quotes", word("a b"), `"a b"`},
		{"operator word", word("OR"), `"OR"`},
		{"dash word", word("-a"), `"-a"`},
		{"field-like word", word("re:x"), `"re:x"`},
		{"star in word", word("a*b"), `"a*b"`},
		{"empty word", word(""), `""`},
		{"field operator value", field("tag", "AND"), "tag:AND"},
		{"field dash value", field("from", "-x"), "from:-x"},
		{"field value with space", field("folder", "Sent Items"), `folder:"Sent Items"`},
		{"unicode space", word("a\u00a0b"), "\"a\u00a0b\""},
		{"quote and backslash", phrase(`a"b\`), `"a\"b\\"`},
		{"nested same kind", and(and(word("a"), word("b")), word("c")), "(a AND b) AND c"},
		{"or inside or", or(or(word("a"), word("b")), word("c")), "(a OR b) OR c"},
		{"and inside or", or(and(word("a"), word("b")), word("c")), "a AND b OR c"},
		{"not of not", not(not(word("a"))), "NOT NOT a"},
		{"not of and", not(and(word("a"), word("b"))), "NOT (a AND b)"},
		{"date non-UTC instant", leakscope.DateRange{From: time.Date(2014, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 0))}, "after:2014"},
		{"date both open", leakscope.DateRange{}, "date:.."},
		{"date one day", leakscope.DateRange{From: d(2014, 2, 28), To: d(2014, 3, 1)}, "date:2014-02-28"},
		{"date across years", leakscope.DateRange{From: d(2013, 12, 1), To: d(2014, 2, 1)}, "date:2013-12..2014-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

// TestCanonicalTooLong documents the one exception to the round trip: the
// canonical form of a query close to MaxLength can be longer than it.
func TestCanonicalTooLong(t *testing.T) {
	in := strings.Repeat("-date:2014..2015 ", 240)
	canon := mustParse(t, in).String()
	if len(in) > MaxLength || len(canon) <= MaxLength {
		t.Fatalf("test needs len(in) = %d <= %d < len(canonical) = %d", len(in), MaxLength, len(canon))
	}
	_, err := ParseAt(canon, now)
	checkError(t, canon, err, MaxLength, "query is too long")
}
