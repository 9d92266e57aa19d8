package api

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// copyJSON is one copy of a message: where it was found. The path on the
// server (Source, Offset) is shown only to admins and counsel.
type copyJSON struct {
	Leak         string    `json:"leak"`
	Batch        string    `json:"batch,omitempty"`
	Custodian    string    `json:"custodian,omitempty"`
	Folder       string    `json:"folder,omitempty"`
	MaildirFlags string    `json:"maildir_flags,omitempty"`
	Member       string    `json:"member,omitempty"`
	Part         string    `json:"part,omitempty"`
	Source       string    `json:"source,omitempty"`
	Offset       int64     `json:"offset,omitempty"`
	RawSHA256    string    `json:"raw_sha256"`
	Size         int64     `json:"size"`
	Added        time.Time `json:"added"`
}

// messageJSON answers GET /messages/{id}. Attachments are downloaded by
// their index in message.attachments.
type messageJSON struct {
	Message    *leakscope.Message `json:"message"`
	Text       *leakscope.Text    `json:"text"`
	Copies     []copyJSON         `json:"copies"`
	Duplicates []string           `json:"duplicates"` // other messages with the same content (not listed for employees)
	Thread     []string           `json:"thread"`     // the thread's messages the caller may see
	Redacted   bool               `json:"redacted"`
	// Reconciliation: the reference message this one is a copy of (not
	// for employees; the diff for admins and counsel only).
	Reconciliation *reconciliationJSON `json:"reconciliation,omitempty"`
	// NotInArchive: from a company domain, yet matching nothing in the
	// reference archive (not for employees).
	NotInArchive bool `json:"not_in_archive,omitempty"`
	// Tags are counsel's review tags (admins and counsel only).
	Tags []leakscope.Tag `json:"tags,omitempty"`
}

// maxIDBytes bounds a message id in a path.
const maxIDBytes = 128

// readable returns the message id if u may see it. A message an employee
// may not see is not found, exactly as a missing one.
func (s *Server) readable(ctx context.Context, u *leakscope.User, id string) (*MessageRecord, error) {
	if id == "" || len(id) > maxIDBytes {
		return nil, errNotFound
	}
	rec, err := s.deps.Messages.Message(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayRead(u, rec.Message, rec.Text) {
		return nil, errNotFound
	}
	return rec, nil
}

func (s *Server) message(c *gin.Context) error {
	ctx := c.Request.Context()
	p, id := who(c), c.Param("id")
	rec, err := s.readable(ctx, p.user, id)
	if err != nil {
		return s.auditDenied(c, leakscope.AuditMessageView, id, "", err)
	}
	out := messageJSON{Message: rec.Message, Text: rec.Text, Copies: []copyJSON{}, Duplicates: []string{},
		Thread: []string{}, Redacted: !p.user.Role.Unredacted()}
	if out.Redacted {
		out.Message, out.Text = redactMessage(rec.Message), redactText(rec.Text, rec.Message.Flags)
	}
	for _, cp := range rec.Copies {
		j := copyJSON{Leak: cp.Leak, Batch: cp.Batch, Custodian: cp.Custodian, Folder: cp.Folder,
			MaildirFlags: cp.MaildirFlags, Member: cp.Member, Part: cp.Part, RawSHA256: cp.RawSHA256,
			Size: cp.Size, Added: cp.Added}
		if p.user.Role.Unredacted() {
			j.Source, j.Offset = cp.Source, cp.Offset
		}
		out.Copies = append(out.Copies, j)
	}
	if p.user.Role == leakscope.RoleEmployee {
		if out.Thread, err = s.visibleThread(ctx, p.user, rec); err != nil {
			return err
		}
	} else {
		out.Duplicates = append(out.Duplicates, rec.Duplicates...)
		out.Thread = append(out.Thread, rec.Thread...)
	}
	if mayUseTags(p.user) {
		out.Tags = rec.Tags
	}
	if out.Reconciliation, out.NotInArchive, err = s.reconciliationFor(ctx, p.user, id); err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditMessageView, id, "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// maxThread bounds the thread members listed for an employee.
const maxThread = MaxSearchLimit

// visibleThread lists the messages of rec's thread an employee may see.
func (s *Server) visibleThread(ctx context.Context, u *leakscope.User, rec *MessageRecord) ([]string, error) {
	ids := []string{}
	if rec.Message.ThreadID == "" || len(rec.Thread) <= 1 {
		return append(ids, rec.Message.ID), nil
	}
	q := scoped(u, leakscope.Term{Field: leakscope.FieldThread, Value: rec.Message.ThreadID})
	res, err := s.deps.Searcher.Search(ctx, SearchRequest{Query: q, Sort: "date", Limit: maxThread, IDsOnly: true})
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, nil
}

func (s *Server) raw(c *gin.Context) error {
	ctx := c.Request.Context()
	p, id := who(c), c.Param("id")
	copyN, err := intParam(c, "copy", 1, 1, 1<<20)
	if err != nil {
		return err
	}
	rec, err := s.readable(ctx, p.user, id)
	if err == nil && copyN > len(rec.Copies) {
		err = errNotFound
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditMessageRaw, id, "", err)
	}
	b, err := s.deps.Messages.Original(ctx, rec.Copies[copyN-1].RawSHA256)
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditMessageRaw, id, "copy "+strconv.Itoa(copyN), http.StatusOK); err != nil {
		return err
	}
	download(c, id+".eml", b)
	return nil
}

func (s *Server) attachment(c *gin.Context) error {
	ctx := c.Request.Context()
	p, id := who(c), c.Param("id")
	detail := "attachment " + c.Param("n")
	rec, err := s.readable(ctx, p.user, id)
	n, nerr := strconv.Atoi(c.Param("n"))
	switch {
	case err != nil:
	case nerr != nil || n < 0 || n >= len(rec.Message.Attachments) || strconv.Itoa(n) != c.Param("n"):
		err = errNotFound
	case !p.user.Role.Unredacted() && !cleanAttachment(rec.Message, n):
		err = errRedactionNeeded
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditAttachment, id, detail, err)
	}
	b, err := s.deps.Messages.Attachment(ctx, id, n)
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditAttachment, id, detail, http.StatusOK); err != nil {
		return err
	}
	name := rec.Message.Attachments[n].Name
	if name == "" {
		name = "attachment-" + strconv.Itoa(n)
	}
	download(c, name, b)
	return nil
}

// download sends bytes as a file to save, never to display: a generic
// type (the declared one could be text/html), attachment disposition, no
// sniffing (set for every response) and a sandboxing CSP.
func download(c *gin.Context, name string, b []byte) {
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	c.Header("Content-Disposition", disp)
	c.Data(http.StatusOK, "application/octet-stream", b)
}
