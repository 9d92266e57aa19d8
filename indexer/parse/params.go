package parse

import (
	"sort"
	"strconv"
	"strings"
)

// parseField reads a Content-Type or Content-Disposition value v: the
// lower-case value before the first ';' and the parameters by lower-case
// name. go-message reads it first (goMessage is Header.ContentType or
// Header.ContentDisposition: mime.ParseMediaType, RFC 2231 continuations,
// RFC 2047 words in values). When it fails, the lenient reader reads v;
// when it succeeds, the lenient reader only supplies the RFC 2231
// parameters in a charset other than UTF-8 and US-ASCII, which
// mime.ParseMediaType drops or cuts (it keeps only the sections after an
// undecodable first one).
func parseField(v string, goMessage func() (string, map[string]string, error)) (string, map[string]string) {
	mt, ps, err := goMessage()
	if err != nil {
		mt, ps, _ = parseParams(v)
		return mt, ps
	}
	if strings.IndexByte(v, '*') >= 0 {
		_, lps, foreign := parseParams(v)
		for _, k := range foreign {
			if ps == nil {
				ps = map[string]string{}
			}
			ps[k] = lps[k]
		}
	}
	return mt, ps
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

// parseParams reads a field like `text/plain; charset="utf-8"` leniently
// (the fallback of parseField): unquoted values may hold spaces, a missing
// closing quote ends at the field's end, a parameter without '=' is
// skipped. It returns the lower-case value before the first ';', the
// parameters, with RFC 2231 extended and continued parameters joined and
// decoded (later duplicates are ignored), and the names of the RFC 2231
// parameters in a charset other than UTF-8 and US-ASCII.
func parseParams(s string) (string, map[string]string, []string) {
	rest := ""
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s, rest = s[:i], s[i+1:]
	}
	value := strings.ToLower(strings.TrimSpace(stripComment(s)))
	var ps map[string]string
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
		if _, dup := ps[key]; !dup {
			if ps == nil {
				ps = map[string]string{}
			}
			ps[key] = val
		}
	}
	var foreign []string
	if len(secs) > 0 {
		ps, foreign = joinSections(ps, secs)
	}
	return value, ps, foreign
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
// It returns the names of those in a charset other than UTF-8 and US-ASCII
// (or none).
func joinSections(ps map[string]string, secs []section) (map[string]string, []string) {
	var foreign []string
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
		if ps == nil {
			ps = map[string]string{}
		}
		ps[secs[i].key] = val
		if c := normalizeLabel(cs); c != "utf-8" && c != "us-ascii" {
			foreign = append(foreign, secs[i].key)
		}
		i = j
	}
	return ps, foreign
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
