package rulefile

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

// FuzzLoad checks the rule-file reader: it never panics; a rejected file
// gets a *detect.RuleError naming the file and a line inside it; an
// accepted file yields rules that know their line, pass detect.CheckRule
// and build a Detector.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"testdata/example_rules.toml", "testdata/example_rules.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.HasSuffix(name, ".yaml"), data)
	}
	f.Add(false, []byte("[[rule]]\nid = \"x\"\ncategory = \"phone\"\nseverity = \"low\"\nwords = [\"a\",\n 'b']\n"))
	f.Add(false, []byte("rule = [{id = \"x\", disabled = true}]\n[[rule]]\nid = \"y\"\n"))
	f.Add(false, []byte("[[rule]]\nid = \"x\"\n[rule.a]\n[rule.a]\n"))
	f.Add(true, []byte("rules:\n- id: x\n  category: phone\n  severity: low\n  pattern: |\n    \\d+\n"))
	f.Add(true, []byte("rules:\n- &a {id: x, category: phone, severity: low, words: &w [a]}\n- {id: y, category: phone, severity: low, words: *w}\n---\n"))
	f.Fuzz(func(t *testing.T, yaml bool, data []byte) {
		name := "f.toml"
		if yaml {
			name = "f.yaml"
		}
		rules, err := Load(name, data)
		// Lines as an editor counts them: YAML also ends a line at a lone CR.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		if err != nil {
			var re *detect.RuleError
			if !errors.As(err, &re) || !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Fatalf("Load error %T %v is not a *detect.RuleError", err, err)
			}
			if re.File != name || re.Line < 1 && len(data) <= maxSize || re.Line > lines {
				t.Fatalf("Load error %v points outside the %d-line file %s", err, lines, name)
			}
			return
		}
		for _, r := range rules {
			line, err := strconv.Atoi(strings.TrimPrefix(r.Source, name+":"))
			if err != nil || line < 1 || line > lines {
				t.Fatalf("rule %q Source = %q, want %s:LINE in 1..%d", r.ID, r.Source, name, lines)
			}
			if r.Disabled {
				continue
			}
			if err := detect.CheckRule(r); err != nil {
				t.Fatalf("Load accepted rule %q that does not pass CheckRule: %v", r.ID, err)
			}
		}
		d, err := detect.New(detect.Options{NoBuiltin: true, Rules: rules})
		if err != nil {
			t.Fatalf("detect.New with accepted rules = %v", err)
		}
		d.Scan(&leakscope.Message{Subject: "x"}, &leakscope.Text{Body: string(data)})
	})
}
