package parse

import (
	"os"
	"sort"
	"testing"
	"time"
)

func TestSlowest(t *testing.T) {
	if os.Getenv("SLOW") == "" {
		t.Skip()
	}
	files := corpusFiles(t, corpusDir(t, os.Getenv("SLOW")))
	type r struct {
		f string
		d time.Duration
		n int
	}
	var rs []r
	var tot time.Duration
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		st := time.Now()
		Parse(raw, "", Options{})
		d := time.Since(st)
		tot += d
		rs = append(rs, r{f, d, len(raw)})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	t.Logf("total parse %v", tot)
	for _, x := range rs[:10] {
		t.Logf("%v %d %s", x.d, x.n, x.f)
	}
}
