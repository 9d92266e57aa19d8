package mailgen

import (
	"fmt"
	"html"
	"strings"

	"github.com/leakscope/leakscope"
)

// storyFletcher: two executives insult a star (wave 2).
func (g *companyGen) storyFletcher() {
	prod, mkt := g.exec("marsh-e"), g.exec("brandt-j")
	m := g.send(prod, []contact{mkt}, nil, "Fletcher", g.compose(prod, []contact{mkt},
		"Fletcher Dunmore walked off set again today. Honestly, the man is an idiot and I'm tired of cleaning up after him."))
	m.plant(leakscope.FlagOffensive, "body", nil)
	r := g.reply(m, mkt, g.compose(mkt, []contact{prod}, "What a jackass. Do NOT let this get to the trades before the junket."))
	r.plant(leakscope.FlagOffensive, "body", nil)
}

// storyCut: the CEO on a director's cut (wave 1).
func (g *companyGen) storyCut() {
	ceo, co := g.exec("hale-v"), g.exec("okafor-d")
	m := g.send(ceo, []contact{co}, nil, "the Ember Falls cut", g.compose(ceo, []contact{co},
		"Watched the new cut last night. Honestly, this cut is bullshit and the director knows it. I want our editor in the room on Monday."))
	m.plant(leakscope.FlagOffensive, "body", nil)
	g.reply(m, co, g.compose(co, []contact{ceo}, "Agreed. I'll call his agent."))
}

// storyEditBay: a password and cloud keys in production's mail (wave 2).
func (g *companyGen) storyEditBay() {
	anil, prod, curtis := g.c.work("Anil Mehta"), g.exec("marsh-e"), g.c.work("Curtis Lang")
	m := g.send(anil, []contact{prod}, []contact{g.c.work("Dominic Ferraro")}, "Edit bay access", g.compose(anil, []contact{prod},
		fmt.Sprintf("The edit bay workstation is set up. Username: emarsh, password: %s", genPassword(g.r)),
		"Dominic has his own login for the Avid."))
	m.plant(leakscope.FlagCredential, "body", g.c.person("Elena Marsh"))
	secret := genAWSSecret(g.r)
	secret = secret[:39] + randomChars(g.r, "abcdefghijklmnopqrstuvwxyz", 1)
	keys := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-west-2\nbucket = nwp-dailies-harbor-lights\n",
		genAWSKeyID(g.r), secret)
	k := g.send(anil, []contact{curtis}, []contact{prod}, "S3 bucket for dailies", g.compose(anil, []contact{curtis},
		"The upload account for the dailies bucket is in the attached file. Please don't paste it into chat."))
	k.atts = []attachment{{name: "dailies-upload.txt", ctype: "text/plain", data: []byte(keys)}}
	k.plant(leakscope.FlagSecretKey, "attachment", nil)
}

// storyRouter: IT tells the CEO her home router's password (wave 1).
func (g *companyGen) storyRouter() {
	curtis, ceo := g.c.work("Curtis Lang"), g.exec("hale-v")
	m := g.send(curtis, []contact{ceo}, nil, "Home network", g.compose(curtis, []contact{ceo},
		fmt.Sprintf("I set up the new router at your house on Saturday. I changed the admin password to %s and the guest network is open for the kids.", genPassword(g.r))))
	m.plant(leakscope.FlagCredential, "body", g.c.person("Victoria Hale"))
	g.reply(m, ceo, g.compose(ceo, []contact{curtis}, "Thank you Curtis!"))
}

// storyHeartAttack: a manager's health news (wave 2).
func (g *companyGen) storyHeartAttack() {
	ben, prod := g.c.work("Ben Castillo"), g.exec("marsh-e")
	m := g.send(ben, []contact{prod}, nil, "Rafael", g.compose(ben, []contact{prod},
		"Rafael had a heart attack on Saturday and is in the hospital. His wife says he is stable and should be home by the end of the week.",
		"Sofia will run the unit until he is back."))
	m.plant(leakscope.FlagMedical, "body", g.c.person("Rafael Ortega"))
	g.reply(m, prod, g.compose(prod, []contact{ben}, "Thanks for letting me know. Please send flowers from all of us."))
}

// storyOffer: an offer letter as a Word attachment (wave 2).
func (g *companyGen) storyOffer() {
	rec, prod := g.c.work("Yvette Dubois"), g.exec("marsh-e")
	letter := docx([]string{
		"NORTHWIND PICTURES",
		"Dear Sofia,",
		"We are pleased to offer you the position of Line Producer at Northwind Pictures, reporting to Elena Marsh.",
		"Your annual base salary will be $165,000, paid bi-weekly, and you will receive a signing bonus of $25,000 within 30 days of your start date.",
		"This offer is contingent on the usual background check. Please sign and return a copy by October 1.",
		"Sincerely,",
		"Raymond Castellano, EVP Human Resources",
	})
	m := g.send(rec, []contact{prod}, nil, "Offer letter - Sofia Marchetti", g.compose(rec, []contact{prod},
		"Attached is the offer letter for Sofia Marchetti to join the staff as a Line Producer. Please review before I send it to her."))
	m.atts = []attachment{{name: "Offer_Letter_SMarchetti.docx", ctype: docxType, data: letter}}
	m.plant(leakscope.FlagCompensation, "attachment", g.c.person("Sofia Marchetti"))
	g.reply(m, prod, g.compose(prod, []contact{rec}, "Looks right. Send it."))
}

// storyCompReview: the HR system's executive pay review, HTML only
// (wave 1).
func (g *companyGen) storyCompReview() {
	sys := contact{name: "Northwind HR Systems", email: "hr-systems@" + companyDomain}
	var b strings.Builder
	b.WriteString("<html><body style=\"font-family:Calibri\">\n<h2>2015 Executive Compensation Review</h2>\n")
	b.WriteString("<p>The proposed changes below take effect January 1, 2015, subject to approval by the compensation committee.</p>\n<ul>\n")
	execs := g.c.executives()
	for _, e := range execs {
		base := (450 + g.r.IntN(40)*25) * 1000
		fmt.Fprintf(&b, "<li>%s, %s: base salary %s, proposed %s; bonus target %s</li>\n", html.EscapeString(e.Name),
			html.EscapeString(e.Title), money(base), money(base+(1+g.r.IntN(6))*25000), money((100+g.r.IntN(20)*25)*1000))
	}
	b.WriteString("</ul>\n<p>This report is generated by Workforce Central. Do not reply.</p>\n</body></html>\n")
	m := g.send(sys, []contact{g.exec("castellano-r")}, []contact{g.exec("sato-m"), g.exec("hale-v")}, "2015 executive compensation review", "")
	m.form, m.htmlBody = htmlOnly, b.String()
	for _, e := range execs {
		m.plant(leakscope.FlagCompensation, "html", e)
	}
}

// storyInvoice: a co-producer's HTML invoice with an IBAN (wave 2).
func (g *companyGen) storyInvoice() {
	klaus, dist := outsider("Klaus Bergmann"), g.exec("nakamura-o")
	iban := g.keepOr("iban:"+klaus.email, func() string { return genIBAN(g.r, "DE") })
	body := "<html><body>\n<p>Dear Oliver,</p>\n<p>please find attached our statement for the German theatrical release of Silver Tide.</p>\n" +
		"<p><b>Bank details</b><br>\nOrchid Film GmbH<br>\nIBAN: " + iban + "<br>\nBIC: ORCHDEFFXXX</p>\n<p>Mit freundlichen Gr&uuml;&szlig;en,<br>\nKlaus Bergmann</p>\n</body></html>\n"
	m := g.send(klaus, []contact{dist}, nil, "Silver Tide - statement Q3", "")
	m.form, m.htmlBody = htmlOnly, body
	m.plant(leakscope.FlagIBAN, "html", nil)
}

// storyVisa: a work visa petition with a phone, passport number, birth
// date and SSN in production's mail (wave 2).
func (g *companyGen) storyVisa() {
	p := g.c.person("Sanna Virtanen")
	id := g.identity(p)
	rec, prod := g.c.work("Yvette Dubois"), g.exec("marsh-e")
	m := g.send(rec, []contact{prod}, []contact{g.c.work("Wen Zhao")}, "Visa petition - Sanna Virtanen", g.compose(rec, []contact{prod},
		"The lawyers need these for Sanna's visa extension before she goes back to Helsinki:",
		fmt.Sprintf("Cell: %s\nPassport number: %s\nDate of birth: %s\nSSN: %s", genPhone(g.r), genPassport(g.r),
			id.birth.Format("01/02/2006"), id.ssn),
		"Can you sign the support letter by Friday?"))
	for _, c := range []string{leakscope.FlagSSN, leakscope.FlagDateOfBirth, leakscope.FlagPassport, leakscope.FlagPhone} {
		m.plant(c, "body", p)
	}
	g.reply(m, prod, g.compose(prod, []contact{rec}, "Signed and sent back to you."))
}

// storyFeedKey: an API key for a data feed in the CFO's mail (wave 1).
func (g *companyGen) storyFeedKey() {
	curtis, cfo := g.c.work("Curtis Lang"), g.exec("sato-m")
	key := randomChars(g.r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32)
	m := g.send(curtis, []contact{cfo}, []contact{g.c.work("Samuel Adeyemi")}, "Box office data feed", g.compose(curtis, []contact{cfo},
		"Samuel asked for direct access to the box office data feed for the weekend reports.",
		"API key: "+key,
		"Please keep it inside Finance; the vendor bills per call."))
	m.plant(leakscope.FlagSecretKey, "body", nil)
}
