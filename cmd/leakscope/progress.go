package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/leakscope/leakscope/indexer"
)

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows an ingest's progress: a bar with messages/s, MB/s and ETA
// on a terminal, a plain line every lineEvery otherwise.
type progress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	mu       sync.Mutex
	lastLine time.Time
	last     indexer.Progress
}

const lineEvery = 10 * time.Second

func newProgress(w io.Writer, tty bool) *progress {
	p := &progress{w: w, lastLine: time.Now()}
	if tty {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(pr indexer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Counts.Messages) / s
	}
	if p.bar != nil {
		if pr.TotalBytes > 0 && p.bar.GetMax64() != pr.TotalBytes {
			p.bar.ChangeMax64(pr.TotalBytes)
		}
		p.bar.Describe(fmt.Sprintf("%d messages, %.0f msg/s", pr.Counts.Messages, rate))
		_ = p.bar.Set64(min(pr.ReadBytes, max(pr.TotalBytes, pr.ReadBytes)))
		return
	}
	if pr.Done || time.Since(p.lastLine) < lineEvery {
		return
	}
	p.lastLine = time.Now()
	line := fmt.Sprintf("indexing: %d messages, %.0f msg/s, %.1f MB/s", pr.Counts.Messages, rate,
		float64(pr.ReadBytes)/1e6/max(pr.Elapsed.Seconds(), 0.001))
	if pr.TotalBytes > 0 && pr.ReadBytes > 0 {
		frac := float64(pr.ReadBytes) / float64(pr.TotalBytes)
		eta := time.Duration(float64(pr.Elapsed) * (1 - frac) / frac).Round(time.Second)
		line += fmt.Sprintf(", %.0f%%, ETA %s", 100*frac, eta)
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
