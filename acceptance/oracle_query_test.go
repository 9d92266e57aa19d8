package acceptance

import (
	"slices"
	"strings"
	"time"
)

// pred is an oracle query: whether one message matches. Queries are built
// with the functions below next to the query string given to leakscope, so
// the oracle needs no parser of the query language.
type pred func(m *oracleMessage) bool

func and(ps ...pred) pred {
	return func(m *oracleMessage) bool {
		for _, p := range ps {
			if !p(m) {
				return false
			}
		}
		return true
	}
}

func or(ps ...pred) pred {
	return func(m *oracleMessage) bool {
		for _, p := range ps {
			if p(m) {
				return true
			}
		}
		return false
	}
}

func not(p pred) pred { return func(m *oracleMessage) bool { return !p(m) } }

// addressMatches reports whether one of addrs is v: a full address (holding
// an '@') compared exactly; @domain, which matches that domain and its
// subdomains; name words, consecutive words of a display name or of an
// address's local part. A value holding a dot but no '@' (enron.com,
// amy.pascal) is read both ways, as a domain or as name words, as search/doc.go
// and the translation of from: in the product do: from:amy.pascal finds
// amy.pascal@sony.com.
func addressMatches(addrs []oracleAddr, v string) bool {
	v = strings.ToLower(v)
	switch {
	case strings.HasPrefix(v, "@"):
		return domainMatches(addrs, v[1:])
	case strings.Contains(v, "@"):
		for _, a := range addrs {
			if a.email == v {
				return true
			}
		}
		return false
	case strings.Contains(v, "."):
		return domainMatches(addrs, v) || nameMatches(addrs, v)
	}
	return nameMatches(addrs, v)
}

// domainMatches reports whether an address of addrs is at domain dom or one
// of its subdomains: its text after the last '@' is dom or ends with "."+dom.
func domainMatches(addrs []oracleAddr, dom string) bool {
	dom = strings.Trim(dom, ".")
	for _, a := range addrs {
		i := strings.LastIndexByte(a.email, '@')
		if i < 0 {
			continue
		}
		if d := strings.Trim(a.email[i+1:], "."); d == dom || strings.HasSuffix(d, "."+dom) {
			return true
		}
	}
	return false
}

// nameMatches reports whether the words of v occur, consecutively, in the
// display name or the local part of an address of addrs.
func nameMatches(addrs []oracleAddr, v string) bool {
	q := words(v)
	for _, a := range addrs {
		for _, n := range a.names {
			if containsRun(n, q) {
				return true
			}
		}
	}
	return false
}

// containsRun reports whether q occurs in ws as consecutive words.
func containsRun(ws, q []string) bool {
	if len(q) == 0 {
		return false
	}
	for i := 0; i+len(q) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(q)], q) {
			return true
		}
	}
	return false
}

func from(v string) pred { return func(m *oracleMessage) bool { return addressMatches(m.from, v) } }

// to is any recipient: To, Cc or Bcc.
func to(v string) pred {
	return func(m *oracleMessage) bool { return addressMatches(m.recipients(), v) }
}
func cc(v string) pred  { return func(m *oracleMessage) bool { return addressMatches(m.cc, v) } }
func bcc(v string) pred { return func(m *oracleMessage) bool { return addressMatches(m.bcc, v) } }

func custodian(v string) pred {
	return func(m *oracleMessage) bool { return m.custodian == strings.ToLower(v) }
}

func folder(v string) pred {
	return func(m *oracleMessage) bool { return m.folder == strings.ToLower(v) }
}

func folderPrefix(v string) pred {
	return func(m *oracleMessage) bool { return strings.HasPrefix(m.folder, strings.ToLower(v)) }
}

func id(v string) pred {
	return func(m *oracleMessage) bool { return m.messageID == strings.ToLower(v) }
}

// day parses YYYY-MM-DD as the start of that day in UTC.
func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// dated matches messages dated in [from, until): UTC instants; a zero bound
// is open. Messages without a date match no range.
//
// Documented divergence followed here (search/doc.go): messages dated outside
// bleve's range 1677-12-01..2262-04-11 are indexed as undated. Four Enron
// messages carry years 0001 and 0002 and so match no date range, not even
// an open one.
func dated(from, until time.Time) pred {
	minDate := time.Date(1677, 12, 1, 0, 0, 0, 0, time.UTC)
	maxDate := time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC)
	return func(m *oracleMessage) bool {
		if !m.dated || m.date.Before(minDate) || !m.date.Before(maxDate) {
			return false
		}
		return (from.IsZero() || !m.date.Before(from)) && (until.IsZero() || m.date.Before(until))
	}
}

// days matches date:A..B: both days included; "" is an open end.
func days(a, b string) pred {
	var from, until time.Time
	if a != "" {
		from = day(a)
	}
	if b != "" {
		until = day(b).AddDate(0, 0, 1)
	}
	return dated(from, until)
}

// subjectWord matches a subject holding any of forms: the words of the
// corpus that share the query word's English Snowball stem (listed by hand in
// each case, so the oracle needs no stemmer).
func subjectWord(forms ...string) pred {
	return func(m *oracleMessage) bool {
		for _, w := range m.subject {
			if slices.Contains(forms, w) {
				return true
			}
		}
		return false
	}
}

// subjectPrefix matches a subject holding a word that starts with p. (The
// product compares prefixes with stemmed words; the prefixes of the cases
// are chosen so that this makes no difference: see search/doc.go.)
func subjectPrefix(p string) pred {
	return func(m *oracleMessage) bool {
		for _, w := range m.subject {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
		return false
	}
}

// subjectPhrase matches a subject holding consecutive words, the i-th one
// of forms[i].
func subjectPhrase(forms ...[]string) pred {
	return func(m *oracleMessage) bool {
		for i := 0; i+len(forms) <= len(m.subject); i++ {
			ok := true
			for j, f := range forms {
				if !slices.Contains(f, m.subject[i+j]) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		return false
	}
}

func all(m *oracleMessage) bool { return true }

// none matches nothing: CMU stripped the attachments of the Enron mail.
func none(m *oracleMessage) bool { return false }

// count returns how many messages match p.
func (o *oracle) count(p pred) int {
	n := 0
	for _, m := range o.messages {
		if p(m) {
			n++
		}
	}
	return n
}
