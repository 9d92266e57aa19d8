package export

import (
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// messageText builds a message's TEXT file: its header block and body,
// redacted when asked.
func (w *writer) messageText(msg *leakscope.Message, t *leakscope.Text) produced {
	p := produced{subject: msg.Subject}
	body := ""
	if t != nil {
		body = t.Body
	}
	if w.e.opts.Redact {
		var r1, r2 []redaction
		p.subject, r1 = w.red.redact(msg.Subject, msg.Flags, partSubject, "")
		body, r2 = w.red.redact(body, msg.Flags, partBody, "")
		p.reds = append(r1, r2...)
	}
	var b strings.Builder
	header := func(name, v string) {
		if v != "" {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	header("From", msg.From.String())
	header("To", addrList(msg.To))
	header("Cc", addrList(msg.Cc))
	header("Bcc", addrList(msg.Bcc))
	if !msg.Date.IsZero() {
		header("Date", msg.Date.UTC().Format(time.RFC1123Z))
	}
	header("Subject", p.subject)
	b.WriteString("\n")
	b.WriteString(body)
	p.text = b.String()
	return p
}

// memberText builds an attachment's text, name and redactions.
func (w *writer) memberText(f *family, m *member) produced {
	if m.child != nil {
		p := w.messageText(m.child, m.childText)
		p.name = m.att.Name
		if w.e.opts.Redact {
			var r []redaction
			p.name, r = w.red.redact(m.att.Name, f.msg.Flags, partAttachmentName, m.att.Name)
			for i := range r {
				r[i].Attachment = p.name
			}
			p.reds = append(p.reds, r...)
		}
		p.withheld = len(p.reds) > 0
		return p
	}
	p := produced{name: m.att.Name}
	if m.text != nil {
		p.text = m.text.Text
	}
	if w.e.opts.Redact {
		var r1, r2 []redaction
		p.name, r1 = w.red.redact(m.att.Name, f.msg.Flags, partAttachmentName, m.att.Name)
		p.text, r2 = w.red.redact(p.text, f.msg.Flags, partAttachment, m.att.Name)
		for i := range r2 {
			r2[i].Attachment = p.name
		}
		for i := range r1 {
			r1[i].Attachment = p.name
		}
		p.reds = append(r1, r2...)
	}
	p.withheld = len(p.reds) > 0
	return p
}
