package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// stageProgress shows how far a long check or rebuild is (verify, repair,
// reindex), stage by stage: a bar on a terminal, a plain line every
// lineEvery otherwise.
type stageProgress struct {
	w        io.Writer
	tty      bool
	mu       sync.Mutex
	stage    string
	bar      *progressbar.ProgressBar
	lastLine time.Time
}

func newStageProgress(w io.Writer, tty bool) *stageProgress {
	return &stageProgress{w: w, tty: tty, lastLine: time.Now()}
}

// stageUnits says what a stage counts: bytes of packs, or messages.
var stageUnits = map[string]string{"packs": "bytes", "messages": "messages", "index": "messages", "rebuild": "copies"}

func (p *stageProgress) update(stage string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage != p.stage {
		p.finishLocked()
		p.stage = stage
		if p.tty {
			max := total
			if max <= 0 {
				max = -1
			}
			opts := []progressbar.Option{
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(stage),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(200 * time.Millisecond),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionFullWidth(),
				progressbar.OptionClearOnFinish(),
			}
			if stageUnits[stage] == "bytes" {
				opts = append(opts, progressbar.OptionShowBytes(true))
			} else {
				opts = append(opts, progressbar.OptionShowCount())
			}
			p.bar = progressbar.NewOptions64(max, opts...)
		}
	}
	if p.bar != nil {
		_ = p.bar.Set64(done)
		return
	}
	if time.Since(p.lastLine) < lineEvery {
		return
	}
	p.lastLine = time.Now()
	line := fmt.Sprintf("%s: %d %s", stage, done, stageUnits[stage])
	if total > 0 {
		line += fmt.Sprintf(" of %d (%.0f%%)", total, 100*float64(done)/float64(total))
	}
	fmt.Fprintln(p.w, line)
}

func (p *stageProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
}

func (p *stageProgress) finishLocked() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
