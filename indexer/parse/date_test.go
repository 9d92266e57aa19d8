package parse

import (
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in, want string // want is RFC 3339 in UTC, "" when unreadable
	}{
		{"rfc 5322", "Mon, 2 Jan 2006 15:04:05 +0000", "2006-01-02T15:04:05Z"},
		{"rfc 5322 with comment", "Mon, 29 Oct 2001 16:34:23 -0800 (PST)", "2001-10-30T00:34:23Z"},
		{"two-digit day", "Mon, 02 Jan 2006 15:04:05 -0130", "2006-01-02T16:34:05Z"},
		{"no day name", "2 Jan 2006 15:04:05 +0100", "2006-01-02T14:04:05Z"},
		{"no seconds", "Mon, 2 Jan 2006 15:04 +0000", "2006-01-02T15:04:00Z"},
		{"folded", "Mon, 2 Jan 2006\r\n 15:04:05 +0000", "2006-01-02T15:04:05Z"},
		{"obsolete zone EST", "Mon, 2 Jan 2006 15:04:05 EST", "2006-01-02T20:04:05Z"},
		{"obsolete zone PDT", "Mon, 2 Jan 2006 15:04:05 PDT", "2006-01-02T22:04:05Z"},
		{"obsolete zone GMT", "Mon, 2 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z"},
		{"obsolete zone UT", "Mon, 2 Jan 2006 15:04:05 UT", "2006-01-02T15:04:05Z"},
		{"zone name CEST", "Mon, 2 Jan 2006 15:04:05 CEST", "2006-01-02T13:04:05Z"},
		{"zone only in comment", "Mon, 2 Jan 2006 15:04:05 (EST)", "2006-01-02T20:04:05Z"},
		{"GMT+0100", "Mon, 2 Jan 2006 15:04:05 GMT+0100", "2006-01-02T14:04:05Z"},
		{"two-digit year 06", "Mon, 2 Jan 06 15:04:05 +0000", "2006-01-02T15:04:05Z"},
		{"two-digit year 99", "Fri, 1 Jan 99 00:00:00 +0000", "1999-01-01T00:00:00Z"},
		{"two-digit year 49", "1 Jan 49 00:00:00 +0000", "2049-01-01T00:00:00Z"},
		{"two-digit year 50", "1 Jan 50 00:00:00 +0000", "1950-01-01T00:00:00Z"},
		{"long names and am/pm", "Monday, January 2, 2006 3:04 PM", "2006-01-02T15:04:00Z"},
		{"12 am", "2 Jan 2006 12:30 am", "2006-01-02T00:30:00Z"},
		{"dashed date and stuck zone", "Tue, 23-Apr-2001 12:41:00-0700", "2001-04-23T19:41:00Z"},
		{"dotted time", "Mon, 2 Jan 2006 15.04.05 +0000", "2006-01-02T15:04:05Z"},
		{"iso 8601", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05Z"},
		{"iso 8601 with offset", "2006-01-02T15:04:05+02:00", "2006-01-02T13:04:05Z"},
		{"iso with space", "2006-01-02 15:04:05 -0700", "2006-01-02T22:04:05Z"},
		{"us numeric", "01/02/2006 10:00", "2006-01-02T10:00:00Z"},
		{"european numeric", "13/01/2006 10:00", "2006-01-13T10:00:00Z"},
		{"asctime", "Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05Z"},
		{"empty", "", ""},
		{"garbage", "yesterday at noon", ""},
		{"day out of range", "Mon, 32 Jan 2006 15:04:05 +0000", ""},
		{"30 February", "30 Feb 2006 10:00:00 +0000", ""},
		{"hour out of range", "Mon, 2 Jan 2006 25:04:05 +0000", ""},
		{"no year", "Mon, 2 Jan 15:04:05 +0000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			gotS := ""
			if ok {
				gotS = got.Format(time.RFC3339)
				if got.Location() != time.UTC {
					t.Errorf("parseDate(%q) location %v, want UTC", tt.in, got.Location())
				}
			}
			if gotS != tt.want {
				t.Errorf("parseDate(%q) = %q, want %q", tt.in, gotS, tt.want)
			}
		})
	}
}

func TestDateFallback(t *testing.T) {
	const received = "Received: from mx.example.com by mail.example.com; Tue, 3 Jan 2006 10:00:00 +0000"
	const older = "Received: from a by mx.example.com; Tue, 3 Jan 2006 09:59:00 +0000"
	tests := []struct {
		name     string
		header   []string
		fromLine string
		want     string // RFC 3339 UTC, "" for the zero time
		source   string
		warns    []string // details of the "date" warnings, in order
	}{
		{"date header", []string{"Date: Mon, 2 Jan 2006 15:04:05 +0000", received}, "", "2006-01-02T15:04:05Z", leakscope.DateFromHeader, nil},
		{"missing date: received", []string{received, older}, "", "2006-01-03T10:00:00Z", leakscope.DateFromReceived,
			[]string{"no Date field", "date taken from the Received field"}},
		{"garbage date: received", []string{"Date: someday", received}, "", "2006-01-03T10:00:00Z", leakscope.DateFromReceived,
			[]string{"Date field not readable", "date taken from the Received field"}},
		{"received without date skipped", []string{"Received: from a by b", older}, "", "2006-01-03T09:59:00Z", leakscope.DateFromReceived,
			[]string{"no Date field", "date taken from the Received field"}},
		{"missing date: from line", nil, "MAILER-DAEMON Thu Jan  5 10:00:00 2006", "2006-01-05T10:00:00Z", leakscope.DateFromLine,
			[]string{"no Date field", "date taken from the mbox From_ line"}},
		{"received beats from line", []string{received}, "MAILER-DAEMON Thu Jan  5 10:00:00 2006", "2006-01-03T10:00:00Z", leakscope.DateFromReceived,
			[]string{"no Date field", "date taken from the Received field"}},
		{"no date at all", []string{"Date: garbage"}, "", "", leakscope.DateNone,
			[]string{"Date field not readable", "no date found"}},
		{"date out of range kept", []string{"Date: Mon, 2 Jan 1950 15:04:05 +0000"}, "", "1950-01-02T15:04:05Z", leakscope.DateFromHeader,
			[]string{"date 1950-01-02T15:04:05Z is outside 1970..2100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := joinCRLF(append(append([]string{"From: a@example.com"}, tt.header...), "", "body")...)
			p, err := Parse([]byte(raw), tt.fromLine, Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := p.Message
			got := ""
			if !m.Date.IsZero() {
				got = m.Date.Format(time.RFC3339)
			}
			if got != tt.want || m.DateSource != tt.source {
				t.Errorf("Date, DateSource = %q, %q, want %q, %q", got, m.DateSource, tt.want, tt.source)
			}
			var warns []string
			for _, w := range m.Warnings {
				if w.Code == leakscope.WarnDate {
					warns = append(warns, w.Detail)
				}
			}
			if len(warns) != len(tt.warns) {
				t.Fatalf("date warnings = %q, want %q", warns, tt.warns)
			}
			for i := range warns {
				if warns[i] != tt.warns[i] {
					t.Errorf("date warning %d = %q, want %q", i, warns[i], tt.warns[i])
				}
			}
		})
	}
}

func TestDateRawKept(t *testing.T) {
	p := mustParse(t, simpleSubject("x"))
	if got, want := p.Message.DateRaw, "Mon, 2 Jan 2006 15:04:05 +0000"; got != want {
		t.Errorf("DateRaw = %q, want %q", got, want)
	}
}
