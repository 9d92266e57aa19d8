package detect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// value is one value read from a rule file, with the line it starts on.
type value struct {
	line  int
	kind  valueKind
	str   string
	num   float64
	isInt bool
	b     bool
	list  []value
}

type valueKind int

const (
	kindString valueKind = iota + 1
	kindPlain            // a YAML plain scalar: a string, number or boolean by context
	kindNumber
	kindBool
	kindList
)

// record is one [[rule]] table (TOML) or sequence item (YAML).
type record struct {
	line   int
	fields map[string]value
	keys   []string // in file order
}

// tomlParser reads the subset of TOML the package documents: [[rule]]
// tables, bare keys, strings (basic, literal, multi-line), integers,
// floats, booleans, arrays and comments.
type tomlParser struct {
	file string
	src  string
	pos  int
	line int
}

func parseTOML(file string, src string) ([]record, error) {
	p := &tomlParser{file: file, src: src, line: 1}
	var recs []record
	for {
		p.skipBlank()
		if p.pos >= len(p.src) {
			return recs, nil
		}
		switch {
		case strings.HasPrefix(p.src[p.pos:], "[["):
			end := strings.Index(p.src[p.pos:], "]]")
			nl := strings.IndexByte(p.src[p.pos:], '\n')
			if end < 0 || nl >= 0 && nl < end {
				return nil, p.errf("unterminated table header")
			}
			name := strings.TrimSpace(p.src[p.pos+2 : p.pos+end])
			if name != "rule" {
				return nil, p.errf("unknown table [[%s]] (only [[rule]] is allowed)", name)
			}
			recs = append(recs, record{line: p.line, fields: map[string]value{}})
			p.pos += end + 2
			if err := p.endOfLine(); err != nil {
				return nil, err
			}
		case p.src[p.pos] == '[':
			return nil, p.errf("tables other than [[rule]] are not supported")
		default:
			keyLine := p.line
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.pos >= len(p.src) || p.src[p.pos] != '=' {
				return nil, p.errf("expected '=' after key %q", key)
			}
			p.pos++
			p.skipSpace()
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			if err := p.endOfLine(); err != nil {
				return nil, err
			}
			if len(recs) == 0 {
				return nil, &RuleError{File: p.file, Line: keyLine, Msg: "key " + strconv.Quote(key) + " outside a [[rule]] table"}
			}
			r := &recs[len(recs)-1]
			if _, dup := r.fields[key]; dup {
				return nil, &RuleError{File: p.file, Line: keyLine, Msg: "duplicate key " + strconv.Quote(key)}
			}
			v.line = keyLine
			r.fields[key] = v
			r.keys = append(r.keys, key)
		}
	}
}

func (p *tomlParser) errf(format string, args ...any) error {
	return &RuleError{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// skipSpace skips spaces and tabs.
func (p *tomlParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// skipBlank skips white space, newlines and comments.
func (p *tomlParser) skipBlank() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '\n':
			p.pos++
			p.line++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// endOfLine accepts trailing spaces and a comment before a newline or EOF.
func (p *tomlParser) endOfLine() error {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '#' {
		for p.pos < len(p.src) && p.src[p.pos] != '\n' {
			p.pos++
		}
	}
	if p.pos < len(p.src) && p.src[p.pos] == '\r' {
		p.pos++
	}
	if p.pos < len(p.src) && p.src[p.pos] != '\n' {
		return p.errf("unexpected %q after value (one key = value per line)", string(p.src[p.pos]))
	}
	return nil
}

func (p *tomlParser) key() (string, error) {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !(isAlnum(c) || c == '_' || c == '-') {
			break
		}
		p.pos++
	}
	if p.pos == start {
		return "", p.errf("expected a key (letters, digits, '_' or '-')")
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		return "", p.errf("dotted keys are not supported")
	}
	return p.src[start:p.pos], nil
}

func (p *tomlParser) value() (value, error) {
	v := value{line: p.line}
	if p.pos >= len(p.src) {
		return v, p.errf("missing value")
	}
	rest := p.src[p.pos:]
	switch {
	case strings.HasPrefix(rest, `"""`), strings.HasPrefix(rest, `'''`):
		s, err := p.multiline(rest[:3])
		v.kind, v.str = kindString, s
		return v, err
	case rest[0] == '"' || rest[0] == '\'':
		s, err := p.singleLine(rest[0])
		v.kind, v.str = kindString, s
		return v, err
	case rest[0] == '[':
		return p.array()
	case rest[0] == '{':
		return v, p.errf("inline tables are not supported")
	case strings.HasPrefix(rest, "true") && !continuesBare(rest, 4):
		p.pos += 4
		v.kind, v.b = kindBool, true
		return v, nil
	case strings.HasPrefix(rest, "false") && !continuesBare(rest, 5):
		p.pos += 5
		v.kind = kindBool
		return v, nil
	}
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte("+-_.eE0123456789", p.src[p.pos]) >= 0 {
		p.pos++
	}
	tok := p.src[start:p.pos]
	n, isInt, ok := parseNumber(tok)
	if !ok || p.pos < len(p.src) && (isAlnum(p.src[p.pos]) || p.src[p.pos] == ':') {
		p.pos = start
		return v, p.errf("invalid value (strings need quotes; numbers, true and false do not)")
	}
	v.kind, v.num, v.isInt = kindNumber, n, isInt
	return v, nil
}

func continuesBare(s string, i int) bool { return i < len(s) && (isAlnum(s[i]) || s[i] == '_') }

// parseNumber reads a TOML integer or float (underscores between digits
// allowed).
func parseNumber(tok string) (float64, bool, bool) {
	if tok == "" || strings.Contains(tok, "__") || strings.HasPrefix(tok, "_") || strings.HasSuffix(tok, "_") {
		return 0, false, false
	}
	clean := strings.ReplaceAll(tok, "_", "")
	if i, err := strconv.ParseInt(clean, 10, 64); err == nil {
		return float64(i), true, true
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || strings.HasPrefix(strings.TrimLeft(clean, "+-"), ".") || strings.HasSuffix(clean, ".") {
		return 0, false, false
	}
	return f, false, true
}

func (p *tomlParser) singleLine(q byte) (string, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\n':
			return "", p.errf("unterminated string")
		case c == '\\' && q == '"':
			if err := p.escape(&b); err != nil {
				return "", err
			}
			continue
		case c < 0x20 && c != '\t':
			return "", p.errf("control character in string")
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", p.errf("unterminated string")
}

func (p *tomlParser) multiline(delim string) (string, error) {
	startLine := p.line
	p.pos += 3
	if strings.HasPrefix(p.src[p.pos:], "\r\n") {
		p.pos += 2
		p.line++
	} else if strings.HasPrefix(p.src[p.pos:], "\n") {
		p.pos++
		p.line++
	}
	var b strings.Builder
	for p.pos < len(p.src) {
		if strings.HasPrefix(p.src[p.pos:], delim) {
			p.pos += 3
			return b.String(), nil
		}
		c := p.src[p.pos]
		if c == '\\' && delim == `"""` {
			if err := p.escape(&b); err != nil {
				return "", err
			}
			continue
		}
		if c == '\n' {
			p.line++
		}
		b.WriteByte(c)
		p.pos++
	}
	p.line = startLine
	return "", p.errf("unterminated multi-line string")
}

// escape reads a backslash escape of a basic string into b.
func (p *tomlParser) escape(b *strings.Builder) error {
	if p.pos+1 >= len(p.src) {
		return p.errf("unterminated string")
	}
	c := p.src[p.pos+1]
	p.pos += 2
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case '"':
		b.WriteByte('"')
	case '\\':
		b.WriteByte('\\')
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.pos+n > len(p.src) {
			return p.errf("short \\%c escape", c)
		}
		r, err := strconv.ParseUint(p.src[p.pos:p.pos+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(r)) {
			return p.errf("invalid \\%c escape", c)
		}
		b.WriteRune(rune(r))
		p.pos += n
	default:
		return p.errf("invalid escape \\%c (in a pattern, use a 'literal string' or '''multi-line literal''')", c)
	}
	return nil
}

func (p *tomlParser) array() (value, error) {
	v := value{line: p.line, kind: kindList}
	p.pos++ // [
	for {
		p.skipBlank()
		if p.pos >= len(p.src) {
			return v, p.errf("unterminated array")
		}
		if p.src[p.pos] == ']' {
			p.pos++
			return v, nil
		}
		item, err := p.value()
		if err != nil {
			return v, err
		}
		v.list = append(v.list, item)
		p.skipBlank()
		if p.pos >= len(p.src) {
			return v, p.errf("unterminated array")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
		default:
			return v, p.errf("expected ',' or ']' in array")
		}
	}
}
