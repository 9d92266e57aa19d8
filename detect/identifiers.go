package detect

import (
	"sort"
	"strings"

	"github.com/leakscope/leakscope"
)

// Identifier is a personal identifier found in a message, normalised so
// that equal identifiers written differently compare equal (for exposure
// checks on keyed hashes of Value).
type Identifier struct {
	Kind  string // ssn, credit_card, iban, bank_account, phone or email
	Value string
}

// Identifiers returns the distinct identifiers found in a message's
// subject, body and attachments (names and text), sorted by Kind then
// Value. Values are normalised:
//
//	ssn, credit_card, bank_account  digits only
//	iban                            upper case, no spaces
//	phone                           "+" and the digits with country code for North American
//	                                (10 digits, or 11 starting with 1) and international
//	                                ("+", "00", "011" or "(0)") numbers; digits only otherwise
//	email                           lower case
//
// Addresses in the message's headers are not included: they are in the
// Message already.
func (d *Detector) Identifiers(m *leakscope.Message, t *leakscope.Text) []Identifier {
	_, ids := d.Detect(m, t)
	return ids
}

// Detect is Scan and Identifiers with one pass over the message: the
// identifiers are read off the flags Scan reports (only findings that
// passed the confidence threshold count) and the email addresses in the
// text.
func (d *Detector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, []Identifier) {
	flags := d.Scan(m, t)
	seen := map[Identifier]bool{}
	var out []Identifier
	add := func(id Identifier) {
		if id.Value != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, f := range flags {
		text := flaggedText(m, t, f)
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			continue
		}
		add(Identifier{Kind: f.Category, Value: normalizeIdentifier(f.Category, text[f.Start:f.End])})
	}
	emails := func(text string) {
		for _, e := range findEmails(text) {
			add(Identifier{Kind: "email", Value: strings.ToLower(e)})
		}
	}
	if m != nil {
		emails(m.Subject)
	}
	if t != nil {
		emails(t.Body)
		for _, a := range t.Attachments {
			emails(a.Name)
			emails(a.Text)
		}
	}
	sortIdentifiers(out)
	return flags, out
}

// flaggedText returns the text a flag's offsets point into.
func flaggedText(m *leakscope.Message, t *leakscope.Text, f leakscope.Flag) string {
	switch f.Where {
	case WhereSubject:
		if m != nil {
			return m.Subject
		}
	case WhereBody:
		if t != nil {
			return t.Body
		}
	case WhereAttachmentName:
		return f.Attachment
	case WhereAttachment:
		if t != nil {
			for _, a := range t.Attachments {
				if a.Name == f.Attachment && f.End <= len(a.Text) {
					return a.Text
				}
			}
		}
	}
	return ""
}

func sortIdentifiers(ids []Identifier) {
	sort.Slice(ids, func(i, j int) bool {
		if ids[i].Kind != ids[j].Kind {
			return ids[i].Kind < ids[j].Kind
		}
		return ids[i].Value < ids[j].Value
	})
}

// normalizeIdentifier returns the normal form of a flagged value, or "" for
// categories that are not identifiers.
func normalizeIdentifier(category, v string) string {
	switch category {
	case leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagBankAccount:
		return digitsOf(v)
	case leakscope.FlagIBAN:
		return strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	case leakscope.FlagPhone:
		return normalizePhone(v)
	}
	return ""
}

// normalizePhone returns an E.164-like form of a phone number.
func normalizePhone(v string) string {
	trunk := strings.Contains(v, "(0)") // "44(0)20 7467 3667": a country code, then the trunk 0
	v = strings.ReplaceAll(v, "(0)", "")
	d := digitsOf(v)
	t := strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(t, "+"):
		return "+" + d
	case strings.HasPrefix(d, "011") && len(d) > 11:
		return "+" + d[3:]
	case strings.HasPrefix(d, "00") && len(d) > 10:
		return "+" + d[2:]
	case len(d) == 10 && validNANP(d):
		return "+1" + d
	case len(d) == 11 && d[0] == '1' && validNANP(d):
		return "+" + d
	case trunk:
		return "+" + d
	}
	return d
}

// findEmails returns the email addresses in text.
func findEmails(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		s := i
		for s > 0 && isEmailLocal(text[s-1]) {
			s--
		}
		e := i + 1
		for e < len(text) && (isAlnum(text[e]) || text[e] == '.' || text[e] == '-') {
			e++
		}
		local := strings.TrimLeft(text[s:i], ".")
		domain := strings.TrimRight(text[i+1:e], ".-")
		dot := strings.LastIndexByte(domain, '.')
		if local == "" || dot <= 0 || len(domain)-dot-1 < 2 || !allLetters(domain[dot+1:]) {
			continue
		}
		out = append(out, local+"@"+domain)
		i = e - 1
	}
	return out
}

func isEmailLocal(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-'", c) >= 0
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
