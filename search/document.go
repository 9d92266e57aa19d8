package search

import (
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

// The range of dates bleve can index (nanoseconds since 1970 in an int64).
// Messages dated outside it are indexed as undated.
var (
	minDate = time.Date(1677, 12, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC)
)

// dateSortKey is the date sort key of a message: ten bytes holding its
// date (datePrefix, or undatedPrefix), then its ID. Byte order is date order, and the ID makes every key unique:
// sorting needs no tie-break, which bleve would make by loading the ID of
// every hit (a tenth of a search's time).
func dateSortKey(date time.Time, dated bool, id string) string {
	if !dated {
		return undatedPrefix + id
	}
	return datePrefix(date) + id
}

// datePrefix is the start of the sort key of a message dated t: its
// nanoseconds since 1970 with the sign bit flipped (so that unsigned order
// is time order), in ten big-endian bytes of seven bits each. No byte is
// 0xff, which bleve's doc values use to separate a document's terms.
func datePrefix(t time.Time) string {
	v := uint64(t.UnixNano()) ^ (1 << 63)
	var b [datePrefixLen]byte
	for i := datePrefixLen - 1; i >= 0; i-- {
		b[i] = byte(v & 0x7f)
		v >>= 7
	}
	return string(b[:])
}

const datePrefixLen = 10 // 64 bits in groups of 7

// undatedPrefix starts the sort key of an undated message, and sorts
// before every date: no dated key starts with it (it would be 1677-09-21,
// before minDate).
const undatedPrefix = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// utcDay returns midnight UTC of t's UTC day. The date field holds the
// day only: the query language names whole days, and a day has one value
// where a second has one per message, which makes the field's terms (eight
// prefix-coded terms per value) a third of their size. A range bound
// inside a day is answered from the date sort key (see dayRangeQuery).
func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// severities in increasing order; a message gets every level up to the
// highest of its flags so that severity:high matches high and critical.
var severities = []string{"low", "medium", "high", "critical"}

func severityRank(s string) int {
	for i, v := range severities {
		if v == s {
			return i
		}
	}
	return -1
}

// fields returns what the index holds for one document, keyed by index field
// name. Multi-valued fields are slices: bleve gives each element its own
// array position, so a phrase never runs from one value into the next.
//
// The text fields hold the text as the roles that see values masked see it
// (detect.Redact: "***-**-1847"), and the value fields the tokens of the
// flagged values (valueTokens, with keyer): no term of the index, and so
// no prefix, phrase or range of terms, holds a part of a masked value
// beyond what its mask shows.
func fields(d leakscope.Document, keyer Keyer) (map[string]any, error) {
	m := d.Message
	if m == nil {
		return nil, fmt.Errorf("document without message: %w", leakscope.ErrInvalidInput)
	}
	if m.ID == "" {
		return nil, fmt.Errorf("message without id: %w", leakscope.ErrInvalidInput)
	}
	f := make(map[string]any, 32)
	setString(f, fieldSubject, detect.Redact(m.Subject, m.Flags, detect.WhereSubject, ""))
	if d.Text != nil {
		setString(f, fieldBody, detect.Redact(d.Text.Body, m.Flags, detect.WhereBody, ""))
	}
	setStrings(f, fieldAttachment, attachmentText(m, d.Text))
	if keyer != nil {
		for field, tokens := range valueTokens(m, d.Text, keyer) {
			setStrings(f, field, tokens)
		}
	}

	addAddresses(f, "from", []leakscope.Address{m.From})
	addAddresses(f, "to", m.Recipients())
	addAddresses(f, "cc", m.Cc)
	addAddresses(f, "bcc", m.Bcc)

	setString(f, fieldMessageID, strings.ToLower(m.MessageID))
	setString(f, fieldThread, strings.ToLower(m.ThreadID))
	var leaks, batches, custodians, folders []string
	for _, c := range d.Copies {
		leaks = appendUnique(leaks, strings.ToLower(c.Leak))
		batches = appendUnique(batches, strings.ToLower(c.Batch))
		custodians = appendUnique(custodians, strings.ToLower(c.Custodian))
		folders = appendUnique(folders, strings.ToLower(c.Folder))
	}
	setStrings(f, fieldLeak, leaks)
	setStrings(f, fieldBatch, batches)
	setStrings(f, fieldCustodian, custodians)
	setStrings(f, fieldFolder, folders)

	var flags []string
	top := -1
	for _, fl := range m.Flags {
		flags = appendUnique(flags, strings.ToLower(fl.Category))
		top = max(top, severityRank(strings.ToLower(fl.Severity)))
	}
	setStrings(f, fieldFlag, flags)
	var tags []string
	for _, t := range d.Tags {
		tags = appendUnique(tags, strings.ToLower(t))
	}
	setStrings(f, fieldTag, tags)
	if top >= 0 {
		f[fieldSeverity] = severities[:top+1]
	}

	hasAttachment := "no"
	for _, a := range m.Attachments {
		if !a.Inline || a.MessageID != "" {
			hasAttachment = "yes"
			f[fieldHas] = "attachment"
			break
		}
	}
	f[fieldHasAttachment] = hasAttachment

	date := m.Date.UTC()
	dated := !m.Date.IsZero() && !date.Before(minDate) && date.Before(maxDate)
	if dated {
		f[fieldDate] = utcDay(date)
		f[fieldMonth] = date.Format("2006-01")
	}
	f[fieldDateKey] = dateSortKey(date, dated, m.ID)
	setString(f, fieldSenderDomain, m.From.Domain())
	f[fieldRisk] = m.Risk
	f[fieldRiskKey] = riskKey(m.Risk)
	return f, nil
}

// attachmentText returns the names of the attachments and the text extracted
// from them, each as its own value, with their flagged values masked.
func attachmentText(m *leakscope.Message, t *leakscope.Text) []string {
	var out []string
	name := func(n string) string { return detect.Redact(n, m.Flags, detect.WhereAttachmentName, n) }
	for _, a := range m.Attachments {
		out = appendUnique(out, name(a.Name))
	}
	if t != nil {
		for _, a := range t.Attachments {
			out = appendUnique(out, name(a.Name))
			if a.Text != "" {
				out = append(out, detect.Redact(a.Text, m.Flags, detect.WhereAttachment, a.Name))
			}
		}
	}
	return out
}

// addAddresses sets role_addr, role_dom and role_name from addrs. An address
// without Email (unreadable) contributes its display name only.
func addAddresses(f map[string]any, role string, addrs []leakscope.Address) {
	var emails, domains, names []string
	for _, a := range addrs {
		email := strings.ToLower(a.Email)
		if email != "" {
			emails = appendUnique(emails, email)
			for _, d := range leakscope.DomainSuffixes(a.Domain()) {
				domains = appendUnique(domains, d)
			}
		}
		if a.Name != "" {
			names = append(names, a.Name)
		}
		if i := strings.LastIndexByte(email, '@'); i > 0 {
			names = append(names, email[:i]) // the analyzer splits it into words
		}
	}
	setStrings(f, role+suffixAddr, emails)
	setStrings(f, role+suffixDomain, domains)
	setStrings(f, role+suffixName, names)
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

func setString(f map[string]any, field, s string) {
	if s != "" {
		f[field] = s
	}
}

func setStrings(f map[string]any, field string, list []string) {
	switch len(list) {
	case 0:
	case 1:
		f[field] = list[0]
	default:
		f[field] = list
	}
}

// riskKey is the sort key of a risk score: fixed width so that string order
// is numeric order, scores clamped to 0..999.99.
func riskKey(r float64) string {
	return fmt.Sprintf("%06.2f", min(max(r, 0), 999.99))
}
