package exposure

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope"
)

// Person is one entry of the company's people directory.
type Person struct {
	Name string `json:"name,omitempty"`
	// Addresses are normalised (NormalizeAddress); the first is the
	// primary one, the others are known aliases.
	Addresses  []string `json:"addresses"`
	Department string   `json:"department,omitempty"`
	Title      string   `json:"title,omitempty"`
	VIP        bool     `json:"vip,omitempty"`
}

// NormalizeAddress returns the canonical form of an e-mail address, the
// key of the people directory: "mailto:" and angle brackets removed (a
// "Name <address>" form is read), lower-cased, and a sub-address after '+'
// in the local part removed ("j.doe+news@x.com" is "j.doe@x.com"). It
// reports false when s holds no address: no '@', an empty local part,
// white space, a control character or a second '@' in it, or a domain that is not a host name
// of two labels or more.
func NormalizeAddress(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	s = strings.Trim(strings.TrimSpace(s), "<>\"'")
	if hasPrefixFold(s, "mailto:") {
		s = s[len("mailto:"):]
	}
	s = strings.ToLower(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, ",;<>()[]\\\"") ||
		strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", false
	}
	local, domain := s[:at], strings.TrimRight(s[at+1:], ".")
	if strings.IndexByte(local, '@') >= 0 || !validDomain(domain) {
		return "", false
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return local + "@" + domain, true
}

// validDomain reports whether d is a host name with at least two labels,
// made of letters (any script), digits and '-'.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
		for _, c := range l {
			if c != '-' && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
				return false
			}
		}
	}
	return true
}

// LineError is a problem with one line of a people file. Its message
// names the line and the field, never the value (people files hold
// personal data). It wraps leakscope.ErrInvalidInput.
type LineError struct {
	Line int    // 1-based
	Msg  string // what is wrong, lower-case
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap makes errors.Is(err, leakscope.ErrInvalidInput) hold.
func (e *LineError) Unwrap() error { return leakscope.ErrInvalidInput }

// maxLineErrors bounds the errors a reader returns; a file with more
// ends with a note of how many were left out.
const maxLineErrors = 100

// lineErrors collects the problems of one file.
type lineErrors struct {
	errs    []error
	dropped int
}

func (l *lineErrors) add(line int, format string, args ...any) {
	if len(l.errs) >= maxLineErrors {
		l.dropped++
		return
	}
	l.errs = append(l.errs, &LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *lineErrors) err() error {
	if l.dropped > 0 {
		l.errs = append(l.errs, fmt.Errorf("%d more problems not listed: %w", l.dropped, leakscope.ErrInvalidInput))
	}
	return errors.Join(l.errs...)
}

// Directory maps normalised addresses to people.
type Directory struct {
	people []Person
	byAddr map[string]int
}

// NewDirectory indexes people by each of their addresses (normalised
// again, so hand-made Person values work). When two entries claim the
// same address the first keeps it and the returned error (wrapping
// leakscope.ErrInvalidInput) names both entries by position; the
// Directory is usable either way.
func NewDirectory(people []Person) (*Directory, error) {
	d := &Directory{byAddr: map[string]int{}}
	var errs []error
	for _, p := range people {
		var addrs []string
		for _, a := range p.Addresses {
			if n, ok := NormalizeAddress(a); ok && !slices.Contains(addrs, n) {
				addrs = append(addrs, n)
			}
		}
		p.Addresses = addrs
		i := len(d.people)
		d.people = append(d.people, p)
		for _, a := range addrs {
			if j, dup := d.byAddr[a]; dup {
				errs = append(errs, fmt.Errorf("entries %d and %d share an address: %w", j+1, i+1, leakscope.ErrInvalidInput))
				continue
			}
			d.byAddr[a] = i
		}
	}
	return d, errors.Join(errs...)
}

// Lookup returns the person an address belongs to, after normalising it.
func (d *Directory) Lookup(addr string) (Person, bool) {
	n, ok := NormalizeAddress(addr)
	if !ok {
		return Person{}, false
	}
	i, ok := d.byAddr[n]
	if !ok {
		return Person{}, false
	}
	return d.people[i], true
}

// LookupAddress returns the person of a parsed address (its Email, or
// what can be read from Raw when Email is empty).
func (d *Directory) LookupAddress(a leakscope.Address) (Person, bool) {
	if a.Email != "" {
		return d.Lookup(a.Email)
	}
	return d.Lookup(a.Raw)
}

// People returns every entry, in the order given.
func (d *Directory) People() []Person { return d.people }
