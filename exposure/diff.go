package exposure

import (
	"fmt"
	"strings"
)

// Diff returns a unified diff (two lines of context) that turns a into b,
// line by line, or "" when they have the same lines. Lines are compared
// exactly, after removing a trailing carriage return.
func Diff(a, b string) string {
	al, bl := splitLines(a), splitLines(b)
	edits := diffEdits(len(al), len(bl), func(i, j int) bool { return al[i] == bl[j] }, maxEdits)
	return unified("a", "b", al, bl, edits, 2)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// maxEdits bounds the work of a diff: past this many differences the rest
// is shown as removed and added whole.
const maxEdits = 2000

// edit is one step of a diff: keep a[i] (= b[j]), remove a[i], or add b[j].
type edit struct {
	op   byte // '=', '-' or '+'
	i, j int
}

// diffEdits returns a shortest edit script from a sequence of n elements to
// one of m elements (Myers' O(ND) algorithm), given their equality. Common
// ends are taken off first. Past maxD differences it gives up on the
// middle and removes and adds it whole.
func diffEdits(n, m int, eq func(i, j int) bool, maxD int) []edit {
	pre := 0
	for pre < n && pre < m && eq(pre, pre) {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && eq(n-1-suf, m-1-suf) {
		suf++
	}
	var out []edit
	for k := range pre {
		out = append(out, edit{'=', k, k})
	}
	out = append(out, myers(pre, pre, n-pre-suf, m-pre-suf, eq, maxD)...)
	for k := range suf {
		out = append(out, edit{'=', n - suf + k, m - suf + k})
	}
	return out
}

// myers diffs a[a0:a0+n] against b[b0:b0+m].
func myers(a0, b0, n, m int, eq func(i, j int) bool, maxD int) []edit {
	whole := func() []edit {
		var out []edit
		for i := range n {
			out = append(out, edit{'-', a0 + i, b0})
		}
		for j := range m {
			out = append(out, edit{'+', a0 + n, b0 + j})
		}
		return out
	}
	if n == 0 || m == 0 {
		return whole()
	}
	off := n + m + 1
	v := make([]int, 2*off+1)
	var trace [][]int // trace[d][k+d] = furthest x on diagonal k after step d
	for d := 0; d <= n+m && d <= maxD; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && eq(a0+x, b0+y) {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
				return backtrack(trace, a0, b0, n, m)
			}
		}
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
	}
	return whole()
}

func backtrack(trace [][]int, a0, b0, n, m int) []edit {
	var rev []edit
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1] // indexed k+(d-1)
		k := x - y
		var pk int
		if k == -d || k != d && prev[k-1+d-1] < prev[k+1+d-1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := prev[pk+d-1]
		py := px - pk
		for x > px && y > py && (x > px+boolInt(pk == k-1)) && (y > py+boolInt(pk == k+1)) {
			x--
			y--
			rev = append(rev, edit{'=', a0 + x, b0 + y})
		}
		if pk == k+1 {
			y--
			rev = append(rev, edit{'+', a0 + x, b0 + y})
		} else {
			x--
			rev = append(rev, edit{'-', a0 + x, b0 + y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, edit{'=', a0 + x, b0 + y})
	}
	out := make([]edit, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unified formats an edit script as a unified diff with ctx lines of
// context; "" when nothing changed.
func unified(nameA, nameB string, a, b []string, edits []edit, ctx int) string {
	changed := false
	for _, e := range edits {
		if e.op != '=' {
			changed = true
			break
		}
	}
	if !changed {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	for start := 0; start < len(edits); {
		// Find the next change and the hunk around it.
		first := start
		for first < len(edits) && edits[first].op == '=' {
			first++
		}
		if first == len(edits) {
			break
		}
		lo := max(start, first-ctx)
		hi := first
		for {
			for hi < len(edits) && edits[hi].op != '=' {
				hi++
			}
			same := 0
			for hi+same < len(edits) && edits[hi+same].op == '=' {
				same++
			}
			if hi+same < len(edits) && same <= 2*ctx {
				hi += same
				continue
			}
			hi = min(len(edits), hi+ctx)
			break
		}
		hunk := edits[lo:hi]
		aStart, bStart, aLen, bLen := hunk[0].i, hunk[0].j, 0, 0
		for _, e := range hunk {
			if e.op != '+' {
				aLen++
			}
			if e.op != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, e := range hunk {
			switch e.op {
			case '=':
				out.WriteString(" " + a[e.i] + "\n")
			case '-':
				out.WriteString("-" + a[e.i] + "\n")
			case '+':
				out.WriteString("+" + b[e.j] + "\n")
			}
		}
		start = hi
	}
	return out.String()
}

// hunkRange formats a hunk's start and length as unified diffs do:
// 1-based, the length left out when it is 1, the start one less when the
// length is 0.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
