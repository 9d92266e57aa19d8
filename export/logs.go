package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/leakscope/leakscope"
)

// Names of the optional logs in DATA.
const (
	RedactionLogName = "REDACTIONS.csv"
	PrivilegeLogName = "PRIVILEGE_LOG.csv"
)

// redactionLog lists every value redacted: the document, the part, the
// category and rule that flagged it, its byte offsets in the part's
// extracted text, and whether the native was withheld. Never the value.
type redactionLog struct {
	buf *bufio.Writer
	w   *csv.Writer
}

// RedactionLogFields are the columns of REDACTIONS.csv.
var RedactionLogFields = []string{"BATES", "PART", "ATTACHMENT", "CATEGORY", "RULE", "START", "END", "REPLACEMENT", "NATIVE"}

func newRedactionLog(w io.Writer) (*redactionLog, error) {
	buf := bufio.NewWriter(w)
	buf.WriteString(utf8BOM)
	l := &redactionLog{buf: buf, w: csv.NewWriter(buf)}
	l.w.UseCRLF = true
	return l, l.w.Write(RedactionLogFields)
}

func (l *redactionLog) add(bates string, r redaction, nativeWithheld bool) error {
	native := "produced"
	if nativeWithheld {
		native = "withheld"
	}
	return l.w.Write([]string{bates, r.Part, csvSafe(r.Attachment), r.Category, r.Rule,
		strconv.Itoa(r.Start), strconv.Itoa(r.End), "[REDACTED: " + r.Category + "]", native})
}

func (l *redactionLog) flush() error {
	l.w.Flush()
	if err := l.w.Error(); err != nil {
		return err
	}
	return l.buf.Flush()
}

// privilegeLog lists the privileged messages: date, author, recipients,
// subject and the privilege basis (the note of the privileged tag), with
// whether the message was withheld or produced and, when produced, its
// Bates range.
type privilegeLog struct {
	buf *bufio.Writer
	w   *csv.Writer
	n   int
}

// PrivilegeLogFields are the columns of PRIVILEGE_LOG.csv.
var PrivilegeLogFields = []string{"ENTRY", "DATESENT", "AUTHOR", "RECIPIENTS", "CC", "BCC", "SUBJECT", "BASIS",
	"ATTACHMENTS", "STATUS", "BEGBATES", "ENDATTACH", "MESSAGEID", "MIH", "CUSTODIAN", "TAGGED_BY", "TAGGED"}

func newPrivilegeLog(w io.Writer) (*privilegeLog, error) {
	buf := bufio.NewWriter(w)
	buf.WriteString(utf8BOM)
	l := &privilegeLog{buf: buf, w: csv.NewWriter(buf)}
	l.w.UseCRLF = true
	return l, l.w.Write(PrivilegeLogFields)
}

// DefaultPrivilegeBasis is the basis logged for a privileged tag without a note.
const DefaultPrivilegeBasis = "privileged (basis not recorded)"

func (l *privilegeLog) add(w *writer, f *family, tag leakscope.Tag, withheld bool, begin, end uint64) error {
	l.n++
	msg := f.msg
	p := w.messageText(msg, nil) // the subject as produced (redacted when redacting)
	status, beg, endAttach := "withheld", "", ""
	if !withheld {
		status, beg, endAttach = "produced", w.bates(begin), w.bates(end)
	}
	date := ""
	if !msg.Date.IsZero() && msg.DateSource != leakscope.DateNone {
		date = msg.Date.UTC().Format(time.RFC3339)
	}
	basis := tag.Note
	if basis == "" {
		basis = DefaultPrivilegeBasis
	}
	mid := ""
	if msg.MessageID != "" {
		mid = "<" + msg.MessageID + ">"
	}
	custodian, _ := custodians(f.copies)
	tagged := ""
	if !tag.Time.IsZero() {
		tagged = tag.Time.UTC().Format(time.RFC3339)
	}
	row := []string{strconv.Itoa(l.n), date, msg.From.String(), addrList(msg.To), addrList(msg.Cc), addrList(msg.Bcc),
		p.subject, basis, strconv.Itoa(len(msg.Attachments)), status, beg, endAttach, mid, MIH(msg.MessageID), custodian, tag.User, tagged}
	for i := range row {
		row[i] = csvSafe(row[i])
	}
	return l.w.Write(row)
}

func (l *privilegeLog) flush() error {
	l.w.Flush()
	if err := l.w.Error(); err != nil {
		return err
	}
	return l.buf.Flush()
}
