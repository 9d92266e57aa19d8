package parse

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Sanity window for dates: outside it a date is kept with a warning.
var (
	minDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// zones are the named time zones met in mail, with their offsets in minutes.
var zones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
	"CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180,
	"MSK": 180, "MSD": 240, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
	"PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180,
	"NST": -210, "NDT": -150, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AWST": 480,
	"ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "SAST": 120,
	"CAT": 120, "EAT": 180, "WAT": 60, "PHT": 480, "ICT": 420, "WIB": 420,
}

// parseDate reads a date as written in a Date or Received header or an mbox
// From_ line: RFC 5322 first, then the broken forms seen in the wild.
// The result is in UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := commonDate(s); ok {
		return t, true
	}
	if t, err := mail.ParseDate(s); err == nil {
		// time.Parse gives unknown zone abbreviations offset 0.
		if name, off := t.Zone(); off == 0 && name != "" {
			if m, ok := zones[strings.ToUpper(name)]; ok && m != 0 {
				t = t.Add(-time.Duration(m) * time.Minute)
			}
		}
		// time.Parse reads two-digit years 50-68 as 2050-2068; RFC 5322
		// section 4.3 says 1950-1968.
		if y := t.Year(); y >= 2050 && y < 2069 && !strings.Contains(s, strconv.Itoa(y)) {
			t = t.AddDate(-100, 0, 0)
		}
		return t.UTC(), true
	}
	if t, ok := isoDate(s); ok {
		return t, true
	}
	if strings.Contains(s, "(") && !strings.HasSuffix(s, ")") {
		// Comments and white space around the clock's colons (RFC 5322
		// obsolete syntax): "09(comment):   55  :  06".
		c := strings.Join(strings.Fields(stripComments(s)), " ")
		c = strings.ReplaceAll(strings.ReplaceAll(c, " :", ":"), ": ", ":")
		if c != s && !strings.Contains(c, "(") {
			if t, ok := parseDate(c); ok {
				return t, true
			}
		}
	}
	return looseDate(s)
}

// commonDate reads the form most mail has, "Mon, 2 Jan 2006 15:04:05
// -0700" with an optional trailing comment, in one try: mail.ParseDate
// tries two dozen layouts before this one, and each failed try allocates.
func commonDate(s string) (time.Time, bool) {
	if len(s) < 30 || s[3] != ',' {
		return time.Time{}, false
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		s = strings.TrimRight(s[:i], " \t")
	}
	t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// isoDate reads ISO 8601 / RFC 3339 forms.
func isoDate(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) {
		return time.Time{}, false
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// looseDate reads a date from its tokens in any order: weekday names are
// ignored, a month name, day, year (2 or 4 digits), hh:mm[:ss] (or with
// dots), am/pm, a numeric or named zone (also GMT+0100); comments in
// parentheses and unknown words are skipped. Numeric dates d/m/y, m/d/y and
// y-m-d are read too.
func looseDate(s string) (time.Time, bool) {
	var (
		year, month, day     = -1, -1, -1
		hour, minute, second = 0, 0, 0
		haveTime             bool
		pm, am               bool
		zone                 = 0
		haveZone             bool
		commentZone          = 0
		haveCommentZone      bool
	)
	for _, tok := range dateTokens(s) {
		if tok.comment {
			if m, ok := zones[strings.ToUpper(tok.s)]; ok {
				commentZone, haveCommentZone = m, true
			}
			continue
		}
		t := tok.s
		up := strings.ToUpper(t)
		switch {
		case up == "AM" || up == "A.M.":
			am = true
		case up == "PM" || up == "P.M.":
			pm = true
		case !haveZone && (t[0] == '+' || t[0] == '-') && len(t) > 1 && isDigit(t[1]):
			if m, ok := numericZone(t[1:]); ok {
				zone, haveZone = m, true
				if t[0] == '-' {
					zone = -zone
				}
			}
		case !haveZone && isZoneName(up):
			zone, haveZone = zones[up], true
		case !haveZone && (strings.HasPrefix(up, "GMT") || strings.HasPrefix(up, "UTC")) && len(up) > 4:
			rest := strings.TrimPrefix(strings.TrimPrefix(up, "GMT"), "UTC")
			if (rest[0] == '+' || rest[0] == '-') && len(rest) > 1 {
				if m, ok := numericZone(rest[1:]); ok {
					zone, haveZone = m, true
					if rest[0] == '-' {
						zone = -zone
					}
				}
			}
		case !haveTime && strings.IndexByte(t, ':') > 0 || !haveTime && strings.Count(t, ".") == 2 && isDigit(t[0]) && day >= 0:
			h, mi, se, suffix, ok := clock(t)
			if ok {
				hour, minute, second, haveTime = h, mi, se, true
				switch strings.ToUpper(suffix) {
				case "AM":
					am = true
				case "PM":
					pm = true
				}
			}
		case len(t) >= 3 && monthOf(t) > 0 && month < 0:
			month = monthOf(t)
		case isDigits(t):
			n, _ := strconv.Atoi(t)
			switch {
			case len(t) == 4 && year < 0:
				year = n
			case len(t) <= 2 && day < 0 && n >= 1 && n <= 31:
				day = n
			case len(t) <= 2 && year < 0:
				year = twoDigitYear(n)
			}
		case strings.ContainsAny(t, "/-.") && isDigit(t[0]):
			if y, m, d, ok := numericDate(t); ok && year < 0 && month < 0 && day < 0 {
				year, month, day = y, m, d
			}
		}
	}
	if year < 0 || month < 0 || day < 0 {
		return time.Time{}, false
	}
	if pm && hour < 12 {
		hour += 12
	} else if am && hour == 12 {
		hour = 0
	}
	if hour > 23 || minute > 59 || second > 60 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	if !haveZone && haveCommentZone {
		zone = commentZone
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	return t.Add(-time.Duration(zone) * time.Minute), true
}

type dateToken struct {
	s       string
	comment bool // the content of a (comment)
}

// dateTokens splits s on white space and commas; (comments) become tokens
// of their own; "23-Apr-2001" is split on its dashes.
func dateTokens(s string) []dateToken {
	out := make([]dateToken, 0, 8)
	for s != "" {
		s = strings.TrimLeft(s, " \t\r\n,")
		if s == "" {
			break
		}
		if s[0] == '(' {
			end := strings.IndexByte(s, ')')
			if end < 0 {
				out = append(out, dateToken{s: strings.TrimSpace(s[1:]), comment: true})
				break
			}
			out = append(out, dateToken{s: strings.TrimSpace(s[1:end]), comment: true})
			s = s[end+1:]
			continue
		}
		end := strings.IndexAny(s, " \t\r\n,(")
		if end < 0 {
			end = len(s)
		}
		tok := s[:end]
		s = s[end:]
		// 23-Apr-2001 or 2001-Apr-23
		if parts := strings.Split(tok, "-"); len(parts) == 3 && monthOf(parts[1]) > 0 {
			for _, p := range parts {
				out = append(out, dateToken{s: p})
			}
			continue
		}
		// "12:41:00-0700": a zone stuck to the time
		if c := strings.IndexByte(tok, ':'); c > 0 {
			if z := strings.IndexAny(tok[c:], "+-"); z > 0 {
				out = append(out, dateToken{s: tok[:c+z]}, dateToken{s: tok[c+z:]})
				continue
			}
		}
		out = append(out, dateToken{s: tok})
	}
	return out
}

// clock reads h:mm[:ss[.frac]] (or with dots) and an am/pm suffix.
func clock(t string) (h, m, s int, suffix string, ok bool) {
	i := len(t)
	for i > 0 && !isDigit(t[i-1]) {
		i--
	}
	t, suffix = t[:i], t[i:]
	sep := ":"
	if strings.IndexByte(t, ':') < 0 {
		sep = "."
	}
	parts := strings.Split(t, sep)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, "", false
	}
	if len(parts) == 3 {
		if dot := strings.IndexByte(parts[2], '.'); dot >= 0 && sep == ":" {
			parts[2] = parts[2][:dot]
		}
	}
	var v [3]int
	for k, p := range parts {
		if p == "" || len(p) > 2 || !isDigits(p) {
			return 0, 0, 0, "", false
		}
		v[k], _ = strconv.Atoi(p)
	}
	return v[0], v[1], v[2], suffix, true
}

// numericZone reads hhmm, hh:mm, hh or h as minutes.
func numericZone(t string) (int, bool) {
	t = strings.Replace(t, ":", "", 1)
	if !isDigits(t) {
		return 0, false
	}
	n, _ := strconv.Atoi(t)
	switch len(t) {
	case 1, 2:
		n *= 100
	case 3, 4:
	default:
		return 0, false
	}
	h, m := n/100, n%100
	if h > 14 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// numericDate reads y-m-d, y/m/d, d/m/y and m/d/y (US order when ambiguous).
func numericDate(t string) (y, m, d int, ok bool) {
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for k, p := range parts {
		if !isDigits(p) || len(p) > 4 {
			return 0, 0, 0, false
		}
		v[k], _ = strconv.Atoi(p)
	}
	switch {
	case len(parts[0]) == 4:
		y, m, d = v[0], v[1], v[2]
	case v[0] > 12:
		d, m, y = v[0], v[1], v[2]
	default:
		m, d, y = v[0], v[1], v[2]
	}
	if len(parts[2]) <= 2 && len(parts[0]) != 4 {
		y = twoDigitYear(y)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// twoDigitYear follows RFC 5322 4.3: 00-49 are 2000-2049, 50-99 1950-1999.
func twoDigitYear(n int) int {
	if n < 50 {
		return 2000 + n
	}
	if n < 100 {
		return 1900 + n
	}
	return n
}

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthOf returns 1-12 for a month name or its three-letter prefix, else 0.
func monthOf(t string) int {
	if len(t) < 3 {
		return 0
	}
	p := strings.ToLower(t[:3])
	for i, m := range months {
		if p == m {
			rest := strings.ToLower(strings.TrimSuffix(t, "."))
			full := time.Month(i + 1).String()
			if len(rest) == 3 || strings.HasPrefix(strings.ToLower(full), rest) || rest == "sept" {
				return i + 1
			}
		}
	}
	return 0
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isZoneName(up string) bool {
	_, ok := zones[up]
	return ok
}
