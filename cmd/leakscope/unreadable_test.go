package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// unprivileged makes cmd, a child made by leakscopeCmd, run as a user
// whose file permissions are checked. As root (CI runs tests as root), whom
// permissions do not stop, cmd runs as user nobody (65534): dir, which
// the caller made, becomes its working directory and receives a copy of
// the test binary (which may sit in a directory only root can enter).
func unprivileged(t *testing.T, cmd *exec.Cmd, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	bin := filepath.Join(dir, "leakscope.test")
	in, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	cmd.Path, cmd.Args[0], cmd.Dir = bin, bin, dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
}

// TestIndexUnreadableDirectory: a directory of the input that cannot be
// read (no permission) is a failure of that directory, with the operating
// system's reason, and the run reads everything else and exits 0. (The
// whole run used to stop before reading anything: sizing the input for
// the progress bar failed on it.)
func TestIndexUnreadableDirectory(t *testing.T) {
	base, err := os.MkdirTemp("", "leakscope-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(base, "dump", "bob")
	t.Cleanup(func() {
		os.Chmod(locked, 0o755)
		os.RemoveAll(base)
	})
	for name, subject := range map[string]string{"alice/inbox/1.": "one", "alice/inbox/2.": "two", "bob/inbox/1.": "locked away", "carol/3.": "three"} {
		p := filepath.Join(base, "dump", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		m := "From: a@example.com\nDate: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <" + subject + "@x>\nSubject: " + subject + "\n\nbody\n"
		if err := os.WriteFile(p, []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// base holds the data directory, written by the child.
	if err := os.Chmod(base, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(base, "data")
	cmd := leakscopeCmd("index", "--data", data, "--leak", "l", "--no-progress", "--json", filepath.Join(base, "dump"))
	unprivileged(t, cmd, base)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("cannot run a child as user nobody here: %v", err)
	}
	if err != nil {
		t.Fatalf("index with an unreadable directory: %v, want exit 0\nstderr: %s", err, stderr.String())
	}
	var sum summary
	decodeJSON(t, string(out), &sum)
	if sum.Status != "done" || sum.Counts.New != 3 || sum.Counts.Failures != 1 {
		t.Errorf("summary %+v, want done with 3 new messages and 1 failure", sum)
	}
	var rep struct {
		Problems []struct {
			Severity, Location, Code, Detail string
		} `json:"problems"`
	}
	decodeJSON(t, mustRun(t, "report", "--data", data, "--json"), &rep)
	if len(rep.Problems) != 1 {
		t.Fatalf("report lists %+v, want the unreadable directory only", rep.Problems)
	}
	p := rep.Problems[0]
	if p.Severity != "failure" || p.Location != locked || !strings.Contains(p.Detail, "permission denied") {
		t.Errorf("problem %+v, want a failure of %s saying permission denied", p, locked)
	}
}
