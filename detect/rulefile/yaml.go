package rulefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	"github.com/leakscope/leakscope/detect"
)

// yamlFile is the shape of a YAML rule file: a list of rules under
// "rules:", kept as a node so that the lines of the rules and of their keys
// are known.
type yamlFile struct {
	Rules ast.Node `yaml:"rules"`
}

// readYAML decodes a YAML rule file with go-yaml (strictly: keys other
// than rules are errors; one document only), each rule into an ordered
// map, with anchors, aliases and merge keys resolved.
func readYAML(name string, data []byte) ([]rawRule, error) {
	// YAML reads CR LF and a lone CR as LF (YAML 1.2, 5.4); go-yaml counts
	// lines wrong after a comment ended by CR LF (goccy/go-yaml#560).
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	var doc yamlFile
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, nil // no document: no rules
	} else if err != nil {
		return nil, yamlError(name, data, err)
	}
	var more ast.Node
	if err := dec.Decode(&more); err != io.EOF {
		if err != nil {
			return nil, yamlError(name, data, err)
		}
		return nil, &detect.RuleError{File: name, Line: tokenLine(more.GetToken()), Msg: "a second YAML document: put all rules under one \"rules:\""}
	}
	var items []ast.Node
	switch n := doc.Rules.(type) {
	case nil:
	case *ast.SequenceNode:
		items = n.Values
	default:
		return nil, &detect.RuleError{File: name, Line: tokenLine(n.GetToken()), Msg: "rules: want a list of rules"}
	}
	raws := make([]rawRule, 0, len(items))
	for _, n := range items {
		var m yaml.MapSlice
		if err := dec.DecodeFromNode(n, &m); err != nil {
			return nil, yamlError(name, data, err)
		}
		raw := rawRule{line: tokenLine(n.GetToken())}
		keyLines := map[string]int{}
		if mn, ok := n.(*ast.MappingNode); ok {
			for _, kv := range mn.Values {
				if tk := kv.Key.GetToken(); tk != nil {
					keyLines[tk.Value] = tokenLine(tk)
				}
			}
		}
		for _, item := range m {
			key, ok := item.Key.(string)
			if !ok {
				key = fmt.Sprint(item.Key)
			}
			line, ok := keyLines[key]
			if !ok {
				line = raw.line // from a merge key or an alias
			}
			raw.fields = append(raw.fields, field{key: key, line: line, val: item.Value})
		}
		raws = append(raws, raw)
	}
	return raws, nil
}

// yamlError turns a go-yaml error into a *detect.RuleError at the line of
// its token.
func yamlError(name string, data []byte, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return &detect.RuleError{File: name, Line: positionlessLine(data, err), Msg: err.Error()}
	}
	msg := ye.GetMessage()
	var uf *yaml.UnknownFieldError
	if errors.As(err, &uf) && uf.Token != nil {
		msg = fmt.Sprintf("unknown key %q: a YAML rule file holds a list under \"rules:\"", uf.Token.Value)
	}
	return &detect.RuleError{File: name, Line: tokenLine(ye.GetToken()), Msg: msg}
}

func tokenLine(tk *token.Token) int {
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

// positionlessLine finds a line for a go-yaml error that has no token: a
// merge key's alias of a missing anchor is reported by name only. Other
// such errors (nesting too deep) are put on line 1.
func positionlessLine(data []byte, err error) int {
	name, ok := strings.CutPrefix(err.Error(), "cannot find anchor by alias name ")
	if !ok {
		return 1
	}
	file, perr := parser.ParseBytes(data, 0)
	if perr != nil {
		return 1
	}
	for _, n := range ast.FilterFile(ast.AliasType, file) {
		if a, ok := n.(*ast.AliasNode); ok && a.Value != nil && a.Value.GetToken().Value == name {
			return max(tokenLine(a.GetToken()), 1)
		}
	}
	return 1
}
