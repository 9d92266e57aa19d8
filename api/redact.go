package api

import (
	"slices"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

// Redaction: analysts and employees see every flagged value masked (see
// detect.Redact): in the subject, the body, attachment names and texts,
// and search snippets, which are cut from the masked text. Admins and
// counsel see values as they are. Flags carry their own masked snippets.
//
// The issue allowed employees to see values that are their own: no flag
// category identifies its owner (there is no e-mail category to compare
// with their verified addresses), so nothing is exempt, and an employee
// sees their own SSN masked like anyone else's.

// redactMessage returns a copy of m with the flagged values of its subject
// and attachment names masked, in the flags too.
func redactMessage(m *leakscope.Message) *leakscope.Message {
	r := *m
	r.Subject = detect.Redact(m.Subject, m.Flags, detect.WhereSubject, "")
	r.Attachments = slices.Clone(m.Attachments)
	for i, a := range r.Attachments {
		r.Attachments[i].Name = redactName(a.Name, m.Flags)
	}
	r.Flags = slices.Clone(m.Flags)
	for i, f := range r.Flags {
		r.Flags[i].Attachment = redactName(f.Attachment, m.Flags)
	}
	return &r
}

// redactName masks the flagged values in an attachment name.
func redactName(name string, flags []leakscope.Flag) string {
	if name == "" {
		return ""
	}
	return detect.Redact(name, flags, detect.WhereAttachmentName, name)
}

// redactText returns a copy of t with the values flagged in flags masked.
func redactText(t *leakscope.Text, flags []leakscope.Flag) *leakscope.Text {
	if t == nil {
		return nil
	}
	r := &leakscope.Text{Body: detect.Redact(t.Body, flags, detect.WhereBody, "")}
	for _, a := range t.Attachments {
		r.Attachments = append(r.Attachments, leakscope.AttachmentText{
			Name: redactName(a.Name, flags),
			Text: detect.Redact(a.Text, flags, detect.WhereAttachment, a.Name),
		})
	}
	return r
}

// maxCleanAttachment is the largest attachment whose bytes a redacted role
// may download: detection scans at most 1 MiB of a part (detect.Options).
const maxCleanAttachment = 1 << 20

// cleanAttachment reports whether attachment n of m may be given as it is
// to a role that sees values redacted: its text was extracted and scanned
// whole and nothing was flagged in it or its name. Attached messages,
// images, PDFs and other parts without text are never clean: no one looked
// inside them.
func cleanAttachment(m *leakscope.Message, n int) bool {
	a := m.Attachments[n]
	if a.MessageID != "" || !a.HasText || a.Size > maxCleanAttachment {
		return false
	}
	for _, f := range m.Flags {
		if (f.Where == detect.WhereAttachment || f.Where == detect.WhereAttachmentName) && f.Attachment == a.Name {
			return false
		}
	}
	return true
}
