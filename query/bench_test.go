package query

import (
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	benchmarks := []struct {
		name string
		in   string
	}{
		{"word", "budget"},
		{"typical", `from:amy.pascal -to:legal "box office" (subject:merger OR attach:plan*) after:2014-06`},
		{"dates", "date:2014-01..2014-06 before:2015 after:yesterday date:2014-03-05"},
		{"max terms", strings.TrimSpace(strings.Repeat("word ", MaxTerms))},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.in)))
			for b.Loop() {
				if _, err := ParseAt(bm.in, now); err != nil {
					b.Fatalf("ParseAt(%q) = %v", bm.in, err)
				}
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	q := mustParse(b, `from:amy.pascal -to:legal "box office" (subject:merger OR attach:plan*) after:2014-06`)
	b.ReportAllocs()
	for b.Loop() {
		_ = q.String()
	}
}
