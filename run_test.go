package leakscope

import (
	"testing"
	"time"
)

func TestBatchPublished(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2014, 12, d, 0, 0, 0, 0, time.UTC) }
	runs := []IngestRun{
		{ID: 1, Leak: "sony", Batch: "wave-1", Published: day(1)},
		{ID: 2, Leak: "sony", Batch: "wave-2", Published: day(8)},
		{ID: 3, Leak: "sony", Batch: "wave-1"},                     // re-run without a date: keeps day 1
		{ID: 4, Leak: "sony", Batch: "wave-3", Published: day(14)}, // a wrong date...
		{ID: 5, Leak: "sony", Batch: "wave-3", Published: day(15)}, // ...corrected by a later run
		{ID: 6, Leak: "old", Batch: "b"},                           // written before runs kept dates
	}
	leaks := []Leak{{Name: "sony", Published: day(1)}, {Name: "old", Published: day(20)}}
	published := BatchPublished(runs, leaks)
	for _, tt := range []struct {
		leak, batch string
		want        time.Time
	}{
		{"sony", "wave-1", day(1)},
		{"sony", "wave-2", day(8)},
		{"sony", "wave-3", day(15)},
		{"sony", "wave-9", day(1)}, // unknown batch: the leak's date
		{"old", "b", day(20)},
		{"none", "b", time.Time{}},
	} {
		if got := published(tt.leak, tt.batch); !got.Equal(tt.want) {
			t.Errorf("published(%s, %s) = %v, want %v", tt.leak, tt.batch, got, tt.want)
		}
	}
}
