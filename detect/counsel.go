package detect

import (
	"strings"

	"github.com/leakscope/leakscope"
)

// CounselRule is the rule id of flags raised by mail from or to counsel.
const CounselRule = "legal_privilege.counsel"

// counselFlags flags each distinct counsel address among the message's
// sender and recipients: such mail is often privileged, though not always
// (confidence 0.7).
func (d *Detector) counselFlags(m *leakscope.Message, flags []leakscope.Flag) []leakscope.Flag {
	if len(d.counselA) == 0 && len(d.counselD) == 0 {
		return flags
	}
	seen := map[string]bool{}
	check := func(role string, a leakscope.Address) {
		email := strings.ToLower(a.Email)
		if email == "" || seen[email] {
			return
		}
		match := d.counselA[email]
		domain := a.Domain()
		if !match {
			for _, s := range leakscope.DomainSuffixes(domain) {
				if d.counselD[s] {
					match = true
					break
				}
			}
		}
		if !match {
			return
		}
		seen[email] = true
		flags = append(flags, leakscope.Flag{
			Category:   leakscope.FlagLegalPrivilege,
			Rule:       CounselRule,
			Severity:   "high",
			Confidence: 0.7,
			Where:      WhereHeader,
			Snippet:    role + " counsel at " + domain,
		})
	}
	check("from", m.From)
	if m.Sender != nil {
		check("from", *m.Sender)
	}
	for _, a := range m.ReplyTo {
		check("reply-to", a)
	}
	for _, a := range m.To {
		check("to", a)
	}
	for _, a := range m.Cc {
		check("cc", a)
	}
	for _, a := range m.Bcc {
		check("bcc", a)
	}
	return flags
}
