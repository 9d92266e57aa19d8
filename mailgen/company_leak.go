package mailgen

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// CompanyLeak is what Company.Write wrote, and what a reader of it should
// find.
type CompanyLeak struct {
	Dir     string // the directory written
	People  string // the people directory, CSV (leakscope org --people)
	Archive string // the reference archive: dir/archive/MAILBOX/FOLDER, maildirs
	// Mailboxes are the custodians of the archive's mailboxes.
	Mailboxes []string
	Domains   []string // the company's mail domains
	Counsel   []string // counsel's addresses and domains
	Waves     []Wave
	// ArchiveMessages is the number of distinct messages in the archive.
	ArchiveMessages int
	// Planted lists the sensitive content planted in leaked messages.
	Planted []Plant
	// Doctored are the Message-IDs of archive messages whose only leaked
	// copy was doctored; Fabricated those of leaked messages claiming an
	// executive as sender that are in no mailbox of the archive;
	// Republished those of wave-1 messages published again in wave 2.
	Doctored, Fabricated, Republished []string
	// Exposed is the employee whose exposure the demo shows (see
	// Company.Exposed).
	Exposed Employee
}

// Wave is one batch of the leak.
type Wave struct {
	Label     string // "wave-1", "wave-2"
	Published time.Time
	Path      string   // the directory holding the wave's files
	Mailboxes []string // custodians whose mailboxes the wave holds
	Messages  int      // distinct messages (Message-IDs) in the wave
	New       int      // of which no earlier wave published
}

// mailbox formats of the leak.
const (
	fmtMaildir    = "maildir"     // MAILBOX/FOLDER/{cur,new,tmp}
	fmtMbox       = "mbox"        // MAILBOX/FOLDER.mbox
	fmtZipMbox    = "zip-mbox"    // MAILBOX.zip holding FOLDER.mbox
	fmtZipMaildir = "zip-maildir" // MAILBOX.zip holding FOLDER/cur/...
)

type waveBox struct{ mbox, format string }

var waveLayout = []struct {
	label     string
	published time.Time
	boxes     []waveBox
}{
	{"wave-1", wave1Published, []waveBox{{"hale-v", fmtMaildir}, {"sato-m", fmtMbox}, {"castellano-r", fmtZipMbox}}},
	{"wave-2", wave2Published, []waveBox{{"marsh-e", fmtMaildir}, {"brandt-j", fmtMbox}, {"quaye-h", fmtZipMaildir}, {"nakamura-o", fmtMbox}}},
}

// republishFrom is the date from which wave 2 publishes hale-v's sent
// folder again.
var republishFrom = day(time.June, 1)

// boxFolders maps a folder name to its messages, oldest first.
type boxFolders map[string][]*cmsg

// generate makes every message of the company, oldest first.
func (c *Company) generate() *companyGen {
	g := &companyGen{c: c, r: rand.New(rand.NewPCG(c.opts.Seed, 0x6c65616b)), ids: map[string]*identity{}, keep: map[string]string{}}
	g.stories()
	week := 1
	for t := c.opts.Start; t.Before(c.opts.End); t = t.Add(7 * 24 * time.Hour) {
		g.newThreadVars()
		g.thread(t.Add(4 * 24 * time.Hour))
		g.newsletter(week)
		week++
	}
	total := 0
	for _, gn := range genres {
		total += gn.weight
	}
	span := int64(c.opts.End.Sub(c.opts.Start))
	for range c.opts.Threads {
		g.newThreadVars()
		g.thread(c.opts.Start.Add(time.Duration(g.r.Int64N(span))))
		switch x := g.r.IntN(100); {
		case x < 8:
			g.hrCase()
		case x < 12:
			g.itThread()
		case x < 16:
			g.travelThread()
		case x < 20:
			g.paymentThread()
		default:
			w := g.r.IntN(total)
			for i := range genres {
				if w -= genres[i].weight; w < 0 {
					g.genreThread(&genres[i])
					break
				}
			}
		}
	}
	slices.SortStableFunc(g.msgs, func(a, b *cmsg) int { return a.date.Compare(b.date) })
	return g
}

// filing returns the executives' folders a message was filed in: the
// sender's sent folder and each recipient's inbox.
func filing(m *cmsg, execs []*Employee) [][2]string {
	var out [][2]string
	if m.from.emp != nil && m.from.emp.Mailbox != "" {
		out = append(out, [2]string{m.from.emp.Mailbox, "sent"})
	}
	for _, c := range append(slices.Clone(m.to), m.cc...) {
		if c.emp != nil && c.emp.Mailbox != "" && !slices.Contains(out, [2]string{c.emp.Mailbox, "inbox"}) {
			out = append(out, [2]string{c.emp.Mailbox, "inbox"})
		}
	}
	if m.everyone {
		for _, e := range execs {
			out = append(out, [2]string{e.Mailbox, "inbox"})
		}
	}
	return out
}

// layout is where every message goes: the archive's mailboxes and the
// leak's, with doctored copies and fabricated messages in wave 2.
type layout struct {
	archive map[string]boxFolders // by mailbox
	leak    map[string]boxFolders // by mailbox, the waves' mailboxes
	resent  []*cmsg               // hale-v's sent mail published again in wave 2
	out     CompanyLeak
}

func (g *companyGen) layout() *layout {
	l := &layout{archive: map[string]boxFolders{}, leak: map[string]boxFolders{}}
	waveOf := map[string]int{}
	for i, w := range waveLayout {
		for _, b := range w.boxes {
			waveOf[b.mbox] = i + 1
			l.leak[b.mbox] = boxFolders{}
		}
	}
	execs := g.c.executives()
	for _, e := range execs {
		l.archive[e.Mailbox] = boxFolders{}
	}
	var candidates []*cmsg // may be doctored: in one leaked folder only, of wave 2
	inArchive := 0
	for _, m := range g.msgs {
		places := filing(m, execs)
		if len(places) > 0 {
			inArchive++
		}
		var leaked [][2]string
		for _, p := range places {
			l.archive[p[0]][p[1]] = append(l.archive[p[0]][p[1]], m)
			if waveOf[p[0]] > 0 {
				l.leak[p[0]][p[1]] = append(l.leak[p[0]][p[1]], m)
				leaked = append(leaked, p)
			}
		}
		if len(leaked) == 1 && waveOf[leaked[0][0]] == 2 && m.form != htmlOnly && len(m.plants) == 0 &&
			m.from.emp != nil && figure.MatchString(m.own) {
			candidates = append(candidates, m)
		}
		if m.from.emp != nil && m.from.emp.Mailbox == "hale-v" && !m.date.Before(republishFrom) {
			l.resent = append(l.resent, m)
			l.out.Republished = append(l.out.Republished, m.messageID)
		}
	}
	l.out.ArchiveMessages = inArchive
	for _, i := range g.r.Perm(len(candidates))[:min(6, len(candidates))] {
		m := candidates[i]
		d := g.doctor(m)
		for _, p := range filing(m, execs) {
			if f := l.leak[p[0]]; f != nil {
				f[p[1]][slices.Index(f[p[1]], m)] = d
			}
		}
		l.out.Doctored = append(l.out.Doctored, m.messageID)
	}
	for _, m := range g.fabricate() {
		for _, p := range filing(m, execs) {
			if f := l.leak[p[0]]; f != nil && waveOf[p[0]] == 2 {
				f[p[1]] = append(f[p[1]], m)
			}
		}
		l.out.Fabricated = append(l.out.Fabricated, m.messageID)
	}
	for _, f := range l.leak {
		for name := range f {
			slices.SortStableFunc(f[name], func(a, b *cmsg) int { return a.date.Compare(b.date) })
		}
	}
	return l
}

// figure finds an amount of money in a text.
var figure = regexp.MustCompile(`\$[0-9][0-9,.]*[0-9]M?`)

var doctoredLines = []string{"I have asked IT to wipe the {project} boxFolders before the auditors arrive.",
	"Keep the real numbers off the board deck.", "Tell the auditors the overage was approved in writing."}

// doctor returns a doctored copy of m: the same headers, a figure changed
// or a sentence added to the author's first paragraph.
func (g *companyGen) doctor(m *cmsg) *cmsg {
	d := *m
	d.plants = nil
	own := m.own
	if loc := figure.FindStringIndex(own); loc != nil && g.r.IntN(2) == 0 {
		own = own[:loc[0]] + money((3+g.r.IntN(900))*10000) + own[loc[1]:]
	} else {
		paras := strings.Split(own, "\n\n")
		for i, p := range paras {
			if len(p) > 40 {
				g.vars = map[string]string{"project": nwProjects[g.r.IntN(len(nwProjects))]}
				paras[i] = p + " " + g.fill(doctoredLines[g.r.IntN(len(doctoredLines))], g.vars)
				break
			}
		}
		own = strings.Join(paras, "\n\n")
	}
	d.own, d.full = own, strings.Replace(m.full, m.own, own, 1)
	return &d
}

// fabricate makes the messages that claim an executive as sender and are
// in no mailbox of the archive.
func (g *companyGen) fabricate() []*cmsg {
	var out []*cmsg
	for _, f := range []struct {
		from, to, subject, body string
		at                      time.Time
		offensive               bool
	}{
		{"Victoria Hale", "Julian Brandt", "Harbor Lights numbers", "Restate the Harbor Lights tracking before the board sees it. I don't care how you get there. Delete this after reading.", day(time.October, 13), false},
		{"Margaret Sato", "Oliver Nakamura", "Q3", "Move the Glass Orchard write-down into Q4 so the quarter looks clean for the bank. Nothing in writing to the auditors.", day(time.September, 29), false},
		{"Victoria Hale", "Elena Marsh", "Fletcher Dunmore", "Fire the idiot and tell the press he has a drinking problem.", day(time.June, 24), true},
		{"Harriet Quaye", "Victoria Hale", "Delacroix files", "I had IT wipe the 2012 development emails before the hold notice went out. Nobody will find them.", day(time.March, 25), false},
		{"Lucas Ferreira", "Oliver Nakamura", "Side deal", "Agreed with Vantage to pay the booking fee in cash, off the books. Don't copy Margaret.", day(time.August, 19), false},
	} {
		g.thread(f.at)
		from, to := g.c.work(f.from), g.c.work(f.to)
		m := &cmsg{seq: 100000 + len(out), from: from, to: []contact{to}, subject: f.subject, date: g.at,
			messageID: g.messageID(from)}
		m.own = g.compose(from, []contact{to}, f.body)
		m.full = m.own
		if f.offensive {
			m.plant(leakscope.FlagOffensive, "body", nil)
		}
		out = append(out, m)
	}
	return out
}
