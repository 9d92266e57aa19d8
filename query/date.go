package query

import (
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// badPart is an error found inside a value, at byte offset pos of the query.
type badPart struct {
	pos int
	msg string
}

// dateFormats is the help appended to a malformed date.
const dateFormats = "use YYYY, YYYY-MM, YYYY-MM-DD (or with '/'), today or yesterday"

// parseDateValue builds the DateRange of the value v of a date:, before:
// or after: term; v starts at byte offset pos of the query.
//
//	date:A..B  [start of A, start of the period after B); either end may be empty
//	date:A     [start of A, start of the period after A)
//	after:A    [start of A, open)
//	before:A   (open, start of A)
func parseDateValue(field, v string, pos int, now time.Time) (leakscope.DateRange, *badPart) {
	a, b, isRange := strings.Cut(v, "..")
	if field != leakscope.FieldDate {
		if isRange {
			return leakscope.DateRange{}, &badPart{pos, field + ": takes one date, not a range; write date:A..B for a range"}
		}
		start, _, bad := parseDate(v, pos, now)
		if bad != nil {
			return leakscope.DateRange{}, bad
		}
		if field == fieldAfter {
			return leakscope.DateRange{From: start}, nil
		}
		return leakscope.DateRange{To: start}, nil
	}
	if !isRange {
		start, next, bad := parseDate(v, pos, now)
		return leakscope.DateRange{From: start, To: next}, bad
	}
	if a == "" && b == "" {
		return leakscope.DateRange{}, &badPart{pos, "date range needs a start, an end or both, as in date:2014-01..2014-06"}
	}
	var dr leakscope.DateRange
	var bad *badPart
	if a != "" {
		if dr.From, _, bad = parseDate(a, pos, now); bad != nil {
			return leakscope.DateRange{}, bad
		}
	}
	bpos := pos + len(a) + len("..")
	if b != "" {
		if _, dr.To, bad = parseDate(b, bpos, now); bad != nil {
			return leakscope.DateRange{}, bad
		}
	}
	if a != "" && b != "" && !dr.From.Before(dr.To) {
		return leakscope.DateRange{}, &badPart{bpos, fmt.Sprintf("date range ends (%s) before it starts (%s)", b, a)}
	}
	return dr, nil
}

// parseDate parses one date, s, found at byte offset pos, and returns the
// start of the period it names (a year, a month or a day) and the start of
// the next period, both at midnight UTC. today and yesterday are the
// calendar days of now in now's location.
func parseDate(s string, pos int, now time.Time) (start, next time.Time, bad *badPart) {
	switch strings.ToLower(s) {
	case "today":
		d := midnight(now)
		return d, d.AddDate(0, 0, 1), nil
	case "yesterday":
		d := midnight(now).AddDate(0, 0, -1)
		return d, d.AddDate(0, 0, 1), nil
	}
	malformed := func() (time.Time, time.Time, *badPart) {
		return time.Time{}, time.Time{}, &badPart{pos, fmt.Sprintf("bad date %q: %s", s, dateFormats)}
	}
	if len(s) < 4 || !isDigits(s[:4], 4) {
		return malformed()
	}
	year := atoi(s[:4])
	if year < 1000 {
		return start, next, &badPart{pos, fmt.Sprintf("bad date %q: the year must be 1000 or later", s)}
	}
	if len(s) == 4 {
		start = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(1, 0, 0), nil
	}
	sep := s[4]
	if sep != '-' && sep != '/' {
		return malformed()
	}
	parts := strings.Split(s[5:], string(sep))
	if len(parts) > 2 || !isDigits(parts[0], 2) {
		return malformed()
	}
	mpos := pos + 5
	month := atoi(parts[0])
	if month < 1 || month > 12 {
		return start, next, &badPart{mpos, fmt.Sprintf("bad date %q: the month must be 01 to 12", s)}
	}
	if len(parts) == 1 {
		start = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0), nil
	}
	if !isDigits(parts[1], 2) {
		return malformed()
	}
	dpos := mpos + len(parts[0]) + 1
	day, days := atoi(parts[1]), daysIn(year, month)
	if day < 1 || day > days {
		return start, next, &badPart{dpos, fmt.Sprintf("bad date %q: the day must be 01 to %d in %04d-%02d", s, days, year, month)}
	}
	start = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 0, 1), nil
}

// midnight returns the start, in UTC, of now's calendar day.
func midnight(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysIn returns the number of days in a month.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// isDigits reports whether s is 1 to maxLen ASCII digits.
func isDigits(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a short string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
