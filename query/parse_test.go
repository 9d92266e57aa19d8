package query

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want leakscope.Query
	}{
		// words, phrases, prefixes
		{"word", "budget", word("budget")},
		{"surrounding space", " \t budget\n ", word("budget")},
		{"unicode space separates", "a\u00a0b\u2003c", and(word("a"), word("b"), word("c"))},
		{"non-ascii word", "Müller", word("Müller")},
		{"phrase", `"quarterly budget"`, phrase("quarterly budget")},
		{"phrase of one word", `"budget"`, phrase("budget")},
		{"phrase escapes", `"say \"hi\" \\o/"`, phrase(`say "hi" \o/`)},
		{"phrase other backslash kept", `"C:\temp\x"`, phrase(`C:\temp\x`)},
		{"phrase keeps operators", `"a OR b"`, phrase("a OR b")},
		{"phrase keeps star", `"a*"`, phrase("a*")},
		{"quoted operator", `"and"`, phrase("and")},
		{"phrase then word without space", `"a b"c`, and(phrase("a b"), word("c"))},
		{"prefix", "budg*", prefix("budg")},
		{"operator prefix is a word", "or*", prefix("or")},
		{"lone star", "*", leakscope.MatchAll{}},
		{"star with others", "* -spam", and(leakscope.MatchAll{}, not(word("spam")))},
		{"hyphen inside word", "e-mail", word("e-mail")},
		{"time is a word", "10:30", word("10:30")},
		{"url is a word", "http://example.com/a?b=c", word("http://example.com/a?b=c")},
		{"digits before colon", "1:1", word("1:1")},
		{"colon first", ":x", word(":x")},
		{"backslash in bare word", `a\b`, word(`a\b`)},

		// fields
		{"from", "from:bob@example.com", field("from", "bob@example.com")},
		{"field case-insensitive", "FROM:Bob", field("from", "Bob")},
		{"to", "to:alice", field("to", "alice")},
		{"cc", "cc:carol", field("cc", "carol")},
		{"bcc", "bcc:dave", field("bcc", "dave")},
		{"subject", "subject:merger", field("subject", "merger")},
		{"body", "body:merger", field("body", "merger")},
		{"attachment", "attachment:plan.xls", field("attachment", "plan.xls")},
		{"attach alias", "attach:plan.xls", field("attachment", "plan.xls")},
		{"filename alias", "FileName:plan.xls", field("attachment", "plan.xls")},
		{"id", "id:abc@example.com", field("id", "abc@example.com")},
		{"id strips angles", "id:<abc@example.com>", field("id", "abc@example.com")},
		{"mid alias strips angles", "mid:<<abc@x>>", field("id", "abc@x")},
		{"id keeps lone angle", "id:<abc", field("id", "<abc")},
		{"id quoted strips angles", `id:"<a b@x>"`, leakscope.Term{Field: "id", Value: "a b@x", Phrase: true}},
		{"id prefix strips angles", "id:<abc>*", leakscope.Term{Field: "id", Value: "abc", Prefix: true}},
		{"thread", "thread:00ab", field("thread", "00ab")},
		{"value field", "ssn:536-22-1847", field("ssn", "536-22-1847")},
		{"value field with underscore", "CREDIT_CARD:4556737586899855", field("credit_card", "4556737586899855")},
		{"value field phrase", `credit_card:"4556 7375 8689 9855"`, leakscope.Term{Field: "credit_card", Value: "4556 7375 8689 9855", Phrase: true}},
		{"value field star quoted", `credential:"abc*"`, leakscope.Term{Field: "credential", Value: "abc*", Phrase: true}},
		{"birth date is a value, not a range", "date_of_birth:1979-05-06", field("date_of_birth", "1979-05-06")},
		{"leak", "leak:sony", field("leak", "sony")},
		{"batch", "batch:wave-2", field("batch", "wave-2")},
		{"custodian", "custodian:amy.pascal", field("custodian", "amy.pascal")},
		{"mailbox alias", "mailbox:amy.pascal", field("custodian", "amy.pascal")},
		{"folder", "folder:Inbox/Deals", field("folder", "Inbox/Deals")},
		{"flag", "flag:ssn", field("flag", "ssn")},
		{"severity lower-cased", "severity:HIGH", field("severity", "high")},
		{"severity low", "severity:low", field("severity", "low")},
		{"severity medium", "severity:Medium", field("severity", "medium")},
		{"severity critical", "severity:critical", field("severity", "critical")},
		{"severity quoted", `severity:"high"`, field("severity", "high")},
		{"tag", "tag:privileged", field("tag", "privileged")},
		{"has attachment", "has:attachment", field("has", "attachment")},
		{"has attachments", "HAS:Attachments", field("has", "attachment")},
		{"field phrase", `from:"Amy Pascal"`, leakscope.Term{Field: "from", Value: "Amy Pascal", Phrase: true}},
		{"field prefix", "from:amy*", leakscope.Term{Field: "from", Value: "amy", Prefix: true}},
		{"field value with colon", "folder:a:b", field("folder", "a:b")},
		{"field value operator", "tag:OR", field("tag", "OR")},
		{"field value dash", "from:-x", field("from", "-x")},
		{"field value url", "body:http://x", field("body", "http://x")},
		{"negated field", "-from:bob", not(field("from", "bob"))},

		// boolean structure
		{"implicit and", "a b c", and(word("a"), word("b"), word("c"))},
		{"explicit and", "a AND b", and(word("a"), word("b"))},
		{"or", "a OR b", or(word("a"), word("b"))},
		{"lower-case operators", "a and b or not c", or(and(word("a"), word("b")), not(word("c")))},
		{"mixed-case operators", "a Or b", or(word("a"), word("b"))},
		{"and binds tighter than or", "a b OR c d", or(and(word("a"), word("b")), and(word("c"), word("d")))},
		{"not binds tighter than and", "NOT a b", and(not(word("a")), word("b"))},
		{"minus", "-a", not(word("a"))},
		{"minus group", "-(a b)", not(and(word("a"), word("b")))},
		{"minus phrase", `-"a b"`, not(phrase("a b"))},
		{"minus star", "-*", not(leakscope.MatchAll{})},
		{"double negation", "NOT -a", not(not(word("a")))},
		{"only negations", "-a -b", and(not(word("a")), not(word("b")))},
		{"parentheses", "(a OR b) c", and(or(word("a"), word("b")), word("c"))},
		{"redundant parentheses", "((a))", word("a")},
		{"flatten and", "(a b) (c (d e))", and(word("a"), word("b"), word("c"), word("d"), word("e"))},
		{"flatten or", "(a OR b) OR (c OR (d OR e))", or(word("a"), word("b"), word("c"), word("d"), word("e"))},
		{"no flatten across kinds", "(a OR b) (c OR d)", and(or(word("a"), word("b")), or(word("c"), word("d")))},
		{"no flatten through not", "a -(b c)", and(word("a"), not(and(word("b"), word("c"))))},
		{"parenthesis ends word", "(a)b", and(word("a"), word("b"))},
		{"or of negations", "-a OR -b", or(not(word("a")), not(word("b")))},
		{"and before group", "a AND (b OR c)", and(word("a"), or(word("b"), word("c")))},

		// dates (now is 2024-03-01 in its own zone)
		{"date year", "date:2014", dates(t, "2014-01-01", "2015-01-01")},
		{"date month", "date:2014-03", dates(t, "2014-03-01", "2014-04-01")},
		{"date day", "date:2014-03-05", dates(t, "2014-03-05", "2014-03-06")},
		{"date slashes", "date:2014/03/05", dates(t, "2014-03-05", "2014-03-06")},
		{"date one-digit month and day", "date:2014-3-5", dates(t, "2014-03-05", "2014-03-06")},
		{"date range", "date:2014-01..2014-06", dates(t, "2014-01-01", "2014-07-01")},
		{"date range same day", "date:2014-01-05..2014-01-05", dates(t, "2014-01-05", "2014-01-06")},
		{"date range mixed", "date:2014-03-05..2015", dates(t, "2014-03-05", "2016-01-01")},
		{"date open end", "date:2001..", dates(t, "2001-01-01", "")},
		{"date open start", "date:..1999-12-31", dates(t, "", "2000-01-01")},
		{"date leap day", "date:2016-02-29", dates(t, "2016-02-29", "2016-03-01")},
		{"date december", "date:2014-12", dates(t, "2014-12-01", "2015-01-01")},
		{"date quoted", `date:"2014"`, dates(t, "2014-01-01", "2015-01-01")},
		{"date today", "date:today", dates(t, "2024-03-01", "2024-03-02")},
		{"date yesterday", "date:Yesterday", dates(t, "2024-02-29", "2024-03-01")},
		{"date relative range", "date:yesterday..today", dates(t, "2024-02-29", "2024-03-02")},
		{"after", "after:2014-03-05", dates(t, "2014-03-05", "")},
		{"after year", "after:2014", dates(t, "2014-01-01", "")},
		{"before", "before:2014-03-05", dates(t, "", "2014-03-05")},
		{"before month", "before:2014-03", dates(t, "", "2014-03-01")},
		{"before today", "before:today", dates(t, "", "2024-03-01")},
		{"after and before", "after:2014 before:2015", and(dates(t, "2014-01-01", ""), dates(t, "", "2015-01-01"))},
		{"date field case", "DATE:2014", dates(t, "2014-01-01", "2015-01-01")},
		{"date year 9999", "date:9999", leakscope.DateRange{From: day(t, "9999-01-01"), To: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"date year 1000", "date:1000..", dates(t, "1000-01-01", "")},
		{"negated date", "-date:2014", not(dates(t, "2014-01-01", "2015-01-01"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAt(tt.in, now)
			if err != nil {
				t.Fatalf("ParseAt(%q) = %v, want %v", tt.in, err, tt.want)
			}
			if got := stripPos(got); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAt(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

// TestParsePositions checks the byte offsets recorded in the leaves.
func TestParsePositions(t *testing.T) {
	q := mustParse(t, `a  -from:bob ("x y" OR after:2014) ünï z*`)
	want := and(
		leakscope.Term{Value: "a", Pos: 0},
		not(leakscope.Term{Field: "from", Value: "bob", Pos: 4}),
		or(leakscope.Term{Value: "x y", Phrase: true, Pos: 14},
			leakscope.DateRange{From: day(t, "2014-01-01"), Pos: 23}),
		leakscope.Term{Value: "ünï", Pos: 35},
		leakscope.Term{Value: "z", Prefix: true, Pos: 41},
	)
	if !reflect.DeepEqual(q, want) {
		t.Errorf("ParseAt positions = %#v, want %#v", q, want)
	}
}

// TestParseUsesClock checks that Parse resolves today with the real clock.
func TestParseUsesClock(t *testing.T) {
	q, err := Parse("date:today")
	if err != nil {
		t.Fatalf("Parse(%q) = %v, want no error", "date:today", err)
	}
	dr, ok := q.(leakscope.DateRange)
	if !ok {
		t.Fatalf("Parse(%q) = %#v, want a DateRange", "date:today", q)
	}
	if got, want := dr.To.Sub(dr.From).Hours(), 24.0; got != want {
		t.Errorf("Parse(%q) spans %v hours, want %v", "date:today", got, want)
	}
}

// TestParseLimits checks that the limits are errors exactly when passed.
func TestParseLimits(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // "" for success
		wantPos int
	}{
		{"longest query", strings.Repeat("a", MaxLength), "", 0},
		{"too long", strings.Repeat("a", MaxLength+1), "too long", MaxLength},
		{"deepest parentheses", strings.Repeat("(", MaxDepth) + "a" + strings.Repeat(")", MaxDepth), "", 0},
		{"too deep parentheses", strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1), "nested too deeply", MaxDepth},
		{"deepest negation", strings.Repeat("-", MaxDepth) + "a", "", 0},
		{"too deep negation", strings.Repeat("-", MaxDepth+1) + "a", "nested too deeply", MaxDepth},
		{"too deep mixed", strings.Repeat("NOT (", 33) + "a" + strings.Repeat(")", 33), "nested too deeply", 32 * 5},
		{"hostile nesting", strings.Repeat("(", MaxLength), "nested too deeply", MaxDepth},
		{"hostile negation", strings.Repeat("-", MaxLength-1) + "a", "nested too deeply", MaxDepth},
		{"most terms", strings.Repeat("a ", MaxTerms), "", 0},
		{"too many terms", strings.Repeat("a ", MaxTerms+1), "too many terms", 2 * MaxTerms},
		{"too many stars", strings.Repeat("* OR ", MaxTerms) + "*", "too many terms", 5 * MaxTerms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAt(tt.in, now)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseAt(%.20q...) = %v, want no error", tt.in, err)
				}
				return
			}
			checkError(t, tt.in, err, tt.wantPos, tt.wantErr)
		})
	}
}
