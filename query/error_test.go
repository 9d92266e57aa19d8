package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// checkError fails unless err is a *leakscope.QueryError for query in at
// byte offset wantPos whose message contains every part of wantMsg
// (separated by '|').
func checkError(t *testing.T, in string, err error, wantPos int, wantMsg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("ParseAt(%q) = no error, want error at %d containing %q", in, wantPos, wantMsg)
	}
	var qe *leakscope.QueryError
	if !errors.As(err, &qe) {
		t.Fatalf("ParseAt(%q) error = %T %v, want *leakscope.QueryError", in, err, err)
	}
	if !errors.Is(err, leakscope.ErrInvalidQuery) {
		t.Errorf("errors.Is(ParseAt(%q) error, ErrInvalidQuery) = false, want true", in)
	}
	if qe.Query != in {
		t.Errorf("ParseAt(%q) error Query = %q, want the query", in, qe.Query)
	}
	if qe.Pos != wantPos {
		t.Errorf("ParseAt(%q) error Pos = %d (%v), want %d", in, qe.Pos, err, wantPos)
	}
	for _, part := range strings.Split(wantMsg, "|") {
		if !strings.Contains(qe.Msg, part) {
			t.Errorf("ParseAt(%q) error = %q, want it to contain %q", in, qe.Msg, part)
		}
	}
	if qe.Msg != strings.ToLower(qe.Msg[:1])+qe.Msg[1:] || strings.HasSuffix(qe.Msg, ".") {
		t.Errorf("ParseAt(%q) error = %q, want a lowercase start and no final period", in, qe.Msg)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantPos int
		wantMsg string
	}{
		{"empty", "", 0, "empty query"},
		{"blank", " \t\n", 0, "empty query"},

		{"unclosed parenthesis", "a (b c", 2, "'(' is never closed"},
		{"unclosed outer parenthesis", "((a) b", 0, "'(' is never closed"},
		{"extra closing parenthesis", "a b)", 3, "')' has no matching '('"},
		{"leading closing parenthesis", ") a", 0, "')' has no matching '('"},
		{"closing after group", "(a))", 3, "')' has no matching '('"},
		{"empty parentheses", "a ( ) b", 2, "empty parentheses"},

		{"unterminated quote", `a "b c`, 2, "unterminated quote"},
		{"unterminated after escape", `"b\"`, 0, "unterminated quote"},
		{"unterminated field phrase", `from:"amy`, 5, "unterminated quote"},
		{"empty phrase", `a ""`, 2, "empty phrase"},
		{"blank phrase", `"  "`, 0, "empty phrase"},
		{"star after phrase", `"a b"*`, 5, "'*' cannot follow a quoted phrase"},
		{"star after field phrase", `from:"a"*`, 8, "'*' cannot follow a quoted phrase"},

		{"or without right", "a OR", 2, "missing a term after OR"},
		{"or without left", "OR a", 0, "missing a term before OR"},
		{"and without left", "AND b", 0, "missing a term before AND"},
		{"and without right", "a AND", 2, "missing a term after AND"},
		{"and then or", "a AND OR b", 2, "missing a term after AND"},
		{"or then or", "a OR OR b", 2, "missing a term after OR"},
		{"or before closing", "(a OR) b", 3, "missing a term after OR"},
		{"or after opening", "(OR a)", 1, "missing a term before OR"},
		{"not alone", "NOT", 0, "missing a term or group after NOT"},
		{"not at end", "a not", 2, "missing a term or group after NOT"},
		{"not before or", "NOT OR a", 0, "missing a term or group after NOT"},
		{"lone minus", "a - b", 2, "missing a term or group directly after '-'"},
		{"minus at end", "a -", 2, "missing a term or group directly after '-'"},
		{"minus before closing", "(a -)", 3, "missing a term or group directly after '-'"},
		{"minus before operator", "-OR a", 0, "missing a term or group directly after '-'"},

		{"empty field value", "from:", 5, "from: has no value"},
		{"field value after space", "from: bob", 5, "from: has no value|no space after the colon"},
		{"empty field phrase", `to:""`, 3, "to: has an empty value"},
		{"field star only", "from:*", 5, "at least one character before '*'"},
		{"field group", "from:(a b)", 5, "groups are not supported|(from:a OR from:b)"},
		{"unknown field", "frm:bob", 0, `unknown field "frm"|known fields: from, to`},
		{"unknown field keeps case", "a Re:hello", 2, `unknown field "Re"`},
		{"unknown field lists aliases", "x:y", 0, "attachment (attach, filename)|custodian (mailbox)|before, after"},
		{"unknown field mailto", "mailto:x@y", 0, `unknown field "mailto"`},
		{"unknown field with underscore", "a draft_notes:x", 2, `unknown field "draft_notes"|value fields ssn, credit_card`},
		{"value field prefix", "ssn:536*", 7, "ssn: takes a whole value, never a prefix"},
		{"empty id", "id:<>", 3, "id: has an empty value"},

		{"star inside word", "fo*o", 2, "'*' is only allowed at the end of a word"},
		{"leading star", "*foo", 0, "'*' is only allowed at the end"},
		{"double star", "foo**", 3, "'*' is only allowed at the end"},
		{"star inside field value", "from:a*b", 6, "'*' is only allowed at the end"},

		{"bad severity", "severity:urgent", 9, `unknown severity "urgent"|low, medium, high or critical`},
		{"severity prefix", "severity:hi*", 9, `unknown severity "hi*"`},
		{"bad has", "a has:pdf", 6, `has: does not take "pdf"|has:attachment`},

		{"bad month", "date:2014-13", 10, `bad date "2014-13"|month must be 01 to 12`},
		{"month zero", "date:2014-00", 10, "month must be 01 to 12"},
		{"bad day", "date:2014-02-30", 13, `bad date "2014-02-30"|day must be 01 to 28 in 2014-02`},
		{"leap day in common year", "date:2015-02-29", 13, "day must be 01 to 28"},
		{"day zero", "date:2014-01-00", 13, "day must be 01 to 31"},
		{"bad day in range end", "date:2014..2014-04-31", 19, `bad date "2014-04-31"`},
		{"malformed date", "date:March", 5, `bad date "March"|YYYY-MM-DD`},
		{"short year", "date:14", 5, `bad date "14"`},
		{"long year", "date:20145", 5, `bad date "20145"`},
		{"three-digit month", "date:2014-011", 5, `bad date "2014-011"`},
		{"mixed separators", "date:2014-01/05", 5, `bad date "2014-01/05"`},
		{"trailing separator", "date:2014-", 5, `bad date "2014-"`},
		{"too many parts", "date:2014-01-02-03", 5, `bad date "2014-01-02-03"`},
		{"early year", "date:0999", 5, "year must be 1000 or later"},
		{"bad range start", "date:x..2014", 5, `bad date "x"`},
		{"bad range end", "date:2014..x", 11, `bad date "x"`},
		{"triple dots", "date:2014...2015", 11, `bad date ".2015"`},
		{"two ranges", "date:2014..2015..2016", 11, `bad date "2015..2016"`},
		{"reversed range", "date:2014-06..2014-01", 14, "date range ends (2014-01) before it starts (2014-06)"},
		{"reversed relative range", "date:today..yesterday", 12, "ends (yesterday) before it starts (today)"},
		{"open both ends", "date:..", 5, "date range needs a start, an end or both"},
		{"before with range", "before:2014..2015", 7, "before: takes one date, not a range"},
		{"after with range", "after:..2015", 6, "after: takes one date"},
		{"empty before", "before:", 7, "before: has no value"},
		{"date prefix", "date:2014*", 5, `bad date "2014*"`},
		{"quoted bad date", `date:"2014-13"`, 11, "month must be 01 to 12"},

		{"first error wins", `frm:x "open`, 0, "unknown field"},
		{"parse error before lexical error", `) "open`, 0, "')' has no matching '('"},
		{"lexical error after operator", `a OR "open`, 5, "unterminated quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseAt(tt.in, now)
			if err == nil {
				t.Fatalf("ParseAt(%q) = %v, want error at %d containing %q", tt.in, q, tt.wantPos, tt.wantMsg)
			}
			checkError(t, tt.in, err, tt.wantPos, tt.wantMsg)
		})
	}
}

// TestParseErrorText checks the text a user sees: a 1-based position.
func TestParseErrorText(t *testing.T) {
	_, err := ParseAt("a OR", now)
	if got, want := err.Error(), "invalid query at position 3: missing a term after OR"; got != want {
		t.Errorf("ParseAt(%q) error = %q, want %q", "a OR", got, want)
	}
}
