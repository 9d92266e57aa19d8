package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/mailgen"
)

// mboxFrom finds the start of each message of serveMbox.
var mboxFrom = regexp.MustCompile(`(?m)^From sender@example\.com `)

// exposureFixture is what the parts of TestServeExposure share.
type exposureFixture struct {
	data                       string
	ts                         *apiServer
	admin, analyst, counsel    *apiClient
	jane, eve                  *apiClient
	cliReport, cliDiff         []byte // `exposure --json`, `diff --batch w2 --json`
	report                     leakscope.ExposureReport
	altered, identical, absent string // leaked message ids: an altered and an identical copy, one not in the archive
	pii                        string // id of pii@example.com (Jane's SSN)
}

// TestServeExposure runs the server over a leak in two waves: w1 is
// serveMbox (Jane's messages with planted SSNs, card and phone numbers),
// w2 company mail of which the reference archive holds the originals,
// some leaked doctored. The archive also holds w1 but for one message.
func TestServeExposure(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mbox := serveMbox(t)
	mustRun(t, "index", "--data", data, "--leak", "hr", "--batch", "w1", "--no-progress", mbox)

	c := mailgen.Make(mailgen.Options{Messages: 24, Seed: 7})
	refDir, leakDir := filepath.Join(dir, "archive"), filepath.Join(dir, "leak")
	os.MkdirAll(refDir, 0o755)
	os.MkdirAll(leakDir, 0o755)
	for i, m := range c.Messages {
		if err := os.WriteFile(filepath.Join(refDir, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644); err != nil {
			t.Fatal(err)
		}
		raw := m.Raw
		switch i % 3 {
		case 1:
			raw = bytes.Replace(raw, []byte(m.Body[:20]), []byte("We never agreed to this. "+m.Body[:20]), 1)
		case 2:
			continue // not leaked
		}
		if err := os.WriteFile(filepath.Join(leakDir, fmt.Sprintf("%d.eml", i)), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The archive holds w1 but for other@example.com.
	raw, err := os.ReadFile(mbox)
	if err != nil {
		t.Fatal(err)
	}
	starts := mboxFrom.FindAllStringIndex(string(raw), -1)
	var archived strings.Builder
	for i, st := range starts {
		end := len(raw)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		if m := string(raw[st[0]:end]); !strings.Contains(m, "<other@example.com>") {
			archived.WriteString(m)
		}
	}
	if len(starts) != 7 || strings.Count(archived.String(), "Message-ID:") != 6 {
		t.Fatalf("serveMbox: %d messages, %d kept; want 7 and 6", len(starts), strings.Count(archived.String(), "Message-ID:"))
	}
	if err := os.WriteFile(filepath.Join(refDir, "w1.mbox"), []byte(archived.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// A message naming Jane without addressing her: outside her scope.
	nameOnly := "From: press@newsdesk.example.org\nTo: tips@other.example.org\nSubject: Panel\n" +
		"Date: Tue, 25 Nov 2014 09:00:00 +0000\nMessage-ID: <name-only@newsdesk.example.org>\n\nJane Doe will present the numbers.\n"
	if err := os.WriteFile(filepath.Join(leakDir, "name-only.eml"), []byte(nameOnly), 0o644); err != nil {
		t.Fatal(err)
	}
	people := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(people, []byte("name,addresses,department\nJane Doe,jane.doe@example.com;jane@corp.example.com,HR\nChief Executive,ceo@example.com,Board\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "index", "--data", data, "--leak", "hr", "--batch", "w2", "--no-progress", leakDir)
	mustRun(t, "reference", "--data", data, "--no-progress", refDir)
	mustRun(t, "org", "--data", data, "--domains", "example.com", "--people", people)
	addTestUser(t, data, "root", "admin")
	addTestUser(t, data, "ann", "analyst")
	addTestUser(t, data, "cora", "counsel")
	addTestUser(t, data, "jane", "employee", "Jane.Doe@example.com")
	addTestUser(t, data, "eve", "employee", "eve@example.com")

	f := &exposureFixture{data: data}
	f.cliReport = []byte(mustRun(t, "exposure", "--data", data, "--json"))
	f.cliDiff = []byte(mustRun(t, "diff", "--data", data, "--batch", "w2", "--json"))
	decodeJSON(t, string(f.cliReport), &f.report)
	for _, p := range f.report.Published {
		for _, h := range p.Hits {
			switch {
			case h.Kind != p.Match:
			case h.Altered && p.Diff != "" && f.altered == "":
				f.altered = h.ID
			case !h.Altered && f.identical == "" && p.MessageID != "pii@example.com":
				f.identical = h.ID
			}
		}
	}
	if f.altered == "" || f.identical == "" || len(f.report.NotInArchive) != 1 {
		t.Fatalf("exposure report: altered copy %q, identical copy %q, not in archive %v; want one of each", f.altered, f.identical, f.report.NotInArchive)
	}
	f.absent = f.report.NotInArchive[0]

	f.ts = startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000, EvaluateRate: 1000, LookupRate: 1000})
	f.admin, f.analyst, f.counsel = f.ts.client(t, "admin"), f.ts.client(t, "analyst"), f.ts.client(t, "counsel")
	f.jane, f.eve = f.ts.client(t, "jane"), f.ts.client(t, "eve")
	f.admin.login("root")
	f.analyst.login("ann")
	f.counsel.login("cora")
	f.jane.login("jane")
	f.eve.login("eve")
	var page searchPage
	f.admin.get("/api/v1/search?q=from:jane.doe@example.com+subject:benefits", &page)
	if len(page.Hits) != 1 {
		t.Fatalf("search for pii@: %d hits, want 1", len(page.Hits))
	}
	f.pii = page.Hits[0].ID
	if f.absent != "" && f.absent == f.pii {
		t.Fatalf("pii@ is listed as not in the archive, which holds it")
	}

	t.Run("report", func(t *testing.T) { serveExposureReport(t, f) })
	t.Run("people", func(t *testing.T) { serveExposurePeople(t, f) })
	t.Run("batches", func(t *testing.T) { serveExposureBatches(t, f) })
	t.Run("reconciliation", func(t *testing.T) { serveExposureReconciliation(t, f) })
	t.Run("identifier lookup", func(t *testing.T) { serveIdentifierLookup(t, f) })
	t.Run("lookup brute force", func(t *testing.T) { serveLookupBruteForce(t, f) })
	t.Run("lookup email", func(t *testing.T) { serveLookupEmail(t, f) })
	f.ts.stop()
	t.Run("lookup store", func(t *testing.T) { serveLookupStore(t, f) })
	t.Run("lookup limit", func(t *testing.T) { serveLookupLimit(t, f) })
}

// asJSONMap decodes b into a generic map, dropping the given keys.
func asJSONMap(t *testing.T, b []byte, drop ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %.200q: %v", b, err)
	}
	for _, k := range drop {
		delete(m, k)
	}
	return m
}

// serveExposureReport: GET /exposure is the CLI's report (modulo the time
// it was generated), built once; analysts get it without diffs.
func serveExposureReport(t *testing.T, f *exposureFixture) {
	want := asJSONMap(t, f.cliReport, "generated")
	var gen []string
	for _, c := range []*apiClient{f.admin, f.counsel, f.admin} {
		resp, b := c.do("GET", "/api/v1/exposure", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: GET /exposure = %d %s", c.name, resp.StatusCode, b)
		}
		if got := asJSONMap(t, b, "generated"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: GET /exposure differs from `exposure --json`:\n%.2000s\nwant\n%.2000s", c.name, b, f.cliReport)
		}
		gen = append(gen, fmt.Sprint(asJSONMap(t, b)["generated"]))
	}
	if gen[0] != gen[2] {
		t.Errorf("report generated at %s, then %s: not cached", gen[0], gen[2])
	}

	resp, b := f.analyst.do("GET", "/api/v1/exposure", nil)
	if resp.StatusCode != 200 || bytes.Contains(b, []byte("We never agreed")) || bytes.Contains(b, []byte(`"diff"`)) {
		t.Errorf("analyst: GET /exposure = %d, diffs shown: %v; want 200 without diffs", resp.StatusCode, bytes.Contains(b, []byte(`"diff"`)))
	}
	var rep leakscope.ExposureReport
	json.Unmarshal(b, &rep)
	var noDiffs leakscope.ExposureReport
	decodeJSON(t, string(f.cliReport), &noDiffs)
	for i := range noDiffs.Published {
		noDiffs.Published[i].Diff = ""
	}
	rep.Generated = noDiffs.Generated
	if !reflect.DeepEqual(rep, noDiffs) {
		t.Errorf("analyst: report = %+v, want the CLI's without diffs", rep)
	}
}

// personView is the part of GET /people/{address} the tests read.
type personView struct {
	Address   string         `json:"address"`
	Sent      int            `json:"sent"`
	Received  int            `json:"received"`
	Mentioned int            `json:"mentioned"`
	Flags     map[string]int `json:"flags"`
	First     *time.Time     `json:"first"`
	Messages  []string       `json:"messages"`
}

// serveExposurePeople: a person's figures and messages; an employee sees
// only herself, and of her messages those in her scope.
func serveExposurePeople(t *testing.T, f *exposureFixture) {
	var page searchPage
	f.admin.get("/api/v1/search?q=subject:panel", &page)
	if len(page.Hits) != 1 {
		t.Fatalf("search subject:panel: %d hits, want the name-only message", len(page.Hits))
	}
	nameOnly := page.Hits[0].ID
	// Jane sent pii@ and attach@, received pwd@ and html@, is mentioned
	// by address in mention@ and by name in the name-only message; pii@
	// and attach@ hold SSNs. Jane's own figures leave out the name-only
	// message, which is not in her scope.
	var fromAdmin, byAlias, fromJane personView
	f.admin.get("/api/v1/people/jane.doe@example.com", &fromAdmin)
	f.analyst.get("/api/v1/people/Jane@Corp.Example.com", &byAlias)
	f.jane.get("/api/v1/people/Jane.Doe+benefits@EXAMPLE.com", &fromJane)
	for _, tc := range []struct {
		v         personView
		mentioned int
	}{{fromAdmin, 2}, {byAlias, 2}, {fromJane, 1}} {
		v, mentioned := tc.v, tc.mentioned
		if v.Address != "jane.doe@example.com" || v.Sent != 2 || v.Received != 2 || v.Mentioned != mentioned || v.Flags["ssn"] != 2 ||
			!slices.Contains(v.Messages, f.pii) || v.First == nil {
			t.Errorf("person jane.doe@example.com = %+v; want sent 2, received 2, mentioned %d, ssn 2, with pii@", v, mentioned)
		}
	}
	if len(fromAdmin.Messages) != 6 || !slices.Contains(fromAdmin.Messages, nameOnly) || !slices.Equal(byAlias.Messages, fromAdmin.Messages) {
		t.Errorf("staff: jane's messages %v (by alias %v), want 6 with the name-only one", fromAdmin.Messages, byAlias.Messages)
	}
	if len(fromJane.Messages) != 5 || slices.Contains(fromJane.Messages, nameOnly) {
		t.Errorf("jane: her messages %v, want the 5 in her scope, not the name-only one", fromJane.Messages)
	}
	for _, id := range fromJane.Messages {
		if resp, _ := f.jane.do("GET", "/api/v1/messages/"+id, nil); resp.StatusCode != 200 {
			t.Errorf("jane: message %s listed as hers = %d", id, resp.StatusCode)
		}
	}
	for _, p := range f.report.People {
		if p.Address == "jane.doe@example.com" && (p.Sent != fromAdmin.Sent || p.Mentioned != fromAdmin.Mentioned) {
			t.Errorf("report's jane %+v differs from GET /people %+v", p, fromAdmin)
		}
	}
	for _, tc := range []struct {
		c    *apiClient
		addr string
		want int
	}{
		{f.jane, "ceo@example.com", 404},
		{f.jane, "jane@corp.example.com", 404}, // her alias in the directory, but not verified
		{f.eve, "eve@example.com", 404},        // her own, but no one in the report
		{f.eve, "jane.doe@example.com", 404},
		{f.analyst, "ceo@example.com", 200},
		{f.analyst, "carl@example.com", 404}, // not in the directory
		{f.analyst, "not-an-address", 404},
		{f.admin, strings.Repeat("a", 400) + "@example.com", 404},
	} {
		resp, b := tc.c.do("GET", "/api/v1/people/"+tc.addr, nil)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: GET /people/%.40s = %d %s, want %d", tc.c.name, tc.addr, resp.StatusCode, b, tc.want)
		}
	}
}

// serveExposureBatches: the waves, and what w2 added, as `diff` says.
func serveExposureBatches(t *testing.T, f *exposureFixture) {
	var bs api.Batches
	f.analyst.get("/api/v1/batches", &bs)
	got := map[string]int{}
	n := 0
	for _, b := range bs.Batches {
		got[b.Leak+"/"+b.Batch] = b.Messages
		n += b.Messages
		if b.Ingested.IsZero() {
			t.Errorf("batch %+v: no ingest date", b)
		}
	}
	if got["hr/w1"] != 7 || got["hr/w2"] == 0 || n != f.report.LeakTotal || len(bs.Leaks) != 1 || bs.Leaks[0].Name != "hr" {
		t.Errorf("GET /batches = %+v, want hr/w1 with 7 messages, hr/w2, %d in all", bs, f.report.LeakTotal)
	}
	resp, b := f.counsel.do("GET", "/api/v1/batches/W2/diff?top=10", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /batches/W2/diff = %d %s", resp.StatusCode, b)
	}
	want := asJSONMap(t, f.cliDiff, "elapsed_seconds")
	want["batch"] = "W2"
	if got := asJSONMap(t, b, "elapsed_seconds"); !reflect.DeepEqual(got, want) {
		t.Errorf("GET /batches/W2/diff = %s\nwant (diff --json) %s", b, f.cliDiff)
	}
	var d leakscope.BatchDiff
	f.analyst.get("/api/v1/batches/w2/diff?leak=hr&top=3", &d)
	if d.Messages != got["hr/w2"] || len(d.Earlier) != 1 || d.Earlier[0] != "w1" || len(d.HighestRisk) > 3 {
		t.Errorf("analyst: diff of w2 = %+v, want %d new messages after w1, at most 3 listed", d, got["hr/w2"])
	}
	for _, q := range []string{"top=101", "top=x"} {
		if resp, _ := f.admin.do("GET", "/api/v1/batches/w2/diff?"+q, nil); resp.StatusCode != 400 {
			t.Errorf("GET /batches/w2/diff?%s = %d, want 400", q, resp.StatusCode)
		}
	}
	if resp, _ := f.admin.do("GET", "/api/v1/batches/w2/diff?leak=other", nil); resp.StatusCode != 404 {
		t.Errorf("diff of w2 in another leak = %d, want 404", resp.StatusCode)
	}
}

// serveExposureReconciliation: staff see how a leaked message stands
// against the archive, analysts without the diff; employees nothing.
func serveExposureReconciliation(t *testing.T, f *exposureFixture) {
	type view struct {
		Reconciliation *api.ReferenceCopy `json:"reconciliation"`
		NotInArchive   bool               `json:"not_in_archive"`
	}
	for _, tc := range []struct {
		c        *apiClient
		id       string
		status   string // "" for no reconciliation
		diff     bool
		notIn    bool
		nothing  bool // neither key in the answer at all
		refMatch string
	}{
		{f.counsel, f.altered, "altered", true, false, false, "exact"},
		{f.admin, f.altered, "altered", true, false, false, "exact"},
		{f.analyst, f.altered, "altered", false, false, false, "exact"},
		{f.counsel, f.identical, "identical", false, false, false, "exact"},
		{f.analyst, f.pii, "identical", false, false, false, "exact"},
		{f.analyst, f.absent, "", false, true, false, ""},
		{f.jane, f.pii, "", false, false, true, ""},
	} {
		resp, b := tc.c.do("GET", "/api/v1/messages/"+tc.id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: GET message %s = %d %s", tc.c.name, tc.id, resp.StatusCode, b)
		}
		var v view
		json.Unmarshal(b, &v)
		r := v.Reconciliation
		switch {
		case tc.nothing:
			if bytes.Contains(b, []byte(`"reconciliation"`)) || bytes.Contains(b, []byte(`"not_in_archive"`)) {
				t.Errorf("%s: message %s shows reconciliation: %s", tc.c.name, tc.id, b)
			}
		case tc.status == "":
			if r != nil {
				t.Errorf("%s: message %s reconciliation %+v, want none", tc.c.name, tc.id, r)
			}
		case r == nil || r.Status != tc.status || r.Match != tc.refMatch || r.ReferenceID == "" || r.Score <= 0 || (r.Diff != "") != tc.diff:
			t.Errorf("%s: message %s reconciliation %+v, want %s %s, diff %v", tc.c.name, tc.id, r, tc.status, tc.refMatch, tc.diff)
		case tc.diff && !strings.Contains(r.Diff, "We never agreed"):
			t.Errorf("%s: diff %q lacks the doctored sentence", tc.c.name, r.Diff)
		}
		if v.NotInArchive != tc.notIn {
			t.Errorf("%s: message %s not_in_archive = %v, want %v", tc.c.name, tc.id, v.NotInArchive, tc.notIn)
		}
	}
}
