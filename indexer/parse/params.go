package parse

import (
	"sort"
	"strconv"
	"strings"
)

// param is one parameter of a Content-Type or Content-Disposition field.
type param struct {
	key   string // lower-case
	value string // unquoted; RFC 2231 values are decoded to UTF-8
}

type params []param

// get returns the value of the parameter key (lower-case).
func (ps params) get(key string) (string, bool) {
	for _, p := range ps {
		if p.key == key {
			return p.value, true
		}
	}
	return "", false
}

// section is one piece of an RFC 2231 parameter (name*0*=, name*1=, ...).
type section struct {
	key     string
	n       int
	encoded bool
	value   string
}

// maxSections bounds the RFC 2231 continuations read per field.
const maxSections = 256

// parseParams reads a field like `text/plain; charset="utf-8"` leniently:
// unquoted values may hold spaces, a missing closing quote ends at the
// field's end, a parameter without '=' is skipped. It returns the lower-case
// value before the first ';' and the parameters, with RFC 2231 extended and
// continued parameters joined and decoded. Later duplicates are ignored.
func parseParams(v []byte) (string, params) {
	s := string(v)
	rest := ""
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s, rest = s[:i], s[i+1:]
	}
	value := strings.ToLower(strings.TrimSpace(stripComment(s)))
	var ps params
	var secs []section
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t\r\n;")
		eq := strings.IndexAny(rest, "=;")
		if eq < 0 {
			break
		}
		if rest[eq] == ';' {
			rest = rest[eq+1:]
			continue
		}
		key := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t\r\n")
		var val string
		if strings.HasPrefix(rest, `"`) {
			val, rest = quoted(rest)
		} else {
			end := strings.IndexByte(rest, ';')
			if end < 0 {
				end = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		if key == "" {
			continue
		}
		if star := strings.IndexByte(key, '*'); star >= 0 {
			if len(secs) < maxSections {
				secs = append(secs, newSection(key, star, val))
			}
			continue
		}
		if _, dup := ps.get(key); !dup {
			ps = append(ps, param{key: key, value: val})
		}
	}
	if len(secs) > 0 {
		ps = joinSections(ps, secs)
	}
	return value, ps
}

// quoted reads a quoted string at the start of s and returns its content
// and the rest after the closing quote (or "" when it never closes).
func quoted(s string) (string, string) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// stripComment removes a trailing "(comment)" from a media type.
func stripComment(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		return s[:i]
	}
	return s
}

func newSection(key string, star int, val string) section {
	sec := section{key: key[:star]}
	tail := key[star+1:]
	if strings.HasSuffix(tail, "*") {
		sec.encoded = true
		tail = tail[:len(tail)-1]
	}
	if tail == "" {
		sec.encoded = true // name*=...
	} else if n, err := strconv.Atoi(tail); err == nil && n >= 0 {
		sec.n = n
	} else {
		sec.n = maxSections // unreadable index: put last
	}
	sec.value = val
	return sec
}

// joinSections decodes RFC 2231 parameters and sets them in ps, replacing a
// plain parameter of the same name.
func joinSections(ps params, secs []section) params {
	sort.SliceStable(secs, func(i, j int) bool {
		if secs[i].key != secs[j].key {
			return secs[i].key < secs[j].key
		}
		return secs[i].n < secs[j].n
	})
	for i := 0; i < len(secs); {
		j := i
		var raw []byte
		cs := ""
		for ; j < len(secs) && secs[j].key == secs[i].key; j++ {
			v := secs[j].value
			if !secs[j].encoded {
				raw = append(raw, v...)
				continue
			}
			if j == i {
				// charset'language'value
				if q := strings.IndexByte(v, '\''); q >= 0 {
					cs = v[:q]
					v = v[q+1:]
					if q2 := strings.IndexByte(v, '\''); q2 >= 0 {
						v = v[q2+1:]
					}
				}
			}
			raw = appendPercentDecoded(raw, v)
		}
		val, _ := decodeCharset(cs, raw)
		key := secs[i].key
		replaced := false
		for k := range ps {
			if ps[k].key == key {
				ps[k].value = val
				replaced = true
			}
		}
		if !replaced {
			ps = append(ps, param{key: key, value: val})
		}
		i = j
	}
	return ps
}

func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
