package exposure

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

// scenarioTexts is a TextSource that regenerates leaked texts from the
// scenario instead of keeping them, so that the scale test measures the
// Matcher's memory and not the test's. Recently made threads are cached:
// a reference message's candidates are mostly in its own thread.
type scenarioTexts struct {
	s     *mailgen.Scenario
	mu    sync.Mutex
	cache map[int]*mailgen.ScenarioThread
	order []int
	calls atomic.Int64
	cpu   atomic.Int64 // CPU nanoseconds spent regenerating texts
}

func (st *scenarioTexts) Text(_ context.Context, id string) (*leakscope.Text, error) {
	st.calls.Add(1)
	if t0, ok := threadCPU(); ok {
		defer func() {
			t1, _ := threadCPU()
			st.cpu.Add(int64(t1 - t0))
		}()
	}
	var t, n int
	if _, err := fmt.Sscanf(id, "L%d-%d", &t, &n); err != nil {
		return nil, fmt.Errorf("text of %s: %w", id, leakscope.ErrNotFound)
	}
	st.mu.Lock()
	th := st.cache[t]
	st.mu.Unlock()
	if th == nil {
		th = st.s.Thread(t)
		st.mu.Lock()
		if len(st.order) >= 64 {
			delete(st.cache, st.order[0])
			st.order = st.order[1:]
		}
		st.cache[t] = th
		st.order = append(st.order, t)
		st.mu.Unlock()
	}
	for _, it := range th.Leak {
		if it.Message.ID == id {
			return it.Text, nil
		}
	}
	return nil, fmt.Errorf("text of %s: %w", id, leakscope.ErrNotFound)
}

// TestScale reconciles a generated archive of about 100,000 messages
// against a leak of about 200,000 with as many workers as GOMAXPROCS, and
// prints the rates and the peak heap and RSS. It runs only with
// LEAKSCOPE_EXPOSURE_SCALE=1 (it takes minutes); LEAKSCOPE_EXPOSURE_THREADS
// changes the size (default 25,000 threads; the leak gets as many
// unrelated messages as needed to be twice the archive).
func TestScale(t *testing.T) {
	if os.Getenv("LEAKSCOPE_EXPOSURE_SCALE") != "1" {
		t.Skip("set LEAKSCOPE_EXPOSURE_SCALE=1 to run the scale test")
	}
	threads := 25000
	if v := os.Getenv("LEAKSCOPE_EXPOSURE_THREADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("LEAKSCOPE_EXPOSURE_THREADS=%q: want a positive number", v)
		}
		threads = n
	}
	// A thread holds 4 archive and about 4.2 leaked messages on average;
	// unrelated mail makes the leak twice the archive.
	s := mailgen.NewScenario(mailgen.ScenarioOptions{Threads: threads, Unrelated: threads * 38 / 10, Seed: 99})
	texts := &scenarioTexts{s: s, cache: map[int]*mailgen.ScenarioThread{}}
	m := NewMatcher(Options{Texts: texts})
	workers := runtime.GOMAXPROCS(0)
	peak := watchHeap()

	// Phase 1: index the leak. Each worker is locked to an OS thread so
	// that the CPU time spent inside the Matcher can be read from it,
	// apart from the scenario's generation and from other processes.
	start := time.Now()
	cpu0, _ := processCPU()
	var leaked, archive atomic.Int64
	var inMatcher atomic.Int64 // CPU nanoseconds spent inside the Matcher
	timed := func(fn func()) {
		t0, ok := threadCPU()
		w0 := time.Now()
		fn()
		if t1, ok1 := threadCPU(); ok && ok1 {
			inMatcher.Add(int64(t1 - t0))
		} else {
			inMatcher.Add(int64(time.Since(w0)))
		}
	}
	forThreads(threads, workers, func(i int) {
		th := s.Thread(i)
		archive.Add(int64(len(th.Archive)))
		for _, it := range th.Leak {
			timed(func() {
				if err := m.AddLeaked(it.Message, it.Text); err != nil {
					t.Error(err)
				}
			})
			leaked.Add(1)
		}
	})
	indexWall, indexCPU := time.Since(start), time.Duration(inMatcher.Load())
	cpu1, _ := processCPU()
	t.Logf("indexed %d leaked messages in %v wall, %v process CPU, %d workers; AddLeaked: %v CPU, %.0f msg per CPU-second",
		leaked.Load(), indexWall.Round(time.Millisecond), (cpu1 - cpu0).Round(time.Millisecond), workers,
		indexCPU.Round(time.Millisecond), float64(leaked.Load())/indexCPU.Seconds())

	retained := liveHeap()

	// Phase 2: match the archive.
	start = time.Now()
	inMatcher.Store(0)
	var kinds [4]atomic.Int64
	forThreads(threads, workers, func(i int) {
		th := s.Thread(i)
		for _, it := range th.Archive {
			var got Match
			var err error
			timed(func() { got, err = m.Match(context.Background(), it.Message, it.Text) })
			if err != nil {
				t.Error(err)
				return
			}
			kinds[got.Kind.rank()].Add(1)
		}
	})
	matchWall, textCPU := time.Since(start), time.Duration(texts.cpu.Load())
	matchCPU := time.Duration(inMatcher.Load()) - textCPU
	cpu2, _ := processCPU()
	nia := len(m.NotInArchive([]string{s.Domain()}))
	t.Logf("matched %d archive messages in %v wall, %v process CPU; Match: %v CPU without the %v spent regenerating %d leaked texts (%.1f per message) for the TextSource, %.0f msg per CPU-second",
		archive.Load(), matchWall.Round(time.Millisecond), (cpu2 - cpu1).Round(time.Millisecond),
		matchCPU.Round(time.Millisecond), textCPU.Round(time.Millisecond), texts.calls.Load(),
		float64(texts.calls.Load())/float64(archive.Load()), float64(archive.Load())/matchCPU.Seconds())
	t.Logf("index: %d postings (%.1f per leaked message)", m.npost, float64(m.npost)/float64(leaked.Load()))
	t.Logf("verdicts: exact %d, reexport %d, quoted %d, none %d; not in archive: %d",
		kinds[0].Load(), kinds[1].Load(), kinds[2].Load(), kinds[3].Load(), nia)
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("load average during the run: %s", strings.TrimSpace(string(load)))
	}
	heap := peak()
	t.Logf("heap held after indexing (after a GC): %.0f MiB; peak heap %.0f MiB (garbage included, GOGC=%s); peak RSS %s; total %v",
		float64(retained)/(1<<20), float64(heap)/(1<<20), cmpOr(os.Getenv("GOGC"), "100"), peakRSS(), (indexWall + matchWall).Round(time.Second))
	runtime.KeepAlive(m)
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// forThreads calls fn for 0..n-1 on workers goroutines.
func forThreads(n, workers int, fn func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// watchHeap samples the live heap every 50 ms until the returned function
// is called, which returns the largest sample.
func watchHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

// peakRSS reads the process's peak resident set size (Linux VmHWM).
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
