package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

// TestDemo builds the demo once with the real command and checks what it
// built: both waves, every planted category, the reconciliation, the
// users; then runs it again (reused), and serves it and logs in as each
// printed user.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo (about 2,000 messages); skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	var res demoResult
	decodeJSON(t, mustRun(t, "demo", "--no-serve", "--json", "--data", dir), &res)
	t.Logf("demo built in %.1fs: %d messages, waves %+v", res.BuildSeconds, res.Messages, res.Waves)
	ctx := context.Background()

	t.Run("waves", func(t *testing.T) {
		if len(res.Waves) != 2 || res.Waves[0].Label != "wave-1" || res.Waves[1].Label != "wave-2" {
			t.Fatalf("waves = %+v, want wave-1 and wave-2", res.Waves)
		}
		sum := 0
		for _, w := range res.Waves {
			if w.New != w.Expected || w.New == 0 {
				t.Errorf("%s: index added %d messages, the generator wrote %d new ones", w.Label, w.New, w.Expected)
			}
			sum += w.New
		}
		if res.Messages != sum || res.Messages < 1500 {
			t.Errorf("messages = %d, want the waves' sum %d (at least 1,500)", res.Messages, sum)
		}
		if w2 := res.Waves[1]; w2.Generated <= w2.New {
			t.Errorf("wave-2 has %d messages, %d new: want some published before", w2.Generated, w2.New)
		}
		d := openTestData(t, dir)
		st, err := d.Store.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Messages != int64(res.Messages) {
			t.Errorf("store holds %d messages, demo says %d", st.Messages, res.Messages)
		}
		for _, w := range res.Waves {
			if got := searchTotal(t, d, "batch:"+w.Label); got != uint64(w.Generated) {
				t.Errorf("search batch:%s = %d, want the %d messages of the wave", w.Label, got, w.Generated)
			}
		}
	})

	t.Run("flags", func(t *testing.T) {
		d := openTestData(t, dir)
		for _, cat := range []string{leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagIBAN, leakscope.FlagBankAccount,
			leakscope.FlagCredential, leakscope.FlagSecretKey, leakscope.FlagMedical, leakscope.FlagCompensation,
			leakscope.FlagLegalPrivilege, leakscope.FlagOffensive, leakscope.FlagConfidential, leakscope.FlagDateOfBirth,
			leakscope.FlagPhone, leakscope.FlagPassport} {
			for _, w := range []string{"", " batch:wave-1", " batch:wave-2"} {
				if got := searchTotal(t, d, "flag:"+cat+w); got == 0 {
					t.Errorf("search %q = 0 messages, want some", "flag:"+cat+w)
				}
			}
		}
	})

	t.Run("reconcile", func(t *testing.T) {
		d := openTestData(t, dir)
		ref, err := d.OpenReference(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		defer ref.Close()
		org, err := d.Org(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := d.Reconcile(ctx, ref, org.Domains, false)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ReferenceTotal != res.Reference || rec.Counts["exact"] < 1000 || rec.Counts["none"] == 0 {
			t.Errorf("reconciliation of %d archive messages (demo says %d): %v; want over 1,000 exact and some unpublished",
				rec.ReferenceTotal, res.Reference, rec.Counts)
		}
		if n := countAltered(rec.Published); n == 0 || n != res.Altered {
			t.Errorf("%d altered copies, demo says %d; want some", n, res.Altered)
		}
		if len(rec.NotInArchive) == 0 || len(rec.NotInArchive) != res.NotInArchive {
			t.Errorf("%d leaked messages not in the archive, demo says %d; want the fabricated ones", len(rec.NotInArchive), res.NotInArchive)
		}
		for _, id := range rec.NotInArchive {
			msg, err := d.Store.Message(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(msg.From.Email, "@northwind-pictures.example") {
				t.Errorf("message %s not in the archive is from %s, want a company sender", id, msg.From.Email)
			}
		}
		rep, err := d.BuildExposure(ctx, org, rec, app.ExposureOptions{Person: res.Employee.Addresses[0]})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.People) != 1 {
			t.Fatalf("exposure of %s lists %d people, want 1", res.Employee.Addresses[0], len(rep.People))
		}
		for _, cat := range []string{leakscope.FlagSSN, leakscope.FlagMedical, leakscope.FlagDateOfBirth} {
			if rep.People[0].Flags[cat] == 0 {
				t.Errorf("exposure of %s: flags %v, want %s", res.Employee.Name, rep.People[0].Flags, cat)
			}
		}
	})

	t.Run("users", func(t *testing.T) {
		d := openTestData(t, dir)
		users, err := d.Store.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]leakscope.Role{}
		for _, u := range users {
			roles[u.Name] = u.Role
			if u.Role == leakscope.RoleEmployee && !slices.Equal(u.Emails, res.Employee.Addresses) {
				t.Errorf("employee's addresses = %v, want %v", u.Emails, res.Employee.Addresses)
			}
		}
		want := map[string]leakscope.Role{"admin": leakscope.RoleAdmin, "analyst": leakscope.RoleAnalyst,
			"counsel": leakscope.RoleCounsel, "employee": leakscope.RoleEmployee}
		if fmt.Sprint(roles) != fmt.Sprint(want) {
			t.Errorf("users = %v, want %v", roles, want)
		}
		if len(res.Employee.Addresses) != 2 {
			t.Fatalf("employee addresses = %v, want a work and a personal one", res.Employee.Addresses)
		}
		for _, a := range res.Employee.Addresses {
			for _, w := range []string{"wave-1", "wave-2"} {
				q := fmt.Sprintf("(from:%s OR to:%s OR cc:%s) batch:%s", a, a, a, w)
				if got := searchTotal(t, d, q); got == 0 {
					t.Errorf("search %q = 0, want the employee's mail in both waves", q)
				}
			}
		}
	})

	t.Run("reuse", func(t *testing.T) {
		before := takeSnapshot(t, dir)
		start := time.Now()
		var again demoResult
		decodeJSON(t, mustRun(t, "demo", "--no-serve", "--json", "--data", dir), &again)
		if !again.Reused || again.Messages != res.Messages || len(again.Users) != 4 {
			t.Errorf("second run: reused %v, %d messages, %d users; want reused, %d messages, 4 users",
				again.Reused, again.Messages, len(again.Users), res.Messages)
		}
		for i, u := range again.Users {
			if u.Password == res.Users[i].Password {
				t.Errorf("user %s kept password %q on the second run, want a new one", u.Name, u.Password)
			}
		}
		compareSnapshots(t, takeSnapshot(t, dir), before)
		t.Logf("reused in %v", time.Since(start))
	})

	t.Run("serve", func(t *testing.T) { testDemoServe(t, dir) })
}

// testDemoServe runs `leakscope demo` on a built demo, reads the URL and
// logins it prints, and logs in as each user over HTTP.
func testDemoServe(t *testing.T, dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	m := NewMain(strings.NewReader(""), pw, &errb)
	m.getenv = func(string) string { return "" }
	// The address asked for is taken: the demo picks a free port.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	done := make(chan error, 1)
	go func() {
		err := m.Run(ctx, []string{"demo", "--data", dir, "--addr", busy.Addr().String(), "--json"})
		pw.Close()
		done <- err
	}()
	var res demoResult
	if err := json.NewDecoder(pr).Decode(&res); err != nil {
		t.Fatalf("read the demo's output: %v\nstderr: %s", err, errb.String())
	}
	go io.Copy(io.Discard, pr)
	if !strings.HasPrefix(res.URL, "http://127.0.0.1:") || !strings.HasSuffix(res.URL, "/") || !res.Reused ||
		res.URL == "http://"+busy.Addr().String()+"/" {
		t.Fatalf("demo printed url %q (reused %v), want http://127.0.0.1:PORT/ of the reused demo, not the busy %s", res.URL, res.Reused, busy.Addr())
	}
	totals := map[string]float64{}
	for _, u := range res.Users {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		body := fmt.Sprintf(`{"name":%q,"password":%q}`, u.Name, u.Password)
		resp, err := c.Post(res.URL+"api/v1/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var login struct {
			User leakscope.User `json:"user"`
		}
		err = json.NewDecoder(resp.Body).Decode(&login)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil || login.User.Name != u.Name || string(login.User.Role) != u.Role {
			t.Fatalf("login as %s = %d %+v (%v), want 200 and role %s", u.Name, resp.StatusCode, login.User, err, u.Role)
		}
		resp, err = c.Get(res.URL + "api/v1/search?limit=1&q=" + url.QueryEscape("*"))
		if err != nil {
			t.Fatal(err)
		}
		var page map[string]any
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("search as %s = %d (%v), want 200", u.Name, resp.StatusCode, err)
		}
		totals[u.Name], _ = page["total"].(float64)
	}
	if totals["admin"] != float64(res.Messages) || totals["employee"] == 0 || totals["employee"] >= totals["admin"] {
		t.Errorf("search * totals = %v, want every message for admin (%d) and a few for the employee", totals, res.Messages)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo after cancel: %v\nstderr: %s", err, errb.String())
		}
		if !strings.Contains(errb.String(), "cannot listen on "+busy.Addr().String()) {
			t.Errorf("demo's stderr = %q, want it to say that %s was taken", errb.String(), busy.Addr())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop 30s after its context was cancelled")
	}
}

func TestDemoRefuses(t *testing.T) {
	notDemo := t.TempDir()
	if err := os.WriteFile(filepath.Join(notDemo, "store.db"), []byte("not a demo"), 0o600); err != nil {
		t.Fatal(err)
	}
	otherSeed := t.TempDir()
	if err := writeDemoMarker(otherSeed, demoMarker{Seed: 5, Complete: true}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"not a demo directory", []string{"--data", notDemo}, "not a Leakscope demo directory"},
		{"another seed", []string{"--data", otherSeed}, "built with --seed 5"},
		{"seed zero", []string{"--data", t.TempDir(), "--seed", "0"}, "--seed must be at least 1"},
		{"bad address", []string{"--data", t.TempDir(), "--addr", "localhost"}, "bad --addr"},
		{"argument", []string{"--data", t.TempDir(), "extra"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, append([]string{"demo", "--no-serve"}, tc.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("demo %v: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.stderr, exitUsage, tc.want)
			}
		})
	}
	b, err := os.ReadFile(filepath.Join(notDemo, "store.db"))
	if err != nil || string(b) != "not a demo" {
		t.Errorf("the directory that is not a demo was changed: %q, %v", b, err)
	}
}

func TestDemoPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p, err := demoPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 19 || strings.Count(p, "-") != 3 || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz234567-") != "" {
			t.Fatalf("demoPassword() = %q, want four groups of four lower-case base-32 characters", p)
		}
		if seen[p] {
			t.Fatalf("demoPassword() returned %q twice", p)
		}
		seen[p] = true
	}
}

// openTestData opens a data directory read-only for the test.
func openTestData(t *testing.T, dir string) *data {
	t.Helper()
	d, err := NewMain(nil, io.Discard, io.Discard).openData(context.Background(), &common{data: dir, logLevel: "error", logFormat: "text"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// searchTotal returns the number of messages matching q.
func searchTotal(t *testing.T, d *data, q string) uint64 {
	t.Helper()
	parsed, err := query.Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	res, err := d.Index.Search(context.Background(), search.Request{Query: parsed, Limit: 1, Threads: d.Store})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res.Total
}

// TestBuildDemoResumes builds a small demo in-process, as browser tests
// do, over an earlier build that stopped half-way, then reuses it.
func TestBuildDemoResumes(t *testing.T) {
	dir := t.TempDir()
	opts := demoOptions{Seed: 3, Threads: 40}
	if err := writeDemoMarker(dir, demoMarker{Seed: 3, Threads: 40}); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "store.db")
	if err := os.WriteFile(junk, []byte("half-written"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard)
	m.getenv = func(string) string { return "" }
	ctx := context.Background()
	var log bytes.Buffer
	opts.Log = &log
	res, err := m.buildDemo(ctx, dir, opts)
	if err != nil {
		t.Fatalf("buildDemo over a half-built demo: %v\n%s", err, log.String())
	}
	if res.Reused || res.Messages == 0 || res.Messages != res.Waves[0].New+res.Waves[1].New || !strings.Contains(log.String(), "did not finish") {
		t.Errorf("buildDemo = reused %v, %d messages, waves %+v; log:\n%s\nwant a new build of every message", res.Reused, res.Messages, res.Waves, log.String())
	}
	for _, step := range []string{"generate", "org", "reference", "index wave-1", "index wave-2", "reconcile", "users"} {
		if !strings.Contains(log.String(), "  "+step+" ") {
			t.Errorf("log has no line for step %q:\n%s", step, log.String())
		}
	}
	again, err := m.buildDemo(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Reused || again.Messages != res.Messages || again.Users[3].Password == res.Users[3].Password {
		t.Errorf("second buildDemo = reused %v, %d messages, employee password %q (was %q); want reused, %d, a new password",
			again.Reused, again.Messages, again.Users[3].Password, res.Users[3].Password, res.Messages)
	}
	if _, err := m.buildDemo(ctx, dir, demoOptions{Seed: 3}); err == nil {
		t.Error("buildDemo with other options on a built demo: no error, want a refusal")
	}
}
