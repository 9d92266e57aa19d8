package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// generator makes realistic synthetic mail for benchmarks and property
// tests: people with addresses at a few organisations (some on
// subdomains), threads of replies with quoted text, Zipf-distributed words
// from a business vocabulary with a long tail of rarer words, signatures
// holding addresses and phone numbers, attachments with names and
// extracted text, copies in several custodians' folders, flags. It is
// deterministic for a seed.
type generator struct {
	r       *rand.Rand
	zipf    *rand.Zipf
	vocab   []string
	people  []leakscope.Address
	custods []string
	threads []genThread
	n       int
}

type genThread struct {
	id, subject string
	from        int
	body        string
}

var (
	genFirst = strings.Fields(`amy michael doug keith jeff sherron kenneth kate louise sally vince
		mark greg john sara phillip tana richard steven james mary susan lisa karen daniel paul
		andrew robert jennifer linda patricia barbara elizabeth maria nancy laura helen sandra
		donna carol ruth sharon michelle emily kimberly deborah jessica shirley cynthia angela
		melissa brenda anna virginia kathleen pamela martha debra amanda stephanie carolyn
		christine marie janet catherine frances ann joyce diane alice julie heather teresa`)
	genLast = strings.Fields(`pascal lynton belgrad weaver skilling watkins lay obrien kitchen
		beck kaminski haedicke whalley lavorato jones smith taylor brown williams miller davis
		garcia rodriguez wilson martinez anderson thomas jackson white harris martin thompson
		moore allen young hernandez king wright lopez hill scott green adams baker gonzalez
		nelson carter mitchell perez roberts turner phillips campbell parker evans edwards
		collins stewart sanchez morris rogers reed cook morgan bell murphy bailey rivera cooper
		richardson cox howard ward torres peterson gray ramirez watson brooks kelly sanders`)
	genDomains = strings.Fields(`enron.com enron.com enron.com ect.enron.com mail.ect.enron.com
		sony.com sony.com spe.sony.com sonypictures.com gmail.com aol.com hotmail.com
		yahoo.com law-partners.com bank.co.uk caiso.com dynegy.com pge.com ferc.gov kpmg.com`)
	genFolders = []string{"Inbox", "Inbox", "Inbox", "Sent Items", "Sent", "Deleted Items",
		"Inbox/Projects", "Inbox/Legal", "Archive/2001", "Notes Inbox", "Discussion Threads", "All Documents"}
	genWords = strings.Fields(`the of and to a in is that for it as with was on be by at this
		have from or an are not but we you all will can if has been which their more would
		there so what about they one when were do our your any may should please thanks
		meeting call deal contract price gas power market trading energy report budget
		forecast quarter revenue earnings capacity pipeline transmission california
		schedule agreement draft review comments attached document legal counsel
		confidential settlement transaction position risk credit exposure portfolio
		management approval board director executive team project update status issue
		question discussion proposal presentation analysis model curve volume delivery
		invoice payment account balance transfer wire fund tax audit accounting
		compensation bonus salary option stock employee staff hire offer interview
		film studio release marketing box office casting script producer distribution
		screening premiere budgeting overseas licensing rights music trailer sequel
		tomorrow today yesterday monday tuesday wednesday thursday friday week month
		year morning afternoon evening office conference room phone number address
		email message note follow let know think need want get see make take give send
		tell ask work help try keep start show hear play run move live believe bring
		happen write provide sit stand lose pay meet include continue set learn change
		lead understand watch follow stop create speak read allow add spend grow open
		walk win offer remember love consider appear buy wait serve die send expect build
		stay fall cut reach kill remain suggest raise pass sell require decide`)
	genTLD  = []string{"xls", "doc", "pdf", "ppt", "txt", "zip", "jpg", "msg"}
	genSyll = strings.Fields(`ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge
		gi go la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se
		si so su ta te ti to tu va ve vi vo za ze zi ton ter ing tion ment ness ly al er`)
)

func newGenerator(seed uint64) *generator {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &generator{r: r}
	g.vocab = append(g.vocab, genWords...)
	// A long tail of rarer made-up words (project names, jargon, typos).
	seen := map[string]bool{}
	for _, w := range genWords {
		seen[w] = true
	}
	for len(g.vocab) < 30000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(genSyll[r.IntN(len(genSyll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	g.zipf = rand.NewZipf(r, 1.07, 2, uint64(len(g.vocab)-1))
	for range 600 {
		first, last := genFirst[r.IntN(len(genFirst))], genLast[r.IntN(len(genLast))]
		dom := genDomains[r.IntN(len(genDomains))]
		local := first + "." + last
		switch r.IntN(6) {
		case 0:
			local = first[:1] + last
		case 1:
			local = last + "-" + first[:1]
		}
		name := capitalize(first) + " " + capitalize(last)
		if r.IntN(5) == 0 {
			name = capitalize(last) + ", " + capitalize(first)
		}
		email := local + "@" + dom
		g.people = append(g.people, leakscope.Address{Raw: name + " <" + email + ">", Name: name, Email: email})
	}
	for i := range 14 {
		p := g.people[i*7]
		g.custods = append(g.custods, strings.ReplaceAll(strings.Split(p.Email, "@")[0], ".", "-"))
	}
	return g
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func (g *generator) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *generator) words(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.word())
	}
	return b.String()
}

// text writes n words in sentences and paragraphs.
func (g *generator) text(n int) string {
	var b strings.Builder
	for n > 0 {
		k := min(n, 5+g.r.IntN(16))
		s := g.words(k)
		b.WriteString(capitalize(s))
		b.WriteString(". ")
		if g.r.IntN(5) == 0 {
			b.WriteString("\n\n")
		}
		n -= k
	}
	return b.String()
}

func (g *generator) person() leakscope.Address { return g.people[g.r.IntN(len(g.people))] }

func (g *generator) addresses(lo, hi int) []leakscope.Address {
	n := lo + g.r.IntN(hi-lo+1)
	out := make([]leakscope.Address, 0, n)
	for range n {
		out = append(out, g.person())
	}
	return out
}

var genStart = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)

// doc returns the next synthetic document.
func (g *generator) doc() leakscope.Document {
	g.n++
	r := g.r
	id := fmt.Sprintf("m%07d", g.n)
	m := &leakscope.Message{
		ID:         id,
		MessageID:  fmt.Sprintf("%d.%d.JavaMail.evans@thyme", 10000000+g.n, r.IntN(1<<20)),
		Collection: leakscope.CollectionLeak,
		From:       g.person(),
		To:         g.addresses(1, 4),
	}
	if r.IntN(3) == 0 {
		m.Cc = g.addresses(1, 3)
	}
	if r.IntN(20) == 0 {
		m.Bcc = g.addresses(1, 2)
	}
	if r.IntN(100) != 0 {
		offset := time.Duration(r.Int64N(int64(4 * 365 * 24 * time.Hour)))
		zone := time.FixedZone("", (r.IntN(25)-12)*3600)
		m.Date = genStart.Add(offset).In(zone)
		m.DateSource = leakscope.DateFromHeader
	} else {
		m.DateSource = leakscope.DateNone
	}

	body := g.text(20 + r.IntN(250))
	if len(g.threads) > 0 && r.IntN(5) < 2 {
		t := g.threads[r.IntN(len(g.threads))]
		m.Subject = "Re: " + t.subject
		m.ThreadID = t.id
		quoted := "> " + strings.ReplaceAll(strings.TrimSpace(t.body), "\n", "\n> ")
		body += "\n\n-----Original Message-----\nFrom: " + g.people[t.from].String() + "\n" + quoted
	} else {
		m.Subject = capitalize(g.words(2 + r.IntN(6)))
		m.ThreadID = fmt.Sprintf("t%07d", g.n)
		if len(g.threads) < 2000 {
			g.threads = append(g.threads, genThread{id: m.ThreadID, subject: m.Subject, from: r.IntN(len(g.people)), body: body[:min(len(body), 600)]})
		}
	}
	body += fmt.Sprintf("\n\n%s\n%s\n(713) 853-%04d\n", m.From.Name, m.From.Email, r.IntN(10000))
	text := &leakscope.Text{Body: body}

	if r.IntN(7) == 0 {
		for range 1 + r.IntN(3) {
			name := strings.ReplaceAll(g.words(1+r.IntN(3)), " ", "_") + "." + genTLD[r.IntN(len(genTLD))]
			a := leakscope.Attachment{Name: name, ContentType: "application/octet-stream", Size: int64(1000 + r.IntN(200000))}
			if r.IntN(2) == 0 {
				a.HasText = true
				text.Attachments = append(text.Attachments, leakscope.AttachmentText{Name: name, Text: g.text(50 + r.IntN(600))})
			}
			m.Attachments = append(m.Attachments, a)
		}
	}
	if r.IntN(10) == 0 {
		cats := []string{leakscope.FlagSSN, leakscope.FlagPhone, leakscope.FlagCompensation, leakscope.FlagConfidential, leakscope.FlagCredential, leakscope.FlagMedical}
		sevs := []string{"low", "medium", "high", "critical"}
		for range 1 + r.IntN(2) {
			m.Flags = append(m.Flags, leakscope.Flag{Category: cats[r.IntN(len(cats))], Severity: sevs[r.IntN(len(sevs))], Confidence: 0.9, Where: "body"})
		}
	}
	m.Risk = float64(r.IntN(100)) / 100

	leak, batch := "enron", "wave-1"
	if r.IntN(4) == 0 {
		leak, batch = "sony", "wave-"+fmt.Sprint(1+r.IntN(3))
	}
	var copies []leakscope.Copy
	for i := range 1 + r.IntN(2) + r.IntN(2) {
		copies = append(copies, leakscope.Copy{
			MessageID: id, Leak: leak, Batch: batch, Run: 1,
			Source:    fmt.Sprintf("/leaks/%s/%d.%d", leak, g.n, i),
			Custodian: g.custods[r.IntN(len(g.custods))],
			Folder:    genFolders[r.IntN(len(genFolders))],
		})
	}
	return leakscope.Document{Message: m, Text: text, Copies: copies}
}

// docs returns the next n documents.
func (g *generator) docs(n int) []leakscope.Document {
	out := make([]leakscope.Document, n)
	for i := range out {
		out[i] = g.doc()
	}
	return out
}
