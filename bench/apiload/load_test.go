package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI answers GET /api/v1/search like the real server for most
// queries, and fails in the ways the driver must catch for some: q=fail
// (503 with an API error), q=garbage (200, not JSON), q=nototal (200, no
// total). It counts the requests per query.
type fakeAPI struct {
	mu    sync.Mutex
	seen  map[string]int
	conns map[string]bool // remote addresses: one per kept-alive connection
}

func newFakeAPI(t *testing.T) (*fakeAPI, *httptest.Server) {
	t.Helper()
	f := &fakeAPI{seen: map[string]int{}, conns: map[string]bool{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer lsk_test" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.URL.Path != "/api/v1/search" || r.URL.Query().Get("limit") != "20" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	q := r.URL.Query().Get("q")
	f.mu.Lock()
	f.seen[q]++
	f.conns[r.RemoteAddr] = true
	f.mu.Unlock()
	time.Sleep(time.Millisecond)
	switch q {
	case "fail":
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"audit_unavailable","message":"x"}}`))
	case "garbage":
		w.Write([]byte(`{"total": 1, "hits": [`))
	case "nototal":
		w.Write([]byte(`{"hits": []}`))
	default:
		w.Write([]byte(`{"total": 3, "hits": [{"id": "a"}]}`))
	}
}

func testConfig(t *testing.T, srv *httptest.Server, mix []Query) config {
	t.Helper()
	base, err := apiBase(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return config{base: base, token: "lsk_test", mix: mix, warmup: 50 * time.Millisecond, duration: 300 * time.Millisecond,
		timeout: 5 * time.Second}
}

func TestRunLevel(t *testing.T) {
	f, srv := newFakeAPI(t)
	mix := []Query{{Q: "a"}, {Q: "fail"}, {Q: "b", Params: "sort=date"}, {Q: "garbage"}, {Q: "nototal"}, {Q: "c"}}
	lv, err := runLevel(context.Background(), testConfig(t, srv, mix), 4)
	if err != nil {
		t.Fatal(err)
	}
	if lv.Clients != 4 || lv.Requests < 20 {
		t.Fatalf("runLevel: %d clients, %d requests; want 4 clients and many requests in 300 ms", lv.Clients, lv.Requests)
	}
	for _, kind := range []string{"status 503", "json"} {
		if lv.ErrorKinds[kind] == 0 {
			t.Errorf("runLevel: no %q errors counted (%v)", kind, lv.ErrorKinds)
		}
	}
	if lv.ErrorSamples["status 503"] != "audit_unavailable" {
		t.Errorf("runLevel: 503 sample %q, want the API error code", lv.ErrorSamples["status 503"])
	}
	// Half the mix fails: errors and successes come out near half and half.
	if lv.Errors*4 < lv.Requests || lv.Errors*4 > 3*lv.Requests {
		t.Errorf("runLevel: %d errors of %d requests, want about half", lv.Errors, lv.Requests)
	}
	if lv.P50MS < 1 || lv.P99MS < lv.P50MS || lv.MaxMS < lv.P99MS || lv.RPS <= 0 {
		t.Errorf("runLevel: p50 %v p99 %v max %v rps %v; want ordered latencies of at least 1 ms", lv.P50MS, lv.P99MS, lv.MaxMS, lv.RPS)
	}
	for i, q := range lv.ByQuery {
		failing := q.Q == "fail" || q.Q == "garbage" || q.Q == "nototal"
		if failing != (q.Requests == 0) {
			t.Errorf("by query %d %q: %d successful requests", i, q.Q, q.Requests)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, q := range mix {
		if f.seen[q.Q] == 0 {
			t.Errorf("query %q never sent", q.Q)
		}
	}
	// Kept alive: a few connections, not one per request. net/http may
	// dial one more while a finished request's connection is on its way
	// back to the idle pool, so up to two per client pass.
	if len(f.conns) > 8 || len(f.conns) >= lv.Requests {
		t.Errorf("%d connections for 4 clients and %d requests; want them kept alive", len(f.conns), lv.Requests)
	}
}

// TestRun drives the whole command: exit status, table and JSON.
func TestRun(t *testing.T) {
	_, srv := newFakeAPI(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(good, []byte("a\nb\tsort=date\n"), 0o600)
	os.WriteFile(bad, []byte("a\nfail\n"), 0o600)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"all good", []string{"-url", srv.URL, "-token", "lsk_test", "-queries", good, "-clients", "1,2"}, exitOK, "clients"},
		{"errors exit 1", []string{"-url", srv.URL, "-token", "lsk_test", "-queries", bad, "-clients", "2"}, exitErrors, "x status 503"},
		{"wrong token", []string{"-url", srv.URL, "-token", "nope", "-queries", good, "-clients", "1"}, exitErrors, "status 401"},
		{"json to stdout", []string{"-url", srv.URL, "-token", "lsk_test", "-queries", good, "-clients", "3", "-json", "-"}, exitOK, `"p99_ms"`},
		{"no url", []string{"-token", "x"}, exitUsage, ""},
		{"bad levels", []string{"-url", srv.URL, "-token", "x", "-clients", "1,0"}, exitUsage, ""},
		{"list", []string{"-list"}, exitOK, "california\t-\tcalifornia\tnewest-first\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut strings.Builder
			args := append([]string{"-warmup", "20ms", "-duration", "150ms"}, tc.args...)
			code := run(context.Background(), args, &out, &errOut)
			if code != tc.wantCode || !strings.Contains(out.String()+errOut.String(), tc.wantOut) {
				t.Errorf("run(%q) = %d, want %d with %q in the output:\n%s%s", tc.args, code, tc.wantCode, tc.wantOut, out.String(), errOut.String())
			}
		})
	}
	t.Run("json file", func(t *testing.T) {
		name := filepath.Join(dir, "r.json")
		var out, errOut strings.Builder
		args := []string{"-warmup", "0s", "-duration", "100ms", "-url", srv.URL, "-token", "lsk_test", "-queries", good, "-clients", "1,2", "-json", name}
		if code := run(context.Background(), args, &out, &errOut); code != exitOK {
			t.Fatalf("run = %d: %s", code, errOut.String())
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var r Report
		if err := json.Unmarshal(b, &r); err != nil || len(r.Levels) != 2 || r.Levels[1].Clients != 2 || r.Levels[0].Requests == 0 || r.Queries != 2 {
			t.Errorf("-json file = %+v, %v; want 2 levels of 1 and 2 clients over 2 queries", r, err)
		}
	})
}
