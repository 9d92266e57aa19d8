package detect

import (
	"fmt"
	"strings"
)

// yamlParser reads the block subset of YAML the package documents: a
// top-level "rules:" key holding a block sequence of mappings whose values
// are scalars (plain, 'single' or "double" quoted), flow sequences of
// scalars on one line, block sequences of scalars, or | and > block
// scalars. Anchors, aliases, tags, flow mappings and nested mappings are
// refused.
type yamlParser struct {
	file  string
	lines []string
	i     int // current line index
}

func parseYAML(file, src string) ([]record, error) {
	p := &yamlParser{file: file, lines: strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")}
	p.skipBlank()
	if p.i < len(p.lines) && strings.TrimRight(stripComment(p.lines[p.i]), " ") == "---" {
		p.i++
		p.skipBlank()
	}
	if p.i >= len(p.lines) {
		return nil, nil
	}
	line := p.lines[p.i]
	if strings.Contains(line, "\t") {
		return nil, p.errf("tab character (indent with spaces)")
	}
	if indentOf(line) != 0 {
		return nil, p.errf("unexpected indentation")
	}
	key, rest, ok := splitKey(stripComment(line))
	if !ok || key != "rules" || strings.TrimSpace(rest) != "" {
		return nil, p.errf("the file must start with \"rules:\" followed by a list of rules")
	}
	p.i++
	var recs []record
	seqIndent := -1
	for {
		p.skipBlank()
		if p.i >= len(p.lines) {
			return recs, nil
		}
		line := p.lines[p.i]
		if strings.Contains(line[:indentOf(line)], "\t") {
			return nil, p.errf("tab character in indentation (indent with spaces)")
		}
		ind := indentOf(line)
		body := line[ind:]
		if !strings.HasPrefix(body, "- ") && body != "-" {
			if ind == 0 {
				return nil, p.errf("unexpected top-level content (only \"rules:\" is allowed)")
			}
			return nil, p.errf("expected \"- \" starting a rule")
		}
		if seqIndent < 0 {
			seqIndent = ind
		} else if ind != seqIndent {
			return nil, p.errf("rule items must all be indented by %d spaces", seqIndent)
		}
		rec := record{line: p.i + 1, fields: map[string]value{}}
		keyIndent := ind + 2
		after := strings.TrimLeft(body[1:], " ")
		if after != "" && !strings.HasPrefix(after, "#") {
			keyIndent = ind + len(body) - len(after)
			// The first key sits on the dash line: parse it in place.
			p.lines[p.i] = strings.Repeat(" ", keyIndent) + after
		} else {
			p.i++
		}
		if err := p.mapping(&rec, keyIndent); err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
}

func (p *yamlParser) errf(format string, args ...any) error {
	return &RuleError{File: p.file, Line: p.i + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *yamlParser) skipBlank() {
	for p.i < len(p.lines) && strings.TrimSpace(stripComment(p.lines[p.i])) == "" {
		p.i++
	}
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// stripComment removes a comment: '#' at the start or after a space,
// outside quotes.
func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '[' || s[i-1] == ',' || s[i-1] == ':' {
				quote = c
			}
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

// splitKey splits "key: rest" (or "key:" at the end of the line).
func splitKey(s string) (key, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i+1 < len(s) && s[i+1] != ' ' {
		return "", "", false
	}
	key = s[:i]
	for j := 0; j < len(key); j++ {
		if c := key[j]; !(isAlnum(c) || c == '_' || c == '-') {
			return "", "", false
		}
	}
	return key, s[i+1:], true
}

// mapping reads "key: value" lines indented by exactly ind.
func (p *yamlParser) mapping(rec *record, ind int) error {
	for {
		p.skipBlank()
		if p.i >= len(p.lines) {
			return nil
		}
		line := p.lines[p.i]
		li := indentOf(line)
		if li < ind {
			return nil
		}
		if li > ind {
			return p.errf("unexpected indentation (keys of a rule must line up)")
		}
		if strings.HasPrefix(line[li:], "- ") {
			return p.errf("unexpected list item (a rule's keys must come first)")
		}
		key, rest, ok := splitKey(stripComment(line[li:]))
		if !ok {
			return p.errf("expected \"key: value\"")
		}
		if _, dup := rec.fields[key]; dup {
			return p.errf("duplicate key %q", key)
		}
		v, err := p.value(strings.TrimSpace(rest), ind)
		if err != nil {
			return err
		}
		rec.fields[key] = v
		rec.keys = append(rec.keys, key)
	}
}

// value reads the value of a key whose line is the current one; rest is
// what follows "key:".
func (p *yamlParser) value(rest string, ind int) (value, error) {
	v := value{line: p.i + 1}
	switch {
	case rest == "":
		p.i++
		return p.blockList(ind)
	case rest == "|" || rest == "|-" || rest == ">" || rest == ">-":
		p.i++
		return p.blockScalar(rest, ind, v.line)
	case rest[0] == '[':
		items, err := p.flowList(rest)
		if err != nil {
			return v, err
		}
		p.i++
		v.kind, v.list = kindList, items
		return v, nil
	}
	s, kind, err := p.scalar(rest)
	if err != nil {
		return v, err
	}
	p.i++
	v.kind, v.str = kind, s
	return v, nil
}
