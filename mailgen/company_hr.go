package mailgen

import (
	"fmt"
	"strings"

	"github.com/leakscope/leakscope"
)

// Ordinary threads that carry personal data: HR cases, IT accounts,
// travel bookings and vendors' payment details. Each plants what it
// carries.

var conditions = []string{"a herniated disc", "breast cancer", "a heart condition", "Crohn's disease", "a torn ACL",
	"multiple sclerosis", "type 1 diabetes"}

// managerOf is the executive an employee reports to.
func (c *Company) managerOf(e *Employee) *Employee {
	dept := map[string]string{"IT": "Finance", "Publicity": "Marketing", "Post-Production": "Production"}[e.Department]
	if dept == "" {
		dept = e.Department
	}
	return c.headOf(dept)
}

// hrCase is HR handling one employee: a medical leave, a pay change, a
// personnel record, a benefits problem.
func (g *companyGen) hrCase() {
	r := g.r
	var staff []*Employee
	for _, p := range g.c.people {
		if p.Mailbox == "" {
			staff = append(staff, p)
		}
	}
	x := staff[r.IntN(len(staff))]
	xf := firstName(x.Name)
	mgr := contactOf(g.c.managerOf(x))
	hr := g.exec("castellano-r")
	hrStaff := g.pickStaff(1, "Human Resources")
	if mgr.email == hr.email {
		mgr = g.exec("hale-v")
	}
	switch r.IntN(4) {
	case 0:
		body := fmt.Sprintf("%s told me today that %s was diagnosed with %s. %s will have surgery on %s %d and expects to be on medical leave for %d weeks after that; please start the paperwork.",
			xf, xf, conditions[r.IntN(len(conditions))], xf, nwMonths[r.IntN(12)], 1+r.IntN(28), 3+r.IntN(8))
		m := g.send(mgr, []contact{hr}, hrStaff, "Leave - "+x.Name, g.compose(mgr, []contact{hr}, body, "Please keep this confidential."))
		m.plant(leakscope.FlagMedical, "body", x)
		g.reply(m, hr, g.compose(hr, []contact{mgr}, fmt.Sprintf("Thanks. %s will reach out to %s directly about FMLA.", firstName(hrStaff[0].name), xf)))
	case 1:
		base := (45 + r.IntN(120)) * 1000
		body := fmt.Sprintf("I'd like to take %s's base salary from %s to %s effective %s 1, with a one-time bonus of %s.",
			x.Name, money(base), money(base+(3+r.IntN(15))*1000), nwMonths[r.IntN(12)], money((2+r.IntN(20))*500))
		m := g.send(mgr, []contact{hr}, nil, "Comp adjustment - "+x.Name, g.compose(mgr, []contact{hr}, body))
		m.plant(leakscope.FlagCompensation, "body", x)
		g.reply(m, hr, g.compose(hr, []contact{mgr}, fmt.Sprintf("Approved for %s. Anything above that needs Margaret's sign-off.", xf)))
	case 2:
		id := g.identity(x)
		body := fmt.Sprintf("Updated record for %s:\n\nDate of birth: %s\nHome phone: %s\nEmergency contact: %s",
			x.Name, id.birth.Format("January 2, 2006"), genPhone(r), g.slot("person"))
		m := g.send(hrStaff[0], []contact{hr}, nil, "Personnel file - "+x.Name, g.compose(hrStaff[0], []contact{hr}, body))
		m.plant(leakscope.FlagDateOfBirth, "body", x)
		m.plant(leakscope.FlagPhone, "body", x)
	default:
		id := g.identity(x)
		body := fmt.Sprintf("The carrier rejected %s's dependent enrollment because the SSN we sent, %s, does not match their records. Can you confirm it with %s before Friday?",
			x.Name, id.ssn, xf)
		m := g.send(hrStaff[0], []contact{hr}, nil, "Carrier rejection - "+x.Name, g.compose(hrStaff[0], []contact{hr}, body))
		m.plant(leakscope.FlagSSN, "body", x)
		g.reply(m, hr, g.compose(hr, []contact{hrStaff[0]}, fmt.Sprintf("I'll ask %s. Please use the HR portal for SSNs next time.", xf)))
	}
}

// itThread is IT writing to an executive about an account or a device.
func (g *companyGen) itThread() {
	r := g.r
	execs := g.c.executives()
	x := execs[r.IntN(len(execs))]
	it := g.pickStaff(1, "IT")[0]
	to := []contact{contactOf(x)}
	f := strings.Fields(x.Name)
	if r.IntN(5) < 2 {
		user := asciiLower(f[0][:1] + f[len(f)-1])
		body := fmt.Sprintf("Your VPN account is ready. Username: %s, temporary password: %s. Please change it before %s.", user, genPassword(r), nwDays[r.IntN(5)])
		m := g.send(it, to, nil, "VPN access", g.compose(it, to, body))
		m.plant(leakscope.FlagCredential, "body", x)
		return
	}
	subjects := []string{"New laptop", "Phone upgrade", "Mailbox size", "Printer on 4", "Conference room screens"}
	lines := []string{"Your new laptop is ready; please bring the old one to IT by {day}.",
		"Your mailbox is close to its limit; I can archive anything older than {month}.",
		"We are replacing the phones on your floor on {day} evening.",
		"The screens in the fourth floor conference room are fixed."}
	m := g.send(it, to, nil, subjects[r.IntN(len(subjects))], g.compose(it, to, g.para(lines, 1)))
	if r.IntN(2) == 0 {
		g.reply(m, to[0], g.compose(to[0], []contact{it}, "Thanks."))
	}
}

// assistants book travel for their executives.
var assistants = map[string]string{"hale-v": "Nina Sorensen", "okafor-d": "Priya Ramaswamy", "sato-m": "Emily Carter",
	"marsh-e": "Jonah Weiss"}

// travelThread books a trip for an executive, sometimes with a passport
// and a card number.
func (g *companyGen) travelThread() {
	r := g.r
	execs := g.c.executives()
	x := execs[r.IntN(len(execs))]
	xf := firstName(x.Name)
	desk := outsider("Meridian Travel Desk")
	from, cc := contactOf(x), []contact(nil)
	if a, ok := assistants[x.Mailbox]; ok {
		from, cc = g.c.work(a), []contact{contactOf(x)}
	}
	place := g.vars["place"]
	paras := []string{fmt.Sprintf("Please book %s on the %s %d flight to %s, returning the following %s, business class, with a car at arrival.",
		xf, nwMonths[r.IntN(12)], 1+r.IntN(28), place, nwDays[r.IntN(5)])}
	passport, card := r.IntN(2) == 0, r.IntN(2) == 0
	if passport {
		paras = append(paras, fmt.Sprintf("%s's passport number is %s.", xf, g.passportOf(x)))
	}
	if card {
		paras = append(paras, fmt.Sprintf("Please charge it to %s's corporate Visa, card number %s, exp %02d/%d.", xf, g.cardOf(x), 1+r.IntN(12), 15+r.IntN(4)))
	}
	m := g.send(from, []contact{desk}, cc, fmt.Sprintf("Travel - %s to %s", x.Name, place), g.compose(from, []contact{desk}, paras...))
	if passport {
		m.plant(leakscope.FlagPassport, "body", x)
	}
	if card {
		m.plant(leakscope.FlagCreditCard, "body", x)
	}
	g.reply(m, desk, g.compose(desk, []contact{from}, fmt.Sprintf("Confirmed. Your record locator is %s; e-tickets to follow.", randomChars(r, "ABCDEFGHJKLMNPQRSTUVWXYZ", 6))))
}

// passportOf and cardOf keep an executive's numbers the same in every
// message.
func (g *companyGen) passportOf(e *Employee) string {
	return g.keepOr("passport:"+e.Email, func() string { return genPassport(g.r) })
}

func (g *companyGen) cardOf(e *Employee) string {
	return g.keepOr("card:"+e.Email, func() string { return genCard(g.r) })
}

// paymentThread is a vendor sending payment details to accounts payable.
func (g *companyGen) paymentThread() {
	r := g.r
	vendors := []string{"Lumen Post Billing", "Arjun Patel", "Fiona McAllister", "Klaus Bergmann", "Dana Whitcombe"}
	v := outsider(vendors[r.IntN(len(vendors))])
	ap := g.c.work([]string{"Carla Benedetti", "Ingrid Vass", "Leah Fontaine"}[r.IntN(3)])
	execs := []string{"sato-m", "sato-m", "marsh-e", "nakamura-o"}
	cc := []contact{g.exec(execs[r.IntN(len(execs))])}
	var details, category string
	switch {
	case strings.HasSuffix(v.email, "orchidfilm.example"):
		details, category = "IBAN: "+g.keepOr("iban:"+v.email, func() string { return genIBAN(r, "DE") })+"\nBIC: ORCHDEFFXXX", leakscope.FlagIBAN
	case strings.HasSuffix(v.email, "highland-locations.example"):
		details, category = "IBAN: "+g.keepOr("iban:"+v.email, func() string { return genIBAN(r, "GB") })+"\nBIC: CLYDGB2S", leakscope.FlagIBAN
	default:
		details = fmt.Sprintf("Bank: Pacific Crest Bank\nABA routing number: %s\nAccount number: %s",
			g.keepOr("aba:"+v.email, func() string { return genRouting(r) }), g.keepOr("acct:"+v.email, func() string { return genAccount(r) }))
		category = leakscope.FlagBankAccount
	}
	body := g.fill("Please use the following for all payments on {project} from now on:", g.vars) + "\n\n" + details
	m := g.send(v, []contact{ap}, cc, g.fill("Payment details - {project}", g.vars), g.compose(v, []contact{ap}, body))
	m.plant(category, "body", nil)
	if r.IntN(2) == 0 {
		g.reply(m, ap, g.compose(ap, []contact{v}, "Thanks, updated."))
	}
}

// keepOr returns the value kept under k, making it with mk the first time.
func (g *companyGen) keepOr(k string, mk func() string) string {
	if g.keep[k] == "" {
		g.keep[k] = mk()
	}
	return g.keep[k]
}
