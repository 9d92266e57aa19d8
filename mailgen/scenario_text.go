package mailgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// block is one part of a message body: the unit the plain-text and HTML
// renderers of the scenario work on.
type block struct {
	kind  blockKind
	lines []string // paragraph sentences, list items, signature lines, header lines
	// For blockQuote: the quoted message's blocks and how it is introduced.
	inner  []block
	header []string // "From: ...", "Sent: ...", ... (Outlook) or the attribution line (angle)
	style  quoteStyle
}

type blockKind int

const (
	blockPara blockKind = iota
	blockList
	blockSig // closing, name, title, company, phone: lines kept as written
	blockDisclaimer
	blockQuote
)

type quoteStyle int

const (
	quoteOutlook quoteStyle = iota // "-----Original Message-----" and a header block, no prefixes
	quoteAngle                     // "On ..., X wrote:" and "> " prefixes
	quoteForward                   // "---------- Forwarded message ---------" and a header block
)

var (
	scenFirst = []string{"Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Jolene",
		"Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sanjay", "Tomasz", "Ursula", "Victor",
		"Wen", "Ximena", "Yusuf", "Zoë", "José", "Amélie", "Björn", "Chloé", "Declan", "Elif", "Farid", "Greta",
		"Hamid", "Ingrid", "Jonas", "Keiko", "Luca", "Mei"}
	scenLast = []string{"Abbott", "Brandt", "Castillo", "Dumont", "Eriksen", "Fischer", "Gallo", "Hughes", "Ito",
		"Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Perez", "Quinn", "Rossi", "Schmidt", "Tanaka",
		"Ueda", "Varga", "Walsh", "Xu", "Yilmaz", "Zhou", "Núñez", "Müller", "Sørensen", "Byrne", "Costa", "Dubois",
		"Engel", "Ferreira", "Grant", "Horvath", "Iqbal", "Jovanović", "Keller", "Larsen"}
	scenTitles = []string{"Senior Analyst", "VP Finance", "Producer", "Associate Counsel", "Director of Marketing",
		"Head of Distribution", "Executive Assistant", "Controller", "Casting Director", "Line Producer",
		"Chief of Staff", "Business Affairs Manager", "Publicist", "Post-Production Supervisor"}
	scenDepts = []string{"Finance", "Legal", "Marketing", "Distribution", "Production", "Business Affairs",
		"Publicity", "Post-Production", "Office of the Chairman", "Human Resources"}
	scenOrgs = []string{"Halcyon Partners", "Northgate Bank", "Redwood Talent", "Meridian Studios", "Bluewater Media",
		"Atlas Distribution", "Kestrel Capital", "Orchid Films", "Summit Legal", "Vantage Cinemas", "Lumen Post",
		"Harbor Insurance"}
	scenProjects = []string{"Falcon", "Nightjar", "Cobalt", "Juniper", "Orion", "Marigold", "Sable", "Tundra",
		"Halberd", "Wisteria", "Quarry", "Lantern", "Monsoon", "Pelican", "Saffron", "Vesper", "Bramble", "Cinder"}
	scenPlaces = []string{"Lisbon", "Vancouver", "Atlanta", "Budapest", "Toronto", "Prague", "Cape Town",
		"Belfast", "Montréal", "Albuquerque", "Marrakesh", "Reykjavík", "Wellington", "Seville"}
	scenDocs = []string{"term sheet", "budget top sheet", "cast contract", "distribution agreement", "press release",
		"board deck", "P&L summary", "location agreement", "insurance binder", "release schedule", "marketing plan",
		"completion bond", "cost report", "talent deal memo", "licensing grid", "audit letter"}
	scenTopics = []string{"forecast", "budget review", "casting update", "distribution deal", "press release draft",
		"board meeting", "marketing plan", "legal hold", "travel plans", "contract renewal", "premiere logistics",
		"headcount plan", "reshoot costs", "tax credit filing", "festival strategy", "licensing terms"}
	scenReasons = []string{"the reshoots", "currency moves", "the weather days", "overtime on the night shoots",
		"the new VFX vendor", "a late script change", "the union settlement", "freight costs", "extra security"}
	scenDays   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	scenMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
	scenGreetings = []string{"Hi %s,", "%s,", "Dear %s,", "Hello %s,", "", ""}
	scenClosings  = []string{"Thanks,", "Best,", "Regards,", "Best regards,", "Cheers,", "Thank you,"}
)

// sentenceTemplates are filled with fillSentence; each {slot} draws from a
// list. Some use typographic punctuation (’, —, “ ”) as Outlook's
// autocorrect writes it, so that charset re-encodings have something to lose.
var sentenceTemplates = []string{
	"The {doc} for {project} is {status} and {person} will send it by {day}.",
	"We are {amount} over budget on {project} because of {reason}.",
	"{person} asked whether we can move the {topic} call to {day} at {time}.",
	"I spoke with {person} at {org} about the {doc} and they want {amount} up front.",
	"Can you check the {doc} against the {doc2} before {day}, as {person} asked?",
	"The {place} shoot is confirmed for {month} {dom}; crew call is {time}.",
	"Legal wants the {doc} reviewed by {person} before it goes to {org}.",
	"Our numbers show {num} admissions in {month}, down from {num2} in {month2}.",
	"I don’t think {org} will accept the {doc} as drafted — the fee is {amount} too high.",
	"{person} says the “final” cut of {project} runs {mins} minutes, which is {mins2} more than we promised.",
	"Please keep the {project} numbers inside the group until the {topic} is announced on {month} {dom}.",
	"The {place} tax credit should come to {amount} if we file the {doc} by {month} {dom}.",
	"We need sign-off from {person} on the {doc} — {org} won’t countersign without it.",
	"{org} offered {amount} for the {place} rights; I told them we’d need {amount2}.",
	"The {topic} slipped by {n} weeks; {person} is rebuilding the {doc}.",
	"I attached the revised {doc} with the {amount} reserve for {reason}.",
	"Let’s not copy {person} on this until {org} confirms the {doc}.",
	"Marketing spend on {project} is at {amount} against a plan of {amount2}.",
	"{person} flagged a problem with the {doc} clause on {reason}.",
	"The {place} premiere on {month} {dom} needs {n} more security staff and a second screen.",
	"Could you send me the {doc} for {project} and the {doc2} from {month}?",
	"I have a call with {person} from {org} on {day} at {time} about {project}.",
	"The auditors asked for the {doc} and every invoice over {amount} since {month}.",
	"We should hold {amount} back until the {doc} with {org} is signed.",
	"{person} is out until {day}; {person2} is covering the {topic}.",
	"Ticket {ticket} covers the {place} travel for {n} people in {month}.",
	"The draft {doc} for {project} is at {link} — {person} needs comments by {day}.",
	"Box office for {project} in {place} came in at {amount}, {pct} above tracking.",
	"{org} wants exclusivity in {place} for {n} months, which conflicts with the {doc}.",
	"I’m not comfortable with the {amount} fee unless {person} signs the {doc}.",
}

var shortTemplates = []string{
	"Thanks {first}, {day} at {time} works for me.",
	"Agreed on {project} — let’s go ahead at {amount}.",
	"Will do; I’ll send the {doc} to {first} by {day} at {time}.",
	"Fine with me, but check with {first} about the {doc} before {day} at {time}.",
	"Yes, {amount} is the number for {place}.",
}

// sentence fills a template.
func (g *threadGen) sentence(tmpl string) string {
	r := g.r
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		b.WriteString(g.slot(tmpl[i+1:i+j], r))
		tmpl = tmpl[i+j+1:]
	}
}

func (g *threadGen) slot(name string, r *rand.Rand) string {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	switch name {
	case "doc", "doc2":
		return pick(scenDocs)
	case "project":
		if r.IntN(3) > 0 {
			return g.project
		}
		return pick(scenProjects)
	case "status":
		return pick([]string{"nearly done", "with legal", "late", "signed", "stuck", "in review"})
	case "person", "person2":
		p := g.s.people[r.IntN(len(g.s.people))]
		return p.name
	case "first":
		p := g.s.people[r.IntN(len(g.s.people))]
		return strings.Fields(p.name)[0]
	case "day":
		return pick(scenDays)
	case "time":
		return fmt.Sprintf("%d:%02d %s", 1+r.IntN(12), 15*r.IntN(4), pick([]string{"am", "pm"}))
	case "amount", "amount2":
		switch r.IntN(3) {
		case 0:
			return fmt.Sprintf("$%d,%03d", 1+r.IntN(900), r.IntN(1000))
		case 1:
			return fmt.Sprintf("$%d.%dm", 1+r.IntN(40), r.IntN(10))
		default:
			return fmt.Sprintf("€%d,%03d", 1+r.IntN(900), r.IntN(1000))
		}
	case "reason":
		return pick(scenReasons)
	case "org":
		return pick(scenOrgs)
	case "topic":
		if r.IntN(2) == 0 {
			return g.topic
		}
		return pick(scenTopics)
	case "place":
		return pick(scenPlaces)
	case "month", "month2":
		return pick(scenMonths)
	case "dom":
		return fmt.Sprint(1 + r.IntN(28))
	case "num", "num2":
		return fmt.Sprintf("%d,%03d", 1+r.IntN(900), r.IntN(1000))
	case "mins", "mins2":
		return fmt.Sprint(5 + r.IntN(130))
	case "n":
		return fmt.Sprint(2 + r.IntN(11))
	case "pct":
		return fmt.Sprintf("%d%%", 1+r.IntN(40))
	case "ticket":
		return fmt.Sprintf("TR-%05d", r.IntN(100000))
	case "link":
		return fmt.Sprintf("https://files.%s/share/%x", g.s.opts.Domain, r.Uint32())
	}
	return name
}

// ownBlocks writes what one author adds to a message: a greeting, one to
// three paragraphs (sometimes a list), a closing and, for company people, a
// signature and possibly the company disclaimer.
func (g *threadGen) ownBlocks(from actor, to []actor, short bool) []block {
	r := g.r
	var out []block
	greet := scenGreetings[r.IntN(len(scenGreetings))]
	if greet != "" && len(to) > 0 {
		out = append(out, block{kind: blockPara, lines: []string{fmt.Sprintf(greet, strings.Fields(to[0].name)[0])}})
	}
	if short {
		out = append(out, block{kind: blockPara, lines: []string{g.sentence(shortTemplates[r.IntN(len(shortTemplates))])}})
	} else {
		for p := range 1 + r.IntN(3) {
			if p == 1 && r.IntN(4) == 0 {
				var items []string
				for range 2 + r.IntN(3) {
					items = append(items, strings.TrimSuffix(g.sentence(sentenceTemplates[r.IntN(len(sentenceTemplates))]), "."))
				}
				out = append(out, block{kind: blockList, lines: items})
				continue
			}
			var lines []string
			for range 1 + r.IntN(3) {
				lines = append(lines, g.sentence(sentenceTemplates[r.IntN(len(sentenceTemplates))]))
			}
			out = append(out, block{kind: blockPara, lines: lines})
		}
	}
	sig := []string{scenClosings[r.IntN(len(scenClosings))], from.name}
	if from.company {
		sig = append(sig, from.title+", "+from.dept, g.s.company, from.phone)
	}
	out = append(out, block{kind: blockSig, lines: sig})
	if from.company && from.disclaimer {
		out = append(out, block{kind: blockDisclaimer, lines: []string{disclaimer(g.s.company)}})
	}
	return out
}

func disclaimer(company string) string {
	return "CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use of the " +
		"intended recipient(s) and may contain confidential and privileged information of " + company + ". Any " +
		"unauthorized review, use, disclosure or distribution is prohibited. If you are not the intended " +
		"recipient, please contact the sender by reply e-mail and destroy all copies of the original message."
}

// banner is the warning a mail gateway puts on top of mail it re-exports.
const banner = "CAUTION: This email originated from outside of the organization. Do not click links or open " +
	"attachments unless you recognize the sender and know the content is safe."

// ownSentences returns the sentences and list items of the author's own
// paragraphs (what a one-line quote or a copied sentence draws from).
func ownSentences(blocks []block) []string {
	var out []string
	for _, b := range blocks {
		if b.kind == blockPara || b.kind == blockList {
			for _, l := range b.lines {
				if len(strings.Fields(l)) > 4 {
					out = append(out, l)
				}
			}
		}
	}
	return out
}
