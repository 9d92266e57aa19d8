package detect

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// scalar reads one scalar that fills s.
func (p *yamlParser) scalar(s string) (string, valueKind, error) {
	switch s[0] {
	case '\'':
		end := -1
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				end = i
				break
			}
			b.WriteByte(s[i])
		}
		if end < 0 {
			return "", 0, p.errf("unterminated single-quoted string (multi-line quoted strings are not supported)")
		}
		if strings.TrimSpace(s[end+1:]) != "" {
			return "", 0, p.errf("unexpected text after quoted string")
		}
		return b.String(), kindString, nil
	case '"':
		str, n, err := p.doubleQuoted(s)
		if err != nil {
			return "", 0, err
		}
		if strings.TrimSpace(s[n:]) != "" {
			return "", 0, p.errf("unexpected text after quoted string")
		}
		return str, kindString, nil
	case '{':
		return "", 0, p.errf("flow mappings are not supported")
	case '&', '*', '!':
		return "", 0, p.errf("anchors, aliases and tags are not supported (quote the value)")
	case '@', '`', '%', '|', '>':
		return "", 0, p.errf("%q cannot start a plain value (quote the value)", s[0])
	}
	if strings.Contains(s, ": ") {
		return "", 0, p.errf("plain value contains \": \" (quote the value)")
	}
	return s, kindPlain, nil
}

func (p *yamlParser) doubleQuoted(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return b.String(), i + 1, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			break
		}
		i++
		switch e := s[i]; e {
		case '\\', '"', '/':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+n >= len(s) {
				return "", 0, p.errf("short \\%c escape", e)
			}
			r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(r)) {
				return "", 0, p.errf("invalid \\%c escape", e)
			}
			b.WriteRune(rune(r))
			i += n
		default:
			return "", 0, p.errf("invalid escape \\%c (in a pattern, use a 'single-quoted' string)", e)
		}
	}
	return "", 0, p.errf("unterminated double-quoted string (multi-line quoted strings are not supported)")
}

// flowList reads "[a, 'b', "c"]" on one line.
func (p *yamlParser) flowList(s string) ([]value, error) {
	var items []value
	i := 1
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return nil, p.errf("unterminated flow list (it must end with ']' on the same line)")
		}
		if s[i] == ']' {
			if strings.TrimSpace(s[i+1:]) != "" {
				return nil, p.errf("unexpected text after ']'")
			}
			return items, nil
		}
		var item value
		item.line = p.i + 1
		switch s[i] {
		case '[', '{':
			return nil, p.errf("nested flow collections are not supported")
		case '"':
			str, n, err := p.doubleQuoted(s[i:])
			if err != nil {
				return nil, err
			}
			item.kind, item.str = kindString, str
			i += n
		case '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(s); j++ {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, p.errf("unterminated single-quoted string")
			}
			item.kind, item.str = kindString, b.String()
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ',' && s[j] != ']' {
				j++
			}
			plain := strings.TrimSpace(s[i:j])
			if plain == "" {
				return nil, p.errf("empty item in flow list")
			}
			if strings.IndexByte("&*!@`|>%", plain[0]) >= 0 {
				return nil, p.errf("%q cannot start a plain value (quote the value)", plain[0])
			}
			item.kind, item.str = kindPlain, plain
			i = j
		}
		items = append(items, item)
		for i < len(s) && s[i] == ' ' {
			i++
		}
		switch {
		case i >= len(s):
			return nil, p.errf("unterminated flow list (it must end with ']' on the same line)")
		case s[i] == ',':
			i++
		case s[i] != ']':
			return nil, p.errf("expected ',' or ']' in flow list")
		}
	}
}

// blockList reads "- item" lines indented more than the key (or at the
// key's indentation, as YAML allows).
func (p *yamlParser) blockList(keyInd int) (value, error) {
	v := value{line: p.i, kind: kindList} // p.i is past the key's line: v.line is the key's number
	itemInd := -1
	for {
		p.skipBlank()
		if p.i >= len(p.lines) {
			break
		}
		line := p.lines[p.i]
		ind := indentOf(line)
		body := stripComment(line[ind:])
		if !strings.HasPrefix(body, "- ") && strings.TrimSpace(body) != "-" || ind < keyInd {
			break
		}
		if itemInd < 0 {
			itemInd = ind
		} else if ind != itemInd {
			return v, p.errf("list items must line up")
		}
		s := strings.TrimSpace(body[1:])
		if s == "" {
			return v, p.errf("empty list item")
		}
		if s[0] == '[' || strings.HasSuffix(s, ":") {
			return v, p.errf("nested collections are not supported")
		}
		str, kind, err := p.scalar(s)
		if err != nil {
			return v, err
		}
		v.list = append(v.list, value{line: p.i + 1, kind: kind, str: str})
		p.i++
	}
	if itemInd < 0 {
		return v, &RuleError{File: p.file, Line: v.line, Msg: "missing value (write a value after ':' or a list of \"- item\" lines)"}
	}
	return v, nil
}

// blockScalar reads the lines of a | or > block scalar.
func (p *yamlParser) blockScalar(ind string, keyInd, line int) (value, error) {
	var lines []string
	contentInd := -1
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if strings.TrimSpace(l) == "" {
			lines = append(lines, "")
			p.i++
			continue
		}
		li := indentOf(l)
		if li <= keyInd {
			break
		}
		if contentInd < 0 {
			contentInd = li
		}
		if li < contentInd {
			return value{}, p.errf("block scalar line is indented less than its first line")
		}
		lines = append(lines, l[contentInd:])
		p.i++
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return value{}, &RuleError{File: p.file, Line: line, Msg: "empty block scalar"}
	}
	var s string
	if ind[0] == '|' {
		s = strings.Join(lines, "\n")
	} else {
		var b strings.Builder
		for i, l := range lines {
			switch {
			case i == 0:
			case l == "" || lines[i-1] == "":
				b.WriteByte('\n')
			default:
				b.WriteByte(' ')
			}
			b.WriteString(l)
		}
		s = b.String()
	}
	if !strings.HasSuffix(ind, "-") {
		s += "\n"
	}
	return value{line: line, kind: kindString, str: s}, nil
}
