package main

import (
	"reflect"
	"testing"

	"github.com/leakscope/leakscope/api"
)

// TestSearchJSONIsAPIHit: one hit, one shape. `search --json` prints each
// hit exactly as GET /search returns it to counsel (who sees values and
// tags), and to an analyst the same fields but tags, with values masked.
func TestSearchJSONIsAPIHit(t *testing.T) {
	data := serveData(t)
	mustRun(t, "tag", "add", "--data", data, "hot", "<pii@example.com>")
	var cli struct {
		Hits []map[string]any `json:"hits"`
	}
	decodeJSON(t, mustRun(t, "search", "--data", data, "--json", "--limit", "100", "*"), &cli)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	counsel, analyst := ts.client(t, "counsel"), ts.client(t, "analyst")
	counsel.login("cora")
	analyst.login("ann")
	var byCounsel, byAnalyst struct {
		Hits []map[string]any `json:"hits"`
	}
	counsel.get("/api/v1/search?q=*&limit=100", &byCounsel)
	analyst.get("/api/v1/search?q=*&limit=100", &byAnalyst)
	if len(cli.Hits) != 7 || len(byCounsel.Hits) != len(cli.Hits) || len(byAnalyst.Hits) != len(cli.Hits) {
		t.Fatalf("search * = %d hits, counsel %d, analyst %d; want 7 each", len(cli.Hits), len(byCounsel.Hits), len(byAnalyst.Hits))
	}
	tagged := 0
	for i, h := range cli.Hits {
		if !reflect.DeepEqual(h, byCounsel.Hits[i]) {
			t.Errorf("hit %d:\nsearch --json %v\nGET /search   %v", i, h, byCounsel.Hits[i])
		}
		if tags, ok := h["tags"].([]any); !ok {
			t.Errorf("hit %d: search --json has no tags list: %v", i, h)
		} else {
			tagged += len(tags)
		}
		a := byAnalyst.Hits[i]
		if _, ok := a["tags"]; ok {
			t.Errorf("hit %d: the analyst sees tags: %v", i, a)
		}
		for k := range h {
			if _, ok := a[k]; !ok && k != "tags" {
				t.Errorf("hit %d: the analyst's hit lacks %q: %v", i, k, a)
			}
		}
		if len(a) != len(h)-1 {
			t.Errorf("hit %d: the analyst's hit has %d fields, the command's %d (tags included)", i, len(a), len(h))
		}
	}
	if tagged != 1 {
		t.Errorf("search --json: %d tags in all, want the one added", tagged)
	}
}
