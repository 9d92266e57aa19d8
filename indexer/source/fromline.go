package source

import (
	"bytes"
	"strings"
)

// How much a line starting with "From " looks like an mbox From_ line.
const (
	fromNone   = iota // not a From_ line ("From time to time")
	fromWeak          // a separator at the start of the file or after a blank line
	fromStrong        // a separator anywhere
)

// fromLineKind classifies line (without line ending), which starts with
// "From ". It is weak when the token after "From " contains '@', is "-"
// (Netscape) or MAILER-DAEMON, or when an asctime-like date follows;
// strong when a date follows a non-empty token, or the token is "-" with
// nothing or a date after it.
func fromLineKind(line []byte) int {
	rest, ok := bytes.CutPrefix(line, []byte("From "))
	if !ok {
		return fromNone
	}
	rest = bytes.TrimLeft(rest, " \t")
	token, after := rest, []byte(nil)
	if i := bytes.IndexAny(rest, " \t"); i >= 0 {
		token, after = rest[:i], bytes.TrimLeft(rest[i:], " \t")
	}
	dated := len(token) > 0 && isAsctimeLike(after)
	switch {
	case dated, string(token) == "-" && len(bytes.TrimSpace(after)) == 0:
		return fromStrong
	case bytes.IndexByte(token, '@') >= 0, string(token) == "-", strings.EqualFold(string(token), "MAILER-DAEMON"):
		return fromWeak
	}
	return fromNone
}

// isAsctimeLike reports whether b looks like the date of a From_ line
// ("Mon Jan  1 00:00:00 1970", "Sun, 21 Jul 1996 17:02:55 -0800"): it
// holds a time hh:mm and a month or weekday name or a four-digit year.
func isAsctimeLike(b []byte) bool {
	if !hasClock(b) {
		return false
	}
	for _, f := range bytes.FieldsFunc(b, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
		if len(f) == 3 && dateWords[strings.ToLower(string(f))] {
			return true
		}
		if len(f) == 4 && isDigits(f) && (f[0] == '1' || f[0] == '2') {
			return true
		}
	}
	return false
}

var dateWords = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "may": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "oct": true, "nov": true, "dec": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
}

// hasClock reports whether b holds h:mm or hh:mm.
func hasClock(b []byte) bool {
	for i := 1; i+2 < len(b); i++ {
		if b[i] == ':' && isDigit(b[i-1]) && isDigit(b[i+1]) && isDigit(b[i+2]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}
