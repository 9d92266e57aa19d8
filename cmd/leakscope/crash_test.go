package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

// makeDump writes a synthetic leak: a tree of mailboxes (one message per
// file, copies of each message in the sender's and recipients' folders)
// and a gzip-compressed mbox of another set of messages.
func makeDump(t *testing.T, messages int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := mailgen.Generate(filepath.Join(dir, "mailboxes"), mailgen.Options{Messages: messages, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	var mbox bytes.Buffer
	for _, m := range mailgen.Make(mailgen.Options{Messages: messages / 4, Seed: 8, Domain: "example.net"}).Messages {
		mbox.WriteString("From MAILER-DAEMON Mon Jan  6 09:00:00 2014\n")
		mbox.Write(bytes.ReplaceAll(m.Raw, []byte("\r\n"), []byte("\n")))
		mbox.WriteString("\n")
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(mbox.Bytes())
	w.Close()
	if err := os.MkdirAll(filepath.Join(dir, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "archive", "old-mail.mbox.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestIndexIdempotent: indexing the same input again adds nothing.
func TestIndexIdempotent(t *testing.T) {
	dump := makeDump(t, 300)
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "test", "--no-progress", dump)
	first := takeSnapshot(t, data)
	if first.Stats.Store.Messages < 300 || first.Stats.Store.Copies <= first.Stats.Store.Messages {
		t.Fatalf("first run stored %+v: want at least 300 messages and more copies than messages", first.Stats.Store)
	}
	var sum summary
	decodeJSON(t, mustRun(t, "index", "--data", data, "--leak", "test", "--no-progress", "--json", dump), &sum)
	// Attached messages are not counted again: their parent is known, so
	// it is not even parsed.
	if sum.Counts.New != 0 || sum.Counts.Copies != 0 || sum.Counts.Known == 0 || sum.Counts.Known != sum.Counts.Messages {
		t.Errorf("second run counts = %+v, want every message read known and nothing new", sum.Counts)
	}
	compareSnapshots(t, takeSnapshot(t, data), first)
}

// TestIndexSurvivesSIGKILL kills real child processes in the middle of an
// ingest, several times at different points, then lets a last run finish:
// the data directory must end exactly as after one uninterrupted run, and
// `report` must tell what happened: each killed run interrupted (never
// "running") with the counters of what it stored, each run linked to the
// interrupted one it resumed.
func TestIndexSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	dump := makeDump(t, 2500)
	ref := filepath.Join(t.TempDir(), "ref")
	start := time.Now()
	mustRun(t, "index", "--data", ref, "--leak", "test", "--no-progress", dump)
	full := time.Since(start)
	want := takeSnapshot(t, ref)

	data := filepath.Join(t.TempDir(), "killed")
	killedMidway := 0
	// Each run is killed after a fraction of the time the rest of the
	// ingest should take (measured by the uninterrupted run, scaled by
	// what is left), plus the child's start-up: the restarts skip what was
	// stored, so every kill lands further into the input.
	remaining := 1.0
	// stored[id] is what the killed run id added to the store.
	stored := map[uint64]snapshotDelta{}
	var last snapshot
	for i := 0; i < 20 && killedMidway < 4; i++ {
		frac := 0.2 + 0.2*float64(i%3)
		cmd := leakscopeCmd("index", "--data", data, "--leak", "test", "--no-progress", dump)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100*time.Millisecond + time.Duration(frac*remaining*float64(full)))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Logf("run %d finished before the kill at %.0f%% of the rest (%v)", i+1, 100*frac, err)
			break
		}
		if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("child exited with %v, not killed: %s", err, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(data, "store.db")); err != nil {
			continue // killed before the store was created
		}
		s := takeSnapshot(t, data)
		t.Logf("run %d killed at %.0f%% of the rest: %d messages, %d copies stored, %d indexed, %d pending",
			i+1, 100*frac, s.Stats.Store.Messages, s.Stats.Store.Copies, s.Stats.Indexed, s.Stats.Store.Pending)
		if runs := reportRuns(t, data); len(runs) > len(stored) { // killed after it began its run
			r := runs[len(runs)-1]
			stored[r.ID] = snapshotDelta{
				messages: int(s.Stats.Store.Messages - last.Stats.Store.Messages),
				copies:   int(s.Stats.Store.Copies - last.Stats.Store.Copies),
			}
			checkKilledRun(t, r, stored[r.ID])
		}
		last = s
		if s.Stats.Store.Copies > 0 && s.Stats.Store.Copies < want.Stats.Store.Copies {
			killedMidway++
		}
		remaining = max(0.1, 1-float64(s.Stats.Store.Copies)/float64(want.Stats.Store.Copies))
	}
	if killedMidway < 3 {
		t.Fatalf("only %d kills landed in the middle of an ingest; the test proves nothing", killedMidway)
	}
	mustRun(t, "index", "--data", data, "--leak", "test", "--no-progress", dump)
	compareSnapshots(t, takeSnapshot(t, data), want)

	runs := reportRuns(t, data)
	for i, r := range runs {
		if d, killed := stored[r.ID]; killed {
			checkKilledRun(t, r, d) // now as recorded by the next run
		} else if r.Status != leakscope.RunDone {
			t.Errorf("run %d was not killed: status %q, want done", r.ID, r.Status)
		}
		var want uint64
		if i > 0 && runs[i-1].Status == leakscope.RunInterrupted {
			want = runs[i-1].ID
		}
		if r.Resumes != want {
			t.Errorf("run %d resumes run %d, want %d", r.ID, r.Resumes, want)
		}
	}
	if out := mustRun(t, "report", "--data", data); len(runs) > 1 && runs[1].Resumes != 0 &&
		!strings.Contains(out, fmt.Sprintf("resumes run %d", runs[1].Resumes)) {
		t.Errorf("report does not say that run %d resumes run %d:\n%s", runs[1].ID, runs[1].Resumes, out)
	}
}

// snapshotDelta is what one run added to a data directory.
type snapshotDelta struct{ messages, copies int }

// reportRuns returns the runs `report --json` lists.
func reportRuns(t *testing.T, data string) []leakscope.IngestRun {
	t.Helper()
	var rep struct {
		Runs []leakscope.IngestRun `json:"runs"`
	}
	decodeJSON(t, mustRun(t, "report", "--data", data, "--json"), &rep)
	return rep.Runs
}

// checkKilledRun checks that a killed run r is reported as interrupted with
// the counters of what it stored, d.
func checkKilledRun(t *testing.T, r leakscope.IngestRun, d snapshotDelta) {
	t.Helper()
	c := r.Counts
	if r.Status != leakscope.RunInterrupted || c.New != d.messages || c.Copies != d.copies ||
		c.Duplicates != d.copies-d.messages || c.Messages < c.Copies+c.Known {
		t.Errorf("killed run %d: %s (%s), counts %+v; want interrupted with %d new, %d copies, %d duplicates as stored",
			r.ID, r.Status, r.Error, c, d.messages, d.copies, d.copies-d.messages)
	}
}

// TestReindexRebuildsTheSameIndex: the index rebuilt from the store alone
// answers exactly as the one built during ingest.
func TestReindexRebuildsTheSameIndex(t *testing.T) {
	dump := makeDump(t, 200)
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "test", "--no-progress", dump)
	want := takeSnapshot(t, data)
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "reindex", "--data", data)
	if want := "reindexed " + strconv.FormatInt(want.Stats.Store.Messages, 10) + " messages\n"; out != want {
		t.Errorf("reindex printed %q, want %q", out, want)
	}
	compareSnapshots(t, takeSnapshot(t, data), want)
	if r := run(t, "reindex", "--data", filepath.Join(t.TempDir(), "none")); r.code != exitNotFound {
		t.Errorf("reindex of a missing data directory: exit %d (%s), want %d", r.code, r.stderr, exitNotFound)
	}
}
