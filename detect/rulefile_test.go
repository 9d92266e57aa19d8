package detect

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestLoadRulesExamples(t *testing.T) {
	load := func(name string) []Rule {
		t.Helper()
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := LoadRules(name, data)
		if err != nil {
			t.Fatalf("LoadRules(%s) = %v", name, err)
		}
		for i := range rules {
			if !strings.HasPrefix(rules[i].Source, name+":") {
				t.Errorf("rule %q Source = %q, want %s:LINE", rules[i].ID, rules[i].Source, name)
			}
			rules[i].Source = ""
		}
		return rules
	}
	toml, yaml := load("example_rules.toml"), load("example_rules.yaml")
	if !reflect.DeepEqual(toml, yaml) {
		t.Errorf("TOML and YAML examples differ:\n%+v\n%+v", toml, yaml)
	}
	want := Rule{ID: "acme.vendor_account", Category: leakscope.FlagBankAccount, Severity: "high", Scan: ScanNumbers,
		MinDigits: 7, Pattern: `\bV-\d{7}`, Context: []string{"vendor account", "remit to"}, ContextBoost: 0.3,
		Window: [2]int{40, 0}, RequireContext: true, Where: []string{"body", "attachment"}}
	if len(toml) != 3 || !reflect.DeepEqual(toml[1], want) {
		t.Errorf("LoadRules(example_rules.toml)[1] = %+v, want %+v", toml[1], want)
	}
	if !toml[2].Disabled || toml[2].ID != "phone.local" {
		t.Errorf("third rule = %+v, want phone.local disabled", toml[2])
	}
}

func TestLoadRulesTOMLValues(t *testing.T) {
	src := `# comment
[[rule]] # trailing comment
id = "a.b"
category = "phone"
severity = "low"
description = "tab\there \"q\" \u00e9 \\"
pattern = '''
\d{3}-\d{4}'''
scan = "numbers"
min_digits = 1_0
confidence = 0.75
context = [
  "one", # a comment in an array
  'two',
]
window = 40
exclude = []
`
	rules, err := LoadRules("x.toml", []byte(src))
	if err != nil {
		t.Fatalf("LoadRules = %v", err)
	}
	r := rules[0]
	if r.Description != "tab\there \"q\" é \\" || r.Pattern != `\d{3}-\d{4}` || r.MinDigits != 10 ||
		r.Confidence != 0.75 || !reflect.DeepEqual(r.Context, []string{"one", "two"}) || r.Window != [2]int{40, 40} ||
		r.Source != "x.toml:2" {
		t.Errorf("LoadRules(toml) = %+v", r)
	}
}

func TestLoadRulesYAMLValues(t *testing.T) {
	src := `---
# comment
rules:
- id: a.b   # comment
  category: "phone"
  severity: 'low'
  description: it''s plain
  pattern: |-
    \d{3}-\d{4}
  confidence: 0.75
  context: ['one', "two # not a comment", three]
  window: [40, 0]
  require_context: true
- id: c
  disabled: true
`
	rules, err := LoadRules("x.yml", []byte(src))
	if err != nil {
		t.Fatalf("LoadRules = %v", err)
	}
	r := rules[0]
	if r.Description != "it''s plain" || r.Pattern != `\d{3}-\d{4}` || r.Confidence != 0.75 ||
		!reflect.DeepEqual(r.Context, []string{"one", "two # not a comment", "three"}) || !r.RequireContext ||
		r.Source != "x.yml:4" || !rules[1].Disabled {
		t.Errorf("LoadRules(yaml) = %+v / %+v", r, rules[1])
	}
}

func TestLoadRulesErrors(t *testing.T) {
	const head = "[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"low\"\n"
	const yhead = "rules:\n  - id: x\n    category: phone\n    severity: low\n"
	tests := []struct {
		name, file, src, want string
	}{
		{"unterminated string", "r.toml", head + "pattern = \"abc\n", "r.toml:5: unterminated string"},
		{"bad escape", "r.toml", head + `pattern = "\d"` + "\n", `r.toml:5: invalid escape \d`},
		{"unknown field", "r.toml", head + "colour = \"red\"\n", `r.toml:5: unknown field "colour"`},
		{"duplicate key", "r.toml", head + "id = \"y\"\n", `r.toml:5: duplicate key "id"`},
		{"key outside rule", "r.toml", "id = \"x\"\n", `r.toml:1: key "id" outside a [[rule]] table`},
		{"other table", "r.toml", "[settings]\n", "r.toml:1: tables other than [[rule]]"},
		{"unknown array table", "r.toml", "[[rules]]\n", "r.toml:1: unknown table [[rules]]"},
		{"bare string", "r.toml", head + "pattern = abc\n", "r.toml:5: invalid value"},
		{"two values", "r.toml", head + "pattern = \"a\" \"b\"\n", "r.toml:5: unexpected"},
		{"unterminated array", "r.toml", head + "words = [\"a\",\n", "r.toml:6: unterminated array"},
		{"inline table", "r.toml", head + "window = {a = 1}\n", "r.toml:5: inline tables are not supported"},
		{"wrong type", "r.toml", head + "words = \"a\"\n", `r.toml:5: field "words": want a list of strings`},
		{"bad pair", "r.toml", head + "window = [1, 2, 3]\n", `r.toml:5: field "window": want`},
		{"negative min_digits", "r.toml", head + "min_digits = -1\n", `r.toml:5: field "min_digits"`},
		{"bad category", "r.toml", "[[rule]]\nid = \"x\"\ncategory = \"salary\"\nseverity = \"low\"\nwords = [\"a\"]\n", `r.toml:1: rule "x": unknown category "salary"`},
		{"bad severity", "r.toml", "[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"urgent\"\nwords = [\"a\"]\n", `unknown severity "urgent"`},
		{"no pattern or words", "r.toml", head, "needs a pattern or words"},
		{"both", "r.toml", head + "words = [\"a\"]\npattern = 'a'\n", "has both a pattern and words"},
		{"bad regexp", "r.toml", head + "pattern = '(a'\n", "r.toml:1: rule \"x\": bad pattern: error parsing regexp"},
		{"bad validator", "r.toml", head + "words = [\"a\"]\nvalidator = \"crc\"\n", `unknown validator "crc"`},
		{"bad scan", "r.toml", head + "pattern = 'a'\nscan = \"all\"\n", `unknown scan "all"`},
		{"keywords without pattern", "r.toml", head + "words = [\"a\"]\nkeywords = [\"b\"]\n", "apply to patterns only"},
		{"require without context", "r.toml", head + "words = [\"a\"]\nrequire_context = true\n", "require_context without context words"},
		{"bad where", "r.toml", head + "words = [\"a\"]\nwhere = [\"footer\"]\n", `unknown where "footer"`},
		{"empty word", "r.toml", head + "words = [\" - \"]\n", `empty word`},
		{"confidence range", "r.toml", head + "words = [\"a\"]\nconfidence = 1.5\n", "must lie in 0..1"},
		{"duplicate id", "r.toml", head + "words = [\"a\"]\n" + head + "words = [\"a\"]\n", `r.toml:6: rule "x" already defined on line 1`},
		{"missing id", "r.toml", "[[rule]]\ncategory = \"phone\"\n", "r.toml:1: rule without an id"},
		{"yaml top level", "r.yaml", "rule:\n  - id: x\n", "r.yaml:1: the file must start with \"rules:\""},
		{"yaml tab", "r.yaml", "rules:\n\t- id: x\n", "r.yaml:2: tab character"},
		{"yaml misaligned", "r.yaml", yhead + "     words: [a]\n", "r.yaml:5: unexpected indentation"},
		{"yaml anchor", "r.yaml", yhead + "    words: &w [a]\n", "r.yaml:5:"},
		{"yaml alias value", "r.yaml", yhead + "    description: *w\n", "r.yaml:5: anchors, aliases and tags are not supported"},
		{"yaml unterminated quote", "r.yaml", yhead + "    pattern: 'abc\n", "r.yaml:5: unterminated single-quoted string"},
		{"yaml flow unterminated", "r.yaml", yhead + "    words: [a, b\n", "r.yaml:5: unterminated flow list"},
		{"yaml flow mapping", "r.yaml", yhead + "    window: {a: 1}\n", "r.yaml:5: flow mappings are not supported"},
		{"yaml colon in plain", "r.yaml", yhead + "    description: a: b\n", "r.yaml:5: plain value contains"},
		{"yaml missing value", "r.yaml", yhead + "    words:\n", "r.yaml:5: missing value"},
		{"yaml duplicate key", "r.yaml", yhead + "    id: y\n", `r.yaml:5: duplicate key "id"`},
		{"yaml unknown field", "r.yaml", yhead + "    words: [a]\n    colour: red\n", `r.yaml:6: unknown field "colour"`},
		{"yaml bad bool", "r.yaml", yhead + "    words: [a]\n    disabled: yes\n", `r.yaml:6: field "disabled": want true or false`},
		{"yaml nested list", "r.yaml", yhead + "    words:\n      - [a]\n", "r.yaml:6: nested collections"},
		{"invalid utf-8", "r.toml", head + "description = \"\xff\"\n", "r.toml:5: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRules(tt.file, []byte(tt.src))
			if err == nil {
				t.Fatalf("LoadRules(%q) = nil error, want %q", tt.src, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadRules(%q) = %v, want an error containing %q", tt.src, err, tt.want)
			}
			var re *RuleError
			if !errors.As(err, &re) || !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Errorf("LoadRules(%q) error %T is not a *RuleError wrapping ErrInvalidInput", tt.src, err)
			}
		})
	}
}

func TestBuiltinRules(t *testing.T) {
	rules, err := BuiltinRules()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	cats := map[string]bool{}
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("built-in rule id %q defined twice", r.ID)
		}
		ids[r.ID] = true
		cats[r.Category] = true
		if r.Description == "" {
			t.Errorf("built-in rule %q has no description", r.ID)
		}
	}
	for _, c := range Categories {
		if !cats[c] {
			t.Errorf("no built-in rule for category %q", c)
		}
	}
}
