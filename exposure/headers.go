package exposure

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// sender is what is compared of two messages' senders: hashes of the
// address and of the display name's words (sorted, initials left out, so
// that "Phillip K Allen" and "Allen, Phillip" agree). Zero means unknown.
type sender struct {
	email, name uint64
}

func senderOf(a leakscope.Address) sender {
	var s sender
	if e := strings.ToLower(strings.TrimSpace(a.Email)); e != "" {
		s.email = hashString(1, e)
	}
	s.name = wordsKey(a.Name)
	return s
}

// wordsKey hashes the sorted words of s longer than one letter; 0 when
// there are none.
func wordsKey(s string) uint64 {
	words := tokenStrings([]string{s})
	words = slices.DeleteFunc(words, func(w string) bool { return len(w) < 2 })
	if len(words) == 0 {
		return 0
	}
	slices.Sort(words)
	return hashString(2, strings.Join(words, " "))
}

// compatible reports whether two senders may be the same person. It says
// no only on evidence: both addresses known and different with no equal
// display names to reconcile them, or both display names known and
// different. A re-export that replaced the address with an Exchange name
// keeps the display name, so name against name still decides.
func (s sender) compatible(o sender) bool {
	if s.email != 0 && s.email == o.email {
		return true
	}
	if s.name != 0 && o.name != 0 {
		return s.name == o.name
	}
	if s.email != 0 && o.email != 0 {
		return false
	}
	// One side has only a name, the other only an address (or less):
	// nothing to compare.
	return true
}

// maxRecipientKeys bounds the recipient keys kept per kind (addresses,
// display names): the smallest hashes, so that the same list in another
// order gives the same keys.
const maxRecipientKeys = 12

// recipients are hashes of a message's To, Cc and Bcc addresses (low bit
// 0) and display names (low bit 1), at most maxRecipientKeys of each, the
// smallest, sorted.
type recipients []uint32

func recipientsOf(m *leakscope.Message) recipients {
	var emails, names []uint32
	for _, a := range m.Recipients() {
		if e := strings.ToLower(strings.TrimSpace(a.Email)); e != "" {
			emails = append(emails, uint32(hashString(5, e)>>32)&^1)
		}
		if n := wordsKey(a.Name); n != 0 {
			names = append(names, uint32(n>>32)|1)
		}
	}
	bottom := func(k []uint32) []uint32 {
		slices.Sort(k)
		k = slices.Compact(k)
		return k[:min(len(k), maxRecipientKeys)]
	}
	out := append(bottom(emails), bottom(names)...)
	slices.Sort(out)
	return out
}

// compatible reports whether two messages may have the same recipients:
// they share an address or a display name, or one of them lists none.
// Copies of one message do (the sender's copy adds its Bcc recipients, a
// re-export may keep only the names); the personalised messages of a
// mail merge, sent at the same second with the same subject, do not.
func (r recipients) compatible(o recipients) bool {
	if len(r) == 0 || len(o) == 0 {
		return true
	}
	for i, j := 0, 0; i < len(r) && j < len(o); {
		switch {
		case r[i] < o[j]:
			i++
		case r[i] > o[j]:
			j++
		default:
			return true
		}
	}
	return false
}

// stamp is a message's date as matching compares it: the instant (Unix
// seconds, UTC) and the wall-clock time as written in its Date header
// (the same seconds with the header's zone offset added). Zero is unknown.
type stamp struct {
	utc, wall int64
}

func stampOf(m *leakscope.Message) stamp {
	s := stamp{utc: unixOrZero(m.Date)}
	if m.DateRaw != "" {
		if d, err := mail.ParseDate(m.DateRaw); err == nil {
			_, off := d.Zone()
			s.wall = d.Unix() + int64(off)
			if s.utc == 0 {
				s.utc = d.Unix()
			}
		}
	}
	return s
}

// dateTolerance is how far apart two dates of one message may be: an
// exporter that drops the seconds, or a copy delivered a second later.
const dateTolerance = 60

// dateExact reports whether two dates are one message's to the second:
// the same instant, or the same wall-clock date and time as written with
// another zone (a re-export that kept the time and replaced the zone,
// moving the instant by the difference of the offsets). Two different
// messages meet neither by chance; a daily report sent at the same time
// each day has the same wall-clock time but not the same date.
func dateExact(a, b stamp) bool {
	if a.utc == 0 || b.utc == 0 {
		return false
	}
	return a.utc == b.utc || a.wall != 0 && a.wall == b.wall
}

// dateCompatible reports whether two dates can be one message's: as
// dateExact, up to dateTolerance seconds; true when either is unknown.
func dateCompatible(a, b stamp) bool {
	if a.utc == 0 || b.utc == 0 {
		return true
	}
	return abs(a.utc-b.utc) <= dateTolerance || a.wall != 0 && b.wall != 0 && abs(a.wall-b.wall) <= dateTolerance
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func subjectHash(s string) uint64 {
	n, _ := leakscope.NormalizeSubject(s)
	return hashString(4, n)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
