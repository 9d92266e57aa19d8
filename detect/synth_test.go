package detect

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/leakscope/leakscope"
)

// builder assembles the parts of a synthetic message and the labels of
// the values planted in them.
type builder struct {
	subject string
	body    strings.Builder
	att     map[string]*strings.Builder
	order   []string
	labels  []label
	counsel *leakscope.Address
}

func (b *builder) part(where, name string) *strings.Builder {
	if where != WhereAttachment {
		return &b.body
	}
	if b.att == nil {
		b.att = map[string]*strings.Builder{}
	}
	if b.att[name] == nil {
		b.att[name] = &strings.Builder{}
		b.order = append(b.order, name)
	}
	return b.att[name]
}

// format turns plain template text into the shape of a kind of part:
// "html" is text extracted from HTML (no-break spaces, blank lines between
// blocks), "base64" is a decoded base64 part written on Windows (CRLF).
func format(kind, s string, g gen) string {
	switch kind {
	case "html":
		var b strings.Builder
		for i, w := range strings.Split(s, " ") {
			if i > 0 {
				if g.r.IntN(3) == 0 {
					b.WriteString("\u00a0")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(w)
		}
		return strings.ReplaceAll(b.String(), "\n", "\n\n")
	case "base64":
		return strings.ReplaceAll(s, "\n", "\r\n")
	}
	return s
}

// write fills a template's slots into a part, labelling planted values.
func (b *builder) write(t tmpl, g gen, where, name, kind string) {
	w := b.part(where, name)
	vals := []string(nil)
	if t.vals != nil {
		vals = t.vals(g)
	}
	text := t.text
	for len(text) > 0 {
		i := strings.IndexByte(text, '{')
		if i < 0 || len(vals) == 0 {
			w.WriteString(format(kind, text, g))
			break
		}
		w.WriteString(format(kind, text[:i], g))
		planted := strings.HasPrefix(text[i:], "{}")
		if planted {
			text = text[i+2:]
		} else {
			text = text[i+3:] // "{-}"
		}
		val := vals[0]
		vals = vals[1:]
		if kind == "base64" {
			val = strings.ReplaceAll(val, "\n", "\r\n")
		}
		start := w.Len()
		w.WriteString(val)
		if planted && t.planted() {
			b.labels = append(b.labels, label{category: t.cat, where: where, attachment: attName(where, name), start: start, end: w.Len()})
		}
	}
	w.WriteString(format(kind, "\n", g))
}

func attName(where, name string) string {
	if where == WhereAttachment || where == WhereAttachmentName {
		return name
	}
	return ""
}

var fillers = []string{
	"Thanks for the update on the Henry Hub positions.",
	"Let's discuss at the 3pm meeting in EB 3321.",
	"I have attached the revised draft for your review.",
	"The desk was flat today; volumes were light ahead of the holiday.",
	"Please send comments by Friday.",
	"See you at the offsite next week.",
}

func (b *builder) filler(g gen, where, name, kind string) {
	b.part(where, name).WriteString(format(kind, g.pick(fillers...)+"\n", g))
}

func (b *builder) done(n int) evalCase {
	c := evalCase{name: fmt.Sprintf("synthetic#%d", n), msg: &leakscope.Message{Subject: b.subject}, text: &leakscope.Text{Body: b.body.String()}, labels: b.labels}
	if b.counsel != nil {
		c.msg.From = *b.counsel
	}
	for _, name := range b.order {
		c.text.Attachments = append(c.text.Attachments, leakscope.AttachmentText{Name: name, Text: b.att[name].String()})
	}
	return c
}

// syntheticCases builds the synthetic evaluation set, the same every time:
// every positive and decoy template in each of four kinds of part (plain
// body, text from HTML, a decoded base64 body, an attachment), each with
// a decoy of another template and filler; plus subjects, attachment names,
// delimited tables and mail to or from counsel.
func syntheticCases() []evalCase {
	g := gen{rand.New(rand.NewPCG(2014, 11))}
	var cases []evalCase
	kinds := []string{"plain", "html", "base64", "attachment"}
	all := append(append([]tmpl(nil), positives...), decoys...)
	for i, t := range all {
		for _, kind := range kinds {
			var b builder
			where, name := WhereBody, ""
			if kind == "attachment" {
				where, name = WhereAttachment, g.pick("notes.txt", "memo.doc", "details.txt")
				b.body.WriteString("Please see the attached file.\n")
			}
			b.filler(g, where, name, kind)
			b.write(t, g, where, name, kind)
			b.write(decoys[(i*7+len(cases))%len(decoys)], g, where, name, kind)
			b.filler(g, where, name, kind)
			cases = append(cases, b.done(len(cases)))
		}
	}
	// Subjects: one-line templates.
	for _, t := range all {
		if strings.Contains(t.text, "\n") {
			continue
		}
		var b builder
		b.write(t, g, WhereBody, "", "plain")
		// Move the line into the subject, labels with it.
		b.subject = strings.TrimSuffix(b.body.String(), "\n")
		b.body.Reset()
		for i := range b.labels {
			b.labels[i].where = WhereSubject
		}
		b.body.WriteString(g.pick(fillers...))
		cases = append(cases, b.done(len(cases)))
	}
	// Attachment names.
	for _, t := range attachmentNames {
		var b builder
		var name strings.Builder
		vals := []string(nil)
		if t.vals != nil {
			vals = t.vals(g)
		}
		var spans [][2]int
		text := t.text
		for len(text) > 0 {
			i := strings.IndexByte(text, '{')
			if i < 0 || len(vals) == 0 {
				name.WriteString(text)
				break
			}
			name.WriteString(text[:i])
			planted := strings.HasPrefix(text[i:], "{}")
			text = text[i+2+boolInt(!planted):]
			start := name.Len()
			name.WriteString(vals[0])
			vals = vals[1:]
			if planted {
				spans = append(spans, [2]int{start, name.Len()})
			}
		}
		n := name.String()
		for _, s := range spans {
			b.labels = append(b.labels, label{category: t.cat, where: WhereAttachmentName, attachment: n, start: s[0], end: s[1]})
		}
		b.body.WriteString("File attached.\n")
		b.part(WhereAttachment, n).WriteString("Q3 numbers as discussed.\n")
		cases = append(cases, b.done(len(cases)))
	}
	// Delimited tables in attachments.
	for _, tb := range tables {
		var b builder
		b.body.WriteString("Here is the file you asked for.\n")
		w := b.part(WhereAttachment, tb.name)
		sep := ","
		if strings.Contains(tb.header, "\t") {
			sep = "\t"
		}
		w.WriteString(tb.header + "\n")
		for row := 0; row < 6; row++ {
			for c, f := range tb.vals {
				if c > 0 {
					w.WriteString(sep)
				}
				start := w.Len()
				w.WriteString(f(g))
				if tb.cols[c] != "" {
					b.labels = append(b.labels, label{category: tb.cols[c], where: WhereAttachment, attachment: tb.name, start: start, end: w.Len()})
				}
			}
			w.WriteString("\n")
		}
		cases = append(cases, b.done(len(cases)))
	}
	// Mail from or to counsel (Options.CounselDomains = smithlaw.example).
	for i, from := range []string{"jdoe@smithlaw.example", "partner@ny.smithlaw.example", "general.counsel@acme.example",
		"events@smithlaw-events.example", "paralegal@acme.example"} {
		var b builder
		b.counsel = &leakscope.Address{Email: from}
		b.body.WriteString("Following up on our call about the supply agreement.\n")
		if i < 3 {
			b.labels = append(b.labels, label{category: leakscope.FlagLegalPrivilege, where: WhereHeader})
		}
		cases = append(cases, b.done(len(cases)))
	}
	return cases
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// syntheticOptions configure the detector for the synthetic set.
var syntheticOptions = Options{CounselDomains: []string{"smithlaw.example"}, CounselAddresses: []string{"general.counsel@acme.example"}}
