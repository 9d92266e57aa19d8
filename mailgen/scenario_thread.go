package mailgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// archive makes the thread's messages, all of which the archive holds.
func (g *threadGen) archive() []*genMsg {
	r, s := g.r, g.s
	var parts []actor
	if r.IntN(10) == 0 {
		parts = append(parts, s.outsiders[r.IntN(len(s.outsiders))])
	} else {
		parts = append(parts, s.people[r.IntN(len(s.people))])
	}
	for n := 1 + r.IntN(3); len(parts) < n+1; {
		p := s.people[r.IntN(len(s.people))]
		if r.IntN(10) < 3 {
			p = s.outsiders[r.IntN(len(s.outsiders))]
		}
		if !hasActor(parts, p) {
			parts = append(parts, p)
		}
	}
	if !parts[0].company && !parts[1].company {
		parts[1] = s.people[r.IntN(len(s.people))]
	}
	subject := capitalizeWord(g.topic) + " - " + g.project
	if r.IntN(3) == 0 {
		subject = g.project + ": " + scenDocs[r.IntN(len(scenDocs))]
	}
	date := s.opts.Start.Add(time.Duration(g.idx)*41*time.Minute + time.Duration(r.IntN(6*3600))*time.Second)
	var msgs []*genMsg
	for k := range 2 + r.IntN(5) {
		m := &genMsg{date: date}
		if k == 0 {
			m.from = parts[0]
		} else {
			prev := msgs[k-1]
			m.from = prev.to[r.IntN(len(prev.to))]
		}
		for _, p := range parts {
			if p.email != m.from.email {
				m.to = append(m.to, p)
			}
		}
		if k > 0 {
			// The reply goes to the parent's sender first.
			prev := msgs[k-1].from
			for j, p := range m.to {
				if p.email == prev.email {
					m.to[0], m.to[j] = m.to[j], m.to[0]
				}
			}
		}
		m.short = k > 0 && r.IntN(10) == 0
		m.own = g.ownBlocks(m.from, m.to, m.short)
		m.full = m.own
		subj := subject
		if k > 0 {
			subj = "RE: " + subject
			prev := msgs[k-1]
			switch x := r.IntN(20); {
			case x < 17: // quotes the whole parent
				q := block{kind: blockQuote, inner: prev.full}
				if (g.idx+x)%2 == 0 {
					q.style, q.header = quoteOutlook, outlookHeader(prev, subjectOf(prev))
				} else {
					q.style, q.header = quoteAngle, []string{angleAttribution(prev)}
				}
				m.full = append(append([]block(nil), m.own...), q)
				m.contains = append([]int{k - 1}, prev.contains...)
			case x < 19: // answers one line of the parent inline
				var whole bool
				m.full, whole = oneLineReply(g, prev, m.own)
				if whole {
					m.contains = []int{k - 1}
				}
			}
		}
		m.item = g.item(fmt.Sprintf("A%d-%d", g.idx, k), fmt.Sprintf("%d.%d.%d.JavaMail.scenario@%s", s.opts.Seed, g.idx, k, s.opts.Domain),
			leakscope.CollectionReference, m.from, m.to, subj, date, renderPlain(m.full, plainStyle{width: 72}))
		if k > 0 {
			m.item.Message.InReplyTo = msgs[k-1].item.Message.MessageID
		}
		if r.IntN(10) == 0 {
			m.item.Text.Attachments = []leakscope.AttachmentText{{Name: "figures.csv",
				Text: fmt.Sprintf("item,amount\nmarketing,%d\nproduction,%d\n", r.IntN(100000), r.IntN(1000000))}}
		}
		msgs = append(msgs, m)
		g.out.Archive = append(g.out.Archive, m.item)
		date = date.Add(time.Duration(300+r.IntN(20*3600)) * time.Second)
	}
	return msgs
}

func subjectOf(m *genMsg) string { return m.item.Message.Subject }

func hasActor(list []actor, a actor) bool {
	for _, b := range list {
		if b.email == a.email {
			return true
		}
	}
	return false
}

func capitalizeWord(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// oneLineReply is a reply that quotes a single line of its parent with "> "
// and answers below it: a near-miss that does not publish the parent,
// unless the parent said no more than that line (whole is then set).
func oneLineReply(g *threadGen, prev *genMsg, own []block) (blocks []block, whole bool) {
	lines := ownSentences(prev.own)
	if len(lines) == 0 {
		return own, false
	}
	q := block{kind: blockQuote, style: quoteAngle, header: []string{angleAttribution(prev)},
		inner: []block{{kind: blockPara, lines: []string{lines[g.r.IntN(len(lines))]}}}}
	return append([]block{q}, own...), len(lines) == 1
}

func outlookHeader(m *genMsg, subject string) []string {
	var to []string
	for _, p := range m.to {
		to = append(to, p.name)
	}
	return []string{"From: " + m.from.name + " [mailto:" + m.from.email + "]",
		"Sent: " + m.date.In(m.from.zone).Format("Monday, January 02, 2006 3:04 PM"),
		"To: " + strings.Join(to, "; "), "Subject: " + subject}
}

func angleAttribution(m *genMsg) string {
	return "On " + m.date.In(m.from.zone).Format("Mon, Jan 2, 2006 at 3:04 PM") + ", " + m.from.name + " <" + m.from.email + "> wrote:"
}

// item builds a message as the indexer would read it.
func (g *threadGen) item(id, messageID string, coll leakscope.Collection, from actor, to []actor, subject string, date time.Time, body string) Item {
	m := &leakscope.Message{ID: id, MessageID: messageID, Collection: coll, Subject: subject,
		Date: date.UTC(), DateSource: leakscope.DateFromHeader, DateRaw: date.In(from.zone).Format(time.RFC1123Z),
		From: address(from)}
	for _, p := range to {
		m.To = append(m.To, address(p))
	}
	m.Size = int64(len(body) + 600)
	m.ContentHash = leakscope.Fingerprint(m.From.Email, m.DateRaw, m.Subject, body, nil)
	return Item{Message: m, Text: &leakscope.Text{Body: body}}
}

func address(a actor) leakscope.Address {
	return leakscope.Address{Raw: a.name + " <" + a.email + ">", Name: a.name, Email: a.email}
}
