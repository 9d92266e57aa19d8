package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/exposure"
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
	if err := m.setOrg(ctx, d, *domains, *counsel, *people); err != nil {
		return err
	}
	o, err := d.Org(ctx)
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

// setOrg stores the settings the flags give (none when empty).
func (m *Main) setOrg(ctx context.Context, d *data, domains, counsel, people string) error {
	if domains != "" {
		var list []string
		for _, dom := range splitList(domains) {
			dom = strings.TrimPrefix(strings.ToLower(dom), "@")
			if strings.ContainsAny(dom, "@ ") || !strings.Contains(dom, ".") {
				return usagef("org: %q is not a mail domain", dom)
			}
			list = append(list, dom)
		}
		if err := d.SetDomains(ctx, list); err != nil {
			return err
		}
	}
	if counsel != "" {
		if err := d.SetCounsel(ctx, splitList(counsel)); err != nil {
			return err
		}
		fmt.Fprintln(m.stderr, "counsel changed: run `leakscope redetect` to re-flag stored mail")
	}
	if people == "" {
		return nil
	}
	list, err := app.ReadPeople(people)
	if err != nil && len(list) == 0 {
		return err
	}
	if err != nil {
		fmt.Fprintf(m.stderr, "leakscope: some entries of %s were skipped:\n%v\n", people, err)
	}
	if _, derr := exposure.NewDirectory(list); derr != nil {
		fmt.Fprintf(m.stderr, "leakscope: %s: %v (the first entry keeps a shared address)\n", people, derr)
	}
	if err := d.SetPeople(ctx, list); err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "imported %d people from %s\n", len(list), people)
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
