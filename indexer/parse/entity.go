package parse

import (
	"strings"

	message "github.com/emersion/go-message"
	"github.com/leakscope/leakscope"
)

// tree is shared by all the entities read for one top message, attached
// messages included, so that limits hold for the whole tree.
type tree struct {
	lim      Limits
	parts    int  // entities read below the top message
	maxDepth int  // deepest nesting met
	stopped  bool // MaxParts was reached: nothing more is read
}

func (t *tree) reach(depth int) {
	if depth > t.maxDepth {
		t.maxDepth = depth
	}
}

// entity is one MIME entity: a message or a body part.
type entity struct {
	h         message.Header
	mediaType string // lower-case type/subtype, defaulted when missing
	params    map[string]string
	body      []byte    // still transfer-encoded; a multipart's whole body
	parts     []*entity // children of a multipart
	msg       *entity   // a message/rfc822 body read in place by the lenient reader
	msgRaw    []byte    // the bytes msg was read from
	opaque    bool      // a container left unread because of a limit
	warns     []leakscope.Warning
}

func (e *entity) warn(code, detail string) {
	e.warns = append(e.warns, leakscope.Warning{Code: code, Detail: detail})
}

// readEntity reads the message in buf (a top message or an attached one)
// at nesting depth. go-message reads it when it can (readStrict); when
// go-message rejects the header or the MIME structure, the whole message
// is read again by the lenient reader, with a warning saying why unless the
// lenient reader left one of its own.
func readEntity(buf []byte, depth int, t *tree) *entity {
	saved := *t
	e, err := readStrict(buf, depth, t)
	if err == nil {
		return e
	}
	*t = saved
	b := &builder{buf: buf, tree: t}
	e, _ = b.entity(0, depth, "text/plain")
	if e.h.Len() > 0 && !hasWarnings(e) {
		e.warn(fallbackCode(err), fallbackDetail(err))
	}
	return e
}

// hasWarnings reports whether reading e or an entity below it left a
// warning: the lenient reader names most problems go-message rejects.
func hasWarnings(e *entity) bool {
	if len(e.warns) > 0 || e.msg != nil && hasWarnings(e.msg) {
		return true
	}
	for _, p := range e.parts {
		if hasWarnings(p) {
			return true
		}
	}
	return false
}

// contentType returns the media type and parameters of a header, with the
// defaults of RFC 2045 for missing or broken values. go-message reads the
// field (mime.ParseMediaType with RFC 2231 and RFC 2047 values); the lenient
// parameter reader takes over when it fails, and fills in the RFC 2231
// parameters that mime.ParseMediaType drops (charsets other than UTF-8 and
// US-ASCII).
func contentType(h *message.Header, defaultType string, e *entity) (string, map[string]string) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		return defaultType, nil
	}
	mt, ps := parseField(v, h.ContentType)
	if mt == "" {
		return defaultType, ps
	}
	if !strings.Contains(mt, "/") {
		switch mt {
		case "text", "plain":
			mt = "text/plain"
		case "multipart":
			mt = "multipart/mixed"
		case "html":
			mt = "text/html"
		default:
			mt = "application/octet-stream"
		}
		e.warn(leakscope.WarnMIME, "Content-Type without subtype read as "+mt)
	}
	return mt, ps
}

func isMessageType(mt string) bool {
	return mt == "message/rfc822" || mt == "message/global" || mt == "message/news"
}
