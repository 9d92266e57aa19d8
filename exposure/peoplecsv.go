package exposure

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// csvColumns maps accepted header names (lower-case, spaces and '_'
// removed) to the field they fill.
var csvColumns = map[string]string{
	"name": "name", "fullname": "name", "displayname": "name",
	"addresses": "addresses", "address": "addresses", "email": "addresses", "emails": "addresses",
	"e-mail": "addresses", "emailaddress": "addresses", "emailaddresses": "addresses",
	"aliases": "addresses", "alias": "addresses",
	"department": "department", "dept": "department",
	"title": "title", "jobtitle": "title",
	"vip": "vip",
}

// ReadPeopleCSV reads a people directory in CSV (RFC 4180; a UTF-8 byte
// order mark is allowed). The first line names the columns, in any order
// and case: name (or "full name", "display name"), addresses (or
// "address", "email", "emails", "e-mail"; an "aliases" column adds to
// them), department (or "dept"), title (or "job title") and vip; other
// columns are ignored. An addresses cell holds one or more addresses
// separated by ';', ',', '|' or white space, normalised with
// NormalizeAddress. A vip cell is empty, 0/1, true/false, yes/no, y/n or x.
//
// Every line that cannot be used is reported, by number, in the returned
// error (errors of type *LineError joined, wrapping
// leakscope.ErrInvalidInput), and the people of the other lines are
// returned: a bad value, a row without any address, a malformed CSV line.
func ReadPeopleCSV(r io.Reader) ([]Person, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var errs lineErrors
	cols := map[int]string{}
	header := true
	var people []Person
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.add(pe.StartLine, "malformed CSV: %v", pe.Err)
				continue
			}
			return people, fmt.Errorf("read people CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
			}
			seen := map[string]bool{}
			for i, h := range rec {
				key := strings.NewReplacer(" ", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(h)))
				if f, ok := csvColumns[key]; ok {
					cols[i] = f
					seen[f] = true
				}
			}
			if !seen["addresses"] {
				errs.add(line, "header names no addresses column (one of addresses, address, email, emails, e-mail)")
				return nil, errs.err()
			}
			continue
		}
		p, ok := personFromRecord(rec, cols, line, &errs)
		if ok {
			people = append(people, p)
		}
	}
	if header {
		errs.add(1, "no header line")
	}
	return people, errs.err()
}

// personFromRecord reads one data line; it reports false (and adds an
// error) when the line gives no person.
func personFromRecord(rec []string, cols map[int]string, line int, errs *lineErrors) (Person, bool) {
	var p Person
	blank := true
	for i, v := range rec {
		v = strings.TrimSpace(v)
		if v != "" {
			blank = false
		}
		switch cols[i] {
		case "name":
			p.Name = v
		case "department":
			p.Department = v
		case "title":
			p.Title = v
		case "vip":
			vip, ok := parseFlag(v)
			if !ok {
				errs.add(line, "column %d (vip): not a yes/no value", i+1)
			}
			p.VIP = p.VIP || vip
		case "addresses":
			for n, a := range strings.FieldsFunc(v, func(r rune) bool {
				return r == ';' || r == ',' || r == '|' || r == ' ' || r == '\t'
			}) {
				na, ok := NormalizeAddress(a)
				if !ok {
					errs.add(line, "column %d (addresses): value %d is not an e-mail address", i+1, n+1)
					continue
				}
				if !slices.Contains(p.Addresses, na) {
					p.Addresses = append(p.Addresses, na)
				}
			}
		}
	}
	if blank {
		return Person{}, false
	}
	if len(p.Addresses) == 0 {
		errs.add(line, "no e-mail address")
		return Person{}, false
	}
	return p, true
}

// parseFlag reads a yes/no cell; "" is no.
func parseFlag(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "n", "f":
		return false, true
	case "1", "true", "yes", "y", "x", "t", "vip":
		return true, true
	}
	return false, false
}
