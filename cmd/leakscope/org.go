package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/store"
)

const orgHelp = `
Describe the company whose mail leaked: its mail domains, its counsel, and
its people. Reconciliation and the exposure report attribute leaked mail to
people through the directory; mail to or from counsel is flagged
legal_privilege (run "leakscope redetect" after changing counsel).

--people reads a directory file: CSV with a header row naming the columns
(name, addresses, department, title, vip; "addresses" may hold several
addresses, separated by ';'; an "aliases" column adds more), or vCard
(.vcf: FN, EMAIL, ORG, TITLE, and CATEGORIES containing VIP). Addresses are
normalised: lower-cased, "+tag" sub-addresses dropped. Lines that cannot be
read are listed with their numbers; the rest is imported. Importing again
replaces the directory.

Without flags, org prints the current settings.

Examples:
  leakscope org --domains sonypictures.com,spe.sony.com --counsel legal@sonypictures.com,kirkland.com
  leakscope org --people people.csv
  leakscope org --json
`

// Settings of the organisation (store.Setting).
const (
	settingDomains = "org_domains" // company domains, one per line
	settingPeople  = "people"      // JSON []exposure.Person
)

// orgOutput is what org --json prints.
type orgOutput struct {
	Domains []string          `json:"domains"`
	Counsel []string          `json:"counsel"`
	People  []exposure.Person `json:"people"`
}

func (m *Main) runOrg(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("org", "[--domains LIST] [--counsel LIST] [--people FILE] [--json]", orgHelp, &c)
	domains := fs.String("domains", "", "the company's mail domains, comma-separated (`LIST`; subdomains included)")
	counsel := fs.String("counsel", "", "counsel's addresses and domains, comma-separated (`LIST`)")
	people := fs.String("people", "", "import the people directory from `FILE` (CSV or vCard)")
	asJSON := fs.Bool("json", false, "print the settings as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("org: unexpected argument %q", rest[0])
	}
	write := *domains != "" || *counsel != "" || *people != ""
	d, err := m.openData(ctx, &c, write)
	if err != nil {
		return err
	}
	defer d.Close()
	if *domains != "" {
		var list []string
		for _, dom := range splitList(*domains) {
			dom = strings.TrimPrefix(strings.ToLower(dom), "@")
			if strings.ContainsAny(dom, "@ ") || !strings.Contains(dom, ".") {
				return usagef("org: %q is not a mail domain", dom)
			}
			list = append(list, dom)
		}
		if err := d.Store.PutSetting(ctx, settingDomains, []byte(strings.Join(list, "\n"))); err != nil {
			return err
		}
	}
	if *counsel != "" {
		if err := d.Store.PutSetting(ctx, settingCounsel, []byte(strings.Join(splitList(*counsel), "\n"))); err != nil {
			return err
		}
		fmt.Fprintln(m.stderr, "counsel changed: run `leakscope redetect` to re-flag stored mail")
	}
	if *people != "" {
		list, err := readPeople(*people)
		if err != nil && len(list) == 0 {
			return err
		}
		if err != nil {
			fmt.Fprintf(m.stderr, "leakscope: some entries of %s were skipped:\n%v\n", *people, err)
		}
		if _, derr := exposure.NewDirectory(list); derr != nil {
			fmt.Fprintf(m.stderr, "leakscope: %s: %v (the first entry keeps a shared address)\n", *people, derr)
		}
		data, err := json.Marshal(list)
		if err != nil {
			return err
		}
		if err := d.Store.PutSetting(ctx, settingPeople, data); err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "imported %d people from %s\n", len(list), *people)
	}
	o, err := loadOrg(ctx, d.Store)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(o)
	}
	if write && *people != "" && *domains == "" && *counsel == "" {
		return nil
	}
	fmt.Fprintf(m.stdout, "domains: %s\n", orNone(strings.Join(o.Domains, ", ")))
	fmt.Fprintf(m.stdout, "counsel: %s\n", orNone(strings.Join(o.Counsel, ", ")))
	vip := 0
	for _, p := range o.People {
		if p.VIP {
			vip++
		}
	}
	fmt.Fprintf(m.stdout, "people:  %d (%d VIP)\n", len(o.People), vip)
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// readPeople reads a directory file, vCard by extension or content, CSV
// otherwise. Errors name the file; entries read despite bad lines are
// returned with the error.
func readPeople(path string) ([]exposure.Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("people directory: %v: %w", err, leakscope.ErrInvalidInput)
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := f.Read(head)
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	var list []exposure.Person
	if ext == ".vcf" || ext == ".vcard" || strings.HasPrefix(strings.ToUpper(strings.TrimSpace(string(head[:n]))), "BEGIN:VCARD") {
		list, err = exposure.ReadVCards(f)
	} else {
		list, err = exposure.ReadPeopleCSV(f)
	}
	if err != nil {
		err = fmt.Errorf("%s: %w", path, err)
		if len(list) == 0 && !errors.Is(err, leakscope.ErrInvalidInput) {
			return nil, err
		}
	}
	return list, err
}

// loadOrg reads the organisation settings.
func loadOrg(ctx context.Context, st *store.DB) (orgOutput, error) {
	o := orgOutput{Domains: []string{}, Counsel: []string{}, People: []exposure.Person{}}
	for _, s := range []struct {
		name string
		to   *[]string
	}{{settingDomains, &o.Domains}, {settingCounsel, &o.Counsel}} {
		v, err := st.Setting(ctx, s.name)
		if err != nil {
			return o, err
		}
		*s.to = append(*s.to, strings.Fields(string(v))...)
	}
	v, err := st.Setting(ctx, settingPeople)
	if err != nil {
		return o, err
	}
	if len(v) > 0 {
		if err := json.Unmarshal(v, &o.People); err != nil {
			return o, fmt.Errorf("people directory in the store: %w", err)
		}
	}
	return o, nil
}
