package rulefile

import (
	"fmt"
	"math"
	"strconv"

	"github.com/leakscope/leakscope/detect"
)

// rawRule is one rule as a TOML or YAML library decoded it, before its
// fields are checked: the line where it starts and its fields in file
// order.
type rawRule struct {
	line   int
	fields []field
}

// field is one key of a rule: the line of the key and the value as the
// library decoded it (string, bool, int64, uint64, float64, []any, a map,
// a date, or nil).
type field struct {
	key  string
	line int
	val  any
}

// decodeRule maps a rule's fields onto a detect.Rule, strictly: unknown
// fields and wrong types are errors at the field's line.
func decodeRule(file string, raw rawRule) (detect.Rule, error) {
	r := detect.Rule{Source: file + ":" + strconv.Itoa(raw.line)}
	for _, f := range raw.fields {
		bad := func(want string) error {
			return &detect.RuleError{File: file, Line: f.line, Msg: fmt.Sprintf("field %q: want %s", f.key, want)}
		}
		var err error
		switch f.key {
		case "id":
			r.ID, err = asString(f.val, bad)
		case "category":
			r.Category, err = asString(f.val, bad)
		case "severity":
			r.Severity, err = asString(f.val, bad)
		case "description":
			r.Description, err = asString(f.val, bad)
		case "pattern":
			r.Pattern, err = asString(f.val, bad)
		case "scan":
			r.Scan, err = asString(f.val, bad)
		case "validator":
			r.Validator, err = asString(f.val, bad)
		case "confidence":
			r.Confidence, err = asFloat(f.val, bad)
		case "context_boost":
			r.ContextBoost, err = asFloat(f.val, bad)
		case "min_entropy":
			r.MinEntropy, err = asFloat(f.val, bad)
		case "min_digits":
			r.MinDigits, err = asWhole(f.val, 1000, bad("a whole number from 0 to 1000"))
		case "case_sensitive":
			r.CaseSensitive, err = asBool(f.val, bad)
		case "exclude_sentence":
			r.ExcludeSentence, err = asBool(f.val, bad)
		case "require_context":
			r.RequireContext, err = asBool(f.val, bad)
		case "disabled":
			r.Disabled, err = asBool(f.val, bad)
		case "words":
			r.Words, err = asStrings(f.val, bad)
		case "keywords":
			r.Keywords, err = asStrings(f.val, bad)
		case "context":
			r.Context, err = asStrings(f.val, bad)
		case "exclude":
			r.Exclude, err = asStrings(f.val, bad)
		case "where":
			r.Where, err = asStrings(f.val, bad)
		case "extend":
			r.Extend, err = asPair(f.val, bad)
		case "window":
			r.Window, err = asPair(f.val, bad)
		case "exclude_window":
			r.ExcludeWindow, err = asPair(f.val, bad)
		default:
			return r, &detect.RuleError{File: file, Line: f.line, Msg: fmt.Sprintf("unknown field %q", f.key)}
		}
		if err != nil {
			return r, err
		}
	}
	if r.ID == "" {
		return r, &detect.RuleError{File: file, Line: raw.line, Msg: "rule without an id"}
	}
	return r, nil
}

func asString(v any, bad func(string) error) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", bad("a string")
	}
	return s, nil
}

// number returns v as a finite float64 if it is a number.
func number(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case int64:
		f = float64(n)
	case uint64:
		f = float64(n)
	case int:
		f = float64(n)
	case float64:
		f = n
	default:
		return 0, false
	}
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

func asFloat(v any, bad func(string) error) (float64, error) {
	f, ok := number(v)
	if !ok {
		return 0, bad("a number")
	}
	return f, nil
}

// asWhole reads a whole number from 0 to most.
func asWhole(v any, most int, bad error) (int, error) {
	f, ok := number(v)
	if !ok || f != math.Trunc(f) || f < 0 || f > float64(most) {
		return 0, bad
	}
	return int(f), nil
}

func asBool(v any, bad func(string) error) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, bad("true or false")
	}
	return b, nil
}

func asStrings(v any, bad func(string) error) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, bad("a list of strings")
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, bad("a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// asPair reads [before, after] or one number used for both.
func asPair(v any, bad func(string) error) ([2]int, error) {
	const most = 1 << 20
	err := bad("a whole number or a list of two whole numbers [before, after]")
	list, ok := v.([]any)
	if !ok {
		n, err := asWhole(v, most, err)
		return [2]int{n, n}, err
	}
	if len(list) != 2 {
		return [2]int{}, err
	}
	a, err1 := asWhole(list[0], most, err)
	b, err2 := asWhole(list[1], most, err)
	if err1 != nil || err2 != nil {
		return [2]int{}, err
	}
	return [2]int{a, b}, nil
}
