package rulefile

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/leakscope/leakscope/detect"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlFile is the shape of a TOML rule file: [[rule]] tables, decoded into
// maps so that rulefile checks the fields itself (with its own messages).
type tomlFile struct {
	Rule []map[string]any `toml:"rule"`
}

// readTOML decodes a TOML rule file with go-toml and finds, with go-toml's
// parser, each rule's line, its keys' lines and any top-level key other
// than rule.
func readTOML(name string, data []byte) ([]rawRule, error) {
	var doc tomlFile
	if err := decodeTOML(data, &doc); err != nil {
		return nil, tomlError(name, data, err)
	}
	lay := layoutTOML(data)
	if k := lay.unknown; k != nil {
		return nil, &detect.RuleError{File: name, Line: k.line,
			Msg: fmt.Sprintf("unknown key %q: a TOML rule file holds [[rule]] tables", k.key)}
	}
	raws := make([]rawRule, len(doc.Rule))
	for i, m := range doc.Rule {
		var pos rulePos
		if i < len(lay.rules) {
			pos = lay.rules[i]
		}
		raws[i] = rawRule{line: pos.line, fields: pos.fields(m)}
	}
	return raws, nil
}

// decodeTOML is toml.Unmarshal, with a panic of go-toml on odd input (as
// in pelletier/go-toml#581 and #850) turned into an error.
func decodeTOML(data []byte, doc *tomlFile) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("toml: %v", p)
		}
	}()
	return toml.Unmarshal(data, doc)
}

// tomlError turns a go-toml error into a *detect.RuleError at its line.
func tomlError(name string, data []byte, err error) error {
	var de *toml.DecodeError
	var line int
	if errors.As(err, &de) {
		line, _ = de.Position()
	} else {
		// go-toml gives no position for some errors (a key or table
		// defined twice).
		line = failingLine(data)
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	if strings.HasPrefix(msg, "cannot decode TOML") || strings.HasPrefix(msg, "cannot store") {
		// Only the rule key can have a shape tomlFile cannot hold.
		msg = "rule must be [[rule]] tables"
	}
	return &detect.RuleError{File: name, Line: line, Msg: msg}
}

// failingLine returns the line of the first TOML expression at which
// decoding fails: it decodes prefixes of the document that end between
// expressions, with a binary search. 1 if none fails.
func failingLine(data []byte) int {
	starts := layoutTOML(data).exprs
	i := sort.Search(len(starts), func(i int) bool {
		end := len(data)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		var doc tomlFile
		return decodeTOML(data[:end], &doc) != nil
	})
	if i == len(starts) {
		return 1
	}
	return lineAt(data, starts[i])
}

// tomlLayout is where things are in a TOML rule file.
type tomlLayout struct {
	rules   []rulePos
	exprs   []int  // offset of the start of each expression's line
	unknown *field // the first top-level key other than rule
}

// rulePos is where a rule and its keys start.
type rulePos struct {
	line int
	keys []field // key and line only, in file order
}

// fields pairs m's values with the keys' lines, in file order; keys the
// layout missed come last, at the rule's line.
func (p rulePos) fields(m map[string]any) []field {
	var out []field
	done := map[string]bool{}
	for _, k := range p.keys {
		if v, ok := m[k.key]; ok && !done[k.key] {
			done[k.key] = true
			out = append(out, field{key: k.key, line: k.line, val: v})
		}
	}
	var rest []string
	for k := range m {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, field{key: k, line: p.line, val: m[k]})
	}
	return out
}

// Where the key-values of a TOML document go, as layoutTOML walks it.
const (
	inTop   = iota // before any table
	inRule         // after a [[rule]] header
	inOther        // in a sub-table [rule.x] or an unknown table
)

// layoutTOML walks the expressions of a TOML document with go-toml's
// parser: each [[rule]] header (or inline table in "rule = [...]") starts
// a rule; the keys after it, and the sub-tables [rule.x], are its keys.
// Keys are compared with their case (go-toml's decoder matches rule to
// "Rule" too).
func layoutTOML(data []byte) tomlLayout {
	var lay tomlLayout
	in := inTop
	line := func(key *unstable.Node) int { return lineAt(data, int(key.Raw.Offset)) }
	add := func(key *unstable.Node) {
		r := &lay.rules[len(lay.rules)-1]
		r.keys = append(r.keys, field{key: string(key.Data), line: line(key)})
	}
	unknown := func(key *unstable.Node) {
		if lay.unknown == nil {
			lay.unknown = &field{key: string(key.Data), line: line(key)}
		}
	}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.KeyValue && e.Kind != unstable.Table && e.Kind != unstable.ArrayTable {
			continue
		}
		keys := keyParts(e)
		off := int(keys[0].Raw.Offset)
		lay.exprs = append(lay.exprs, bytes.LastIndexByte(data[:off], '\n')+1)
		isRule := string(keys[0].Data) == "rule"
		switch {
		case e.Kind == unstable.KeyValue && in == inRule:
			add(keys[0])
		case e.Kind == unstable.KeyValue && in == inTop && isRule && len(keys) == 1:
			// rule = [{...}, ...]
			for it := e.Value().Children(); it.Next(); {
				if t := it.Node(); t.Kind == unstable.InlineTable {
					lay.rules = append(lay.rules, rulePos{line: lineAt(data, int(t.Raw.Offset))})
					for kv := t.Children(); kv.Next(); {
						if kv.Node().Kind == unstable.KeyValue {
							add(keyParts(kv.Node())[0])
						}
					}
				}
			}
		case e.Kind == unstable.KeyValue && in == inTop && !isRule:
			unknown(keys[0])
		case e.Kind == unstable.ArrayTable && isRule && len(keys) == 1:
			lay.rules = append(lay.rules, rulePos{line: line(keys[0])})
			in = inRule
		case e.Kind != unstable.KeyValue && isRule && len(keys) > 1 && len(lay.rules) > 0:
			// [rule.x] is key x of the last rule; the keys after it are x's.
			add(keys[1])
			in = inOther
		case e.Kind != unstable.KeyValue:
			if !isRule {
				unknown(keys[0])
			}
			in = inOther
		}
	}
	return lay
}

func keyParts(e *unstable.Node) []*unstable.Node {
	var keys []*unstable.Node
	for it := e.Key(); it.Next(); {
		keys = append(keys, it.Node())
	}
	return keys
}
