package rulefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

func TestLoadExamples(t *testing.T) {
	load := func(name string) []detect.Rule {
		t.Helper()
		rules, err := ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("ReadFile(%s) = %v", name, err)
		}
		for i := range rules {
			if !strings.HasPrefix(rules[i].Source, filepath.Join("testdata", name)+":") {
				t.Errorf("rule %q Source = %q, want testdata/%s:LINE", rules[i].ID, rules[i].Source, name)
			}
			rules[i].Source = ""
		}
		return rules
	}
	toml, yaml := load("example_rules.toml"), load("example_rules.yaml")
	if !reflect.DeepEqual(toml, yaml) {
		t.Errorf("TOML and YAML examples differ:\n%+v\n%+v", toml, yaml)
	}
	want := detect.Rule{ID: "acme.vendor_account", Category: leakscope.FlagBankAccount, Severity: "high", Scan: detect.ScanNumbers,
		MinDigits: 7, Pattern: `\bV-\d{7}`, Context: []string{"vendor account", "remit to"}, ContextBoost: 0.3,
		Window: [2]int{40, 0}, RequireContext: true, Where: []string{"body", "attachment"}}
	if len(toml) != 3 || !reflect.DeepEqual(toml[1], want) {
		t.Fatalf("ReadFile(example_rules.toml)[1] = %+v, want %+v", toml[1], want)
	}
	if !toml[2].Disabled || toml[2].ID != "phone.local" {
		t.Errorf("third rule = %+v, want phone.local disabled", toml[2])
	}
}

// TestDocExamples keeps the examples in doc.go the same as the files in
// testdata (which TestLoadExamples loads).
func TestDocExamples(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	// Blocks of lines indented with a tab in the package comment.
	var blocks []string
	var cur strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		if code, ok := strings.CutPrefix(line, "//\t"); ok {
			cur.WriteString(code + "\n")
			continue
		}
		if line == "//" && cur.Len() > 0 {
			cur.WriteString("\n")
			continue
		}
		if cur.Len() > 0 {
			blocks = append(blocks, strings.TrimRight(cur.String(), "\n")+"\n")
			cur.Reset()
		}
	}
	for _, name := range []string{"example_rules.toml", "example_rules.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range blocks {
			found = found || b == string(data)
		}
		if !found {
			t.Errorf("doc.go has no example identical to testdata/%s", name)
		}
	}
}

func TestLoadTOMLValues(t *testing.T) {
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

[[rule]]
id = "c"
category = "phone"
severity = "low"
description = """
two \
  lines"""
words = ["x"]
`
	rules, err := Load("x.toml", []byte(src))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	r := rules[0]
	if r.Description != "tab\there \"q\" é \\" || r.Pattern != `\d{3}-\d{4}` || r.MinDigits != 10 ||
		r.Confidence != 0.75 || !reflect.DeepEqual(r.Context, []string{"one", "two"}) || r.Window != [2]int{40, 40} ||
		r.Exclude == nil || len(r.Exclude) != 0 || r.Source != "x.toml:2" {
		t.Errorf("Load(toml)[0] = %+v", r)
	}
	if r := rules[1]; r.Description != "two lines" || r.Source != "x.toml:19" {
		t.Errorf("Load(toml)[1] = %+v, want a multi-line string and Source x.toml:19", r)
	}
}

func TestLoadTOMLInline(t *testing.T) {
	src := "rule = [\n  {id = \"a\", category = \"phone\", severity = \"low\", words = [\"x\"]},\n\n" +
		"  {id = \"b\", disabled = true},\n]\n"
	rules, err := Load("x.toml", []byte(src))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	if len(rules) != 2 || rules[0].Source != "x.toml:2" || rules[1].Source != "x.toml:4" || !rules[1].Disabled {
		t.Errorf("Load(inline tables) = %+v", rules)
	}
	_, err = Load("x.toml", []byte("rule = [\n  {id = \"a\", disabled = true},\n  {id = \"b\", colour = 1},\n]\n"))
	if err == nil || err.Error() != `x.toml:3: unknown field "colour"` {
		t.Errorf("Load(inline table with unknown field) = %v, want x.toml:3: unknown field \"colour\"", err)
	}
}

func TestLoadYAMLValues(t *testing.T) {
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
	rules, err := Load("x.yml", []byte(src))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	r := rules[0]
	if r.Description != "it''s plain" || r.Pattern != `\d{3}-\d{4}` || r.Confidence != 0.75 ||
		!reflect.DeepEqual(r.Context, []string{"one", "two # not a comment", "three"}) || !r.RequireContext ||
		r.Source != "x.yml:4" || !rules[1].Disabled {
		t.Errorf("Load(yaml) = %+v / %+v", r, rules[1])
	}
}

// TestLoadYAMLAnchors checks what the old hand-written reader refused:
// anchors, aliases, folded scalars and multi-line quoted strings.
func TestLoadYAMLAnchors(t *testing.T) {
	src := `rules:
  - id: acme.base
    category: &cat confidential
    severity: high
    words: &names [project raptor, project condor]
  - id: acme.other
    category: *cat
    severity: low
    description: >
      Code names,
      folded
    words: [project eagle]
    exclude: *names
  - id: acme.third
    category: confidential
    severity: low
    description: "two
      lines"
    words: *names
`
	rules, err := Load("x.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	names := []string{"project raptor", "project condor"}
	if len(rules) != 3 {
		t.Fatalf("Load = %d rules, want 3", len(rules))
	}
	if r := rules[1]; r.ID != "acme.other" || r.Category != "confidential" || !reflect.DeepEqual(r.Exclude, names) ||
		r.Description != "Code names, folded\n" || r.Source != "x.yaml:6" {
		t.Errorf("Load(aliases)[1] = %+v", r)
	}
	if r := rules[2]; r.Description != "two lines" || !reflect.DeepEqual(r.Words, names) || r.Source != "x.yaml:14" {
		t.Errorf("Load(aliases)[2] = %+v", r)
	}
}

func TestLoadEmpty(t *testing.T) {
	for _, name := range []string{"x.toml", "x.yaml"} {
		for _, src := range []string{"", "# nothing yet\n", "\n\n"} {
			rules, err := Load(name, []byte(src))
			if err != nil || len(rules) != 0 {
				t.Errorf("Load(%s, %q) = %v, %v; want no rules", name, src, rules, err)
			}
		}
	}
	rules, err := Load("x.yaml", []byte("rules:\n"))
	if err != nil || len(rules) != 0 {
		t.Errorf("Load(x.yaml, rules:) = %v, %v; want no rules", rules, err)
	}
}

func TestIsYAML(t *testing.T) {
	tests := []struct {
		name, data string
		want       bool
	}{
		{"rules.yaml", "", true},
		{"RULES.YML", "[[rule]]", true},
		{"rules.toml", "rules:", false},
		{"rules", "# comment\n---\n\n  rules:\n", true},
		{"rules", "[[rule]]\n", false},
		{"rules.conf", "", false},
	}
	for _, tt := range tests {
		if got := isYAML(tt.name, []byte(tt.data)); got != tt.want {
			t.Errorf("isYAML(%q, %q) = %v, want %v", tt.name, tt.data, got, tt.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"low\"\n"
	const yhead = "rules:\n  - id: x\n    category: phone\n    severity: low\n"
	tests := []struct {
		name, file, src, want string
	}{
		// TOML syntax: go-toml's messages and lines.
		{"unterminated string", "r.toml", head + "pattern = \"abc\n", "r.toml:5: basic strings cannot have new lines"},
		{"bad escape", "r.toml", head + `pattern = "\d"` + "\n", `r.toml:5: invalid escaped character U+0064 'd'`},
		{"bare string", "r.toml", head + "pattern = abc\n", "r.toml:5: incomplete number"},
		{"two values", "r.toml", head + "pattern = \"a\" \"b\"\n", `r.toml:5: expected newline but got U+0022 '"'`},
		{"unterminated array", "r.toml", head + "words = [\"a\",\n", "r.toml:6: expected value, not eof"},
		// TOML structure.
		{"duplicate key", "r.toml", head + "id = \"y\"\n", `r.toml:5: key id is already defined`},
		{"duplicate sub-table", "r.toml", head + "\n[rule.a]\n\n[rule.a]\n", `r.toml:8: table a already exists`},
		{"key outside rule", "r.toml", "id = \"x\"\n", `r.toml:1: unknown key "id": a TOML rule file holds [[rule]] tables`},
		{"other table", "r.toml", "\n[settings]\n", `r.toml:2: unknown key "settings"`},
		{"unknown array table", "r.toml", "[[rules]]\n", `r.toml:1: unknown key "rules"`},
		{"rule in capitals", "r.toml", head + "words = ['a']\n\n[[RULE]]\n", `r.toml:7: unknown key "RULE"`},
		{"rule table", "r.toml", "\n[rule]\nid = \"x\"\n", "r.toml:2: rule must be [[rule]] tables"},
		{"rule number", "r.toml", "rule = 1\n", "r.toml:1: rule must be [[rule]] tables"},
		{"rule nested array", "r.toml", "rule = [[1]]\n", "r.toml:1: rule must be [[rule]] tables"},
		{"sub-table", "r.toml", head + "words = [\"a\"]\n\n[rule.extra]\nx = 1\n", `r.toml:7: unknown field "extra"`},
		// Fields.
		{"unknown field", "r.toml", head + "colour = \"red\"\n", `r.toml:5: unknown field "colour"`},
		{"inline table", "r.toml", head + "window = {a = 1}\n", `r.toml:5: field "window": want a whole number or a list of two whole numbers [before, after]`},
		{"dotted key", "r.toml", head + "window.a = 1\n", `r.toml:5: field "window": want`},
		{"wrong type", "r.toml", head + "words = \"a\"\n", `r.toml:5: field "words": want a list of strings`},
		{"mixed list", "r.toml", head + "words = [\"a\", 1]\n", `r.toml:5: field "words": want a list of strings`},
		{"bad pair", "r.toml", head + "window = [1, 2, 3]\n", `r.toml:5: field "window": want`},
		{"fraction in pair", "r.toml", head + "window = [1, 2.5]\n", `r.toml:5: field "window": want`},
		{"negative min_digits", "r.toml", head + "min_digits = -1\n", `r.toml:5: field "min_digits": want a whole number from 0 to 1000`},
		{"nan", "r.toml", head + "confidence = nan\n", `r.toml:5: field "confidence": want a number`},
		{"date", "r.toml", head + "description = 1979-05-27\n", `r.toml:5: field "description": want a string`},
		{"string bool", "r.toml", head + "disabled = \"true\"\n", `r.toml:5: field "disabled": want true or false`},
		// Rules: detect.CheckRule, at the line where the rule starts.
		{"bad category", "r.toml", "[[rule]]\nid = \"x\"\ncategory = \"salary\"\nseverity = \"low\"\nwords = [\"a\"]\n", `r.toml:1: rule "x": unknown category "salary"`},
		{"bad severity", "r.toml", "\n[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"urgent\"\nwords = [\"a\"]\n", `r.toml:2: rule "x": unknown severity "urgent"`},
		{"no pattern or words", "r.toml", head, "r.toml:1: rule \"x\": needs a pattern or words"},
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
		{"second rule", "r.toml", head + "words = [\"a\"]\n\n" + "[[rule]]\nid = \"y\"\ncategory = \"phone\"\nseverity = \"low\"\npattern = '['\n", `r.toml:7: rule "y": bad pattern`},
		// YAML syntax: go-yaml's messages and lines.
		{"yaml tab", "r.yaml", "rules:\n\t- id: x\n", "r.yaml:2: found character '\t' that cannot start any token"},
		{"yaml misaligned", "r.yaml", yhead + "     words: [a]\n", "r.yaml:4: mapping value is not allowed in this context"},
		{"yaml unknown alias", "r.yaml", yhead + "    description: *w\n", `r.yaml:5: could not find alias "w"`},
		{"yaml unterminated quote", "r.yaml", yhead + "    pattern: 'abc\n", "r.yaml:5: could not find end character of single-quoted text"},
		{"yaml flow unterminated", "r.yaml", yhead + "    words: [a, b\n", "r.yaml:5: sequence end token ']' not found"},
		{"yaml colon in plain", "r.yaml", yhead + "    description: a: b\n", "r.yaml:5: mapping value is not allowed in this context"},
		{"yaml duplicate key", "r.yaml", yhead + "    id: y\n", `r.yaml:5: mapping key "id" already defined at [2:5]`},
		// YAML structure.
		{"yaml top level", "r.yaml", "rule:\n  - id: x\n", `r.yaml:1: unknown key "rule": a YAML rule file holds a list under "rules:"`},
		{"yaml top level list", "r.yaml", "- id: x\n", "r.yaml:1: sequence was used where mapping is expected"},
		{"yaml rules not a list", "r.yaml", "rules:\n  id: x\n", "r.yaml:2: rules: want a list of rules"},
		{"yaml rules a number", "r.yaml", "\nrules: 3\n", "r.yaml:2: rules: want a list of rules"},
		{"yaml empty rule", "r.yaml", "rules:\n  - id: a\n    disabled: true\n  -\n", "r.yaml:4: null was used where mapping is expected"},
		{"yaml rule not a mapping", "r.yaml", "rules:\n  - x\n", "r.yaml:2: string was used where mapping is expected"},
		{"yaml two documents", "r.yaml", "rules: []\n---\n\nfoo: 1\n", `r.yaml:4: a second YAML document`},
		{"yaml merge of a missing anchor", "r.yaml", "rules:\n  - id: x\n\n    <<: *base\n", `r.yaml:4: cannot find anchor by alias name base`},
		// YAML fields.
		{"yaml flow mapping", "r.yaml", yhead + "    window: {a: 1}\n", `r.yaml:5: field "window": want`},
		{"yaml missing value", "r.yaml", yhead + "    words:\n", `r.yaml:5: field "words": want a list of strings`},
		{"yaml unknown field", "r.yaml", yhead + "    words: [a]\n    colour: red\n", `r.yaml:6: unknown field "colour"`},
		{"yaml bad bool", "r.yaml", yhead + "    words: [a]\n    disabled: yes\n", `r.yaml:6: field "disabled": want true or false`},
		{"yaml nested list", "r.yaml", yhead + "    words:\n      - [a]\n", `r.yaml:5: field "words": want a list of strings`},
		{"yaml number as string", "r.yaml", yhead + "    words: [a]\n    description: 2024\n", `r.yaml:6: field "description": want a string`},
		{"yaml infinity", "r.yaml", yhead + "    words: [a]\n    confidence: .inf\n", `r.yaml:6: field "confidence": want a number`},
		// go-yaml refuses a key that overrides a merged one.
		{"yaml merge override", "r.yaml", "rules:\n  - &b {id: x, words: [a]}\n  - <<: *b\n    id: y\n", `r.yaml:4: duplicate key "id"`},
		{"yaml merged field", "r.yaml", "rules:\n  - &b {id: x, window: [1, 2, 3], disabled: true}\n  - <<: *b\n", `r.yaml:2: field "window": want`},
		{"yaml merged rule", "r.yaml", "rules:\n  - &b {id: x, disabled: true}\n  - <<: *b\n    category: phone\n", `r.yaml:3: rule "x" already defined on line 2`},
		{"yaml field from merge", "r.yaml", "base: &b {window: [1, 2, 3]}\nrules:\n  - <<: *b\n    id: y\n", `r.yaml:1: unknown key "base"`},
		{"yaml bad category", "r.yaml", "rules:\n  - id: a\n    disabled: true\n\n  - id: x\n    category: salary\n    severity: low\n    words: [a]\n", `r.yaml:5: rule "x": unknown category "salary"`},
		// Line ends.
		{"yaml crlf", "r.yaml", "# a\r\n# b\r\nrules:\r\n  - id: x # c\r\n    colour: 1\r\n", `r.yaml:5: unknown field "colour"`},
		{"yaml cr", "r.yaml", "# a\r# b\rrules:\r  - id: x\r    colour: 1\r", `r.yaml:5: unknown field "colour"`},
		{"toml crlf", "r.toml", "# a\r\n# b\r\n[[rule]] # c\r\nid = 'x'\r\ncolour = 1\r\n", `r.toml:5: unknown field "colour"`},
		// Files.
		{"invalid utf-8", "r.toml", head + "description = \"\xff\"\n", "r.toml:5: not valid UTF-8"},
		{"invalid utf-8 yaml", "r.yaml", yhead + "    description: \"\xff\"\n", "r.yaml:5: not valid UTF-8"},
		{"too large", "r.toml", "#" + strings.Repeat("x", maxSize), "r.toml: rule file larger than 8388608 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := Load(tt.file, []byte(tt.src))
			if err == nil {
				t.Fatalf("Load(%q) = %+v, nil error; want %q", tt.src, rules, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%.200q) = %q, want an error containing %q", tt.src, err, tt.want)
			}
			var re *detect.RuleError
			if !errors.As(err, &re) || !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Errorf("Load(%.200q) error %T is not a *detect.RuleError wrapping ErrInvalidInput", tt.src, err)
			} else if re.File != tt.file || (re.Line == 0) != strings.HasPrefix(tt.want, tt.file+": ") {
				t.Errorf("Load(%.200q) error at %s:%d, want %s and a line", tt.src, re.File, re.Line, tt.file)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(path, []byte("rules:\n  - id: acme.x\n    category: confidential\n    severity: low\n    words: [blue sky]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rules, err := ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile(%s) = %v", path, err)
	}
	if len(rules) != 1 || rules[0].Source != path+":2" {
		t.Fatalf("ReadFile(%s) = %+v, want one rule from %s:2", path, rules, path)
	}
	d, err := detect.New(detect.Options{Rules: rules, NoBuiltin: true})
	if err != nil {
		t.Fatalf("detect.New(rules) = %v", err)
	}
	body := "a blue  sky plan, (713) 853-1234"
	flags := d.Scan(nil, &leakscope.Text{Body: body})
	if len(flags) != 1 || body[flags[0].Start:flags[0].End] != "blue  sky" || flags[0].Rule != "acme.x" {
		t.Errorf("Scan = %+v, want only the user rule's finding", flags)
	}

	_, err = ReadFile(filepath.Join(dir, "missing.toml"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "read rules") {
		t.Errorf("ReadFile(missing) = %v, want a read error wrapping fs.ErrNotExist", err)
	}

	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#\n", maxSize/2+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	var re *detect.RuleError
	if _, err := ReadFile(big); !errors.As(err, &re) || re.File != big {
		t.Errorf("ReadFile(big) = %v, want a RuleError for %s", err, big)
	}
}
