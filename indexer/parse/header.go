package parse

import (
	"bytes"
)

// field is one header field. name and raw alias the message bytes; raw is
// the value as written, folding included (folded is set when it spans lines).
type field struct {
	name   []byte
	raw    []byte
	folded bool
}

// value returns the field value with folding removed: each line trimmed and
// the lines joined with one space.
func (f *field) value() []byte {
	if !f.folded {
		return f.raw
	}
	out := make([]byte, 0, len(f.raw))
	rest := f.raw
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.Trim(line, " \t\r")
		if len(line) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, line...)
	}
	return out
}

// header is the fields of one header block in the order written.
type header []field

// get returns the unfolded value of the first field called name (ASCII
// case-insensitive), or nil.
func (h header) get(name string) []byte {
	for i := range h {
		if equalFold(h[i].name, name) {
			return h[i].value()
		}
	}
	return nil
}

// has reports whether a field called name is present.
func (h header) has(name string) bool {
	for i := range h {
		if equalFold(h[i].name, name) {
			return true
		}
	}
	return false
}

// count returns how many fields are called name.
func (h header) count(name string) int {
	n := 0
	for i := range h {
		if equalFold(h[i].name, name) {
			n++
		}
	}
	return n
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if c == d {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// headerResult is what readHeader found.
type headerResult struct {
	h         header
	bodyStart int  // offset of the body (after the blank line, or at the line that ended the header)
	badLine   bool // the header ended at a line that is not a field
	cut       bool // the header was longer than the limit
}

// readHeader reads header fields from buf[pos:]. The header ends at a blank
// line, at a line that is not a field (kept as the first body line, as
// Python's email package does), at a delimiter line of an enclosing
// multipart, or at the end of buf. Fields past max bytes are dropped.
func readHeader(buf []byte, pos int, stack []string, max int) headerResult {
	r := headerResult{h: make(header, 0, 16)}
	i := pos
	valStart := 0 // offset of the value of the last field
	for i < len(buf) {
		next := len(buf)
		end := next
		if nl := bytes.IndexByte(buf[i:], '\n'); nl >= 0 {
			end = i + nl
			next = end + 1
		}
		line := buf[i:end]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			r.bodyStart = next
			return r
		}
		if len(stack) > 0 && line[0] == '-' {
			if k, _ := matchStack(line, stack); k >= 0 {
				r.bodyStart = i
				return r
			}
		}
		if line[0] == ' ' || line[0] == '\t' {
			// Continuation: extends the previous field; ignored at the start.
			if n := len(r.h); n > 0 && !r.cut {
				f := &r.h[n-1]
				f.raw = trimSpace(buf[valStart:end])
				f.folded = true
			}
			i = next
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !validName(line[:colon]) {
			r.badLine = true
			r.bodyStart = i
			return r
		}
		if i+len(line)-pos > max {
			r.cut = true
		}
		if !r.cut {
			valStart = i + colon + 1
			r.h = append(r.h, field{
				name: trimRightSpace(line[:colon]),
				raw:  trimSpace(line[colon+1:]),
			})
		}
		i = next
	}
	r.bodyStart = len(buf)
	return r
}

// validName reports whether b is a field name, allowing trailing white
// space before the colon as seen in the wild.
func validName(b []byte) bool {
	b = trimRightSpace(b)
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpace(b []byte) []byte {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return trimRightSpace(b[i:])
}

func trimRightSpace(b []byte) []byte {
	n := len(b)
	for n > 0 && isSpace(b[n-1]) {
		n--
	}
	return b[:n]
}
