package rulefile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/detect"
)

// maxSize bounds a rule file.
const maxSize = 8 << 20

// ReadFile reads and checks the rule file at path, as Load does with path
// as the name. An error opening or reading the file wraps the os error
// ("read rules: open rules.toml: no such file or directory").
func ReadFile(path string) ([]detect.Rule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return Load(path, data)
}

// Load reads the rule file data, named name, and checks every rule with
// detect.CheckRule. The format is TOML or YAML, chosen by the name's
// extension (.toml, .yaml or .yml) or else by the content: a file whose
// first line that is not blank, a comment or "---" starts with "rules:" is
// YAML. Every error is a *detect.RuleError naming the file and the line
// (no line for a file over 8 MiB) and wrapping leakscope.ErrInvalidInput.
// The rules are returned in file order, each with Source set to
// "name:line", the line where it starts.
func Load(name string, data []byte) ([]detect.Rule, error) {
	if len(data) > maxSize {
		return nil, &detect.RuleError{File: name, Msg: fmt.Sprintf("rule file larger than %d bytes", maxSize)}
	}
	if !utf8.Valid(data) {
		return nil, &detect.RuleError{File: name, Line: invalidUTF8Line(data), Msg: "not valid UTF-8"}
	}
	var raws []rawRule
	var err error
	if isYAML(name, data) {
		raws, err = readYAML(name, data)
	} else {
		raws, err = readTOML(name, data)
	}
	if err != nil {
		return nil, err
	}
	rules := make([]detect.Rule, 0, len(raws))
	seen := map[string]int{}
	for _, raw := range raws {
		r, err := decodeRule(name, raw)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, &detect.RuleError{File: name, Line: raw.line, Msg: fmt.Sprintf("rule %q already defined on line %d", r.ID, prev)}
		}
		seen[r.ID] = raw.line
		if !r.Disabled {
			if err := detect.CheckRule(r); err != nil {
				return nil, err
			}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func isYAML(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
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

// lineAt returns the line (from 1) of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
