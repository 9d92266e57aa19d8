package parse

import (
	"bytes"
	"fmt"

	"github.com/leakscope/leakscope"
)

// Options configure Parse. The zero value works.
type Options struct {
	// Collection is stored on every message read. Default leakscope.CollectionLeak.
	Collection leakscope.Collection
	// Limits bound the work done on one message. Zero fields take their defaults.
	Limits Limits
}

// Limits bound what one raw message may cost. Each limit hit is a "limit"
// warning naming the limit and its value; nothing is ever a crash.
type Limits struct {
	// MaxHeaderBytes bounds one header block (of the message or of a part).
	// Fields beyond it are dropped. Default 1 MiB.
	MaxHeaderBytes int
	// MaxParts bounds the MIME parts of a message, attached messages and
	// their parts included. Parts beyond it are not read. Default 1000.
	MaxParts int
	// MaxDepth bounds nesting of multiparts and attached messages. Deeper
	// entities are kept as opaque attachments. Default 32.
	MaxDepth int
	// MaxPartBytes bounds the decoded bytes of one part; the rest is cut.
	// Default 64 MiB.
	MaxPartBytes int64
	// MaxTextBytes bounds the text extracted from one message, body and
	// attachments together; the rest is cut. Default 16 MiB.
	MaxTextBytes int
}

// Defaults of Limits.
const (
	DefaultMaxHeaderBytes       = 1 << 20
	DefaultMaxParts             = 1000
	DefaultMaxDepth             = 32
	DefaultMaxPartBytes   int64 = 64 << 20
	DefaultMaxTextBytes         = 16 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = DefaultMaxPartBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	return l
}

// Parsed is a message read from raw bytes, with the messages attached to it
// (message/rfc822 parts).
type Parsed struct {
	// Message has ID, MessageID, ContentHash, dates, addresses, subject,
	// references, Size, Attachments, Warnings and Collection set.
	Message leakscope.Message
	// Text is the extracted body and attachment text.
	Text leakscope.Text
	// Raw is the bytes this message was parsed from: the input for the top
	// message, the part's decoded body for an attached message.
	Raw []byte
	// Part is the IMAP-style MIME path of an attached message counted from
	// the top message ("2", "2.1", "2.1.3"); "" for the top message.
	Part string
	// Attached are the messages attached to this one, in MIME order.
	Attached []*Parsed

	// parts and depth are what reading the tree cost (for tests): MIME
	// entities read under this message and the deepest nesting met.
	parts, depth int
}

// Parse reads one message. fromLine is the mbox From_ line (without
// "From "), or "", used as a date fallback. It returns an error (wrapping
// leakscope.ErrInvalidInput) only when raw is not a mail message at all (no
// header field can be read); every other problem becomes a Warning on the
// message. Parse never panics and keeps memory proportional to raw.
func Parse(raw []byte, fromLine string, opts Options) (*Parsed, error) {
	lim := opts.Limits.withDefaults()
	coll := opts.Collection
	if coll == "" {
		coll = leakscope.CollectionLeak
	}
	start, skipped := skipPreamble(raw)
	t := &tree{lim: lim}
	top := readEntity(raw[start:], 0, t)
	if top.h.Len() == 0 {
		return nil, fmt.Errorf("parse message: no header field found: %w", leakscope.ErrInvalidInput)
	}
	if skipped != "" {
		top.warn(leakscope.WarnHeader, skipped)
	}
	w := &walker{lim: lim, tree: t, coll: coll}
	p := w.message(top, raw, "", 0, fromLine)
	p.parts, p.depth = t.parts, t.maxDepth
	return p, nil
}

// skipPreamble skips what may precede the header of a stored message: a
// UTF-8 byte order mark, blank lines and an mbox "From " line left in place.
func skipPreamble(raw []byte) (int, string) {
	i := 0
	var what string
	if len(raw) >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF {
		i = 3
	}
	for i < len(raw) && (raw[i] == '\n' || raw[i] == '\r') {
		i++
		what = "blank lines before the header skipped"
	}
	if (hasPrefixAt(raw, i, "From ") || hasPrefixAt(raw, i, ">From ")) && !isFromField(raw[i:]) {
		if nl := indexByteFrom(raw, i, '\n'); nl >= 0 {
			i = nl + 1
			what = "mbox From_ line before the header skipped"
		}
	}
	return i, what
}

// isFromField reports whether b starts with a From header field written
// with white space before the colon ("From : a@b", RFC 5322 obsolete
// syntax) rather than an mbox From_ line.
func isFromField(b []byte) bool {
	b = b[len("From"):]
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return len(b) > 0 && b[0] == ':'
}

func hasPrefixAt(b []byte, i int, p string) bool {
	return len(b)-i >= len(p) && string(b[i:i+len(p)]) == p
}

func indexByteFrom(b []byte, from int, c byte) int {
	if from >= len(b) {
		return -1
	}
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return -1
}
