package api

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(2, 3) // 2 per second, bursts of 3
	l.now = func() time.Time { return clock }
	for i := range 3 {
		if ok, _ := l.allow("ann"); !ok {
			t.Fatalf("request %d of a burst of 3 refused", i+1)
		}
	}
	ok, wait := l.allow("ann")
	if ok || wait != 500*time.Millisecond {
		t.Errorf("4th request = %v, wait %v; want refused, wait 500ms", ok, wait)
	}
	if got := retrySeconds(wait); got != 1 {
		t.Errorf("retrySeconds(%v) = %d, want 1", wait, got)
	}
	if ok, _ := l.allow("bob"); !ok {
		t.Error("another key shares ann's bucket")
	}
	clock = clock.Add(time.Second) // two tokens back
	for i := range 2 {
		if ok, _ := l.allow("ann"); !ok {
			t.Errorf("request %d after a second refused", i+1)
		}
	}
	if ok, _ := l.allow("ann"); ok {
		t.Error("third request after a second allowed; the rate is 2 per second")
	}
	clock = clock.Add(time.Hour) // never more than the burst
	n := 0
	for {
		if ok, _ := l.allow("ann"); !ok {
			break
		}
		n++
	}
	if n != 3 {
		t.Errorf("after an idle hour %d requests allowed, want the burst, 3", n)
	}
}

func TestLimiterPrunes(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(1, 1)
	l.now = func() time.Time { return clock }
	for i := range maxBuckets {
		l.allow(string(rune(i)))
	}
	clock = clock.Add(2 * time.Second)
	l.allow("new")
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets after pruning, want 1", len(l.buckets))
	}
}

func TestRetrySeconds(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{{0, 1}, {time.Millisecond, 1}, {time.Second, 1}, {1500 * time.Millisecond, 2}, {59 * time.Second, 59}} {
		if got := retrySeconds(tc.d); got != tc.want {
			t.Errorf("retrySeconds(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}
