package api

import (
	"context"
	"errors"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestGated checks that gated requests run at most MaxSearches at a time,
// that every waiting one runs in the end, and that a request whose client
// gives up leaves the queue with its context's error.
func TestGated(t *testing.T) {
	s := &Server{searching: make(chan struct{}, 2), searchWait: time.Minute}
	var running, most atomic.Int32
	release := make(chan struct{})
	h := s.gated(func(*gin.Context) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		running.Add(-1)
		return nil
	})
	call := func(ctx context.Context) error {
		return h(&gin.Context{Request: httptest.NewRequestWithContext(ctx, "GET", "/api/v1/search", nil)})
	}

	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() { errs <- call(context.Background()) })
	}
	// Two run and block; the other four wait. One more, canceled while it
	// waits, returns at once.
	for len(s.searching) < 2 {
		runtime.Gosched() // until both places are taken
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := call(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled request while the gate is full: %v, want context.Canceled", err)
	}
	// A server whose one place stays taken answers busy after its wait.
	full := &Server{searching: make(chan struct{}, 1), searchWait: time.Millisecond}
	full.searching <- struct{}{}
	if _, err := full.acquireSearch(context.Background()); err != errBusy {
		t.Errorf("request that waited past searchWait: %v, want errBusy", err)
	}
	if e := toError(errBusy); e.Status != 503 || e.RetryAfter == 0 {
		t.Errorf("errBusy is answered %d with Retry-After %d, want 503 and a Retry-After", e.Status, e.RetryAfter)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("gated request: %v", err)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d gated requests ran at once, want 2", m)
	}
}
