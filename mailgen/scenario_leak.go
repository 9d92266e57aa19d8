package mailgen

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// variant is one leaked message made from an archive message.
type variant struct {
	id      string
	kind    string // "exact" or "reexport"
	altered bool
}

func (g *threadGen) leakID() string {
	g.nLeak++
	return fmt.Sprintf("L%d-%d", g.idx, g.nLeak)
}

// leakVariants decides what the leak holds of archive message m and adds
// it to the thread.
func (g *threadGen) leakVariants(m *genMsg) []variant {
	r := g.r
	x := r.IntN(100)
	switch {
	case x < 35:
		return nil
	case x < 65:
		v := variant{id: g.leakID(), kind: "exact"}
		msg := copyMessage(m.item.Message, v.id)
		text := &leakscope.Text{Body: m.item.Text.Body, Attachments: m.item.Text.Attachments}
		name := "exact"
		switch y := r.IntN(20); {
		case y < 6:
			// Re-wrapped by another client; the Message-ID is kept.
			text.Body = renderPlain(m.full, plainStyle{width: 60 + r.IntN(30)})
		case y < 11:
		case y < 17:
			msg.MessageID, name = "", "exact-noid"
		default:
			text.Body = renderPlain(doctor(g, m.full), plainStyle{width: 72})
			v.altered, name = true, "exact-altered"
		}
		msg.ContentHash = leakscope.Fingerprint(msg.From.Email, msg.DateRaw, msg.Subject, text.Body, nil)
		g.addLeak(Item{Message: msg, Text: text}, name, false)
		return []variant{v}
	}
	v := variant{id: g.leakID(), kind: "reexport"}
	msg := copyMessage(m.item.Message, v.id)
	name := "reexport"
	if r.IntN(2) == 0 {
		msg.MessageID = ""
	} else {
		msg.MessageID = fmt.Sprintf("%016X@exchange.acme.local", r.Uint64())
	}
	zone := time.FixedZone("", []int{0, -5 * 3600, 3600}[r.IntN(3)])
	switch x := r.IntN(10); {
	case x < 5:
		msg.DateRaw = m.date.In(zone).Format(time.RFC1123Z)
	case x < 6:
		// The exporter writes no seconds.
		d := m.date.In(zone).Truncate(time.Minute)
		msg.DateRaw, msg.Date = d.Format("Mon, 02 Jan 2006 15:04 -0700"), d.UTC()
	default:
		// The wall-clock time is kept and the zone replaced: the instant moves.
		wall := m.date.In(m.from.zone)
		shifted := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, zone)
		msg.DateRaw, msg.Date = shifted.Format(time.RFC1123Z), shifted.UTC()
	}
	if m.from.company && r.IntN(4) == 0 {
		f := strings.Fields(m.from.name)
		msg.From = leakscope.Address{Raw: "/O=ACME/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=" +
			strings.ToUpper(strings.ReplaceAll(m.from.email[:strings.IndexByte(m.from.email, '@')], ".", "")),
			Name: f[len(f)-1] + ", " + strings.Join(f[:len(f)-1], " ")}
	}
	r.Shuffle(len(msg.To), func(i, j int) { msg.To[i], msg.To[j] = msg.To[j], msg.To[i] })
	msg.Subject = strings.Replace(msg.Subject, "RE: ", "Re: ", 1)
	full := m.full
	if r.IntN(10) == 0 {
		full = doctor(g, full)
		v.altered, name = true, "reexport-altered"
	}
	if r.IntN(5) == 0 {
		full = dropDisclaimers(full)
	}
	var body string
	switch y := r.IntN(20); {
	case y < 9:
		body = htmlToText(renderHTML(full), textStyle{link: r.IntN(3), bullet: []string{"* ", "• ", "  o ", "- "}[r.IntN(4)],
			quote: []string{"> ", ""}[r.IntN(2)], rule: r.IntN(2) == 0, nbsp: r.IntN(2) == 0,
			wrapAt: []int{0, 76}[r.IntN(2)], dropHeader: true})
	case y < 13:
		body = renderPlain(full, plainStyle{width: []int{0, 66}[r.IntN(2)], prefix: ">", listMark: "* "})
	case y < 17:
		body = degrade(renderPlain(full, plainStyle{width: 60 + r.IntN(30)}), r.IntN(2) == 0)
	default:
		body = banner + "\n\n" + renderPlain(full, plainStyle{width: 72})
	}
	if strings.Join(strings.Fields(body), " ") == strings.Join(strings.Fields(m.item.Text.Body), " ") {
		body = banner + "\n\n" + body // a re-export always changes more than white space
	}
	text := &leakscope.Text{Body: body, Attachments: m.item.Text.Attachments}
	msg.ContentHash = leakscope.Fingerprint(msg.From.Email, msg.DateRaw, msg.Subject, body, nil)
	g.addLeak(Item{Message: msg, Text: text}, name, false)
	return []variant{v}
}

func (g *threadGen) addLeak(it Item, variant string, notInArchive bool) {
	it.Message.Collection = leakscope.CollectionLeak
	g.out.Leak = append(g.out.Leak, it)
	g.out.Variant[it.Message.ID] = variant
	if notInArchive {
		g.out.NotInArchive = append(g.out.NotInArchive, it.Message.ID)
	}
}

func copyMessage(m *leakscope.Message, id string) *leakscope.Message {
	c := *m
	c.ID = id
	c.To = append([]leakscope.Address(nil), m.To...)
	c.Cc = append([]leakscope.Address(nil), m.Cc...)
	return &c
}

// amount finds the first digits of a figure (not of a link).
var amount = regexp.MustCompile(`[0-9]+`)

// doctor changes the author's own text of a message: a figure is changed,
// a sentence is added, or one is removed.
func doctor(g *threadGen, blocks []block) []block {
	out := append([]block(nil), blocks...)
	for i, b := range out {
		if b.kind != blockPara || len(strings.Fields(strings.Join(b.lines, " "))) < 5 {
			continue
		}
		lines := append([]string(nil), b.lines...)
		changed := false
		switch g.r.IntN(3) {
		case 0:
			for j, l := range lines {
				if loc := amount.FindStringIndex(l); loc != nil && !strings.Contains(l, "://") {
					lines[j] = l[:loc[0]] + fmt.Sprint(g.r.IntN(900)+100) + l[loc[1]:]
					changed = true
					break
				}
			}
		case 1:
			if len(lines) > 1 {
				lines, changed = append(lines[:0:0], lines[1:]...), true
			}
		}
		if !changed {
			lines = append(lines, "I have asked IT to wipe the "+g.project+" folders before the auditors arrive.")
		}
		out[i].lines = lines
		return out
	}
	return append(out, block{kind: blockPara, lines: []string{"Shred the " + g.project + " files tonight."}})
}

func dropDisclaimers(blocks []block) []block {
	var out []block
	for _, b := range blocks {
		if b.kind == blockQuote {
			b.inner = dropDisclaimers(b.inner)
		}
		if b.kind != blockDisclaimer {
			out = append(out, b)
		}
	}
	return out
}

var forwardNotes = []string{"FYI, see below.", "You didn't hear this from me.", "Look at the numbers in this one.",
	"This is what they are saying internally.", "Thought you should see this before the meeting."}

// forward publishes m inside a forward sent from a private or outside
// address, and returns the forward's ID.
func (g *threadGen) forward(m *genMsg) string {
	r := g.r
	var from actor
	switch {
	case m.from.company && r.IntN(2) == 0:
		from = actor{name: m.from.name, email: m.from.personal, zone: m.from.zone}
	default:
		from = g.s.outsiders[r.IntN(len(g.s.outsiders))]
	}
	to := actor{name: "News Desk", email: "tips@newsroom.example.org", zone: time.UTC}
	hdr := []string{"From: " + m.from.name + " <" + m.from.email + ">",
		"Date: " + m.date.In(m.from.zone).Format("Mon, Jan 2, 2006 at 3:04 PM"),
		"Subject: " + m.item.Message.Subject, "To: " + m.to[0].name + " <" + m.to[0].email + ">"}
	blocks := []block{{kind: blockPara, lines: []string{forwardNotes[r.IntN(len(forwardNotes))]}},
		{kind: blockQuote, style: quoteForward, header: hdr, inner: m.full}}
	body := renderPlain(blocks, plainStyle{width: 72})
	if r.IntN(3) == 0 {
		body = htmlToText(renderHTML(blocks), textStyle{link: 1, bullet: "* ", rule: true, dropHeader: true})
	}
	it := g.item(g.leakID(), fmt.Sprintf("fwd.%d.%d@mailbox.example.net", g.idx, g.nLeak), leakscope.CollectionLeak,
		from, []actor{to}, "Fwd: "+m.item.Message.Subject, m.date.Add(time.Duration(600+r.IntN(400*3600))*time.Second), body)
	g.addLeak(it, "forward", false)
	return it.Message.ID
}

// decoys adds leaked near-misses to the thread: same subject and people as
// an archive message, a different body. It returns, by archive index, the
// decoys that quote a whole archive message after all (a one-line quote of
// a one-line message).
func (g *threadGen) decoys(msgs []*genMsg) map[int][]string {
	r := g.r
	if r.IntN(10) < 3 {
		return nil
	}
	whole := map[int][]string{}
	for range 1 + r.IntN(2) {
		k := r.IntN(len(msgs))
		j := msgs[k]
		from := j.from
		if !from.company {
			for _, p := range j.to {
				if p.company {
					from = p
				}
			}
		}
		var to []actor
		for _, p := range append([]actor{j.from}, j.to...) {
			if p.email != from.email {
				to = append(to, p)
			}
		}
		own := g.ownBlocks(from, to, false)
		name := "decoy-sibling"
		var quotes []int // archive messages the decoy holds whole after all
		subject := j.item.Message.Subject
		if !strings.HasPrefix(subject, "RE: ") {
			subject = "RE: " + subject
		}
		switch r.IntN(5) {
		case 1:
			var all bool
			own, all = oneLineReply(g, j, own)
			name = "decoy-oneline"
			if all {
				quotes = []int{k}
			}
		case 2:
			if s := ownSentences(j.own); len(s) > 0 {
				for i, b := range own {
					if b.kind == blockPara && len(b.lines) > 0 && len(strings.Fields(b.lines[0])) > 3 {
						own[i].lines = append([]string{s[r.IntN(len(s))]}, b.lines...)
						name = "decoy-sentence"
						if len(s) == 1 {
							quotes = []int{k}
						}
						break
					}
				}
			}
		case 3:
			// A corrected resend: the same subject, every other sentence
			// of the first paragraph replaced.
			if resent, ok := g.resend(j.own); ok {
				own, name, subject = resent, "decoy-resend", j.item.Message.Subject
			}
		case 4:
			// Another reply to the same parent, quoting it whole.
			if k > 0 {
				prev := msgs[k-1]
				q := block{kind: blockQuote, style: quoteAngle, header: []string{angleAttribution(prev)}, inner: prev.full}
				if r.IntN(2) == 0 {
					q.style, q.header = quoteOutlook, outlookHeader(prev, subjectOf(prev))
				}
				own = append(own, q)
				name = "decoy-requote"
				quotes = append([]int{k - 1}, prev.contains...)
			}
		}
		it := g.item(g.leakID(), fmt.Sprintf("%d.%d.d%d.JavaMail.scenario@%s", g.s.opts.Seed, g.idx, g.nLeak, g.s.opts.Domain),
			leakscope.CollectionLeak, from, to, subject, j.date.Add(time.Duration(600+r.IntN(6*3600))*time.Second),
			renderPlain(own, plainStyle{width: 72}))
		g.addLeak(it, name, from.company)
		for _, q := range quotes {
			whole[q] = append(whole[q], it.Message.ID)
		}
	}
	return whole
}

// resend copies an author's own text with every other sentence of its
// first paragraph of two or more sentences replaced; false when there is
// no such paragraph.
func (g *threadGen) resend(own []block) ([]block, bool) {
	out := append([]block(nil), own...)
	for i, b := range out {
		if b.kind != blockPara || len(b.lines) < 2 {
			continue
		}
		lines := append([]string(nil), b.lines...)
		for n := range lines {
			if n%2 == 1 {
				lines[n] = g.sentence(sentenceTemplates[g.r.IntN(len(sentenceTemplates))])
			}
		}
		out[i].lines = lines
		return out, true
	}
	return nil, false
}

var unrelatedSubjects = []string{"Weekly industry digest", "Your invoice", "Lunch on Friday?", "Screening invitation",
	"Conference agenda", "Re: apartment viewing", "Photos from the weekend", "Quarterly newsletter"}

// unrelated adds this thread's share of leaked mail that has nothing to do
// with the archive. Some of it claims a company sender.
func (g *threadGen) unrelated() {
	s, r := g.s, g.r
	n := s.opts.Unrelated / s.opts.Threads
	if g.idx < s.opts.Unrelated%s.opts.Threads {
		n++
	}
	for range n {
		from := s.outsiders[r.IntN(len(s.outsiders))]
		if r.IntN(4) == 0 {
			from = s.people[r.IntN(len(s.people))]
		}
		to := []actor{s.people[r.IntN(len(s.people))]}
		if to[0].email == from.email {
			to[0] = s.outsiders[r.IntN(len(s.outsiders))]
		}
		date := s.opts.Start.Add(time.Duration(g.idx)*41*time.Minute + time.Duration(r.IntN(48*3600))*time.Second)
		it := g.item(g.leakID(), fmt.Sprintf("u.%d.%d@%s", g.idx, g.nLeak, strings.SplitN(from.email, "@", 2)[1]),
			leakscope.CollectionLeak, from, to, unrelatedSubjects[r.IntN(len(unrelatedSubjects))], date,
			renderPlain(g.ownBlocks(from, to, r.IntN(5) == 0), plainStyle{width: 72}))
		g.addLeak(it, "unrelated", from.company)
	}
}
