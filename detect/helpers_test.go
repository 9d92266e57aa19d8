package detect

import (
	"testing"

	"github.com/leakscope/leakscope"
)

func newTestDetector(t testing.TB, opts Options) *Detector {
	t.Helper()
	d, err := New(opts)
	if err != nil {
		t.Fatalf("New(%+v) = %v", opts, err)
	}
	return d
}

// values returns the values flagged in a body, for one category ("" for
// all).
func values(d *Detector, category, body string) []string {
	var out []string
	for _, f := range d.Scan(nil, &leakscope.Text{Body: body}) {
		if category == "" || f.Category == category {
			out = append(out, body[f.Start:f.End])
		}
	}
	return out
}
