package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWavePublishedDates checks that each wave keeps the date it was
// published on (the date given with its latest run that gave one) and that
// the leak's date is the earliest: a second wave's date once overwrote the
// first's, dating every wave-1 message to wave 2 in reports and letters.
func TestWavePublishedDates(t *testing.T) {
	dir, wave1, wave2 := twoWaves(t, 30, 30)
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--published", "2014-11-24", "--no-progress", wave1)
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--published", "2014-12-08", "--no-progress", wave2)
	// A re-run of wave 1 without a date changes nothing; one with a date
	// corrects it.
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w1", "--no-progress", wave1)
	mustRun(t, "index", "--data", data, "--leak", "l", "--batch", "w2", "--published", "2014-12-05", "--no-progress", wave2)

	var rep struct {
		Batches []struct {
			Batch     string     `json:"batch"`
			Messages  int        `json:"messages"`
			Published *time.Time `json:"published"`
		} `json:"batches"`
	}
	decodeJSON(t, mustRun(t, "exposure", "--data", data, "--json"), &rep)
	want := map[string]string{"w1": "2014-11-24", "w2": "2014-12-05"}
	if len(rep.Batches) != 2 {
		t.Fatalf("exposure batches = %+v, want w1 and w2", rep.Batches)
	}
	for _, b := range rep.Batches {
		if b.Published == nil || b.Published.Format(time.DateOnly) != want[b.Batch] || b.Messages == 0 {
			t.Errorf("batch %s: published %v, %d messages; want published %s", b.Batch, b.Published, b.Messages, want[b.Batch])
		}
	}
	if out := mustRun(t, "stats", "--data", data); !strings.Contains(out, "published 2014-11-24") {
		t.Errorf("stats does not give the leak's first publication, 2014-11-24:\n%s", out)
	}
	if out := mustRun(t, "report", "--data", data); !strings.Contains(out, "batch w2 published 2014-12-05") {
		t.Errorf("report does not give the date of each run:\n%s", out)
	}
}
