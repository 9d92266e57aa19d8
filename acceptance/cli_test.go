package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// result is what one leakscope invocation did.
type result struct {
	args    []string
	stdout  []byte
	stderr  []byte
	code    int // exit code; -1 when the process could not be run
	elapsed time.Duration
}

// String describes the invocation for failure messages.
func (r *result) String() string {
	return fmt.Sprintf("leakscope %s (exit %d, %.1fs)\nstderr: %s",
		strings.Join(r.args, " "), r.code, r.elapsed.Seconds(), truncate(string(r.stderr), 2000))
}

// panicked reports whether stderr shows a Go panic or a runtime crash.
func (r *result) panicked() bool {
	s := string(r.stderr)
	return strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") && strings.Contains(s, "[running]") ||
		strings.Contains(s, "fatal error:")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// run runs the leakscope binary with args and returns what it did; it fails
// the test only when the process cannot be started at all.
func run(t *testing.T, args ...string) *result {
	t.Helper()
	bin := leakscopeBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := &result{args: args, stdout: stdout.Bytes(), stderr: stderr.Bytes(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run leakscope %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// runCounts are the counters of an ingest run as `index --json` and
// `report --json` print them.
type runCounts struct {
	Inputs     int   `json:"inputs"`
	Messages   int   `json:"messages"`
	New        int   `json:"new"`
	Copies     int   `json:"copies"`
	Known      int   `json:"known"`
	Duplicates int   `json:"duplicates"`
	Warnings   int   `json:"warnings"`
	Failures   int   `json:"failures"`
	Skipped    int   `json:"skipped"`
	Bytes      int64 `json:"bytes"`
}

// indexSummary is the output of `leakscope index --json`.
type indexSummary struct {
	Run     uint64    `json:"run"`
	Leak    string    `json:"leak"`
	Status  string    `json:"status"`
	Counts  runCounts `json:"counts"`
	Elapsed float64   `json:"elapsed_seconds"`
}

// problem is one entry of `leakscope report --json`.
type problem struct {
	Run       uint64 `json:"run"`
	Severity  string `json:"severity"`
	Location  string `json:"location"`
	Message   string `json:"message"`
	Code      string `json:"code"`
	Detail    string `json:"detail"`
	RawSHA256 string `json:"raw_sha256"`
}

// report is the output of `leakscope report --json`.
type report struct {
	Runs []struct {
		ID     uint64    `json:"id"`
		Leak   string    `json:"leak"`
		Inputs []string  `json:"inputs"`
		Status string    `json:"status"`
		Counts runCounts `json:"counts"`
	} `json:"runs"`
	Problems []problem `json:"problems"`
}

// index runs `leakscope index --json` and checks that it exited 0 without a
// panic.
func index(t *testing.T, data, leak string, paths ...string) (*indexSummary, *result) {
	t.Helper()
	args := append([]string{"index", "--data", data, "--leak", leak, "--no-progress", "--json"}, paths...)
	r := run(t, args...)
	if r.code != 0 || r.panicked() {
		t.Fatalf("%v\nwant exit 0 and no panic", r)
	}
	var s indexSummary
	if err := json.Unmarshal(r.stdout, &s); err != nil {
		t.Fatalf("%v\nstdout is not the JSON summary: %v\n%s", r, err, truncate(string(r.stdout), 2000))
	}
	if len(r.stderr) > 0 {
		t.Logf("leakscope %s wrote to stderr:\n%s", strings.Join(args, " "), truncate(string(r.stderr), 2000))
	}
	return &s, r
}

// getReport runs `leakscope report --json`.
func getReport(t *testing.T, data string) *report {
	t.Helper()
	r := run(t, "report", "--data", data, "--json")
	if r.code != 0 || r.panicked() {
		t.Fatalf("%v\nwant exit 0", r)
	}
	var rep report
	if err := json.Unmarshal(r.stdout, &rep); err != nil {
		t.Fatalf("%v\nstdout is not JSON: %v", r, err)
	}
	return &rep
}

// searchTotal runs `leakscope search --json` and returns its total: the
// number of unique messages matching query.
func searchTotal(t *testing.T, data, query string) int {
	t.Helper()
	n, err := trySearchTotal(t, data, query)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// trySearchTotal is searchTotal returning the error instead of failing.
func trySearchTotal(t *testing.T, data, query string) (int, error) {
	t.Helper()
	// "--" ends the flags: a query may start with '-' (-from:bob).
	r := run(t, "search", "--data", data, "--json", "--limit", "1", "--", query)
	if r.code != 0 || r.panicked() {
		return 0, fmt.Errorf("%v\nwant exit 0", r)
	}
	var out struct {
		Total *int `json:"total"`
	}
	if err := json.Unmarshal(r.stdout, &out); err != nil || out.Total == nil {
		return 0, fmt.Errorf("%v\nstdout has no total (%v): %s", r, err, truncate(string(r.stdout), 500))
	}
	return *out.Total, nil
}

// allHits returns the Message-IDs of every hit of query, page by page.
func allHits(t *testing.T, data, query string) ([]string, error) {
	t.Helper()
	hits, err := allHitFields(t, data, query)
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.MessageID
	}
	return out, err
}

// allHitIDs returns the leakscope ids of every hit of query.
func allHitIDs(t *testing.T, data, query string) ([]string, error) {
	t.Helper()
	hits, err := allHitFields(t, data, query)
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out, err
}

// hit is the part of a search hit the tests read.
type hit struct {
	ID        string `json:"id"`
	MessageID string `json:"message_id"`
}

// allHitFields returns every hit of query, page by page.
func allHitFields(t *testing.T, data, query string) ([]hit, error) {
	t.Helper()
	var hits []hit
	after := ""
	for {
		args := []string{"search", "--data", data, "--json", "--limit", "10000"}
		if after != "" {
			args = append(args, "--after", after)
		}
		r := run(t, append(args, "--", query)...)
		if r.code != 0 {
			return nil, fmt.Errorf("%v\nwant exit 0", r)
		}
		var page struct {
			Hits []hit  `json:"hits"`
			Next string `json:"next"`
		}
		if err := json.Unmarshal(r.stdout, &page); err != nil {
			return nil, fmt.Errorf("%v\nstdout is not JSON: %v", r, err)
		}
		hits = append(hits, page.Hits...)
		if page.Next == "" || len(page.Hits) == 0 {
			return hits, nil
		}
		after = page.Next
	}
}

// enronIndex is the Enron maildir indexed once for the whole package.
var enronIndex struct {
	once    sync.Once
	data    string
	summary *indexSummary
	res     *result
	err     error
}

// enronData returns the data directory holding the Enron maildir (indexed on
// first use, as leak "enron"), with the summary of that index run.
func enronData(t *testing.T) (string, *indexSummary) {
	t.Helper()
	corpus := corpusDir(t)
	leakscopeBinary(t)
	e := &enronIndex
	e.once.Do(func() {
		e.data = filepath.Join(workDir, "enron-data")
		r := run(t, "index", "--data", e.data, "--leak", "enron", "--no-progress", "--json",
			filepath.Join(corpus, "enron", "maildir"))
		e.res = r
		if r.code != 0 || r.panicked() {
			e.err = fmt.Errorf("%v\nwant exit 0 and no panic", r)
			return
		}
		var s indexSummary
		if err := json.Unmarshal(r.stdout, &s); err != nil {
			e.err = fmt.Errorf("%v\nstdout is not the JSON summary: %v", r, err)
			return
		}
		e.summary = &s
		t.Logf("indexed the Enron maildir in %.1fs: %+v", r.elapsed.Seconds(), s.Counts)
	})
	if e.err != nil {
		t.Fatalf("index the Enron maildir: %v", e.err)
	}
	return e.data, e.summary
}
