package export

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/leakscope/leakscope"
)

// CustodyName is the chain-of-custody file in DATA: one JSON object per
// produced document and line (JSON Lines).
const CustodyName = "CUSTODY.jsonl"

// CustodyRecord is the chain of custody of one produced document: where
// every copy of it was found (source container, member path inside
// archives, byte offset, MIME part), when it was ingested and by which
// run, the hash of the stored original, and which tool produced it when.
// For an attachment, Copies are its message's and Attachment says which
// part it is.
type CustodyRecord struct {
	Bates          string             `json:"bates"`
	Family         string             `json:"family"` // BEGATTACH-ENDATTACH
	ID             string             `json:"id,omitempty"`
	MessageID      string             `json:"message_id,omitempty"`
	Attachment     *custodyAttachment `json:"attachment,omitempty"`
	Native         string             `json:"native,omitempty"` // path in the production
	NativeSHA256   string             `json:"native_sha256,omitempty"`
	NativeWithheld bool               `json:"native_withheld,omitempty"` // it held a redacted value
	Text           string             `json:"text,omitempty"`
	Copies         []CustodyCopy      `json:"copies"`
	Exported       time.Time          `json:"exported"`
	Tool           string             `json:"tool"`
}

type custodyAttachment struct {
	Index       int    `json:"index"` // 1-based, among the message's attachments
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
}

// CustodyCopy is one place a message was found.
type CustodyCopy struct {
	Leak      string    `json:"leak"`
	Batch     string    `json:"batch,omitempty"`
	Run       uint64    `json:"run"`
	Source    string    `json:"source"`
	Member    string    `json:"member,omitempty"`
	Offset    int64     `json:"offset"`
	Part      string    `json:"part,omitempty"`
	Custodian string    `json:"custodian,omitempty"`
	Folder    string    `json:"folder,omitempty"`
	RawSHA256 string    `json:"raw_sha256"`
	Size      int64     `json:"size"`
	Ingested  time.Time `json:"ingested"`
}

type custodyWriter struct {
	buf  *bufio.Writer
	enc  *json.Encoder
	tool string
	now  time.Time
}

func newCustodyWriter(w io.Writer, tool string, now time.Time) *custodyWriter {
	buf := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &custodyWriter{buf: buf, enc: enc, tool: tool, now: now}
}

func (c *custodyWriter) add(rec *record, id string, copies []leakscope.Copy, att *custodyAttachment, withheld bool) error {
	r := CustodyRecord{Bates: rec.bates, Family: rec.begAttach + "-" + rec.endAttach, ID: id, MessageID: rec.messageID,
		Attachment: att, Native: rec.native, NativeSHA256: rec.sha256, NativeWithheld: withheld, Text: rec.text,
		Copies: make([]CustodyCopy, len(copies)), Exported: c.now, Tool: c.tool}
	for i, cp := range copies {
		r.Copies[i] = CustodyCopy{Leak: cp.Leak, Batch: cp.Batch, Run: cp.Run, Source: cp.Source, Member: cp.Member,
			Offset: cp.Offset, Part: cp.Part, Custodian: cp.Custodian, Folder: cp.Folder, RawSHA256: cp.RawSHA256,
			Size: cp.Size, Ingested: cp.Added.UTC()}
	}
	return c.enc.Encode(&r)
}

func (c *custodyWriter) flush() error { return c.buf.Flush() }
