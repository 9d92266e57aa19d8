package export

import (
	"strings"
	"unicode"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
)

// personEntry is one person the report can list.
type personEntry struct {
	name, address, department string
}

// peopleFinder maps addresses and names in mail to people: the directory's
// entries, or without a directory the addresses of the company's domains
// (any address without domains), added as they are met.
type peopleFinder struct {
	dir     bool
	domains []string
	byAddr  map[string]*personEntry
	byName  map[string]*personEntry // lower-cased "first last" and "first middle last"
}

func newPeopleFinder(people []exposure.Person, domains []string) *peopleFinder {
	pf := &peopleFinder{dir: len(people) > 0, domains: domains, byAddr: map[string]*personEntry{}, byName: map[string]*personEntry{}}
	for _, p := range people {
		var addrs []string
		for _, a := range p.Addresses {
			if n, ok := exposure.NormalizeAddress(a); ok {
				addrs = append(addrs, n)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		pe := &personEntry{name: p.Name, address: addrs[0], department: p.Department}
		for _, a := range addrs {
			if pf.byAddr[a] == nil { // a shared address stays with the first entry
				pf.byAddr[a] = pe
			}
		}
		if words := nameWords(p.Name); len(words) >= 2 {
			pf.byName[strings.Join(words, " ")] = pe
			pf.byName[words[0]+" "+words[len(words)-1]] = pe
		}
	}
	return pf
}

// person returns the person an address of a header belongs to, or nil.
func (pf *peopleFinder) person(a leakscope.Address) *personEntry {
	n, ok := exposure.NormalizeAddress(a.Email)
	if !ok {
		return nil
	}
	return pf.byAddress(n, a.Name)
}

func (pf *peopleFinder) byAddress(n, name string) *personEntry {
	if pe := pf.byAddr[n]; pe != nil || pf.dir {
		return pe
	}
	if len(pf.domains) > 0 && !inDomains(n, pf.domains) {
		return nil
	}
	pe := &personEntry{name: name, address: n}
	pf.byAddr[n] = pe
	return pe
}

// mentioned returns the people named (full name) or addressed in text.
func (pf *peopleFinder) mentioned(text string) []*personEntry {
	var out []*personEntry
	add := func(pe *personEntry) {
		if pe == nil {
			return
		}
		for _, o := range out {
			if o == pe {
				return
			}
		}
		out = append(out, pe)
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '.' && r != '-' && r != '_' && r != '+' && r != '\''
	})
	for i, w := range words {
		if strings.Contains(w, "@") {
			if n, ok := exposure.NormalizeAddress(strings.Trim(w, ".'")); ok {
				add(pf.byAddress(n, ""))
			}
			continue
		}
		if len(pf.byName) == 0 || i+1 >= len(words) {
			continue
		}
		two := strings.ToLower(strings.Trim(w, ".'") + " " + strings.Trim(words[i+1], ".'"))
		add(pf.byName[two])
		if i+2 < len(words) {
			add(pf.byName[two+" "+strings.ToLower(strings.Trim(words[i+2], ".'"))])
		}
	}
	return out
}

func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
}

func inDomains(addr string, domains []string) bool {
	dom := addr[strings.LastIndexByte(addr, '@')+1:]
	for _, d := range domains {
		d = strings.TrimPrefix(strings.ToLower(d), "@")
		if dom == d || strings.HasSuffix(dom, "."+d) {
			return true
		}
	}
	return false
}
