package main

import (
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

// searchHit is the part of a search --json hit the tag tests read.
type searchHit struct {
	ID        string   `json:"id"`
	MessageID string   `json:"message_id"`
	Tags      []string `json:"tags"`
}

// searchAll returns every hit of q (all pages), by ID.
func searchAll(t *testing.T, data, q string) map[string]searchHit {
	t.Helper()
	out := map[string]searchHit{}
	after := ""
	for {
		args := []string{"search", "--data", data, "--json", "--limit", "50"}
		if after != "" {
			args = append(args, "--after", after)
		}
		var page struct {
			Hits []searchHit `json:"hits"`
			Next string      `json:"next"`
		}
		decodeJSON(t, mustRun(t, append(args, "--", q)...), &page)
		for _, h := range page.Hits {
			out[h.ID] = h
		}
		if page.Next == "" {
			return out
		}
		after = page.Next
	}
}

func sortedKeys(m map[string]searchHit) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// tagCounts runs tag list --json.
func tagCounts(t *testing.T, data string) map[string]int {
	t.Helper()
	var list []tagCount
	decodeJSON(t, mustRun(t, "tag", "list", "--data", data, "--json"), &list)
	out := map[string]int{}
	for _, tc := range list {
		out[tc.Name] = tc.Count
	}
	return out
}

// TestTagCommands tags a query's results and single messages, checks them
// through search (tag:, hits' tags), tag list, tag show, show --json and
// the audit log, untags part of them, and rebuilds the index from the
// store, which keeps the tags.
func TestTagCommands(t *testing.T) {
	dir := t.TempDir()
	c, err := mailgen.Generate(filepath.Join(dir, "dump"), mailgen.Options{Messages: 120, Seed: 23})
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--no-progress", filepath.Join(dir, "dump"))
	everything := searchAll(t, data, "*")

	// A query with many hits (three pages of search --limit 7; app's
	// TestChangeTagByQuery walks such pages in tagging).
	q := "to:" + c.People[0].Email + " OR from:" + c.People[0].Email + " OR to:" + c.People[1].Email
	want := searchAll(t, data, q)
	if len(want) < 3*7 || len(want) == len(everything) {
		t.Fatalf("query %q has %d of %d hits; want several pages and not all", q, len(want), len(everything))
	}
	var o tagChangeOutput
	decodeJSON(t, mustRun(t, "tag", "add", "--data", data, "--json", "Privileged", "--note", "advice of counsel", "--query", q), &o)
	if o != (tagChangeOutput{Tag: "privileged", Action: "add", Messages: len(want), Changed: len(want)}) {
		t.Errorf("tag add --query = %+v, want %d messages changed", o, len(want))
	}
	got := searchAll(t, data, "tag:privileged")
	if !slices.Equal(sortedKeys(got), sortedKeys(want)) {
		t.Errorf("search tag:privileged = %d hits, want the %d hits of %q", len(got), len(want), q)
	}
	for id, h := range searchAll(t, data, "*") {
		_, tagged := want[id]
		if wantTags := map[bool][]string{true: {"privileged"}, false: {}}[tagged]; !slices.Equal(h.Tags, wantTags) {
			t.Errorf("search hit %s tags = %q, want %q", id, h.Tags, wantTags)
		}
	}

	// Single messages: by our ID and by Message-ID; a custom tag.
	var other []searchHit
	for _, id := range sortedKeys(everything) {
		if _, ok := want[id]; !ok {
			other = append(other, everything[id])
		}
	}
	hot := []string{other[0].ID, other[1].ID}
	out := mustRun(t, "tag", "add", "--data", data, "hot", other[0].ID, "<"+other[1].MessageID+">")
	if !strings.Contains(out, "hot: 2 messages tagged (2 changed)") {
		t.Errorf("tag add hot printed %q", out)
	}
	mustRun(t, "tag", "add", "--data", data, "board-2014", other[0].ID)
	if got := sortedKeys(searchAll(t, data, "tag:hot")); !slices.Equal(got, hot) {
		t.Errorf("search tag:hot = %v, want %v", got, hot)
	}
	if got := searchAll(t, data, "id:"+other[0].MessageID)[other[0].ID].Tags; !slices.Equal(got, []string{"board-2014", "hot"}) {
		t.Errorf("search hit tags = %q, want [board-2014 hot]", got)
	}
	counts := tagCounts(t, data)
	wantCounts := map[string]int{"responsive": 0, "privileged": len(want), "hot": 2, "redact": 0, "board-2014": 1}
	if len(counts) != len(wantCounts) {
		t.Errorf("tag list = %v, want %v", counts, wantCounts)
	}
	for name, n := range wantCounts {
		if counts[name] != n {
			t.Errorf("tag list: %s = %d, want %d", name, counts[name], n)
		}
	}

	// Who and when, in tag show and show --json.
	me := "cli:unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		me = "cli:" + u.Username
	}
	taggedID := sortedKeys(want)[0]
	var shown tagShowOutput
	decodeJSON(t, mustRun(t, "tag", "show", "--data", data, "--json", taggedID), &shown)
	if shown.ID != taggedID || len(shown.Tags) != 1 || shown.Tags[0].Name != "privileged" || shown.Tags[0].Note != "advice of counsel" ||
		shown.Tags[0].User != me || time.Since(shown.Tags[0].Time) > time.Hour {
		t.Errorf("tag show = %+v, want privileged with its note, by %s, just now", shown, me)
	}
	var msg struct {
		Tags []leakscope.Tag `json:"tags"`
	}
	decodeJSON(t, mustRun(t, "show", "--data", data, "--json", taggedID), &msg)
	if len(msg.Tags) != 1 || msg.Tags[0] != shown.Tags[0] {
		t.Errorf("show --json tags = %+v, want %+v", msg.Tags, shown.Tags)
	}
	if out := mustRun(t, "show", "--data", data, taggedID); !strings.Contains(out, "Tag:         privileged ("+me) || !strings.Contains(out, "advice of counsel") {
		t.Errorf("show does not print the tag:\n%s", out)
	}
	if out := mustRun(t, "tag", "show", "--data", data, other[2].ID); !strings.Contains(out, "no tags") {
		t.Errorf("tag show of an untagged message printed %q", out)
	}

	// Untag the part of the query's hits sent by People[0].
	part := searchAll(t, data, "tag:privileged from:"+c.People[0].Email)
	if len(part) == 0 || len(part) == len(want) {
		t.Fatalf("%d of %d tagged messages are from %s; want some, not all", len(part), len(want), c.People[0].Email)
	}
	decodeJSON(t, mustRun(t, "tag", "remove", "--data", data, "--json", "privileged", "--query", "from:"+c.People[0].Email), &o)
	if o.Changed != len(part) {
		t.Errorf("tag remove changed %d messages, want %d", o.Changed, len(part))
	}
	remaining := sortedKeys(searchAll(t, data, "tag:privileged"))
	if len(remaining) != len(want)-len(part) {
		t.Errorf("tag:privileged after removing = %d hits, want %d", len(remaining), len(want)-len(part))
	}
	for _, id := range remaining {
		if _, ok := part[id]; ok {
			t.Errorf("message %s still tagged privileged after tag remove", id)
		}
	}
	if n := tagCounts(t, data)["privileged"]; n != len(remaining) {
		t.Errorf("tag list privileged = %d, want %d", n, len(remaining))
	}

	// Every change is in the audit log, with counts and no content.
	var entries []leakscope.AuditEntry
	decodeJSON(t, mustRun(t, "audit", "--data", data, "--json"), &entries)
	var tagEntries []leakscope.AuditEntry
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "tag.") {
			tagEntries = append(tagEntries, e)
		}
	}
	wantAudit := []struct{ action, target, detail string }{
		{leakscope.AuditTagAdd, "privileged", "query: " + q},
		{leakscope.AuditTagAdd, "hot", "2 messages, 2 changed; ids: " + other[0].ID + " <" + other[1].MessageID + ">"},
		{leakscope.AuditTagAdd, "board-2014", "1 message, 1 changed; ids: " + other[0].ID},
		{leakscope.AuditTagRemove, "privileged", "messages, " + strconv.Itoa(len(part)) + " changed; query: from:"},
	}
	if len(tagEntries) != len(wantAudit) {
		t.Fatalf("audit log has %d tag entries, want %d: %+v", len(tagEntries), len(wantAudit), tagEntries)
	}
	for i, w := range wantAudit {
		e := tagEntries[i]
		if e.Action != w.action || e.Target != w.target || !strings.Contains(e.Detail, w.detail) || e.User != me || e.Remote != "local" {
			t.Errorf("audit entry %d = %+v, want %s %s by %s with detail containing %q", i, e, w.action, w.target, me, w.detail)
		}
		if strings.Contains(e.Detail, "advice of counsel") {
			t.Errorf("audit entry %d holds the note: %q", i, e.Detail)
		}
	}
	if out := mustRun(t, "audit", "--data", data, "--verify"); !strings.Contains(out, "audit log intact") {
		t.Errorf("audit --verify: %s", out)
	}

	// A rebuilt index has the tags from the store.
	mustRun(t, "reindex", "--data", data)
	if got := sortedKeys(searchAll(t, data, "tag:privileged")); !slices.Equal(got, remaining) {
		t.Errorf("tag:privileged after reindex = %d hits, want %d", len(got), len(remaining))
	}
	if got := sortedKeys(searchAll(t, data, "tag:hot tag:board-2014")); !slices.Equal(got, hot[:1]) {
		t.Errorf("tag:hot tag:board-2014 after reindex = %v, want %v", got, hot[:1])
	}
	var facets struct {
		Facets []struct {
			Name   string `json:"Name"`
			Values []struct {
				Value string `json:"Value"`
				Count int    `json:"Count"`
			} `json:"Values"`
		} `json:"facets"`
	}
	decodeJSON(t, mustRun(t, "search", "--data", data, "--json", "--facets", "--limit", "0", "*"), &facets)
	tagFacet := map[string]int{}
	for _, f := range facets.Facets {
		if f.Name == "tag" {
			for _, v := range f.Values {
				tagFacet[v.Value] = v.Count
			}
		}
	}
	if len(tagFacet) != 3 || tagFacet["privileged"] != len(remaining) || tagFacet["hot"] != 2 || tagFacet["board-2014"] != 1 {
		t.Errorf("search --facets tag facet = %v, want privileged %d, hot 2, board-2014 1", tagFacet, len(remaining))
	}
}

// TestTagErrors: bad calls change nothing and exit with the documented
// codes.
func TestTagErrors(t *testing.T) {
	data, _ := sampleData(t)
	some := sortedKeys(searchAll(t, data, "*"))[0]
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no subcommand", []string{"tag"}, exitUsage},
		{"unknown subcommand", []string{"tag", "rename", "a"}, exitUsage},
		{"no tag", []string{"tag", "add"}, exitUsage},
		{"bad tag name", []string{"tag", "add", "-x-", some}, exitUsage},
		{"tag name with space", []string{"tag", "add", "a b", some}, exitUsage},
		{"tag name too long", []string{"tag", "add", strings.Repeat("a", 65), some}, exitUsage},
		{"nothing to tag", []string{"tag", "add", "hot"}, exitUsage},
		{"query and ids", []string{"tag", "add", "hot", "--query", "*", some}, exitUsage},
		{"bad query", []string{"tag", "add", "hot", "--query", "from:"}, exitUsage},
		{"note on remove", []string{"tag", "remove", "hot", "--note", "x", some}, exitUsage},
		{"unknown message", []string{"tag", "add", "hot", some, "00000000000000000000"}, exitNotFound},
		{"show unknown message", []string{"tag", "show", "00000000000000000000"}, exitNotFound},
		{"show two", []string{"tag", "show", some, some}, exitUsage},
		{"no data directory", []string{"tag", "add", "hot", some, "--data", filepath.Join(t.TempDir(), "none")}, exitNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := slices.Clone(tt.args)
			if !slices.Contains(args, "--data") {
				args = append(args, "--data", data)
			}
			if r := run(t, args...); r.code != tt.code {
				t.Errorf("leakscope %s: exit %d, want %d (stderr %q)", strings.Join(tt.args, " "), r.code, tt.code, r.stderr)
			}
		})
	}
	if n := total(t, data, "tag:hot"); n != 0 {
		t.Errorf("tag:hot after failed calls = %d, want 0", n)
	}
	var list []tagCount
	decodeJSON(t, mustRun(t, "tag", "list", "--data", data, "--json"), &list)
	for _, tc := range list {
		if tc.Count != 0 {
			t.Errorf("tag list after failed calls: %+v, want no tagged message", tc)
		}
	}
}
