package parse

import (
	"fmt"
	"strings"
	"time"

	message "github.com/emersion/go-message"
	"github.com/leakscope/leakscope"
)

// headers fills the message fields read from the top header of a message.
func (ms *msgState) headers(h *message.Header, fromLine string) {
	m := &ms.msg
	m.MessageID = leakscope.NormalizeMessageID(rawHeaderString(h.Get("Message-Id"), ms))
	m.Subject = collapseSpace(headerText(h.Get("Subject"), ms))
	if v := h.Get("In-Reply-To"); len(v) > 0 {
		if ids := messageIDs(rawHeaderString(v, ms)); len(ids) > 0 {
			m.InReplyTo = ids[0]
		}
	}
	if v := h.Get("References"); len(v) > 0 {
		m.References = messageIDs(rawHeaderString(v, ms))
	}

	if n := h.FieldsByKey("From").Len(); n > 1 {
		ms.warn(leakscope.WarnAddress, fmt.Sprintf("%d From fields: the first is used", n))
	}
	if from := addressList(h.Get("From"), "From", ms); len(from) > 0 {
		m.From = from[0]
		if len(from) > 1 {
			ms.warn(leakscope.WarnAddress, fmt.Sprintf("From holds %d addresses: the first is used", len(from)))
		}
	}
	if v := h.Get("Sender"); len(v) > 0 {
		if s := addressList(v, "Sender", ms); len(s) > 0 {
			m.Sender = &s[0]
		}
	}
	m.ReplyTo = addressList(h.Get("Reply-To"), "Reply-To", ms)
	m.To = addressList(h.Get("To"), "To", ms)
	m.Cc = addressList(h.Get("Cc"), "Cc", ms)
	m.Bcc = addressList(h.Get("Bcc"), "Bcc", ms)
	ms.date(h, fromLine)
}

// date sets Date, DateRaw and DateSource: the Date field, else the
// timestamp of the topmost Received field, else the mbox From_ line.
func (ms *msgState) date(h *message.Header, fromLine string) {
	m := &ms.msg
	m.DateSource = leakscope.DateNone
	raw := h.Get("Date")
	m.DateRaw = rawHeaderString(raw, ms)
	t, ok := parseDate(m.DateRaw)
	switch {
	case ok:
		m.DateSource = leakscope.DateFromHeader
	default:
		if len(raw) == 0 {
			ms.warn(leakscope.WarnDate, "no Date field")
		} else {
			ms.warn(leakscope.WarnDate, "Date field not readable")
		}
		if t, ok = receivedDate(h); ok {
			m.DateSource = leakscope.DateFromReceived
			ms.warn(leakscope.WarnDate, "date taken from the Received field")
		} else if t, ok = fromLineDate(fromLine); ok {
			m.DateSource = leakscope.DateFromLine
			ms.warn(leakscope.WarnDate, "date taken from the mbox From_ line")
		} else {
			ms.warn(leakscope.WarnDate, "no date found")
		}
	}
	if !ok {
		return
	}
	if t.Before(minDate) || !t.Before(maxDate) {
		ms.warn(leakscope.WarnDate, fmt.Sprintf("date %s is outside 1970..2100", t.Format(time.RFC3339)))
	}
	m.Date = t
}

// receivedDate reads the timestamp after the last ';' of the first
// (topmost, newest) Received field that has one.
func receivedDate(h *message.Header) (time.Time, bool) {
	fs := h.FieldsByKey("Received")
	for fs.Next() {
		v := fs.Value()
		if semi := strings.LastIndexByte(v, ';'); semi >= 0 {
			if t, ok := parseDate(v[semi+1:]); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// fromLineDate reads the date of an mbox From_ line ("sender date"), e.g.
// "MAILER-DAEMON Thu Jan  1 00:00:00 1970".
func fromLineDate(line string) (time.Time, bool) {
	line = strings.TrimSpace(strings.TrimPrefix(line, "From "))
	sp := strings.IndexAny(line, " \t")
	if sp < 0 {
		return time.Time{}, false
	}
	return looseDate(line[sp+1:])
}

// messageIDs returns the ids in a References or In-Reply-To value,
// normalised, in order, without duplicates. Ids are read from <...>; a value
// without any is split on white space.
func messageIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		id = leakscope.NormalizeMessageID(id)
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
	}
	if strings.IndexByte(s, '<') < 0 {
		for _, f := range strings.Fields(s) {
			if strings.Contains(f, "@") {
				add(f)
			}
		}
		return out
	}
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			add(s[i+1:])
			return out
		}
		add(s[i+1 : i+j])
		s = s[i+j+1:]
	}
}
