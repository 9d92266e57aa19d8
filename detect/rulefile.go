package detect

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxRuleFile bounds a rule file (the built-in pack is well under it).
const maxRuleFile = 8 << 20

// LoadRules reads a rule file in TOML or YAML (chosen by the name's
// extension, .toml, .yaml or .yml, or else by the content: a file starting
// with "rules:" is YAML) and checks every rule. Errors are *RuleError
// values naming the file, the line and the reason, and wrap
// leakscope.ErrInvalidInput. The rules are returned in file order, each
// with Source set to "name:line".
func LoadRules(name string, data []byte) ([]Rule, error) {
	if len(data) > maxRuleFile {
		return nil, &RuleError{File: name, Msg: fmt.Sprintf("rule file larger than %d bytes", maxRuleFile)}
	}
	if !utf8.Valid(data) {
		return nil, &RuleError{File: name, Line: invalidUTF8Line(data), Msg: "not valid UTF-8"}
	}
	var recs []record
	var err error
	if isYAML(name, data) {
		recs, err = parseYAML(name, string(data))
	} else {
		recs, err = parseTOML(name, string(data))
	}
	if err != nil {
		return nil, err
	}
	rules := make([]Rule, 0, len(recs))
	seen := map[string]int{}
	for _, rec := range recs {
		r, err := decodeRule(name, rec)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, &RuleError{File: name, Line: rec.line, Msg: fmt.Sprintf("rule %q already defined on line %d", r.ID, prev)}
		}
		seen[r.ID] = rec.line
		if !r.Disabled {
			if _, err := compile(r); err != nil {
				return nil, err
			}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func isYAML(name string, data []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
		return true
	case ".toml":
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || string(t) == "---" {
			continue
		}
		return bytes.HasPrefix(t, []byte("rules:"))
	}
	return false
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}

// decodeRule maps a record's fields onto a Rule, strictly: unknown fields
// and wrong types are errors.
func decodeRule(file string, rec record) (Rule, error) {
	r := Rule{Source: file + ":" + strconv.Itoa(rec.line)}
	for _, key := range rec.keys {
		v := rec.fields[key]
		bad := func(want string) error {
			return &RuleError{File: file, Line: v.line, Msg: fmt.Sprintf("field %q: want %s", key, want)}
		}
		var err error
		switch key {
		case "id":
			r.ID, err = asString(v, bad)
		case "category":
			r.Category, err = asString(v, bad)
		case "severity":
			r.Severity, err = asString(v, bad)
		case "description":
			r.Description, err = asString(v, bad)
		case "pattern":
			r.Pattern, err = asString(v, bad)
		case "scan":
			r.Scan, err = asString(v, bad)
		case "validator":
			r.Validator, err = asString(v, bad)
		case "confidence":
			r.Confidence, err = asFloat(v, bad)
		case "context_boost":
			r.ContextBoost, err = asFloat(v, bad)
		case "min_entropy":
			r.MinEntropy, err = asFloat(v, bad)
		case "min_digits":
			var f float64
			f, err = asFloat(v, bad)
			r.MinDigits = int(f)
			if err == nil && (f != math.Trunc(f) || f < 0 || f > 1000) {
				err = bad("a whole number from 0 to 1000")
			}
		case "case_sensitive":
			r.CaseSensitive, err = asBool(v, bad)
		case "exclude_sentence":
			r.ExcludeSentence, err = asBool(v, bad)
		case "require_context":
			r.RequireContext, err = asBool(v, bad)
		case "disabled":
			r.Disabled, err = asBool(v, bad)
		case "words":
			r.Words, err = asStrings(v, bad)
		case "keywords":
			r.Keywords, err = asStrings(v, bad)
		case "context":
			r.Context, err = asStrings(v, bad)
		case "exclude":
			r.Exclude, err = asStrings(v, bad)
		case "where":
			r.Where, err = asStrings(v, bad)
		case "extend":
			r.Extend, err = asPair(v, bad)
		case "window":
			r.Window, err = asPair(v, bad)
		case "exclude_window":
			r.ExcludeWindow, err = asPair(v, bad)
		default:
			return r, &RuleError{File: file, Line: v.line, Msg: fmt.Sprintf("unknown field %q", key)}
		}
		if err != nil {
			return r, err
		}
	}
	if r.ID == "" {
		return r, &RuleError{File: file, Line: rec.line, Msg: "rule without an id"}
	}
	return r, nil
}

func asString(v value, bad func(string) error) (string, error) {
	if v.kind != kindString && v.kind != kindPlain {
		return "", bad("a string")
	}
	return v.str, nil
}

func asFloat(v value, bad func(string) error) (float64, error) {
	switch v.kind {
	case kindNumber:
		return v.num, nil
	case kindPlain:
		if f, err := strconv.ParseFloat(v.str, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, nil
		}
	}
	return 0, bad("a number")
}

func asBool(v value, bad func(string) error) (bool, error) {
	switch {
	case v.kind == kindBool:
		return v.b, nil
	case v.kind == kindPlain && v.str == "true":
		return true, nil
	case v.kind == kindPlain && v.str == "false":
		return false, nil
	}
	return false, bad("true or false")
}

func asStrings(v value, bad func(string) error) ([]string, error) {
	if v.kind != kindList {
		return nil, bad("a list of strings")
	}
	out := make([]string, 0, len(v.list))
	for _, item := range v.list {
		if item.kind != kindString && item.kind != kindPlain {
			return nil, bad("a list of strings")
		}
		out = append(out, item.str)
	}
	return out, nil
}

// asPair reads [before, after] or one number used for both.
func asPair(v value, bad func(string) error) ([2]int, error) {
	const want = "a whole number or a list of two whole numbers [before, after]"
	one := func(x value) (int, bool) {
		f, err := asFloat(x, bad)
		if err != nil || f != math.Trunc(f) || f < 0 || f > 1<<20 {
			return 0, false
		}
		return int(f), true
	}
	if v.kind != kindList {
		n, ok := one(v)
		if !ok {
			return [2]int{}, bad(want)
		}
		return [2]int{n, n}, nil
	}
	if len(v.list) != 2 {
		return [2]int{}, bad(want)
	}
	a, ok1 := one(v.list[0])
	b, ok2 := one(v.list[1])
	if !ok1 || !ok2 {
		return [2]int{}, bad(want)
	}
	return [2]int{a, b}, nil
}
