package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain lets tests run the real binary: the test executable acts as
// `leakscope` when LEAKSCOPE_TEST_MAIN is set (see leakscopeCmd).
func TestMain(m *testing.M) {
	if os.Getenv("LEAKSCOPE_TEST_MAIN") == "1" {
		main()
		return
	}
	code := m.Run()
	if sample.data != "" {
		os.RemoveAll(filepath.Dir(sample.data))
	}
	os.Exit(code)
}

// result is what one in-process run of the CLI printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the CLI in-process with args.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	m.getenv = func(string) string { return "" }
	ctx := context.Background()
	code := m.exitCode(ctx, m.Run(ctx, args))
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, args...)
	if r.code != 0 {
		t.Fatalf("leakscope %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// leakscopeCmd returns the test binary set up to act as the leakscope CLI, for
// tests that need a real child process (signals, exit codes).
func leakscopeCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "LEAKSCOPE_TEST_MAIN=1")
	return cmd
}

// decodeJSON decodes out into v, failing the test on error.
func decodeJSON(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
}

// snapshot is what a data directory holds, independent of how many runs
// made it: every message with its copies, and the totals.
type snapshot struct {
	Messages map[string][]string // message id -> sorted copy locations (custodian/folder)
	Stats    struct {
		Store struct {
			Messages  int64 `json:"messages"`
			Copies    int64 `json:"copies"`
			Originals int64 `json:"originals"`
			RawBytes  int64 `json:"raw_bytes"`
			Pending   int   `json:"pending"`
		} `json:"store"`
		Indexed uint64 `json:"indexed"`
	}
}

// takeSnapshot reads a data directory through the CLI.
func takeSnapshot(t *testing.T, data string) snapshot {
	t.Helper()
	var s snapshot
	decodeJSON(t, mustRun(t, "stats", "--data", data, "--json"), &s.Stats)
	s.Messages = map[string][]string{}
	after := ""
	for {
		args := []string{"search", "--data", data, "--json", "--limit", "1000", "--sort", "date"}
		if after != "" {
			args = append(args, "--after", after)
		}
		var page struct {
			Total uint64 `json:"total"`
			Hits  []struct {
				ID         string   `json:"id"`
				Copies     int      `json:"copies"`
				Custodians []string `json:"custodians"`
				Folders    []string `json:"folders"`
			} `json:"hits"`
			Next string `json:"next"`
		}
		decodeJSON(t, mustRun(t, append(args, "*")...), &page)
		for _, h := range page.Hits {
			if _, dup := s.Messages[h.ID]; dup {
				t.Errorf("message %s listed twice by search", h.ID)
			}
			loc := []string{strings.Repeat("c", h.Copies)}
			loc = append(loc, h.Custodians...)
			loc = append(loc, h.Folders...)
			slices.Sort(loc)
			s.Messages[h.ID] = loc
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	return s
}

// compareSnapshots reports every difference between two data directories.
func compareSnapshots(t *testing.T, got, want snapshot) {
	t.Helper()
	if got.Stats.Store != want.Stats.Store || got.Stats.Indexed != want.Stats.Indexed {
		t.Errorf("stats = %+v, want %+v", got.Stats, want.Stats)
	}
	if len(got.Messages) != len(want.Messages) {
		t.Errorf("%d messages searchable, want %d", len(got.Messages), len(want.Messages))
	}
	n := 0
	for id, w := range want.Messages {
		if g, ok := got.Messages[id]; !ok {
			t.Errorf("message %s missing", id)
			n++
		} else if !slices.Equal(g, w) {
			t.Errorf("message %s copies = %v, want %v", id, g, w)
			n++
		}
		if n > 10 {
			t.Fatal("too many differences")
		}
	}
}

// repoFile returns a path relative to the repository root.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", ".."}, parts...)...)
}
