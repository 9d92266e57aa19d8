package leakscope

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestParseTagName(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"built-in", "privileged", "privileged", true},
		{"upper case", "Privileged", "privileged", true},
		{"white space around", "  hot\t", "hot", true},
		{"digits and separators", "board-2014_q3", "board-2014_q3", true},
		{"starts with a digit", "2014-deal", "2014-deal", true},
		{"one character", "x", "x", true},
		{"longest", strings.Repeat("a", 64), strings.Repeat("a", 64), true},
		{"too long", strings.Repeat("a", 65), "", false},
		{"empty", "", "", false},
		{"blank", "   ", "", false},
		{"starts with a hyphen", "-hot", "", false},
		{"starts with an underscore", "_hot", "", false},
		{"inner space", "very hot", "", false},
		{"colon", "tag:hot", "", false},
		{"dot", "hot.1", "", false},
		{"star", "hot*", "", false},
		{"non-ASCII letter", "privilégié", "", false},
		{"NUL", "hot\x00", "", false},
		{"Kelvin sign lower-cases to k", "\u212a", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTagName(tt.in)
			if tt.ok && (err != nil || got != tt.want) {
				t.Errorf("ParseTagName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			if !tt.ok && (err == nil || !errors.Is(err, ErrInvalidInput)) {
				t.Errorf("ParseTagName(%q) = %q, %v; want an ErrInvalidInput error", tt.in, got, err)
			}
		})
	}
	for _, name := range BuiltinTags {
		if got, err := ParseTagName(name); err != nil || got != name {
			t.Errorf("ParseTagName(%q) = %q, %v; want it unchanged", name, got, err)
		}
	}
}

var tagNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// FuzzParseTagName: an accepted name matches the documented pattern, is
// the trimmed, lower-cased input, and parses to itself.
func FuzzParseTagName(f *testing.F) {
	for _, s := range []string{"privileged", "Hot", " x ", "-a", "a b", "\u212a", strings.Repeat("z", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTagName(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("ParseTagName(%q) error %v does not wrap ErrInvalidInput", s, err)
			}
			return
		}
		if !tagNamePattern.MatchString(got) {
			t.Errorf("ParseTagName(%q) = %q, which does not match %s", s, got, tagNamePattern)
		}
		if got != strings.ToLower(strings.TrimSpace(s)) {
			t.Errorf("ParseTagName(%q) = %q, want the trimmed, lower-cased input", s, got)
		}
		if again, err := ParseTagName(got); err != nil || again != got {
			t.Errorf("ParseTagName(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

func TestTagChangeDetail(t *testing.T) {
	ids := make([]string, 23)
	for i := range ids {
		ids[i] = string(rune('a' + i))
	}
	tests := []struct {
		name         string
		matched, chg int
		query        string
		ids          []string
		want         string
	}{
		{"query", 12, 3, "flag:ssn", nil, "12 messages, 3 changed; query: flag:ssn"},
		{"one id", 1, 1, "", []string{"x1"}, "1 message, 1 changed; ids: x1"},
		{"many ids", 23, 0, "", ids, "23 messages, 0 changed; ids: a b c d e f g h i j k l m n o p q r s t and 3 more"},
	}
	for _, tc := range tests {
		if got := TagChangeDetail(tc.matched, tc.chg, tc.query, tc.ids); got != tc.want {
			t.Errorf("%s: TagChangeDetail = %q, want %q", tc.name, got, tc.want)
		}
	}
}
