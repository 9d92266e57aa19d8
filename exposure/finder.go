package exposure

import (
	"iter"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope"
)

// Finder attributes the addresses and names met in mail to people: the
// entries of a people directory or, without one, the addresses of the
// company's domains (any address when no domain is known), added as they
// are met. Each person is a value of the caller's type T, made once by
// the function given to NewFinder, so that the exposure report and the
// breach-notification report count with the same attribution.
type Finder[T any] struct {
	dir       bool
	domains   []string
	newPerson func(Person) *T
	byAddr    map[string]*T
	byName    map[string]*T // lower-cased "first last" and "first middle last"
	all       []*T
}

// NewFinder indexes people (addresses normalised; an address shared by
// two entries stays with the first; entries without a valid address are
// left out) and the company's domains. newPerson builds a person's value from
// the entry, whose first address is the primary one.
func NewFinder[T any](people []Person, domains []string, newPerson func(Person) *T) *Finder[T] {
	f := &Finder[T]{dir: len(people) > 0, domains: domains, newPerson: newPerson, byAddr: map[string]*T{}, byName: map[string]*T{}}
	for _, p := range people {
		var addrs []string
		for _, a := range p.Addresses {
			if n, ok := NormalizeAddress(a); ok && !slices.Contains(addrs, n) {
				addrs = append(addrs, n)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		p.Addresses = addrs
		v := newPerson(p)
		f.all = append(f.all, v)
		for _, a := range addrs {
			if f.byAddr[a] == nil {
				f.byAddr[a] = v
			}
		}
		if words := nameWords(p.Name); len(words) >= 2 {
			f.byName[strings.Join(words, " ")] = v
			f.byName[words[0]+" "+words[len(words)-1]] = v
		}
	}
	return f
}

// HasDirectory reports whether people came from a directory.
func (f *Finder[T]) HasDirectory() bool { return f.dir }

// People returns every person, directory entries first, then the
// addresses met, in the order met.
func (f *Finder[T]) People() []*T { return f.all }

// Addresses yields every known address (normalised) and its person.
func (f *Finder[T]) Addresses() iter.Seq2[string, *T] { return maps.All(f.byAddr) }

// Owner returns the person a normalised address is known for, or nil;
// it adds no one.
func (f *Finder[T]) Owner(n string) *T { return f.byAddr[n] }

// Person returns the person a header address belongs to, or nil.
func (f *Finder[T]) Person(a leakscope.Address) *T {
	n, ok := NormalizeAddress(a.Email)
	if !ok {
		return nil
	}
	return f.byAddress(n, a.Name)
}

// byAddress returns the person of normalised address n, adding one for
// an address of the company's domains when there is no directory.
func (f *Finder[T]) byAddress(n, name string) *T {
	if v := f.byAddr[n]; v != nil || f.dir {
		return v
	}
	if len(f.domains) > 0 && !InDomains(n, f.domains) {
		return nil
	}
	v := f.newPerson(Person{Name: name, Addresses: []string{n}})
	f.byAddr[n] = v
	f.all = append(f.all, v)
	return v
}

// Mentioned returns the people named (full name: first and last, or
// first, middle and last) or addressed in text, each once.
func (f *Finder[T]) Mentioned(text string) []*T {
	var out []*T
	add := func(v *T) {
		if v != nil && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '.' && r != '-' && r != '_' && r != '+' && r != '\''
	})
	for i, w := range words {
		if strings.Contains(w, "@") {
			if n, ok := NormalizeAddress(strings.Trim(w, ".'")); ok {
				add(f.byAddress(n, ""))
			}
			continue
		}
		if len(f.byName) == 0 || i+1 >= len(words) {
			continue
		}
		two := strings.ToLower(strings.Trim(w, ".'") + " " + strings.Trim(words[i+1], ".'"))
		add(f.byName[two])
		if i+2 < len(words) {
			add(f.byName[two+" "+strings.ToLower(strings.Trim(words[i+2], ".'"))])
		}
	}
	return out
}

func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
}

// InDomains reports whether normalised address addr is in one of domains
// or their subdomains ("@" before a domain is allowed).
func InDomains(addr string, domains []string) bool {
	dom := addr[strings.LastIndexByte(addr, '@')+1:]
	for _, d := range domains {
		d = strings.TrimPrefix(strings.ToLower(d), "@")
		if dom == d || strings.HasSuffix(dom, "."+d) {
			return true
		}
	}
	return false
}
