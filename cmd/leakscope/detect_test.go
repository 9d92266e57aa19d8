package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sensitiveMbox writes an mbox of four messages: one with an SSN, a card
// number and a phone number, one with a password, one that mentions a
// project code name, and a harmless one.
func sensitiveMbox(t *testing.T) string {
	t.Helper()
	msgs := []struct{ id, subject, body string }{
		{"pii@example.com", "Benefits enrolment", "Hi HR,\nmy SSN is 536-22-1847 and the card for the deposit is 4556 7375 8689 9855.\nCall me at (713) 853-1234.\nJane"},
		{"pwd@example.com", "VPN access", "Your account is ready.\nUsername: jdoe\nPassword: Tr0ub4dor&3\nPlease change it after logging in."},
		{"raptor@example.com", "Lunch", "Let us talk about project raptor over lunch."},
		{"plain@example.com", "Lunch", "See you at noon."},
	}
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "From jane@example.com Mon Nov 24 10:0%d:00 2014\n", i)
		fmt.Fprintf(&b, "From: Jane Doe <jane.doe@example.com>\nTo: hr@example.com\nSubject: %s\n", m.subject)
		fmt.Fprintf(&b, "Date: Mon, 24 Nov 2014 10:0%d:00 +0000\nMessage-ID: <%s>\n\n%s\n\n", i, m.id, m.body)
	}
	path := filepath.Join(t.TempDir(), "hr.mbox")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type hitIDs struct {
	Total int `json:"total"`
	Hits  []struct {
		MessageID string   `json:"message_id"`
		Flags     []string `json:"flags"`
		Risk      float64  `json:"risk"`
	} `json:"hits"`
}

func searchHits(t *testing.T, data string, args ...string) hitIDs {
	t.Helper()
	var res hitIDs
	decodeJSON(t, mustRun(t, append([]string{"search", "--data", data, "--json"}, args...)...), &res)
	return res
}

func messageIDs(h hitIDs) []string {
	var out []string
	for _, x := range h.Hits {
		out = append(out, x.MessageID)
	}
	return out
}

func TestDetectionInIngest(t *testing.T) {
	mbox := sensitiveMbox(t)
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "hr", "--no-progress", mbox)

	for q, want := range map[string][]string{
		"flag:ssn":          {"pii@example.com"},
		"flag:credit_card":  {"pii@example.com"},
		"flag:phone":        {"pii@example.com"},
		"flag:credential":   {"pwd@example.com"},
		"severity:critical": {"pii@example.com", "pwd@example.com"},
		"flag:confidential": nil,
	} {
		got := messageIDs(searchHits(t, data, "--sort", "date", "--", q))
		if !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	byRisk := searchHits(t, data, "--sort", "risk", "*")
	if got := messageIDs(byRisk); len(got) != 4 || got[0] != "pii@example.com" || got[1] != "pwd@example.com" {
		t.Errorf("search --sort risk = %v, want pii@, pwd@ first", got)
	}
	if h := byRisk.Hits[0]; h.Risk < 50 || !slices.Contains(h.Flags, "ssn") {
		t.Errorf("riskiest hit = %+v, want risk >= 50 with an ssn flag", h)
	}
	if h := byRisk.Hits[3]; h.Risk != 0 || len(h.Flags) != 0 {
		t.Errorf("harmless hit = %+v, want risk 0 and no flags", h)
	}

	// show masks the values in flag snippets.
	show := mustRun(t, "show", "--data", data, "<pii@example.com>")
	if !strings.Contains(show, "***-**-1847") || strings.Contains(show, "Flag:        ssn (critical, body) 536") {
		t.Errorf("show of the SSN message does not list a masked SSN flag:\n%s", show)
	}

	// Exposure checks: the values as a person would type them.
	var exp struct {
		Checks []struct {
			Kind     string `json:"kind"`
			Value    string `json:"value"`
			Found    int    `json:"found"`
			Messages []struct {
				ID string `json:"id"`
			} `json:"messages"`
		} `json:"checks"`
	}
	decodeJSON(t, mustRun(t, "exposure", "check", "--data", data, "--json",
		"--ssn", "536 22 1847", "--card", "4556737586899855", "--phone", "+1 713 853 1234",
		"--email", "Jane.Doe@example.com", "--ssn", "536-22-1848"), &exp)
	wantFound := []int{1, 1, 1, 4, 0}
	if len(exp.Checks) != len(wantFound) {
		t.Fatalf("exposure check: %d results, want %d", len(exp.Checks), len(wantFound))
	}
	for i, ch := range exp.Checks {
		if ch.Found != wantFound[i] || len(ch.Messages) != ch.Found {
			t.Errorf("exposure check %d (%s %s): found %d (%d listed), want %d", i, ch.Kind, ch.Value, ch.Found, len(ch.Messages), wantFound[i])
		}
	}
	if v := exp.Checks[0].Value; v != "*****1847" {
		t.Errorf("exposure check shows the SSN as %q, want it masked", v)
	}
	text := mustRun(t, "exposure", "check", "--data", data, "--ssn", "536-22-1847")
	if !strings.Contains(text, "found in 1 message") || strings.Contains(text, "536-22-1847") {
		t.Errorf("exposure check text output:\n%s", text)
	}
	if r := run(t, "exposure", "check", "--data", data, "--ssn", "666-22-1847"); r.code != 2 || !strings.Contains(r.stderr, "not a valid ssn") {
		t.Errorf("exposure check of an impossible SSN: exit %d, stderr %q; want 2 naming the problem", r.code, r.stderr)
	}
	if r := run(t, "exposure", "check", "--data", data); r.code != 2 {
		t.Errorf("exposure check without a value: exit %d, want 2", r.code)
	}

	// The store holds no identifier in clear outside the originals and
	// texts (which are compressed): no list of SSNs.
	db, err := os.ReadFile(filepath.Join(data, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"536221847", "536-22-1847", "4556737586899855"} {
		if strings.Contains(string(db), v) {
			t.Errorf("store.db holds %q in clear", v)
		}
	}
}

// TestRedetect: what redetect prints and exits with, and that exposure
// checks see the identifiers it found (app's TestRedetect checks the
// flags).
func TestRedetect(t *testing.T) {
	mbox := sensitiveMbox(t)
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "hr", "--no-progress", "--no-detect", mbox)
	rules := filepath.Join(t.TempDir(), "ours.toml")
	os.WriteFile(rules, []byte(`
[[rule]]
id = "acme.project"
category = "confidential"
severity = "high"
words = ["project raptor"]
confidence = 0.8
`), 0o600)
	out := mustRun(t, "redetect", "--data", data, "--rules", rules)
	if !strings.Contains(out, "scanned 4 messages") || !strings.Contains(out, "3 flagged") || !strings.Contains(out, "  confidential     1 messages\n") {
		t.Errorf("redetect output:\n%s", out)
	}
	if n := total(t, data, "flag:confidential"); n != 1 {
		t.Errorf("after redetect --rules, flag:confidential has %d hits, want 1", n)
	}
	var ex struct {
		Checks []struct{ Found int } `json:"checks"`
	}
	decodeJSON(t, mustRun(t, "exposure", "check", "--data", data, "--json", "--ssn", "536-22-1847"), &ex)
	if len(ex.Checks) != 1 || ex.Checks[0].Found != 1 {
		t.Errorf("exposure check after redetect = %+v, want found 1", ex)
	}
	// The rules stay with the data directory: a second redetect changes
	// nothing.
	var sum struct{ Messages, Changed, Flagged int }
	decodeJSON(t, mustRun(t, "redetect", "--data", data, "--json"), &sum)
	if sum.Messages != 4 || sum.Changed != 0 || sum.Flagged != 3 {
		t.Errorf("second redetect --json = %+v, want 4 messages, 0 changed, 3 flagged", sum)
	}
	mustRun(t, "redetect", "--data", data, "--builtin-rules")
	if n := total(t, data, "flag:confidential"); n != 0 {
		t.Errorf("after redetect --builtin-rules, flag:confidential has %d hits, want 0", n)
	}
	// A bad rule file is a usage error naming the line, and changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("[[rule]]\nid = \"x\"\ncategory = \"nonsense\"\nwords = [\"a\"]\n"), 0o600)
	r := run(t, "redetect", "--data", data, "--rules", bad)
	if r.code != 2 || !strings.Contains(r.stderr, "bad.toml") {
		t.Errorf("redetect with a bad rule file: exit %d, stderr %q; want 2 naming the file", r.code, r.stderr)
	}
	if n := total(t, data, "flag:ssn"); n != 1 {
		t.Errorf("after a failed redetect, flag:ssn has %d hits, want 1", n)
	}
}
