package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/leakscope/leakscope/export"
)

// exportProgress shows an export's progress: a bar over the messages with
// their rate and ETA on a terminal, a plain line every lineEvery otherwise.
type exportProgress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	mu       sync.Mutex
	lastLine time.Time
}

func newExportProgress(w io.Writer, tty bool, total int) *exportProgress {
	p := &exportProgress{w: w, lastLine: time.Now()}
	if tty {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("exporting"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("msg"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *exportProgress) update(pr export.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Set(pr.Messages)
		return
	}
	if pr.Done || time.Since(p.lastLine) < lineEvery {
		return
	}
	p.lastLine = time.Now()
	rate := float64(pr.Messages) / max(pr.Elapsed.Seconds(), 0.001)
	line := fmt.Sprintf("exporting: %d of %d messages, %d documents, %.0f msg/s, %.1f MB", pr.Messages, pr.Total, pr.Documents, rate, float64(pr.Bytes)/1e6)
	if pr.Total > 0 && pr.Messages > 0 {
		eta := time.Duration(float64(pr.Elapsed) * float64(pr.Total-pr.Messages) / float64(pr.Messages)).Round(time.Second)
		line += fmt.Sprintf(", %.0f%%, ETA %s", 100*float64(pr.Messages)/float64(pr.Total), eta)
	}
	fmt.Fprintln(p.w, line)
}

func (p *exportProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
