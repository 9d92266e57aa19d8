package mailgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// The story threads: fixed threads that plant every category at least
// once, in the mailboxes that put them in a given wave. Wave 1 publishes
// hale-v, sato-m and castellano-r; wave 2 marsh-e, brandt-j, quaye-h and
// nakamura-o.

func day(m time.Month, d int) time.Time { return time.Date(2014, m, d, 0, 0, 0, 0, time.UTC) }

func (g *companyGen) stories() {
	for _, s := range []struct {
		at   time.Time
		tell func()
	}{
		{day(time.February, 10), g.storyBenefits}, {day(time.February, 24), g.storyLondonTrip},
		{day(time.March, 3), g.storyMeritFile}, {day(time.March, 18), g.storyDelacroix},
		{day(time.April, 7), g.storyBoardDeck}, {day(time.April, 21), g.storyNewHire},
		{day(time.May, 19), g.storyMedicalLeave}, {day(time.June, 2), g.storyWires},
		{day(time.June, 23), g.storyFletcher}, {day(time.July, 14), g.storyEditBay},
		{day(time.August, 11), g.storyRouter}, {day(time.August, 25), g.storyHeartAttack},
		{day(time.September, 8), g.storyOffer}, {day(time.September, 15), g.storyCut},
		{day(time.October, 6), g.storyCompReview}, {day(time.October, 20), g.storyInvoice},
		{day(time.May, 5), g.storyVisa}, {day(time.July, 28), g.storyFeedKey},
	} {
		g.newThreadVars()
		g.thread(s.at)
		s.tell()
	}
}

// storyBenefits: the exposed employee sends her benefits form (SSN, birth
// date, phone, her family's SSNs) to HR from her personal address.
func (g *companyGen) storyBenefits() {
	t := g.c.person(exposedName)
	id := g.identity(t)
	home, hr, grace := g.c.home(exposedName), g.exec("castellano-r"), g.c.work("Grace Obi")
	form := fmt.Sprintf(`NORTHWIND PICTURES - 2014 BENEFITS ENROLLMENT FORM

Employee name: %s
Department: %s
Social Security Number: %s
Date of birth: %s
Mobile: %s

Medical plan: PPO Gold (employee and family)

Dependents
Spouse: Erik Lindgren, SSN %s, date of birth %s
Child: Maja Lindgren, SSN %s, date of birth %s
`, t.Name, t.Department, id.ssn, id.birth.Format("01/02/2006"), g.keepOr("mobile:"+t.Email, func() string { return genPhone(g.r) }),
		genSSN(g.r), genBirth(g.r, 1980, 1985).Format("01/02/2006"), genSSN(g.r), genBirth(g.r, 2009, 2012).Format("01/02/2006"))
	m := g.send(home, []contact{hr}, []contact{grace}, "Benefits enrollment form", g.compose(home, []contact{hr},
		"I'm sending this from my personal email because I'm working from home today. Attached is my enrollment form for the new plan year; Erik and Maja are on it as dependents."))
	m.atts = []attachment{{name: "Benefits_Enrollment_2014_TLindgren.txt", ctype: "text/plain", data: []byte(form)}}
	for _, c := range []string{leakscope.FlagSSN, leakscope.FlagDateOfBirth, leakscope.FlagPhone} {
		m.plant(c, "attachment", t)
	}
	g.reply(m, hr, g.compose(hr, []contact{home}, "Thanks Teresa, got it. Grace will confirm once the carrier has it. Next time please use the HR portal rather than personal email for anything with your SSN on it."))
}

// storyLondonTrip: the CEO's assistant books a trip with her birth date,
// passport and card.
func (g *companyGen) storyLondonTrip() {
	v := g.c.person("Victoria Hale")
	nina, desk := g.c.work("Nina Sorensen"), outsider("Meridian Travel Desk")
	paras := []string{
		"Please book Victoria on the BA flight to London on March 3, returning March 7, first class, and two nights at the usual hotel.",
		fmt.Sprintf("Victoria's date of birth: %s.", g.identity(v).birth.Format("January 2, 2006")),
		fmt.Sprintf("Her passport number is %s, expiring August 2019.", g.passportOf(v)),
		fmt.Sprintf("If anything goes wrong call my cell, %s.", g.keepOr("mobile:"+nina.email, func() string { return genPhone(g.r) })),
		fmt.Sprintf("Please charge everything to Victoria's corporate Visa, card number %s, exp 09/16.", g.cardOf(v)),
	}
	m := g.send(nina, []contact{desk}, []contact{contactOf(v)}, "Travel - Victoria Hale to London, March 3-7", g.compose(nina, []contact{desk}, paras...))
	m.plant(leakscope.FlagDateOfBirth, "body", v)
	m.plant(leakscope.FlagPassport, "body", v)
	m.plant(leakscope.FlagCreditCard, "body", v)
	m.plant(leakscope.FlagPhone, "body", g.c.person("Nina Sorensen"))
	g.reply(m, desk, g.compose(desk, []contact{nina}, "All booked. The record locator is QXT4LM; e-tickets to follow."))
}

// storyMeritFile: HR sends Finance the staff salaries, with SSNs and birth
// dates, as a CSV attachment.
func (g *companyGen) storyMeritFile() {
	hr, cfo := g.exec("castellano-r"), g.exec("sato-m")
	var b strings.Builder
	b.WriteString("employee,ssn,title,dob,department,base salary,proposed salary,bonus\n")
	var rows []*Employee
	for i, p := range g.c.people {
		if p.Mailbox == "" && (i%3 == 0 || p.Name == exposedName || p.Name == "Priya Ramaswamy") {
			rows = append(rows, p)
		}
	}
	for _, p := range rows {
		id := g.identity(p)
		base := (48 + g.r.IntN(140)) * 1000
		// An HR system export: amounts without thousands separators.
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,$%d,$%d,$%d\n", p.Name, id.ssn, p.Title, id.birth.Format("2006-01-02"), p.Department,
			base, base+(2+g.r.IntN(9))*1000, (1+g.r.IntN(20))*1000)
	}
	m := g.send(hr, []contact{cfo}, []contact{g.c.work("Monica Reyes")}, "2015 merit increases - staff", g.compose(hr, []contact{cfo},
		"Attached is the staff merit file with current and proposed base salary for everyone below VP.", "Strictly confidential - please do not forward."))
	m.atts = []attachment{{name: "2015_merit_increases.csv", ctype: "text/csv", data: []byte(b.String())}}
	m.plant(leakscope.FlagConfidential, "body", nil)
	for _, p := range rows {
		for _, c := range []string{leakscope.FlagCompensation, leakscope.FlagSSN, leakscope.FlagDateOfBirth} {
			m.plant(c, "attachment", p)
		}
	}
	g.reply(m, cfo, g.compose(cfo, []contact{hr}, "Thanks Raymond. The total is within the plan; I'll take it to Victoria on Friday."))
}

// storyDelacroix: the general counsel's privileged advice on a claim.
func (g *companyGen) storyDelacroix() {
	gc, ceo := g.exec("quaye-h"), g.exec("hale-v")
	cc := []contact{outsider("Graham Hartwell"), g.c.work("Tobias Reinholt")}
	m := g.send(gc, []contact{ceo}, cc, "Copper Canyon - Delacroix claim", "PRIVILEGED & CONFIDENTIAL\nATTORNEY-CLIENT COMMUNICATION\n\n"+
		g.compose(gc, []contact{ceo}, "As requested, here is our assessment of the Delacroix claim over the Copper Canyon screenplay. Graham's team thinks we would win on the merits, but discovery would be expensive and would expose the development emails from 2012.",
			"Our recommendation is to settle for up to $1.5M before Lily Chen's deposition in April."))
	m.plant(leakscope.FlagLegalPrivilege, "body", nil)
	g.reply(m, ceo, g.compose(ceo, []contact{gc}, "Settle it. I don't want Lily deposed, and I don't want those emails anywhere near a courtroom."))
}

// storyBoardDeck: the CEO's confidential deck to every executive.
func (g *companyGen) storyBoardDeck() {
	ceo := g.exec("hale-v")
	var to []contact
	for _, e := range g.c.executives() {
		if e.Mailbox != "hale-v" {
			to = append(to, contactOf(e))
		}
	}
	m := g.send(ceo, to, nil, "Confidential: Q3 board deck", "STRICTLY CONFIDENTIAL - DO NOT FORWARD\n\n"+g.compose(ceo, nil,
		"The draft board deck is attached to the meeting invite. Two slides matter: the write-down on Glass Orchard and the plan to cut 8% of staff after the holidays.",
		"Nobody outside this list knows about the cuts. Keep it that way."))
	m.plant(leakscope.FlagConfidential, "body", nil)
	g.reply(m, g.exec("sato-m"), g.compose(g.exec("sato-m"), []contact{ceo}, "The write-down number is final as of this morning."))
}

// storyNewHire: payroll details of a new assistant.
func (g *companyGen) storyNewHire() {
	p := g.c.person("Priya Ramaswamy")
	id := g.identity(p)
	rec, hr := g.c.work("Yvette Dubois"), g.exec("castellano-r")
	m := g.send(rec, []contact{hr}, nil, "New hire paperwork - Priya Ramaswamy", g.compose(rec, []contact{hr},
		"Priya starts Monday as Daniel's assistant.",
		fmt.Sprintf("For payroll: SSN %s, date of birth %s, cell %s.", id.ssn, id.birth.Format("01/02/2006"), genPhone(g.r))))
	for _, c := range []string{leakscope.FlagSSN, leakscope.FlagDateOfBirth, leakscope.FlagPhone} {
		m.plant(c, "body", p)
	}
}

// storyMedicalLeave: the exposed employee tells her boss she has cancer;
// he forwards it to HR; she writes again from her personal address.
func (g *companyGen) storyMedicalLeave() {
	t := g.c.person(exposedName)
	work, home, boss := g.c.work(exposedName), g.c.home(exposedName), g.exec("brandt-j")
	m := g.send(work, []contact{boss}, nil, "Personal - please read", g.compose(work, []contact{boss},
		"I wanted you to hear this from me first. I was diagnosed with thyroid cancer two weeks ago and I'm having surgery on June 12. My doctor says I'll need about six weeks of medical leave after that.",
		"Please keep this between us for now; I'll tell the team myself."))
	m.plant(leakscope.FlagMedical, "body", t)
	m.plant(leakscope.FlagConfidential, "body", t)
	r := g.reply(m, boss, g.compose(boss, []contact{work}, "Teresa, I'm so sorry. Take whatever time you need; Chloe can cover the Harbor Lights launch. Nobody else will hear it from me."))
	f := g.forward(m, boss, []contact{g.exec("castellano-r")}, g.compose(boss, nil, "Raymond, see below. Please handle the FMLA paperwork directly with Teresa and keep it confidential."))
	f.plant(leakscope.FlagMedical, "body", t)
	g.at = g.at.Add(40 * 24 * time.Hour)
	back := g.reply(r, home, g.compose(home, []contact{boss}, "Writing from my personal email since I'm still at home. The surgery went well and my doctors expect me back in mid-August. Thank you for keeping it quiet."))
	back.to = []contact{boss}
}

// storyWires: a location's IBAN and the bank's wire confirmation with
// routing and account numbers.
func (g *companyGen) storyWires() {
	fiona, carla, ingrid, cfo := outsider("Fiona McAllister"), g.c.work("Carla Benedetti"), g.c.work("Ingrid Vass"), g.exec("sato-m")
	m := g.send(fiona, []contact{carla}, []contact{cfo}, "Wire details - Glasgow location fees", g.compose(fiona, []contact{carla},
		"Please remit the location deposit for The Salt Road to our account:",
		"IBAN: "+g.keepOr("iban:"+fiona.email, func() string { return genIBAN(g.r, "GB") })+"\nBIC: CLYDGB2S"))
	m.plant(leakscope.FlagIBAN, "body", nil)
	bank := outsider("Pacific Crest Bank Wire Desk")
	w := g.send(bank, []contact{ingrid}, []contact{cfo}, "Outgoing wire confirmation", g.compose(bank, []contact{ingrid},
		"Your outgoing wire has been released.",
		fmt.Sprintf("Beneficiary: Lumen Post LLC\nBeneficiary bank ABA routing number: %s\nBeneficiary account number: %s\nAmount: USD 482,100.00",
			g.keepOr("aba:lumen", func() string { return genRouting(g.r) }), g.keepOr("acct:lumen", func() string { return genAccount(g.r) }))))
	w.plant(leakscope.FlagBankAccount, "body", nil)
}
