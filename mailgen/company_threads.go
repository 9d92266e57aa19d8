package mailgen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// genre is a kind of ordinary business thread: who takes part, what the
// first message and the replies say.
type genre struct {
	weight   int
	home     []string // mailboxes of the executives the thread is anchored on
	depts    []string // departments whose staff take part
	outside  []string // outsiders who may take part
	subjects []string
	opens    []string // sentences of the first message
	replies  []string // sentences of replies
	// spice, when not empty, is added to the first message one time in
	// four, planting its category.
	spice    []string
	category string
	csv      func(g *companyGen) attachment // an attachment, one time in five
}

var genres = []genre{
	{weight: 14, home: []string{"ferreira-l", "marsh-e", "hale-v"}, depts: []string{"Business Affairs"},
		outside:  []string{"Celia Montrose", "Victor Lam"},
		subjects: []string{"Deal memo - {talent} / {project}", "{project}: {talent} offer", "Key terms - {project}", "{talent} quote"},
		opens: []string{
			"Attached are the key terms for {talent} on {project}: {m} fixed, {pct} of the backend after breakeven, and a start date of {month} {dom}.",
			"{talent}'s agency called back at {time}. They want {m} up front and approval over the poster, which we cannot give.",
			"Principal photography would be {n} weeks in {place} starting {month} {dom}, with {n2} days held for reshoots.",
			"The pay-or-play commitment on {project} only kicks in once the {m} gap financing closes.",
			"We need a decision on {talent} by {day} or we lose the {place} dates in {month}.",
			"I would rather walk away from {talent} than set a precedent at {m} for a first-look deal.",
			"The director's deal on {project} closed at {m}; the writers are still open on credits.",
			"Their counter came in at {m} plus {pct}, up from {m2} last week.",
		},
		replies: []string{
			"I can live with {m} but not with the approvals on {project}.", "Let's counter at {m} and see if {talent}'s people blink.",
			"Agreed. Send the revised memo to {first} by {day}.", "Their last two pictures underperformed; I don't see the case for {m}.",
			"Fine by me if {first} can hold the {place} dates.", "Can we close {talent} before {day} at {time}?",
			"Agreed.", "Call me.", "Not at that number.", "Go ahead.",
		},
	},
	{weight: 14, home: []string{"sato-m", "marsh-e", "nakamura-o", "okafor-d"}, depts: []string{"Finance"},
		subjects: []string{"{project} cost report - week {n}", "Reforecast - {month}", "{project} budget top sheet", "Overages on {project}", "Capex request - {place} office"},
		opens: []string{
			"We are {m} over the locked budget on {project}, most of it from overtime on the night shoots in {place}.",
			"The revised top sheet for {project} is attached; contingency is down to {pct} or {k}.",
			"Finance needs the {month} reforecast by {day} at {time} so we can close the quarter.",
			"The {place} tax credit should bring back about {m} if we file by {month} {dom}.",
			"VFX bids for {project} came in {pct} higher than planned, about {k} over.",
			"I want every change over {k} on {project} approved by me before it is committed.",
			"Cash flow is tight through {month}; please hold discretionary spend above {k}.",
			"{first} found {k} of duplicate vendor payments on {project} going back to {month}.",
		},
		replies: []string{
			"Understood. I'll walk {first} through the {project} numbers on {day}.", "Can we move {k} from the marketing reserve to cover it?",
			"{m} is not going to fly with the board.", "Please hold off on new commitments for {project} until {day}.",
			"The variance is mostly timing; {k} of it reverses in {month}.", "Thanks.", "Got it.", "Let's discuss {day}.",
		},
		csv: costReport,
	},
	{weight: 14, home: []string{"marsh-e"}, depts: []string{"Production", "Post-Production"}, outside: []string{"Arjun Patel"},
		subjects: []string{"{project} schedule", "Dailies - {project}", "{project} casting", "Location scout - {place}", "{project} reshoots"},
		opens: []string{
			"The {place} unit of {project} wrapped at {time} last night; we lost half a day to weather.",
			"Dailies from {day} look great, especially scene {n} with {talent}.",
			"{talent} is asking for {n} extra days off around {month} {dom}.",
			"We need to lock the {place} locations by {day} or the permits lapse on {month} {dom}.",
			"The director wants to add a night exterior in {place}, which puts us {n} days and {k} behind.",
			"Casting wants {talent} to read for the second lead on {day} at {time}.",
			"The first assembly of {project} runs {mins} minutes; the editor is cutting {n} this week.",
		},
		replies: []string{
			"Let's talk after the {day} production meeting.", "I'll call the director tonight about {place}.",
			"Approved, but this is the last schedule change on {project}.", "Can {first} get me the revised call sheets by {time}?",
			"No more night work on {project} unless it's in the budget.", "Great news.", "Thanks.", "Keep me posted.",
		},
	},
	{weight: 12, home: []string{"brandt-j"}, depts: []string{"Marketing", "Publicity"},
		subjects: []string{"{project} trailer", "Media plan - {project}", "Tracking - {project}", "Poster approvals - {project}", "{project} social launch"},
		opens: []string{
			"Tracking has {project} at {pct} definite interest, which is soft for a {month} release.",
			"The second {project} trailer tested at {pct} with women over 25 and {pct2} with everyone else.",
			"Media spend for the first {n} weeks of {project} is {m} across TV and digital.",
			"{talent}'s people want approval on the {project} key art again, the {n}th round.",
			"We should move the {project} trailer launch to {day} {month} {dom} to avoid the competing release.",
			"The digital team wants {k} more for the {project} social campaign.",
		},
		replies: []string{
			"Let's see the cut before we commit {m}.", "I'm not putting more money behind {project} until tracking moves.",
			"Send me the two poster options by {day} and I'll take them to Victoria.", "Agreed, move it.",
			"Let's discuss at the {day} marketing meeting.", "OK.", "Love it.",
		},
	},
	{weight: 10, home: []string{"nakamura-o"}, depts: []string{"Distribution"}, outside: []string{"Dana Whitcombe", "Sam Okoro"},
		subjects: []string{"{project} release date", "{market} deal - {project}", "Opening weekend - {project}", "Screen counts - {project}", "Home entertainment window"},
		opens: []string{
			"We have {screens} screens committed for the opening weekend of {project}.",
			"The distributor in {market} offered {m} minimum guarantee for {project}.",
			"Exhibitors in {market} are pushing back on the {n}-week window for {project}.",
			"Opening weekend for {project} came in at {m}, {pct} under tracking.",
			"I'd like to hold {project} for the {month} {dom} corridor instead of {month2}.",
		},
		replies: []string{
			"Take the {m} guarantee; we won't see better in {market}.", "Let's not announce {project} until {day}.",
			"Can you send the {project} weekend by territory?", "Disappointing. Let's talk about the second weekend spend on {day}.",
			"Agreed.", "Noted.",
		},
	},
	{weight: 8, home: []string{"quaye-h"}, depts: []string{"Legal"}, outside: []string{"Graham Hartwell", "Naomi Lowe"},
		subjects: []string{"{project} - chain of title", "Litigation hold - {project}", "NDA - {talent}", "Clearance issues on {project}", "Music rights - {project}"},
		opens: []string{
			"The chain of title on {project} has a gap: the underlying rights lapsed in {month} {year} and were never renewed.",
			"We received a demand letter on {month} {dom} regarding the music cue in reel {n} of {project}.",
			"Please make sure nothing related to {project} is deleted; the hold notice goes out on {day} {month} {dom}.",
			"Outside counsel puts the cost of defending the {project} claim at {m} through trial.",
			"The NDA for {talent} on {project} is signed and filed as of {month} {dom}.",
		},
		replies: []string{
			"Let's get outside counsel's view on {project} before we respond.", "Understood, I'll tell {first}.",
			"Can we settle the {project} matter for under {m}?", "Please send me the letter.", "Thanks.",
		},
		spice:    []string{"Privileged & Confidential: attorney-client communication, prepared at the request of counsel."},
		category: leakscope.FlagLegalPrivilege,
	},
	{weight: 8, home: []string{"hale-v", "okafor-d"}, depts: []string{"Office of the Chairman"},
		subjects: []string{"Board meeting - {month} {dom}", "Lunch {day}?", "Staff meeting moved", "Offsite in {place}", "Slate review - {month}"},
		opens: []string{
			"Can we find {n}0 minutes on {day} to go through the {month} board materials?", "Staff meeting moves to {day} at {time} in the {place} room.",
			"I'd like each of you to bring your top {n} risks for {year2} to the {place} offsite.", "{first} will send the agenda for {month} {dom} tonight.",
			"The slate review is on {day} {month} {dom}; please have your {project} numbers final by then.",
		},
		replies:  []string{"Works for me.", "I'm in {place} that day, can I dial in?", "Yes, {time} is fine.", "Let's do {day} instead."},
		spice:    []string{"Strictly confidential: please do not forward these materials."},
		category: leakscope.FlagConfidential,
	},
	{weight: 8, home: []string{"hale-v", "marsh-e", "brandt-j", "nakamura-o", "sato-m", "okafor-d", "ferreira-l"},
		depts:    []string{"Production", "Marketing", "Office of the Chairman"},
		subjects: []string{"last night", "did you see this", "{talent}", "ugh", "the {project} premiere", "between us"},
		opens: []string{
			"{talent} showed up {n} hours late to the {project} premiere and left before the screening.",
			"Did you see the piece about {project} in the trades on {day}? Someone is talking.",
			"Between us, I don't think {person} survives the {month} reorg.",
			"The {project} director sent another {time} am email. Nobody is answering it.",
			"{person} and {person2} are not speaking after the {place} dinner.",
		},
		replies: []string{"Ha.", "Who do you think is leaking?", "Let's not put this in email.", "Lunch {day}?", "Unbelievable."},
		spice: []string{"Honestly the guy is an idiot and everyone on set knows it.",
			"This is complete bullshit and I'm done covering for him.", "What a jackass."},
		category: leakscope.FlagOffensive,
	},
	{weight: 5, home: []string{"brandt-j", "hale-v"}, depts: []string{"Publicity"}, outside: []string{"Lena Frost"},
		subjects: []string{"Interview request - {talent}", "Press release draft - {project}", "Trade Daily inquiry - {project}"},
		opens: []string{
			"The Trade Daily wants to run a profile of Victoria around the {month} {dom} {project} premiere.",
			"Draft release for the {project} announcement is below; it is embargoed until {day} {month} {dom} at 6am.",
			"Lena Frost called again at {time} about the {m} overage rumors on {project}.", "{talent} will do the morning shows on {day} {month} {dom}.",
		},
		replies: []string{"No comment for now.", "Fine, but no questions about the {project} budget.", "Let's hold the release until {day}."},
	},
}

// costReport is a CSV of a picture's cost to date.
func costReport(g *companyGen) attachment {
	var b strings.Builder
	b.WriteString("account,budget,actual,variance\n")
	for _, acct := range []string{"Above the line", "Camera", "Locations", "Art department", "Post-production", "Visual effects", "Music"} {
		budget := (50 + g.r.IntN(5000)) * 1000
		actual := budget + (g.r.IntN(400)-150)*1000
		fmt.Fprintf(&b, "%s,%d,%d,%d\n", acct, budget, actual, actual-budget)
	}
	return attachment{name: strings.ReplaceAll(g.vars["project"], " ", "_") + "_cost_report.csv", ctype: "text/csv", data: []byte(b.String())}
}

// genreThread makes one thread of the genre.
func (g *companyGen) genreThread(gn *genre) {
	r := g.r
	parts := []contact{g.exec(gn.home[r.IntN(len(gn.home))])}
	parts = append(parts, g.pickStaff(1+r.IntN(2), gn.depts...)...)
	if len(gn.outside) > 0 && r.IntN(3) == 0 {
		parts = append(parts, outsider(gn.outside[r.IntN(len(gn.outside))]))
	}
	if r.IntN(4) == 0 {
		parts = append(parts, g.otherExec(parts...))
	}
	start := r.IntN(len(parts))
	from := parts[start]
	others := slices.Delete(slices.Clone(parts), start, start+1)
	to, cc := others[:1], others[1:]
	if r.IntN(2) == 0 {
		to, cc = others, nil
	}
	body := g.para(gn.opens, 1+r.IntN(3))
	spiced := len(gn.spice) > 0 && r.IntN(4) == 0
	if spiced {
		body += "\n\n" + g.fill(gn.spice[r.IntN(len(gn.spice))], g.vars)
	}
	first := g.send(from, to, cc, g.fill(gn.subjects[r.IntN(len(gn.subjects))], g.vars), g.compose(from, to, body))
	if spiced {
		first.plant(gn.category, "body", nil)
	}
	if gn.csv != nil && r.IntN(5) == 0 {
		first.atts = append(first.atts, gn.csv(g))
	}
	last := first
	for range r.IntN(4) {
		cands := append(slices.Clone(last.to), last.cc...)
		who := cands[r.IntN(len(cands))]
		last = g.reply(last, who, g.compose(who, []contact{last.from}, g.para(gn.replies, 1+r.IntN(2))))
	}
}

// para fills n different templates of list into one paragraph.
func (g *companyGen) para(list []string, n int) string {
	idx := g.r.Perm(len(list))
	var out []string
	for _, i := range idx[:min(n, len(list))] {
		out = append(out, g.fill(list[i], g.vars))
	}
	return strings.Join(out, " ")
}

// newThreadVars picks what a thread is about.
func (g *companyGen) newThreadVars() {
	pick := func(l []string) string { return l[g.r.IntN(len(l))] }
	g.vars = map[string]string{"project": pick(nwProjects), "talent": pick(nwTalent), "place": pick(nwPlaces),
		"market": pick(nwMarkets)}
}

// newsletter is the weekly all-staff mail: HTML only, in every mailbox.
func (g *companyGen) newsletter(week int) {
	from := contact{name: "Northwind Communications", email: "communications@" + companyDomain}
	to := []contact{{name: "All Staff", email: "all-staff@" + companyDomain}}
	p := func(s string) string { return "<p>" + g.fill(s, g.vars) + "</p>\n" }
	body := "<html><body style=\"font-family:Arial\">\n<h1>Northwind Weekly</h1>\n" +
		p("<b>Box office:</b> {project} added {m} this weekend and passed {m} worldwide.") +
		p("<b>On set:</b> the {place} unit of {project} wraps on {day}; thank you to the crew.") +
		p("<b>Welcome</b> to our new colleagues in {market}, and congratulations to {person} on a well-deserved promotion.") +
		p("<b>Reminder:</b> the lot will be closed on {day} for the premiere of {project}.") +
		"<p style=\"font-size:8pt\">Northwind Pictures, internal communications.</p>\n</body></html>\n"
	m := g.send(from, to, nil, fmt.Sprintf("Northwind Weekly - week %d", week), "")
	m.form, m.htmlBody, m.everyone = htmlOnly, body, true
}
