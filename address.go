package leakscope

import "strings"

// Address is a mailbox as written in a header plus the best-effort address
// read from it. Leak dumps hold malformed addresses (`houston <.ward@enron.com>`,
// `h..foster@enron.com`); Raw keeps them as written and Email holds what a
// lenient reader makes of them.
type Address struct {
	Raw   string `json:"raw,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"` // lower-cased; empty when none could be read
}

// Domain returns the lower-cased part of Email after the last '@', or "".
func (a Address) Domain() string {
	if i := strings.LastIndexByte(a.Email, '@'); i >= 0 {
		return a.Email[i+1:]
	}
	return ""
}

// String formats the address for display: `Name <email>`, the email alone,
// or Raw when no email could be read.
func (a Address) String() string {
	switch {
	case a.Email == "":
		return a.Raw
	case a.Name == "":
		return a.Email
	default:
		return a.Name + " <" + a.Email + ">"
	}
}

// DomainSuffixes returns a domain and every parent domain with at least two
// labels: "mail.ect.enron.com" gives mail.ect.enron.com, ect.enron.com,
// enron.com. A query for a domain matches its subdomains through these.
func DomainSuffixes(domain string) []string {
	domain = strings.Trim(strings.ToLower(domain), ".")
	if domain == "" {
		return nil
	}
	out := []string{domain}
	for {
		i := strings.IndexByte(domain, '.')
		if i < 0 {
			break
		}
		domain = domain[i+1:]
		if !strings.Contains(domain, ".") {
			break
		}
		out = append(out, domain)
	}
	return out
}
