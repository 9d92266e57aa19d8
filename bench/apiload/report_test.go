package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even is the lower", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100", ms(hundred...), 90, 90 * time.Millisecond},
		{"max", ms(1, 5, 9), 100, 9 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	mix := []Query{{Q: "a"}, {Q: "b", Params: "sort=date"}}
	o1, o2 := newOutcome(2), newOutcome(2)
	o1.lat, o1.byQuery[0] = []time.Duration{3 * time.Millisecond, time.Millisecond}, []time.Duration{3 * time.Millisecond, time.Millisecond}
	o1.errs["status 503"], o1.sample["status 503"] = 2, "audit_unavailable"
	o1.bytes = 600
	o2.lat, o2.byQuery[1] = []time.Duration{2 * time.Millisecond}, []time.Duration{2 * time.Millisecond}
	o2.errs["transport"], o2.sample["transport"] = 1, "connection refused"
	lv := summarize(2, 2*time.Second, []*outcome{o1, o2}, mix)
	if lv.Requests != 6 || lv.Errors != 3 || lv.ErrorKinds["status 503"] != 2 || lv.ErrorKinds["transport"] != 1 {
		t.Errorf("summarize: requests %d, errors %d %v; want 6, 3 (2 x status 503, 1 x transport)", lv.Requests, lv.Errors, lv.ErrorKinds)
	}
	if lv.RPS != 1.5 || lv.P50MS != 2 || lv.MaxMS != 3 || lv.MeanMS != 2 || lv.BytesPerReq != 100 {
		t.Errorf("summarize: rps %v p50 %v max %v mean %v bytes/req %v; want 1.5, 2, 3, 2, 100", lv.RPS, lv.P50MS, lv.MaxMS, lv.MeanMS, lv.BytesPerReq)
	}
	if len(lv.ByQuery) != 2 || lv.ByQuery[0].Requests != 2 || lv.ByQuery[0].P50MS != 1 || lv.ByQuery[1].Params != "sort=date" {
		t.Errorf("summarize: by query %+v", lv.ByQuery)
	}
	var b strings.Builder
	if err := writeTable(&b, &Report{Levels: []Level{*lv}}, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 x status 503 (audit_unavailable)", "by query at 2 clients:", "sort=date"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("writeTable output lacks %q:\n%s", want, b.String())
		}
	}
}
