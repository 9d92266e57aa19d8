package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/leakscope/leakscope/mailgen"
)

var sample struct {
	once   sync.Once
	data   string
	corpus *mailgen.Corpus
}

// sampleData indexes a generated leak once for the tests of this file and
// returns the data directory and what was generated.
func sampleData(t *testing.T) (string, *mailgen.Corpus) {
	t.Helper()
	sample.once.Do(func() {
		dir, err := os.MkdirTemp("", "leakscope-cli-test")
		if err != nil {
			t.Fatal(err)
		}
		c, err := mailgen.Generate(filepath.Join(dir, "dump"), mailgen.Options{Messages: 150, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		sample.data, sample.corpus = filepath.Join(dir, "data"), c
		mustRun(t, "index", "--data", sample.data, "--leak", "sample", "--no-progress", filepath.Join(dir, "dump"))
	})
	if sample.corpus == nil {
		t.Fatal("sample data could not be made")
	}
	return sample.data, sample.corpus
}

func total(t *testing.T, data, q string) int {
	t.Helper()
	var res struct {
		Total int `json:"total"`
	}
	decodeJSON(t, mustRun(t, "search", "--data", data, "--json", "--limit", "0", "--", q), &res)
	return res.Total
}

// TestSearchAgainstGenerator checks field queries against what the
// generator wrote: an oracle that knows every message's people, subject
// and mailboxes.
func TestSearchAgainstGenerator(t *testing.T) {
	data, c := sampleData(t)
	// An attached (forwarded) message is the same message as its original,
	// so it adds the forward's mailboxes to the original's copies.
	custodians := map[string]map[string]bool{}
	byID := map[string]*mailgen.Message{}
	for _, m := range c.Messages {
		byID[m.MessageID] = m
		custodians[m.MessageID] = map[string]bool{}
	}
	for _, m := range c.Messages {
		for _, f := range m.Folders {
			box := strings.Split(f, "/")[0]
			custodians[m.MessageID][box] = true
			if m.Forward {
				custodians[m.Parent][box] = true
			}
		}
	}
	count := func(pred func(m *mailgen.Message) bool) int {
		n := 0
		for _, m := range c.Messages {
			if pred(m) {
				n++
			}
		}
		return n
	}
	if got := total(t, data, "*"); got != len(c.Messages) {
		t.Errorf("search * = %d, want %d", got, len(c.Messages))
	}
	for _, p := range c.People[:6] {
		from := count(func(m *mailgen.Message) bool { return m.From.Email == p.Email })
		if got := total(t, data, "from:"+p.Email); got != from {
			t.Errorf("from:%s = %d, want %d", p.Email, got, from)
		}
		to := count(func(m *mailgen.Message) bool {
			for _, r := range m.To {
				if r.Email == p.Email {
					return true
				}
			}
			return false
		})
		if got := total(t, data, "to:"+strings.ToUpper(p.Email)); got != to {
			t.Errorf("to:%s = %d, want %d", p.Email, got, to)
		}
		cust := count(func(m *mailgen.Message) bool { return custodians[m.MessageID][p.Mailbox] })
		if got := total(t, data, "custodian:"+p.Mailbox); got != cust {
			t.Errorf("custodian:%s = %d, want %d", p.Mailbox, got, cust)
		}
		last := strings.Fields(p.Name)[1]
		if got := total(t, data, "from:"+strings.ToLower(last)); got != from {
			t.Errorf("from:%s (name word) = %d, want %d", last, got, from)
		}
	}
	outside := count(func(m *mailgen.Message) bool {
		for _, r := range m.To {
			if !strings.HasSuffix(r.Email, "@example.com") {
				return true
			}
		}
		return false
	})
	if got := total(t, data, "to:example.org OR to:example.net"); got != outside {
		t.Errorf("to:example.org OR to:example.net = %d, want %d", got, outside)
	}
	fwd := count(func(m *mailgen.Message) bool { return strings.HasPrefix(m.Subject, "Fwd: ") })
	if got := total(t, data, `subject:fwd`); got != fwd {
		t.Errorf("subject:fwd = %d, want %d", got, fwd)
	}
	if got, want := total(t, data, "has:attachment"), count(func(m *mailgen.Message) bool {
		return bytes.Contains(m.Raw, []byte("Content-Disposition: attachment"))
	}); got != want {
		t.Errorf("has:attachment = %d, want %d", got, want)
	}
	if got, want := total(t, data, "-has:attachment"), len(c.Messages)-total(t, data, "has:attachment"); got != want {
		t.Errorf("-has:attachment = %d, want %d", got, want)
	}
	first := c.Messages[0]
	if got := total(t, data, "id:<"+first.MessageID+">"); got != 1 {
		t.Errorf("id:<%s> = %d, want 1", first.MessageID, got)
	}
	day := first.Date.UTC().Format("2006-01-02")
	sameDay := count(func(m *mailgen.Message) bool { return m.Date.UTC().Format("2006-01-02") == day })
	if got := total(t, data, "date:"+day); got != sameDay {
		t.Errorf("date:%s = %d, want %d", day, got, sameDay)
	}
	if got := total(t, data, "date:.."+day); got != sameDay {
		t.Errorf("date:..%s = %d, want %d (the first day)", day, got, sameDay)
	}
}

// TestShowRawIsByteExact: every stored original comes back byte for byte.
func TestShowRawIsByteExact(t *testing.T) {
	data, c := sampleData(t)
	for _, m := range c.Messages[:40] {
		raw := mustRun(t, "show", "--data", data, "--raw", "<"+m.MessageID+">")
		if raw != string(m.Raw) {
			t.Errorf("show --raw %s: %d bytes, differ from the %d generated", m.MessageID, len(raw), len(m.Raw))
		}
	}
	var shown struct {
		Copies []struct {
			Source string `json:"source"`
		} `json:"copies"`
	}
	m := c.Messages[5]
	decodeJSON(t, mustRun(t, "show", "--data", data, "--json", "<"+m.MessageID+">"), &shown)
	if len(shown.Copies) < len(m.Folders) {
		t.Fatalf("show --json lists %d copies, want at least %d", len(shown.Copies), len(m.Folders))
	}
	for i := range shown.Copies {
		r := run(t, "show", "--data", data, "--raw", "--copy", strconv.Itoa(i+1), "<"+m.MessageID+">")
		if r.code != 0 || r.stdout != string(m.Raw) {
			t.Errorf("show --raw --copy %d: exit %d, %d bytes", i+1, r.code, len(r.stdout))
		}
	}
}

func TestExitCodesAndErrors(t *testing.T) {
	data, _ := sampleData(t)
	missing := filepath.Join(t.TempDir(), "none")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, exitUsage, "no command given"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"help", []string{"help", "search"}, exitOK, ""},
		{"bad query", []string{"search", "--data", data, "from:a (b"}, exitUsage, "invalid query at position"},
		{"bad flag", []string{"search", "--data", data, "--frob", "x"}, exitUsage, "flag provided but not defined"},
		{"bad sort", []string{"search", "--data", data, "--sort", "size", "x"}, exitUsage, "unknown sort"},
		{"index without leak", []string{"index", "--data", data, "x"}, exitUsage, "--leak NAME is required"},
		{"unknown id", []string{"show", "--data", data, "0000000000"}, exitNotFound, "not found"},
		{"no data directory", []string{"search", "--data", missing, "x"}, exitNotFound, "no data directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("leakscope %v: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.stderr, tc.code, tc.stderr)
			}
		})
	}
}

// TestReportListsProblems: files that are not mail and messages with
// problems are listed with their reason.
func TestReportListsProblems(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.bin"), []byte{0, 1, 2, 3, 0xff, 0xfe}, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.eml"), []byte("Subject: half\nFrom: a@b.example\nDate: yesterday-ish\n\nbody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "x", "--no-progress", dir)
	var rep struct {
		Problems []struct {
			Severity string `json:"severity"`
			Location string `json:"location"`
			Code     string `json:"code"`
		} `json:"problems"`
	}
	decodeJSON(t, mustRun(t, "report", "--data", data, "--json"), &rep)
	found := map[string]string{}
	for _, p := range rep.Problems {
		found[filepath.Base(p.Location)+" "+p.Severity] = p.Code
	}
	if found["notes.bin skipped"] == "" || found["broken.eml warning"] != "date" {
		t.Errorf("report problems = %+v, want notes.bin skipped and a date warning on broken.eml", rep.Problems)
	}
}

// TestThreadQuery: a reply and the message it answers are one thread,
// and thread: finds both through the store's current threading.
func TestThreadQuery(t *testing.T) {
	data, c := sampleData(t)
	var reply *mailgen.Message
	for _, m := range c.Messages {
		if m.Parent != "" && !m.Forward {
			reply = m
			break
		}
	}
	if reply == nil {
		t.Fatal("no reply generated")
	}
	hit := func(q string) (id, thread string) {
		var res struct {
			Hits []struct {
				ID     string `json:"id"`
				Thread string `json:"thread"`
			} `json:"hits"`
		}
		decodeJSON(t, mustRun(t, "search", "--data", data, "--json", q), &res)
		if len(res.Hits) != 1 {
			t.Fatalf("search %s: %d hits, want 1", q, len(res.Hits))
		}
		return res.Hits[0].ID, res.Hits[0].Thread
	}
	replyID, thread := hit("id:" + reply.MessageID)
	parentID, parentThread := hit("id:" + reply.Parent)
	if thread != parentThread {
		t.Fatalf("reply in thread %s, its parent in %s", thread, parentThread)
	}
	var res struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	decodeJSON(t, mustRun(t, "search", "--data", data, "--json", "--limit", "1000", "thread:"+thread), &res)
	found := map[string]bool{}
	for _, h := range res.Hits {
		found[h.ID] = true
	}
	if !found[replyID] || !found[parentID] {
		t.Errorf("thread:%s = %v, want the reply %s and its parent %s", thread, res.Hits, replyID, parentID)
	}
}
