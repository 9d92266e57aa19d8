package mailgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// companyGen makes the company's messages, thread by thread.
type companyGen struct {
	c    *Company
	r    *rand.Rand
	msgs []*cmsg
	at   time.Time         // when the next message of the current thread is sent
	vars map[string]string // what the current thread is about (fill slots)
	ids  map[string]*identity
	keep map[string]string // identifiers kept the same across messages
}

// identity is what HR holds about an employee.
type identity struct {
	ssn   string
	birth time.Time
}

// identity returns the employee's SSN and birth date, the same in every
// message.
func (g *companyGen) identity(e *Employee) *identity {
	if id := g.ids[e.Email]; id != nil {
		return id
	}
	id := &identity{ssn: genSSN(g.r), birth: genBirth(g.r, 1958, 1992)}
	g.ids[e.Email] = id
	return id
}

// thread starts a thread at t (moved into working hours).
func (g *companyGen) thread(t time.Time) {
	t = t.Truncate(24 * time.Hour)
	if wd := t.Weekday(); wd == time.Saturday {
		t = t.Add(48 * time.Hour)
	} else if wd == time.Sunday {
		t = t.Add(24 * time.Hour)
	}
	// 7:30 to 19:00 Pacific, about 15:30 to 03:00 UTC.
	g.at = t.Add(15*time.Hour + 30*time.Minute + time.Duration(g.r.IntN(11*3600))*time.Second)
}

// next advances the thread's clock by a reply's delay: minutes to a day.
func (g *companyGen) next() {
	if g.r.IntN(3) == 0 {
		g.at = g.at.Add(time.Duration(3600+g.r.IntN(20*3600)) * time.Second)
	} else {
		g.at = g.at.Add(time.Duration(120+g.r.IntN(2*3600)) * time.Second)
	}
}

// send makes a new message of the current thread.
func (g *companyGen) send(from contact, to, cc []contact, subject, own string) *cmsg {
	m := &cmsg{seq: len(g.msgs) + 1, from: from, to: to, cc: cc, subject: subject, date: g.at, own: own, full: own}
	m.messageID = g.messageID(from)
	if from.emp != nil && g.r.IntN(3) == 0 {
		m.form = alternative
	}
	g.msgs = append(g.msgs, m)
	g.next()
	return m
}

// messageID makes a Message-ID as the sender's mail system would.
func (g *companyGen) messageID(from contact) string {
	_, dom, _ := strings.Cut(from.email, "@")
	if dom == companyDomain {
		return fmt.Sprintf("%016X%08X@NWP-EXCH%02d.%s", g.r.Uint64(), g.r.Uint32(), 1+g.r.IntN(4), companyDomain)
	}
	return fmt.Sprintf("%x.%x@mail.%s", g.r.Uint64(), g.r.Uint32()&0xffffff, dom)
}

// reply answers parent to all, quoting it in Outlook style.
func (g *companyGen) reply(parent *cmsg, from contact, own string) *cmsg {
	to := []contact{parent.from}
	for _, c := range parent.to {
		if c.email != from.email && c.email != parent.from.email {
			to = append(to, c)
		}
	}
	if parent.from.email == from.email {
		to = parent.to
	}
	var cc []contact
	for _, c := range parent.cc {
		if c.email != from.email {
			cc = append(cc, c)
		}
	}
	m := g.send(from, to, cc, "RE: "+baseSubject(parent.subject), own)
	m.parent = parent
	m.full = own + "\n\n" + outlookQuote(parent, "-----Original Message-----")
	return m
}

// forward sends parent on to others with a note.
func (g *companyGen) forward(parent *cmsg, from contact, to []contact, own string) *cmsg {
	m := g.send(from, to, nil, "FW: "+baseSubject(parent.subject), own)
	m.parent = parent
	m.full = own + "\n\n" + outlookQuote(parent, "-----Original Message-----")
	m.atts = parent.atts
	return m
}

func outlookQuote(m *cmsg, sep string) string {
	var to, cc []string
	for _, c := range m.to {
		to = append(to, c.name)
	}
	for _, c := range m.cc {
		cc = append(cc, c.name)
	}
	h := []string{sep, "From: " + m.from.name, "Sent: " + pacific(m.date).Format("Monday, January 02, 2006 3:04 PM"),
		"To: " + strings.Join(to, "; ")}
	if len(cc) > 0 {
		h = append(h, "Cc: "+strings.Join(cc, "; "))
	}
	h = append(h, "Subject: "+m.subject)
	return strings.Join(h, "\n") + "\n\n" + m.full
}

// compose writes what an author sends: a greeting, the paragraphs and a
// signature (with title, company and phone for the company's people
// writing from work).
func (g *companyGen) compose(from contact, to []contact, paras ...string) string {
	var parts []string
	switch {
	case len(to) > 0 && to[0].org:
		parts = append(parts, "Hello,")
	case len(to) > 0:
		if greet := nwGreetings[g.r.IntN(len(nwGreetings))]; greet != "" {
			parts = append(parts, fmt.Sprintf(greet, firstName(to[0].name)))
		}
	}
	parts = append(parts, paras...)
	parts = append(parts, g.signature(from))
	return strings.Join(parts, "\n\n")
}

func (g *companyGen) signature(from contact) string {
	closing := nwClosings[g.r.IntN(len(nwClosings))]
	if from.emp == nil {
		if from.org || strings.HasSuffix(from.email, "@"+companyDomain) || from.name == "" {
			return closing + "\n" + from.name
		}
		return closing + "\n" + firstName(from.name) + "\n\nSent from my iPhone"
	}
	e := from.emp
	sig := closing + "\n" + firstName(e.Name) + "\n\n" + e.Name + "\n" + e.Title + "\n" + g.c.name
	if e.Phone != "" {
		sig += "\nT " + e.Phone
	}
	return sig
}

// fill replaces {slots} in a template.
func (g *companyGen) fill(tmpl string, slots map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		if v, ok := slots[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(g.slot(name))
		}
		tmpl = tmpl[i+j+1:]
	}
}

func (g *companyGen) slot(name string) string {
	r := g.r
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	switch name {
	case "project":
		return pick(nwProjects)
	case "talent":
		return pick(nwTalent)
	case "place":
		return pick(nwPlaces)
	case "market":
		return pick(nwMarkets)
	case "day":
		return pick(nwDays)
	case "month", "month2":
		return pick(nwMonths)
	case "dom":
		return fmt.Sprint(1 + r.IntN(28))
	case "time":
		return fmt.Sprintf("%d:%02d", 1+r.IntN(11), 15*r.IntN(4))
	case "m", "m2":
		return fmt.Sprintf("$%d.%dM", 1+r.IntN(60), r.IntN(10))
	case "k":
		return money((10 + r.IntN(900)) * 1000)
	case "pct", "pct2":
		return fmt.Sprintf("%d%%", 2+r.IntN(30))
	case "n", "n2":
		return fmt.Sprint(2 + r.IntN(12))
	case "mins":
		return fmt.Sprint(95 + r.IntN(90))
	case "year":
		return fmt.Sprint(2004 + r.IntN(9))
	case "year2":
		return "2015"
	case "screens":
		return fmt.Sprintf("%d,%03d", 1+r.IntN(3), r.IntN(1000))
	case "person", "person2":
		return g.c.people[r.IntN(len(g.c.people))].Name
	case "first":
		return firstName(g.c.people[r.IntN(len(g.c.people))].Name)
	}
	return name
}

// pickStaff returns n different employees of the departments, without
// a mailbox.
func (g *companyGen) pickStaff(n int, depts ...string) []contact {
	var pool []*Employee
	for _, d := range depts {
		pool = append(pool, g.c.staffOf(d)...)
	}
	var out []contact
	for len(out) < n && len(out) < len(pool) {
		p := pool[g.r.IntN(len(pool))]
		if !slices.ContainsFunc(out, func(c contact) bool { return c.email == p.Email }) {
			out = append(out, contactOf(p))
		}
	}
	return out
}

// exec returns the executive with the mailbox.
func (g *companyGen) exec(mbox string) contact { return contactOf(g.c.byMbox[mbox]) }

// otherExec returns an executive other than the ones given.
func (g *companyGen) otherExec(not ...contact) contact {
	execs := g.c.executives()
	for {
		e := contactOf(execs[g.r.IntN(len(execs))])
		if !slices.ContainsFunc(not, func(c contact) bool { return c.email == e.email }) {
			return e
		}
	}
}
