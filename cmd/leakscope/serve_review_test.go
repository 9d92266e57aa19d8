package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
)

// TestServeReview: counsel's tags and productions over the API, without a
// browser. Tags are found by tag: at once, shown to admins and counsel
// only, audited with the server user's name; an export runs in the
// background, is recorded and audited under that name, and downloads as a
// zip; the notification report comes as JSON and as a CSV download.
func TestServeReview(t *testing.T) {
	data := serveData(t)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000, RateLimit: 1000})
	counsel, analyst, jane, admin := ts.client(t, "counsel"), ts.client(t, "analyst"), ts.client(t, "jane"), ts.client(t, "admin")
	counsel.login("cora")
	analyst.login("ann")
	jane.login("jane")
	admin.login("root")
	pii := messageIDOf(t, ts, "pii@example.com")

	// Tag by query: every hit, found at once by tag:.
	resp, b := counsel.do("POST", "/api/v1/tags/Hot/add", map[string]any{"query": "flag:ssn", "note": "key exhibit"})
	var change struct {
		Tag              string
		Matched, Changed int
	}
	if err := json.Unmarshal(b, &change); err != nil || resp.StatusCode != 200 || change.Tag != "hot" || change.Matched != 3 || change.Changed != 3 {
		t.Fatalf("tag hot --query flag:ssn = %d %s, want hot on 3 messages, 3 changed", resp.StatusCode, b)
	}
	resp, b = counsel.do("POST", "/api/v1/tags/hot/add", map[string]any{"query": "flag:ssn"})
	if json.Unmarshal(b, &change); resp.StatusCode != 200 || change.Matched != 3 || change.Changed != 0 {
		t.Errorf("tagging again = %d %s, want 3 matched, 0 changed", resp.StatusCode, b)
	}
	var page struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID   string   `json:"id"`
			Tags []string `json:"tags"`
		} `json:"hits"`
		Facets []api.Facet `json:"facets"`
	}
	counsel.get("/api/v1/search?q=tag:hot&facets=true", &page)
	if page.Total != 3 || len(page.Hits) != 3 || !slices.Contains(page.Hits[0].Tags, "hot") {
		t.Errorf("counsel: tag:hot = %d hits %+v, want 3 carrying hot", page.Total, page.Hits)
	}
	if !hasFacetValue(page.Facets, "tag", "hot", 3) {
		t.Errorf("counsel: facets %+v lack tag hot = 3", page.Facets)
	}

	// Analysts and employees see no tag, anywhere.
	for _, c := range []*apiClient{analyst, jane} {
		_, b := c.do("GET", "/api/v1/search?q=*&facets=true&limit=100", nil)
		if bytes.Contains(b, []byte(`"tags"`)) || bytes.Contains(b, []byte(`"tag"`)) {
			t.Errorf("%s: search answer mentions tags: %.300s", c.name, b)
		}
		_, b = c.do("GET", "/api/v1/messages/"+pii, nil)
		if bytes.Contains(b, []byte(`"tags"`)) || bytes.Contains(b, []byte("key exhibit")) {
			t.Errorf("%s: message answer shows tags: %.300s", c.name, b)
		}
	}
	var msg struct {
		Tags []leakscope.Tag `json:"tags"`
	}
	counsel.get("/api/v1/messages/"+pii, &msg)
	if len(msg.Tags) != 1 || msg.Tags[0].Name != "hot" || msg.Tags[0].Note != "key exhibit" || msg.Tags[0].User != "cora" {
		t.Errorf("counsel: message tags = %+v, want hot, key exhibit, by cora", msg.Tags)
	}

	// Remove by id; the tag list counts what is left.
	resp, b = admin.do("POST", "/api/v1/tags/hot/remove", map[string]any{"ids": []string{pii}})
	if json.Unmarshal(b, &change); resp.StatusCode != 200 || change.Matched != 1 || change.Changed != 1 {
		t.Errorf("remove hot from pii = %d %s, want 1 changed", resp.StatusCode, b)
	}
	var tags struct{ Tags []api.TagCount }
	counsel.get("/api/v1/tags", &tags)
	if len(tags.Tags) != 4 || tags.Tags[0].Name != "responsive" || !tags.Tags[2].Builtin || tags.Tags[2].Name != "hot" || tags.Tags[2].Count != 2 {
		t.Errorf("tags = %+v, want the 4 built-in ones, hot on 2", tags.Tags)
	}
	counsel.get("/api/v1/search?q=tag:hot&limit=0", &page)
	if page.Total != 2 {
		t.Errorf("tag:hot after removing one = %d, want 2", page.Total)
	}

	// A production and an export of tag:hot, followed to the end.
	if resp, b := counsel.do("POST", "/api/v1/productions", map[string]any{"name": "vol1", "prefix": "HOT", "digits": 4}); resp.StatusCode != 201 {
		t.Fatalf("create production = %d %s", resp.StatusCode, b)
	}
	resp, b = counsel.do("POST", "/api/v1/productions/vol1/exports", map[string]any{"tag": "hot", "privilege_log": true})
	var started struct{ Job api.ExportJob }
	if err := json.Unmarshal(b, &started); err != nil || resp.StatusCode != 202 || started.Job.Status != api.ExportRunning || started.Job.Job == "" {
		t.Fatalf("start export = %d %s, want 202 with a running job", resp.StatusCode, b)
	}
	var job api.ExportJob
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var list struct{ Exports []api.ExportJob }
		counsel.get("/api/v1/productions/vol1/exports", &list)
		if len(list.Exports) != 1 {
			t.Fatalf("exports = %+v, want the one job", list.Exports)
		}
		if job = list.Exports[0]; job.Status != api.ExportRunning || time.Now().After(deadline) {
			break
		}
	}
	// other@ (1 document) and attach@ (4), oldest first.
	if job.Status != api.ExportDone || job.Seq != 1 || job.Job != started.Job.Job || job.Messages != 2 || job.Documents != 5 ||
		job.Bates != "HOT0001-HOT0005" || job.User != "cora" || !job.PrivilegeLog || job.Download != "/api/v1/productions/vol1/exports/1/download" {
		t.Fatalf("finished export = %+v, want done #1, 2 messages, 5 documents, HOT0001-HOT0005, by cora, downloadable", job)
	}
	resp, b = counsel.do("GET", job.Download, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" || resp.Header.Get("Content-Disposition") != "attachment; filename=HOT0001.zip" {
		t.Fatalf("download = %d %v", resp.StatusCode, resp.Header)
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("download is no zip: %v", err)
	}
	if n := datDocuments(t, b); n != 5 {
		t.Errorf("DAT lists %d documents, want 5", n)
	}
	var prods struct{ Productions []api.Production }
	counsel.get("/api/v1/productions", &prods)
	if len(prods.Productions) != 1 || prods.Productions[0].Next != "HOT0006" || prods.Productions[0].Exports != 1 || prods.Productions[0].Docs != 5 {
		t.Errorf("productions = %+v, want vol1 next HOT0006 after 1 export of 5 documents", prods.Productions)
	}

	// The notification report, as JSON with Bates numbers, and as CSV.
	var rep struct {
		Production string
		People     []struct {
			Address string
			Bates   []string
		}
	}
	counsel.get("/api/v1/notify?production=vol1", &rep)
	if rep.Production != "vol1" || !slices.ContainsFunc(rep.People, func(p struct {
		Address string
		Bates   []string
	}) bool {
		return p.Address == "ceo@example.com" && slices.Equal(p.Bates, []string{"HOT0001"})
	}) {
		t.Errorf("notify?production=vol1 = %+v, want ceo@example.com at HOT0001", rep)
	}
	resp, b = counsel.do("GET", "/api/v1/notify?format=csv&production=vol1", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		resp.Header.Get("Content-Disposition") != "attachment; filename=notification-vol1.csv" || !bytes.Contains(b, []byte("ceo@example.com")) {
		t.Errorf("notify CSV = %d %v %.200q", resp.StatusCode, resp.Header, b)
	}

	// The audit log names the server user, the counts and the query.
	var audit struct{ Entries []leakscope.AuditEntry }
	admin.get("/api/v1/audit?limit=1000", &audit)
	want := map[string]string{
		"tag.add":           "cora hot 3 messages, 3 changed; query: flag:ssn",
		"tag.remove":        "root hot 1 message, 1 changed; ids: " + pii,
		"production.create": "cora vol1 prefix HOT, digits 4, start HOT0001",
		"export":            "cora vol1 2 messages, 5 documents, HOT0001-HOT0005",
		"export.download":   "cora vol1 export 1",
		"notify.report":     "cora vol1 ",
	}
	for action, w := range want {
		found := false
		for _, e := range audit.Entries {
			found = found || (e.Action == action && strings.HasPrefix(e.User+" "+e.Target+" "+e.Detail, w))
		}
		if !found {
			t.Errorf("no audit entry %s %q", action, w)
		}
	}
	for _, e := range audit.Entries {
		if strings.Contains(e.Detail, "key exhibit") {
			t.Errorf("audit entry %s holds the tag's note: %q", e.Action, e.Detail)
		}
	}
}

func hasFacetValue(facets []api.Facet, name, value string, count int) bool {
	for _, f := range facets {
		if f.Name == name {
			return slices.Contains(f.Values, api.FacetValue{Value: value, Count: count})
		}
	}
	return false
}
