// Package mailgen generates synthetic mail for tests, benchmarks and the
// demo: a small company whose people write to each other and to outsiders,
// with threads (replies quoting their parent, In-Reply-To and References),
// forwards carrying the original as a message/rfc822 attachment, CSV
// attachments, and every message filed in the sender's "sent" folder and
// in each internal recipient's "inbox", as a mail server would. Output is
// deterministic for a given Seed. No real person's data is used.
package mailgen

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options configure Generate; the zero value works.
type Options struct {
	// Messages is the number of messages written (not counting copies).
	// Default 100.
	Messages int
	// Seed makes the output reproducible. Default 1.
	Seed uint64
	// Domain is the company's mail domain. Default "example.com".
	Domain string
	// Start is the date of the first message; later ones follow at random
	// intervals of up to a few hours. Default 2014-01-06 09:00 UTC.
	Start time.Time
}

// Person is one correspondent.
type Person struct {
	Name  string
	Email string
	// Mailbox is the custodian directory name, empty for outsiders.
	Mailbox string
}

// Message is one generated message and where its copies were filed.
type Message struct {
	MessageID string
	From      Person
	To        []Person
	Subject   string
	Date      time.Time
	Raw       []byte
	Body      string // the text the sender wrote (quoted by replies)
	Parent    string // Message-ID replied to or forwarded, if any
	Forward   bool   // carries its parent as a message/rfc822 attachment
	// Folders are the "mailbox/folder" paths a copy was filed in.
	Folders []string
}

// Corpus is what Generate made.
type Corpus struct {
	People   []Person
	Messages []*Message
}

var (
	firstNames = []string{"Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Jolene", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya"}
	lastNames  = []string{"Abbott", "Brandt", "Castillo", "Dumont", "Eriksen", "Fischer", "Gallo", "Hughes", "Ito", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Perez"}
	outsiders  = []string{"press@newsdesk.example.org", "agent@talent.example.net", "billing@vendor.example.net", "j.doe@lawfirm.example.org"}
	topics     = []string{"budget review", "Q3 forecast", "casting update", "distribution deal", "press release draft", "board meeting", "marketing plan", "legal hold", "travel plans", "contract renewal", "premiere logistics", "headcount plan"}
	sentences  = []string{
		"Please see the numbers below and let me know what you think.",
		"We need to close this before the end of the quarter.",
		"I spoke with the team this morning and they agree with the plan.",
		"Can we move the meeting to Thursday afternoon?",
		"The draft is attached; comments are welcome.",
		"Legal has asked us to keep this confidential for now.",
		"The partners want an answer by Friday.",
		"I am not convinced the projections hold up.",
		"Thanks for pulling this together so quickly.",
		"Let's discuss the details on the call tomorrow.",
		"The schedule slipped by two weeks because of the reshoots.",
		"Marketing spend is running ahead of the budget.",
	}
)

// Generate writes a corpus under dir: dir/MAILBOX/FOLDER/N. files, one
// message per file (the Enron layout), and returns what it wrote.
func Generate(dir string, opts Options) (*Corpus, error) {
	c := Make(opts)
	counters := map[string]int{}
	for _, m := range c.Messages {
		for _, f := range m.Folders {
			counters[f]++
			p := filepath.Join(dir, filepath.FromSlash(f), fmt.Sprintf("%d.", counters[f]))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, fmt.Errorf("generate: %w", err)
			}
			if err := os.WriteFile(p, m.Raw, 0o644); err != nil {
				return nil, fmt.Errorf("generate: %w", err)
			}
		}
	}
	return c, nil
}

// Make generates a corpus in memory.
func Make(opts Options) *Corpus {
	if opts.Messages <= 0 {
		opts.Messages = 100
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Domain == "" {
		opts.Domain = "example.com"
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2014, 1, 6, 9, 0, 0, 0, time.UTC)
	}
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	c := &Corpus{}
	for i := range firstNames {
		first, last := firstNames[i], lastNames[(i*7)%len(lastNames)]
		mailbox := strings.ToLower(last + "-" + first[:1])
		c.People = append(c.People, Person{
			Name:    first + " " + last,
			Email:   strings.ToLower(first + "." + last + "@" + opts.Domain),
			Mailbox: mailbox,
		})
	}
	var ext []Person
	for _, e := range outsiders {
		ext = append(ext, Person{Email: e})
	}
	date := opts.Start
	for i := range opts.Messages {
		date = date.Add(time.Duration(r.IntN(4*3600)+60) * time.Second)
		m := &Message{Date: date, From: c.People[r.IntN(len(c.People))]}
		m.MessageID = fmt.Sprintf("%d.%d.JavaMail.gen@%s", opts.Seed, i+1, opts.Domain)
		var parent *Message
		if len(c.Messages) > 0 && r.IntN(3) == 0 {
			parent = c.Messages[len(c.Messages)-1-r.IntN(min(len(c.Messages), 20))]
			m.Parent = parent.MessageID
			m.Forward = r.IntN(4) == 0
		}
		m.To = recipients(r, c.People, ext, m.From)
		if parent != nil && !m.Forward {
			m.To = []Person{parent.From}
			if parent.From.Email == m.From.Email {
				m.To = parent.To
			}
		}
		m.Subject = subject(r, parent, m.Forward)
		m.Raw = render(r, m, parent)
		m.Folders = folders(m)
		c.Messages = append(c.Messages, m)
	}
	return c
}

func recipients(r *rand.Rand, people, ext []Person, from Person) []Person {
	n := 1 + r.IntN(3)
	var out []Person
	for len(out) < n {
		p := people[r.IntN(len(people))]
		if r.IntN(6) == 0 {
			p = ext[r.IntN(len(ext))]
		}
		if p.Email == from.Email || contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func contains(list []Person, p Person) bool {
	for _, q := range list {
		if q.Email == p.Email {
			return true
		}
	}
	return false
}

func subject(r *rand.Rand, parent *Message, forward bool) string {
	if parent == nil {
		return capitalize(topics[r.IntN(len(topics))])
	}
	base := strings.TrimPrefix(strings.TrimPrefix(parent.Subject, "Re: "), "Fwd: ")
	if forward {
		return "Fwd: " + base
	}
	return "Re: " + base
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func folders(m *Message) []string {
	var out []string
	if m.From.Mailbox != "" {
		out = append(out, m.From.Mailbox+"/sent")
	}
	for _, p := range m.To {
		if p.Mailbox != "" {
			out = append(out, p.Mailbox+"/inbox")
		}
	}
	return out
}

func addr(p Person) string {
	if p.Name == "" {
		return p.Email
	}
	return fmt.Sprintf("%s <%s>", p.Name, p.Email)
}

func render(r *rand.Rand, m *Message, parent *Message) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("Message-ID", "<"+m.MessageID+">")
	h("Date", m.Date.Format(time.RFC1123Z))
	h("From", addr(m.From))
	var to []string
	for _, p := range m.To {
		to = append(to, addr(p))
	}
	h("To", strings.Join(to, ", "))
	h("Subject", m.Subject)
	if parent != nil {
		h("In-Reply-To", "<"+parent.MessageID+">")
		h("References", "<"+parent.MessageID+">")
	}
	h("MIME-Version", "1.0")
	var body strings.Builder
	for range 2 + r.IntN(5) {
		body.WriteString(sentences[r.IntN(len(sentences))])
		body.WriteString(" ")
	}
	body.WriteString("\r\n\r\n" + m.From.Name + "\r\n")
	m.Body = body.String()
	switch {
	case parent != nil && m.Forward:
		boundary := "gen-" + m.MessageID
		h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body.String())
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n")
		b.Write(parent.Raw)
		b.WriteString("\r\n--" + boundary + "--\r\n")
	case r.IntN(8) == 0:
		boundary := "gen-" + m.MessageID
		h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body.String())
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Type: text/csv; name=\"figures.csv\"\r\nContent-Disposition: attachment; filename=\"figures.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		csv := fmt.Sprintf("item,amount\r\nmarketing,%d\r\nproduction,%d\r\n", r.IntN(100000), r.IntN(1000000))
		b.WriteString(base64.StdEncoding.EncodeToString([]byte(csv)) + "\r\n")
		b.WriteString("\r\n--" + boundary + "--\r\n")
	default:
		h("Content-Type", "text/plain; charset=us-ascii")
		b.WriteString("\r\n" + body.String())
		if parent != nil {
			b.WriteString("\r\n-----Original Message-----\r\n")
			for _, line := range strings.Split(strings.TrimRight(parent.Body, "\r\n"), "\r\n") {
				b.WriteString("> " + line + "\r\n")
			}
		}
	}
	return b.Bytes()
}
