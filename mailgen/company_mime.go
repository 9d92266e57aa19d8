package mailgen

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode/utf8"
)

// cmsg is one message of the company while it is made.
type cmsg struct {
	seq       int
	messageID string
	from      contact
	to, cc    []contact
	subject   string
	date      time.Time
	parent    *cmsg
	own       string // what the author wrote, signature included
	full      string // own and the quoted parent: the plain-text body
	form      bodyForm
	htmlBody  string // the HTML of an htmlOnly message
	atts      []attachment
	plants    []Plant
	everyone  bool // sent to all staff: filed in every executive's inbox
}

type bodyForm int

const (
	plainOnly   bodyForm = iota
	alternative          // text/plain and text/html
	htmlOnly
)

type attachment struct {
	name, ctype string
	data        []byte
}

// Plant is one piece of sensitive content planted in a message.
type Plant struct {
	MessageID string // without angle brackets
	Category  string // a leakscope.Flag* category
	Where     string // "body", "html" (an HTML-only body) or "attachment"
	// Person is the work address of the employee the content is about;
	// "" when it is about no one in particular.
	Person string
}

func (m *cmsg) plant(category, where string, about *Employee) {
	p := Plant{MessageID: m.messageID, Category: category, Where: where}
	if about != nil {
		p.Person = about.Email
	}
	m.plants = append(m.plants, p)
}

// pacific returns t in Los Angeles time (2014 daylight saving rules).
func pacific(t time.Time) time.Time {
	if t.After(time.Date(2014, 3, 9, 10, 0, 0, 0, time.UTC)) && t.Before(time.Date(2014, 11, 2, 9, 0, 0, 0, time.UTC)) {
		return t.In(time.FixedZone("PDT", -7*3600))
	}
	return t.In(time.FixedZone("PST", -8*3600))
}

// renderCompany writes m as an RFC 5322 message with LF line endings (as stored
// in maildirs and mboxes on Unix).
func renderCompany(m *cmsg) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	h("Message-ID", "<"+m.messageID+">")
	h("Date", pacific(m.date).Format(time.RFC1123Z))
	h("From", formatAddr(m.from))
	h("To", formatAddrs(m.to))
	if len(m.cc) > 0 {
		h("Cc", formatAddrs(m.cc))
	}
	h("Subject", encodeWord(m.subject))
	if m.parent != nil {
		h("In-Reply-To", "<"+m.parent.messageID+">")
		h("References", references(m))
		h("Thread-Topic", encodeWord(baseSubject(m.subject)))
	}
	h("MIME-Version", "1.0")
	if m.from.emp != nil {
		h("X-Mailer", "Microsoft Outlook 14.0")
	}
	boundary := func(kind string) string { return fmt.Sprintf("----=_%s_%06d_NWP", kind, m.seq) }
	body := func(w *bytes.Buffer) {
		switch m.form {
		case alternative:
			bd := boundary("Alt")
			fmt.Fprintf(w, "Content-Type: multipart/alternative; boundary=\"%s\"\n\n", bd)
			fmt.Fprintf(w, "--%s\n", bd)
			textPart(w, "text/plain", m.full)
			fmt.Fprintf(w, "--%s\n", bd)
			textPart(w, "text/html", plainToHTML(m.full))
			fmt.Fprintf(w, "--%s--\n", bd)
		case htmlOnly:
			textPart(w, "text/html", m.htmlBody)
		default:
			textPart(w, "text/plain", m.full)
		}
	}
	if len(m.atts) == 0 {
		body(&b)
		return b.Bytes()
	}
	bd := boundary("Mixed")
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n", bd)
	b.WriteString("This is a multi-part message in MIME format.\n\n")
	fmt.Fprintf(&b, "--%s\n", bd)
	body(&b)
	for _, a := range m.atts {
		fmt.Fprintf(&b, "--%s\n", bd)
		fmt.Fprintf(&b, "Content-Type: %s; name=\"%s\"\n", a.ctype, a.name)
		fmt.Fprintf(&b, "Content-Disposition: attachment; filename=\"%s\"\n", a.name)
		b.WriteString("Content-Transfer-Encoding: base64\n\n")
		enc := base64.StdEncoding.EncodeToString(a.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\n\n")
	}
	fmt.Fprintf(&b, "--%s--\n", bd)
	return b.Bytes()
}

// textPart writes one text part: 7bit when it is ASCII, quoted-printable
// otherwise.
func textPart(w *bytes.Buffer, ctype, text string) {
	text = strings.TrimRight(text, "\n") + "\n"
	fmt.Fprintf(w, "Content-Type: %s; charset=\"utf-8\"\n", ctype)
	if isASCII(text) {
		w.WriteString("Content-Transfer-Encoding: 7bit\n\n")
		w.WriteString(text)
		w.WriteString("\n")
		return
	}
	w.WriteString("Content-Transfer-Encoding: quoted-printable\n\n")
	var qp bytes.Buffer
	qw := quotedprintable.NewWriter(&qp)
	qw.Write([]byte(text))
	qw.Close()
	w.WriteString(strings.ReplaceAll(qp.String(), "\r\n", "\n"))
	w.WriteString("\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func encodeWord(s string) string {
	if isASCII(s) {
		return s
	}
	return mime.QEncoding.Encode("utf-8", s)
}

func formatAddr(c contact) string {
	if c.name == "" {
		return c.email
	}
	return encodeWord(c.name) + " <" + c.email + ">"
}

func formatAddrs(cs []contact) string {
	var out []string
	for _, c := range cs {
		out = append(out, formatAddr(c))
	}
	return strings.Join(out, ", ")
}

// references lists the Message-IDs of m's ancestors, oldest first.
func references(m *cmsg) string {
	var ids []string
	for p := m.parent; p != nil; p = p.parent {
		ids = append([]string{"<" + p.messageID + ">"}, ids...)
	}
	return strings.Join(ids, " ")
}

// baseSubject drops reply and forward prefixes.
func baseSubject(s string) string {
	for {
		t := s
		for _, p := range []string{"RE: ", "Re: ", "FW: ", "Fwd: "} {
			t = strings.TrimPrefix(t, p)
		}
		if t == s {
			return s
		}
		s = t
	}
}

// plainToHTML is the HTML alternative Outlook writes for a plain body:
// one paragraph per block, quoted headers in bold.
func plainToHTML(text string) string {
	var b strings.Builder
	b.WriteString("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n<body>\n")
	for _, para := range strings.Split(text, "\n\n") {
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			l = html.EscapeString(l)
			if k, v, ok := strings.Cut(l, ": "); ok && (k == "From" || k == "Sent" || k == "To" || k == "Cc" || k == "Subject") {
				l = "<b>" + k + ":</b> " + v
			}
			lines[i] = l
		}
		if strings.HasPrefix(para, "-----Original Message-----") {
			b.WriteString("<div style=\"border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0in 0in 0in\">\n")
			b.WriteString("<p>" + strings.Join(lines[1:], "<br>\n") + "</p>\n</div>\n")
			continue
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// docx returns a minimal Word document holding paragraphs: the parts a
// reader needs ([Content_Types].xml, the package relationships and
// word/document.xml), with fixed times so that the bytes are reproducible.
func docx(paragraphs []string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate,
			Modified: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)})
		w.Write([]byte(content))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paragraphs {
		doc.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">" + html.EscapeString(p) + "</w:t></w:r></w:p>")
	}
	doc.WriteString("</w:body></w:document>")
	add("word/document.xml", doc.String())
	zw.Close()
	return buf.Bytes()
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
