package exposure

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal", "a\nb\n", "a\nb", ""},
		{"both empty", "", "", ""},
		{"one line changed", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\ne\nf\n",
			"--- a\n+++ b\n@@ -2,5 +2,5 @@\n b\n c\n-d\n+X\n e\n f\n"},
		{"added at the end", "a\nb\n", "a\nb\nc\n", "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+c\n"},
		{"removed at the start", "a\nb\nc\n", "b\nc\n", "--- a\n+++ b\n@@ -1,3 +1,2 @@\n-a\n b\n c\n"},
		{"from nothing", "", "x\n", "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n"},
		{"two hunks far apart", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n2\n3\n4\n5\n6\n7\n8\n9\n11\n",
			"--- a\n+++ b\n@@ -1,3 +1,3 @@\n-1\n+0\n 2\n 3\n@@ -8,3 +8,3 @@\n 8\n 9\n-10\n+11\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.a, tt.b); got != tt.want {
				t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// applyUnified applies a unified diff made by Diff to the lines of a.
func applyUnified(a []string, diff string) ([]string, error) {
	if diff == "" {
		return a, nil
	}
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "--- a" || lines[1] != "+++ b" {
		return nil, fmt.Errorf("no file header")
	}
	var out []string
	pos := 0
	for _, l := range lines[2:] {
		switch {
		case strings.HasPrefix(l, "@@ -"):
			f := strings.Fields(l)
			start, n, err := parseRange(strings.TrimPrefix(f[1], "-"))
			if err != nil {
				return nil, err
			}
			at := start - 1
			if n == 0 {
				at = start
			}
			if at < pos || at > len(a) {
				return nil, fmt.Errorf("hunk %q out of order", l)
			}
			out = append(out, a[pos:at]...)
			pos = at
		case strings.HasPrefix(l, " "), strings.HasPrefix(l, "-"):
			if pos >= len(a) || a[pos] != l[1:] {
				return nil, fmt.Errorf("line %q does not match", l)
			}
			if l[0] == ' ' {
				out = append(out, a[pos])
			}
			pos++
		case strings.HasPrefix(l, "+"):
			out = append(out, l[1:])
		default:
			return nil, fmt.Errorf("bad line %q", l)
		}
	}
	return append(out, a[pos:]...), nil
}

func parseRange(s string) (start, n int, err error) {
	a, b, ok := strings.Cut(s, ",")
	if start, err = strconv.Atoi(a); err != nil {
		return 0, 0, err
	}
	n = 1
	if ok {
		n, err = strconv.Atoi(b)
	}
	return start, n, err
}

// FuzzDiff checks that Diff's output, applied to the first text, gives the
// second, and is empty exactly when their lines are equal.
func FuzzDiff(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x")
	f.Add("same\n", "same\n")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n", "0\n2\n3\n4\n5\n6\n7\n9\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.Count(a, "\n")+strings.Count(b, "\n") > 400 {
			return
		}
		d := Diff(a, b)
		al, bl := splitLines(a), splitLines(b)
		if (d == "") != slices.Equal(al, bl) {
			t.Fatalf("Diff(%q, %q) = %q: empty iff equal lines does not hold", a, b, d)
		}
		got, err := applyUnified(al, d)
		if err != nil {
			t.Fatalf("Diff(%q, %q) = %q does not apply: %v", a, b, d, err)
		}
		if !slices.Equal(got, bl) {
			t.Fatalf("Diff(%q, %q) applied gives %q, want %q", a, b, got, bl)
		}
	})
}

func TestAlteration(t *testing.T) {
	ref := &leakscope.Text{Body: "Hi Bob,\n\nWe are $1.2m over budget on Falcon. Legal wants the deck by Friday.\n\nThanks,\nAlice\n"}
	tests := []struct {
		name    string
		leaked  string
		altered bool
		inDiff  string
	}{
		{"re-wrapped", "We are $1.2m over\nbudget on Falcon. Legal wants\nthe deck by Friday.", false, ""},
		{"words added", "We are $1.2m over budget on Falcon. Legal wants the deck by Friday. Caf? M?ller", true, "+M?ller"},
		{"figure changed", "We are $4.2m over budget on Falcon. Legal wants the deck by Friday.", true, "+We are $4.2m over budget on Falcon."},
		{"sentence removed", "We are $1.2m over budget on Falcon.", true, "-Legal wants the deck by Friday."},
		{"sentences moved", "Legal wants the deck by Friday.\n\nWe are $1.2m over budget on Falcon.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			altered, diff := alteration(ref, &leakscope.Text{Body: tt.leaked})
			if altered != tt.altered {
				t.Errorf("alteration(%q) = %v, want %v\n%s", tt.leaked, altered, tt.altered, diff)
			}
			if !strings.Contains(diff, tt.inDiff) {
				t.Errorf("alteration(%q) diff =\n%s\nwant it to contain %q", tt.leaked, diff, tt.inDiff)
			}
		})
	}
	// Characters lost to a re-encoding are no alteration.
	accented := &leakscope.Text{Body: "Björn Müller signs the deal with Núñez."}
	if altered, diff := alteration(accented, &leakscope.Text{Body: "Bj?rn M?ller signs the deal with N??ez."}); altered {
		t.Errorf("a re-encoding counted as an alteration:\n%s", diff)
	}
}
