package mailgen

import (
	"math/rand/v2"
	"slices"
	"time"
)

// A Company is a fictional film studio, Northwind Pictures, whose mail was
// stolen and published: the demo of Leakscope. It has about sixty people
// (executives, their staff, a few with personal addresses), a people
// directory, the company's own archive (one maildir per executive) and a
// leak published in two waves:
//
//   - wave 1: the mailboxes of three executives (a maildir tree, an mbox
//     per folder, and a zip of mboxes);
//   - wave 2, a month later: four more executives' mailboxes, one of the
//     wave-1 mailboxes' sent folder published again, a few doctored copies
//     of archive messages (same Message-ID, a figure changed or a sentence
//     added) and a few fabricated messages that claim an executive as
//     sender and are in no mailbox of the archive.
//
// Two executives' mailboxes are in the archive only: their mail is
// published only where it was sent to or from a leaked mailbox.
//
// Mail is written in threads (deal memos, budgets, casting, marketing,
// distribution, legal, HR, IT, travel, gossip), replies quoting their
// parent in Outlook style, some with an HTML alternative or HTML only, some
// with CSV, text or .docx attachments. Sensitive content of every category
// Leakscope detects (SSNs, card numbers, IBANs, bank accounts, passwords,
// API keys, medical, pay, privileged and confidential mail, birth dates,
// phone numbers, passports, offensive language) is planted in bodies, HTML
// parts and attachments of mail to or from particular people, so that
// people have different exposure. Every identifier is generated to pass
// its validator (SSA rules, Luhn, ISO 7064 mod 97, the ABA checksum) and
// belongs to no one; phone numbers use the 555 exchange. All domains are
// under the .example top-level domain reserved by RFC 2606.
//
// Output is deterministic for a given Seed.
type Company struct {
	opts   CompanyOptions
	name   string
	domain string
	people []*Employee
	byMbox map[string]*Employee
}

// CompanyOptions configure NewCompany; the zero value works.
type CompanyOptions struct {
	// Seed makes the company's mail reproducible: the same seed writes the
	// same bytes. Default 1.
	Seed uint64
	// Threads is the number of ordinary threads, besides the planted
	// story threads. Default 1000 (about 2,400 archive messages, 2,100 of
	// them leaked).
	Threads int
	// Start and End bound the dates of the mail. Default 2014-01-06 and
	// 2014-11-14.
	Start, End time.Time
}

// Employee is one person of the company.
type Employee struct {
	Name       string
	Title      string
	Department string
	Email      string // work address
	Personal   string // personal address, "" when none appears in mail
	Phone      string // office phone in the signature, "" when none
	// Mailbox is the custodian name of an executive whose mailbox the
	// archive holds ("hale-v"); "" for everyone else.
	Mailbox string
	VIP     bool
}

// contact is one correspondent of a message.
type contact struct {
	name, email string
	emp         *Employee // nil for outsiders and personal addresses
	org         bool      // a company's desk or system, not a person
}

// Domain is the company's mail domain.
const companyDomain = "northwind-pictures.example"

// Wave labels and publication dates of the leak.
var (
	wave1Published = time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	wave2Published = time.Date(2014, 12, 22, 0, 0, 0, 0, time.UTC)
)

// NewCompany prepares the company; Write writes its mail.
func NewCompany(opts CompanyOptions) *Company {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Threads <= 0 {
		opts.Threads = 1000
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2014, 1, 6, 0, 0, 0, 0, time.UTC)
	}
	if opts.End.IsZero() || !opts.End.After(opts.Start) {
		opts.End = time.Date(2014, 11, 14, 0, 0, 0, 0, time.UTC)
	}
	c := &Company{opts: opts, name: "Northwind Pictures", domain: companyDomain, byMbox: map[string]*Employee{}}
	r := rand.New(rand.NewPCG(opts.Seed, 0x6e77)) // "nw"
	for _, p := range roster {
		e := p
		e.Email = emailOf(e.Name, companyDomain)
		if r.IntN(5) < 2 || e.Mailbox != "" {
			e.Phone = genPhone(r)
		}
		c.people = append(c.people, &e)
		if e.Mailbox != "" {
			c.byMbox[e.Mailbox] = &e
		}
	}
	for _, name := range personalAddresses {
		e := c.person(name)
		e.Personal = personalOf(r, e.Name)
	}
	return c
}

// Name is the company's name.
func (c *Company) Name() string { return c.name }

// People returns the people of the company, executives first.
func (c *Company) People() []Employee {
	out := make([]Employee, len(c.people))
	for i, p := range c.people {
		out[i] = *p
	}
	return out
}

// Counsel are the company's counsel: the general counsel, her deputy and
// the outside law firm's domain (the list `leakscope org --counsel`
// takes).
func (c *Company) Counsel() []string {
	return []string{c.person("Harriet Quaye").Email, c.person("Tobias Reinholt").Email, lawFirmDomain}
}

// Exposed is the employee the demo logs in as: someone whose benefits
// form (SSN, birth date) is in wave 1 and whose medical leave is in wave 2,
// writing from both her work and her personal address.
func (c *Company) Exposed() Employee { return *c.person(exposedName) }

const exposedName = "Teresa Lindgren"

// person returns the employee with the given name; it panics on a name
// that is not in the roster (a bug in this package).
func (c *Company) person(name string) *Employee {
	for _, p := range c.people {
		if p.Name == name {
			return p
		}
	}
	panic("mailgen: no employee " + name)
}

func (c *Company) work(name string) contact {
	p := c.person(name)
	return contact{name: p.Name, email: p.Email, emp: p}
}

func (c *Company) home(name string) contact {
	p := c.person(name)
	return contact{name: p.Name, email: p.Personal}
}

// executives returns the employees whose mailboxes the archive holds.
func (c *Company) executives() []*Employee {
	var out []*Employee
	for _, p := range c.people {
		if p.Mailbox != "" {
			out = append(out, p)
		}
	}
	return out
}

// staffOf returns the employees of a department without a mailbox.
func (c *Company) staffOf(dept string) []*Employee {
	var out []*Employee
	for _, p := range c.people {
		if p.Department == dept && p.Mailbox == "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *Company) headOf(dept string) *Employee {
	i := slices.IndexFunc(c.people, func(p *Employee) bool { return p.Department == dept && p.Mailbox != "" })
	if i < 0 {
		return nil
	}
	return c.people[i]
}

func contactOf(p *Employee) contact { return contact{name: p.Name, email: p.Email, emp: p} }
