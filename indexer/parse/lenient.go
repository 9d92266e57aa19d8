package parse

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/leakscope/leakscope"
)

// builder is the lenient reader of an entity tree, used for the messages
// go-message rejects (see readEntity). It works on offsets in one buffer.
// Delimiter lines are matched against the boundaries of all enclosing
// multiparts, innermost first, as GMime does: a nested multipart reusing
// its parent's boundary, or one whose boundary is a prefix of another, is
// read right.
type builder struct {
	buf   []byte
	tree  *tree
	stack []string // boundaries of the enclosing multiparts, innermost last
}

// entity reads the entity that starts at pos and returns it with the
// offset where it ends: the start of the delimiter line of an enclosing
// multipart, or the end of the buffer.
func (b *builder) entity(pos, depth int, defaultType string) (*entity, int) {
	b.tree.reach(depth)
	lim := b.tree.lim
	hr := readLenientHeader(b.buf, pos, b.stack, lim.MaxHeaderBytes)
	e := &entity{h: hr.h}
	if hr.cut {
		e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxHeaderBytes %d reached: header fields beyond it dropped", lim.MaxHeaderBytes))
	}
	if hr.badLine && hr.h.Len() > 0 {
		e.warn(leakscope.WarnHeader, "header ended by a line that is not a field; the rest is read as body")
	}
	e.mediaType, e.params = contentType(&e.h, defaultType, e)
	start := hr.bodyStart
	var end int
	switch {
	case strings.HasPrefix(e.mediaType, "multipart/"):
		end = b.multipart(e, start, depth)
	case isMessageType(e.mediaType) && identityEncoding(e.h.Get("Content-Transfer-Encoding")):
		if depth+1 > lim.MaxDepth {
			e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxDepth %d reached: attached message not read", lim.MaxDepth))
			e.opaque = true
			end = b.leafEnd(start)
			break
		}
		e.msg, end = b.entity(start, depth+1, "text/plain")
	default:
		end = b.leafEnd(start)
	}
	if b.tree.stopped {
		end = len(b.buf)
	}
	bodyEnd := trimBreak(b.buf, start, end)
	if start > bodyEnd {
		start = bodyEnd
	}
	e.body = b.buf[start:bodyEnd]
	if e.msg != nil {
		e.msgRaw = e.body
	}
	return e, end
}

// multipart reads the parts of e, whose body starts at start, and returns
// where e ends.
func (b *builder) multipart(e *entity, start, depth int) int {
	lim := b.tree.lim
	boundary, ok := e.params["boundary"]
	if !ok || boundary == "" {
		e.warn(leakscope.WarnMIME, "multipart without boundary read as text")
		e.mediaType = "text/plain"
		return b.leafEnd(start)
	}
	if depth+1 > lim.MaxDepth {
		e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxDepth %d reached: multipart not read", lim.MaxDepth))
		e.opaque = true
		return b.leafEnd(start)
	}
	own := len(b.stack)
	b.stack = append(b.stack, boundary)
	defer func() { b.stack = b.stack[:own] }()
	childType := "text/plain"
	if e.mediaType == "multipart/digest" {
		childType = "message/rfc822"
	}
	ls, le, k, closed := b.nextDelimiter(start)
	for {
		if b.tree.stopped {
			return len(b.buf)
		}
		if k != own {
			// End of input, or a delimiter of an enclosing multipart.
			if len(e.parts) == 0 {
				e.warn(leakscope.WarnMIME, "multipart boundary never found: read as text")
				e.mediaType = "text/plain"
			} else {
				e.warn(leakscope.WarnMIME, "multipart not closed: parts read so far kept")
			}
			return ls
		}
		if closed {
			// The epilogue runs to the next delimiter of an enclosing multipart.
			b.stack = b.stack[:own]
			return b.leafEnd(le)
		}
		if b.tree.parts >= lim.MaxParts {
			e.warn(leakscope.WarnLimit, fmt.Sprintf("MaxParts %d reached: later parts not read", lim.MaxParts))
			b.tree.stopped = true
			return len(b.buf)
		}
		b.tree.parts++
		child, next := b.entity(le, depth+1, childType)
		e.parts = append(e.parts, child)
		ls, le, k, closed = b.nextDelimiter(next)
	}
}

// leafEnd returns where a body starting at start ends: the start of the next
// delimiter line of an enclosing multipart, or the end of the buffer.
func (b *builder) leafEnd(start int) int {
	ls, _, _, _ := b.nextDelimiter(start)
	return ls
}

var nlDash = []byte("\n--")

// nextDelimiter finds the first delimiter line at or after from (which is
// at a line start). It returns the line's start and end (after its line
// break), the index in the stack of the boundary it belongs to and whether
// it is a close delimiter; k is -1 and ls the buffer's end when none is left.
func (b *builder) nextDelimiter(from int) (ls, le, k int, closed bool) {
	n := len(b.buf)
	if len(b.stack) == 0 {
		return n, n, -1, false
	}
	p := from
	for p < n {
		if b.buf[p] == '-' {
			line, next := lineAt(b.buf, p)
			if k, closed := matchStack(line, b.stack); k >= 0 {
				return p, next, k, closed
			}
		}
		i := bytes.Index(b.buf[p:], nlDash)
		if i < 0 {
			break
		}
		p += i + 1
	}
	return n, n, -1, false
}

// lineAt returns the line starting at p without its line break and trailing
// white space, and the offset of the next line.
func lineAt(buf []byte, p int) ([]byte, int) {
	end := len(buf)
	next := end
	if i := bytes.IndexByte(buf[p:], '\n'); i >= 0 {
		end = p + i
		next = end + 1
	}
	return trimRightSpace(buf[p:end]), next
}

// matchStack returns the index of the innermost boundary that line is a
// delimiter of, and whether it is a close delimiter; -1 when none.
func matchStack(line []byte, stack []string) (int, bool) {
	if len(line) < 2 || line[0] != '-' || line[1] != '-' {
		return -1, false
	}
	rest := line[2:]
	for k := len(stack) - 1; k >= 0; k-- {
		bd := stack[k]
		if len(rest) < len(bd) || string(rest[:len(bd)]) != bd {
			continue
		}
		tail := trimRightSpace(rest[len(bd):])
		switch {
		case len(tail) == 0:
			return k, false
		case len(tail) == 2 && tail[0] == '-' && tail[1] == '-':
			return k, true
		}
	}
	return -1, false
}

// trimBreak returns end moved back over the line break that belongs to the
// delimiter line starting at end (never before start).
func trimBreak(buf []byte, start, end int) int {
	if end >= len(buf) || end <= start {
		return end
	}
	if buf[end-1] == '\n' {
		end--
		if end > start && buf[end-1] == '\r' {
			end--
		}
	}
	return end
}
