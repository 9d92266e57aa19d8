package parse

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope"
)

// maxWarnings bounds the warnings kept on one message.
const maxWarnings = 64

// walker turns entity trees into Parsed messages.
type walker struct {
	lim  Limits
	tree *tree
	coll leakscope.Collection
}

// msgState collects one message while its tree is walked.
type msgState struct {
	w        *walker
	msg      leakscope.Message
	body     []string
	text     leakscope.Text
	atts     []leakscope.Attachment
	attached []*Parsed
	textUsed int
	textCut  bool
}

func (ms *msgState) warn(code, detail string) {
	list := ms.msg.Warnings
	for _, w := range list {
		if w.Code == code && w.Detail == detail {
			return
		}
	}
	switch {
	case len(list) < maxWarnings:
		ms.msg.Warnings = append(list, leakscope.Warning{Code: code, Detail: detail})
	case len(list) == maxWarnings:
		ms.msg.Warnings = append(list, leakscope.Warning{Code: leakscope.WarnLimit, Detail: fmt.Sprintf("more than %d warnings: later ones dropped", maxWarnings)})
	}
}

// textLeft returns how many bytes of text the message may still take.
func (ms *msgState) textLeft() int { return max(ms.w.lim.MaxTextBytes-ms.textUsed, 0) }

// addText charges s to the message's text budget and returns what fits.
func (ms *msgState) addText(s string) string {
	if s == "" {
		return ""
	}
	left := ms.textLeft()
	if len(s) > left {
		s = cutUTF8(s, left)
		if !ms.textCut {
			ms.textCut = true
			ms.warn(leakscope.WarnLimit, fmt.Sprintf("MaxTextBytes %d reached: text cut", ms.w.lim.MaxTextBytes))
		}
	}
	ms.textUsed += len(s)
	return s
}

// message builds the Parsed message of entity e, read from raw. part is
// its MIME path, depth its nesting level, fromLine the mbox From_ line of
// a top message.
func (w *walker) message(e *entity, raw []byte, part string, depth int, fromLine string) *Parsed {
	ms := &msgState{w: w}
	ms.msg.Collection = w.coll
	ms.msg.Size = int64(len(raw))
	ms.headers(&e.h, fromLine)
	if strings.HasPrefix(e.mediaType, "multipart/") && !e.opaque {
		ms.multipart(e, part, depth, true)
	} else {
		ms.entity(e, childPath(part, 1), depth, true)
	}
	body := strings.Join(ms.body, "\n\n")
	ms.text.Body = body
	ms.msg.Attachments = ms.atts
	shas := make([]string, len(ms.atts))
	for i, a := range ms.atts {
		shas[i] = a.SHA256
	}
	from := ms.msg.From.Email
	if from == "" {
		from = ms.msg.From.Raw
	}
	ms.msg.ContentHash = leakscope.Fingerprint(from, ms.msg.DateRaw, ms.msg.Subject, body, shas)
	ms.msg.ID = leakscope.MessageKey(ms.msg.MessageID, ms.msg.ContentHash)
	for _, c := range ms.attached {
		c.Message.ParentID = ms.msg.ID
	}
	return &Parsed{Message: ms.msg, Text: ms.text, Raw: raw, Part: part, Attached: ms.attached}
}

func childPath(prefix string, i int) string {
	if prefix == "" {
		return strconv.Itoa(i)
	}
	return prefix + "." + strconv.Itoa(i)
}

// takeWarnings moves the warnings met while reading e onto the message.
func (ms *msgState) takeWarnings(e *entity) {
	for _, wn := range e.warns {
		ms.warn(wn.Code, wn.Detail)
	}
}

// multipart walks the children of e, whose own path is prefix. text says
// whether text parts may go to the body (false for the alternatives that
// were not chosen).
func (ms *msgState) multipart(e *entity, prefix string, depth int, text bool) {
	ms.takeWarnings(e)
	chosen := -1
	if e.mediaType == "multipart/alternative" && text {
		chosen = chooseAlternative(e.parts)
	}
	for i, c := range e.parts {
		t := text && (chosen < 0 || i == chosen)
		ms.entity(c, childPath(prefix, i+1), depth+1, t)
	}
}

// entity walks one part at path.
func (ms *msgState) entity(e *entity, path string, depth int, text bool) {
	if strings.HasPrefix(e.mediaType, "multipart/") && !e.opaque {
		ms.multipart(e, path, depth, text)
		return
	}
	ms.takeWarnings(e)
	disp, name := disposition(e, ms)
	switch {
	case isMessageType(e.mediaType):
		ms.attachedMessage(e, path, depth, disp, name)
	case e.opaque || disp == "attachment" || name != "" || !isBodyType(e.mediaType):
		ms.attachment(e, disp, name)
	case text:
		data := decodeBody(e, ms.w.lim.MaxPartBytes, ms)
		if s := ms.addText(ms.partText(e, data)); s != "" {
			ms.body = append(ms.body, s)
		}
	}
}

// chooseAlternative picks the part of a multipart/alternative whose text
// is the body: the first non-empty text/plain, else the last HTML or
// multipart, else the last enriched text, else the last part.
func chooseAlternative(parts []*entity) int {
	best, score := len(parts)-1, 0
	for i, p := range parts {
		s := 0
		switch {
		case p.mediaType == "text/plain" && len(bytes.TrimSpace(p.body)) > 0:
			return i
		case p.mediaType == "text/html", strings.HasPrefix(p.mediaType, "multipart/"):
			s = 2
		case p.mediaType == "text/enriched" || p.mediaType == "text/richtext":
			s = 1
		}
		if s >= score && s > 0 {
			best, score = i, s
		}
	}
	return best
}

// partText converts a decoded text part to clean UTF-8 text according to
// its type and charset.
func (ms *msgState) partText(e *entity, data []byte) string {
	label, hasCharset := e.params["charset"]
	if !hasCharset && e.mediaType == "text/html" {
		label = metaCharset(data)
	}
	s, known := decodeCharset(label, data)
	if !known {
		ms.warn(leakscope.WarnCharset, fmt.Sprintf("unknown charset %q: read as UTF-8 or Windows-1252", normalizeLabel(label)))
	}
	switch e.mediaType {
	case "text/html":
		s = htmlToText(s)
	case "text/enriched":
		s = enrichedToText(s, true)
	case "text/richtext":
		s = enrichedToText(s, false)
	case "text/plain":
		if strings.EqualFold(e.params["format"], "flowed") {
			d := e.params["delsp"]
			s = unflow(s, strings.EqualFold(d, "yes"))
		}
	}
	return cleanText(s)
}

// metaCharset finds the charset an HTML document declares in a meta tag.
func metaCharset(data []byte) string {
	head := data[:min(len(data), 2048)]
	i := bytes.Index(bytes.ToLower(head), []byte("charset="))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(head[i+len("charset="):], `"' `)
	end := bytes.IndexAny(rest, "\"'; />")
	if end < 0 {
		return ""
	}
	return string(rest[:end])
}

// attachedMessage reads a message/rfc822 part as a message of its own and
// records it as an attachment of this one.
func (ms *msgState) attachedMessage(e *entity, path string, depth int, disp, name string) {
	var child *entity
	var raw []byte
	switch {
	case e.msg != nil:
		child, raw = e.msg, e.msgRaw
	case e.opaque:
	case depth+1 > ms.w.lim.MaxDepth:
		ms.warn(leakscope.WarnLimit, fmt.Sprintf("MaxDepth %d reached: attached message not read", ms.w.lim.MaxDepth))
	case ms.w.tree.stopped:
	default:
		raw = decodeBody(e, ms.w.lim.MaxPartBytes, ms)
		child = readEntity(raw, depth+1, ms.w.tree)
	}
	if raw == nil {
		raw = e.body
	}
	sum := sha256.Sum256(raw)
	a := leakscope.Attachment{
		Name:        name,
		ContentType: e.mediaType,
		Size:        int64(len(raw)),
		SHA256:      hex.EncodeToString(sum[:]),
		Inline:      disp == "inline",
	}
	if child != nil {
		if child.h.Len() == 0 {
			child.warn(leakscope.WarnHeader, "attached message has no header field")
		}
		p := ms.w.message(child, raw, path, depth+1, "")
		a.MessageID = p.Message.ID
		ms.attached = append(ms.attached, p)
	}
	ms.atts = append(ms.atts, a)
}
