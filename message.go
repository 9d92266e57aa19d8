package leakscope

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Collection says which body of mail a message belongs to.
type Collection string

const (
	// CollectionLeak is published (stolen) mail, indexed with `leakscope index`.
	CollectionLeak Collection = "leak"
	// CollectionReference is the company's own archive, used for matching only.
	CollectionReference Collection = "reference"
)

// How a message's date was derived (Message.DateSource).
const (
	DateFromHeader   = "date"      // the Date header parsed as written (possibly a broken form)
	DateFromReceived = "received"  // the newest Received header's timestamp
	DateFromLine     = "from_line" // the mbox From_ line
	DateNone         = "none"      // nothing usable; Date is the zero time
)

// Message is one unique message: one Message-ID with one content, however
// many copies of it were found. Its ID is derived from the Message-ID and the
// content fingerprint (see MessageKey), so it does not depend on ingest order.
type Message struct {
	ID         string     `json:"id"`
	MessageID  string     `json:"message_id,omitempty"` // without angle brackets, as written
	Collection Collection `json:"collection"`

	Date       time.Time `json:"date"`                  // UTC; zero when unknown
	DateSource string    `json:"date_source,omitempty"` // one of the DateFrom* constants
	DateRaw    string    `json:"date_raw,omitempty"`    // the Date header as written

	From    Address   `json:"from"`
	Sender  *Address  `json:"sender,omitempty"`
	ReplyTo []Address `json:"reply_to,omitempty"`
	To      []Address `json:"to,omitempty"`
	Cc      []Address `json:"cc,omitempty"`
	Bcc     []Address `json:"bcc,omitempty"`
	Subject string    `json:"subject"`

	InReplyTo  string   `json:"in_reply_to,omitempty"`
	References []string `json:"references,omitempty"`
	ThreadID   string   `json:"thread_id,omitempty"`

	Size        int64        `json:"size"` // bytes of the original
	Attachments []Attachment `json:"attachments,omitempty"`
	ParentID    string       `json:"parent_id,omitempty"` // set for a message/rfc822 part

	// ContentHash is the fingerprint of the content (see Fingerprint); messages
	// with equal ContentHash and different Message-IDs are duplicates.
	ContentHash string `json:"content_hash"`
	// IDConflict is set when another message with different content has the
	// same Message-ID.
	IDConflict bool `json:"id_conflict,omitempty"`

	Warnings []Warning `json:"warnings,omitempty"`
	Flags    []Flag    `json:"flags,omitempty"`
	Risk     float64   `json:"risk,omitempty"`
}

// Recipients returns To, Cc and Bcc in that order.
func (m *Message) Recipients() []Address {
	out := make([]Address, 0, len(m.To)+len(m.Cc)+len(m.Bcc))
	out = append(out, m.To...)
	out = append(out, m.Cc...)
	return append(out, m.Bcc...)
}

// Attachment describes one attached (or inline, named) part.
type Attachment struct {
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"` // decoded bytes
	SHA256      string `json:"sha256"`
	Inline      bool   `json:"inline,omitempty"`
	// HasText is set when text was extracted from the attachment.
	HasText bool `json:"has_text,omitempty"`
	// MessageID is our ID of the attached message for message/rfc822 parts.
	MessageID string `json:"message,omitempty"`
}

// Warning is a problem met while reading a message that did not stop it
// from being indexed: an unknown charset, a broken boundary, a limit hit.
type Warning struct {
	Code   string `json:"code"`   // stable, e.g. "charset", "date", "limit", "mime"
	Detail string `json:"detail"` // human-readable, never holds message content
}

// Warning codes.
const (
	WarnCharset  = "charset"
	WarnDate     = "date"
	WarnMIME     = "mime"
	WarnEncoding = "encoding"
	WarnAddress  = "address"
	WarnLimit    = "limit"
	WarnHeader   = "header"
	WarnExtract  = "extract"
	WarnMbox     = "mbox"
	// WarnTextLost is not found while parsing: the store gives it to a
	// message whose stored text damage made unreadable (see `leakscope
	// verify`); its document then has no text, and its flags are kept.
	WarnTextLost = "text_lost"
)

// Text is the text extracted from a message: what full-text search,
// snippets, detection and matching read.
type Text struct {
	Body        string           `json:"body"`
	Attachments []AttachmentText `json:"attachments,omitempty"`
}

// AttachmentText is the text extracted from one attachment.
type AttachmentText struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Document is everything the search index needs about one message.
type Document struct {
	Message *Message
	Text    *Text
	Copies  []Copy
	Tags    []string // names of the message's review tags
}

// NormalizeMessageID trims white space and angle brackets from a Message-ID
// header value and returns the first id in it.
func NormalizeMessageID(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			// White space inside the brackets comes from folding or sloppy
			// writers ("<id@ host >"); it is never part of the id.
			return strings.Join(strings.Fields(s[i+1:i+j]), "")
		}
		s = s[i+1:]
	}
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[0], "<>")
	}
	return ""
}

// MessageKey returns a message's stable ID: a hash of its lower-cased
// Message-ID and its content fingerprint. A message without Message-ID is
// identified by its content alone.
func MessageKey(messageID, contentHash string) string {
	h := sha256.New()
	h.Write([]byte(strings.ToLower(messageID)))
	h.Write([]byte{0})
	h.Write([]byte(contentHash))
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// Fingerprint hashes what makes two copies the same message regardless of
// transport: sender, Date header, subject, body text and attachment hashes,
// with white space collapsed. Recipients are left out on purpose: the
// sender's copy lists Bcc recipients that the receivers' copies do not.
func Fingerprint(from, dateRaw, subject, body string, attachmentSHA256 []string) string {
	h := sha256.New()
	for _, s := range []string{strings.ToLower(from), dateRaw, subject, body} {
		writeCollapsed(h, s)
		h.Write([]byte{0})
	}
	for _, a := range attachmentSHA256 {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeCollapsed writes s with runs of white space turned into one space and
// leading and trailing white space removed. Words made of '>' characters
// followed by "From" lose the '>'s: mbox writers escape "From " at the start
// of a body line and not every reader unescapes it.
func writeCollapsed(w interface{ Write([]byte) (int, error) }, s string) {
	for i, f := range strings.Fields(s) {
		if i > 0 {
			w.Write([]byte{' '})
		}
		if strings.HasSuffix(f, "From") && strings.Trim(f[:len(f)-4], ">") == "" {
			f = "From"
		}
		w.Write([]byte(f))
	}
}
