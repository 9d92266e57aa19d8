package app

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

func mustParse(t *testing.T, s string) leakscope.Query {
	t.Helper()
	q, err := query.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", s, err)
	}
	return q
}

// hitsByMessageID runs SearchHits and returns its page and hits by
// Message-ID.
func hitsByMessageID(t *testing.T, a *App, req search.Request) (*HitPage, map[string]leakscope.Hit) {
	t.Helper()
	page, err := a.SearchHits(context.Background(), req)
	if err != nil {
		t.Fatalf("SearchHits(%v) = %v", req.Query, err)
	}
	out := map[string]leakscope.Hit{}
	for _, h := range page.Hits {
		out[h.MessageID] = h
	}
	return page, out
}

// TestSearchHits: one hit per message, with its copies' custodians,
// folders and leaks each once, its flags, tags, duplicates and a snippet
// whose highlights mark the matched word, from an attachment when the
// body does not match.
func TestSearchHits(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	if _, err := a.Store.AddTag(ctx, []string{idOf(t, a, "report@example.com")}, leakscope.Tag{Name: "hot", User: "cora"}); err != nil {
		t.Fatal(err)
	}
	page, hits := hitsByMessageID(t, a, search.Request{Query: mustParse(t, "quarterly"), Limit: 20, Values: true})
	if page.Total != 4 || len(page.Hits) != 4 {
		t.Fatalf("quarterly: total %d, %d hits, want 4 (report, reply, forecast and its copy)", page.Total, len(page.Hits))
	}
	r := hits["report@example.com"]
	slices.Sort(r.Custodians)
	slices.Sort(r.Folders)
	if r.Copies != 2 || !slices.Equal(r.Custodians, []string{"alice", "bob"}) || !slices.Equal(r.Folders, []string{"inbox", "sent"}) ||
		!slices.Equal(r.Leaks, []string{"test"}) {
		t.Errorf("report: copies %d, custodians %q, folders %q, leaks %q; want 2 in alice/inbox and bob/sent of test",
			r.Copies, r.Custodians, r.Folders, r.Leaks)
	}
	if !slices.Contains(r.Flags, "ssn") || r.Risk <= 0 || !slices.Equal(r.Tags, []string{"hot"}) {
		t.Errorf("report: flags %q, risk %v, tags %q; want ssn, a risk, hot", r.Flags, r.Risk, r.Tags)
	}
	if r.Date == nil || r.Date.Format("2006-01-02") != "2014-06-02" || r.From.Email != "alice@example.com" || r.Subject != "Quarterly report" {
		t.Errorf("report: date %v, from %v, subject %q", r.Date, r.From, r.Subject)
	}
	if got := hits["reply@example.com"]; got.Thread == "" || got.Thread != r.Thread || got.Tags == nil || len(got.Tags) != 0 {
		t.Errorf("reply: thread %q (report's %q), tags %#v; want the report's thread and no tags ([])", got.Thread, r.Thread, got.Tags)
	}
	f := hits["forecast@example.com"]
	if f.Duplicates != 1 || f.Attachments != 1 || !strings.HasPrefix(f.Snippet, "[forecast.txt] ") {
		t.Errorf("forecast: duplicates %d, attachments %d, snippet %q; want 1, 1, the attachment's", f.Duplicates, f.Attachments, f.Snippet)
	}
	// The reply matches by its subject: its body's snippet marks nothing.
	for _, h := range page.Hits {
		if len(h.Highlights) == 0 && h.MessageID != "reply@example.com" {
			t.Errorf("%s: snippet %q has no highlight", h.MessageID, h.Snippet)
		}
		for _, sp := range h.Highlights {
			if sp[0] < 0 || sp[1] > len(h.Snippet) || !strings.EqualFold(h.Snippet[sp[0]:sp[1]], "quarterly") {
				t.Errorf("%s: highlight %v of %q does not mark quarterly", h.MessageID, sp, h.Snippet)
			}
		}
	}
}

// TestSearchHitsCountOnly: a Limit of 0 counts without listing.
func TestSearchHitsCountOnly(t *testing.T) {
	a := testApp(t)
	page, _ := hitsByMessageID(t, a, search.Request{Query: leakscope.MatchAll{}, Limit: 0, Facets: true})
	if page.Total != fixtureMessages || page.Hits == nil || len(page.Hits) != 0 || page.Next != "" || len(page.Facets) == 0 {
		t.Errorf("count only = total %d, hits %#v, next %q, %d facets; want %d, [], no cursor, the facets",
			page.Total, page.Hits, page.Next, len(page.Facets), fixtureMessages)
	}
	page, _ = hitsByMessageID(t, a, search.Request{Query: leakscope.MatchAll{}, Limit: 2})
	if len(page.Hits) != 2 || page.Next == "" {
		t.Errorf("limit 2 = %d hits, next %q; want 2 and a cursor", len(page.Hits), page.Next)
	}
}

// TestSearchDescribeIsSearchHits: the server's path (Search, then
// Describe) describes a hit exactly as the command's (SearchHits); without
// tags asked for, the hit has none and its JSON no "tags".
func TestSearchDescribeIsSearchHits(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	q := mustParse(t, "quarterly OR twin")
	page, err := a.SearchHits(ctx, search.Request{Query: q, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]leakscope.Hit{}
	for _, h := range page.Hits {
		want[h.ID] = h
	}
	res, err := a.Search(ctx, api.SearchRequest{Query: q, Sort: "-date", Limit: 20, Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != len(want) {
		t.Fatalf("Search: %d hits, SearchHits %d", len(res.Hits), len(want))
	}
	for _, h := range res.Hits {
		got := a.Describe(q, h)
		if w := want[got.ID]; !reflect.DeepEqual(got, w) {
			t.Errorf("Describe(Search hit) = %+v\nSearchHits hit      = %+v", got, w)
		}
	}
	res, err = a.Search(ctx, api.SearchRequest{Query: q, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a.Describe(q, res.Hits[0]))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"tags"`) {
		t.Errorf("a hit searched without tags: %s, want no tags", b)
	}
	ids, err := a.Search(ctx, api.SearchRequest{Query: q, Limit: 20, IDsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids.Hits) != len(want) || ids.Hits[0].ID == "" || ids.Hits[0].Message != nil {
		t.Errorf("IDsOnly: %+v, want %d IDs without messages", ids.Hits, len(want))
	}
}

// TestHitJSON: a hit's lists are never null; zero optional fields are
// left out; tags are [] for an untagged hit of a caller who sees tags and
// left out for one who does not.
func TestHitJSON(t *testing.T) {
	m := &leakscope.Message{ID: "0123456789abcdef0123", Subject: "s"}
	for _, tc := range []struct {
		name string
		tags []string
		want string
	}{
		{"tags shown", []string{}, `{"id":"0123456789abcdef0123","message_id":"","date":null,"from":{},"to":[],"subject":"s",` +
			`"flags":[],"tags":[],"risk":0,"copies":0,"custodians":[],"folders":[],"leaks":[],"thread":"","attachments":0,` +
			`"snippet":"","highlights":[]}`},
		{"tags hidden", nil, `{"id":"0123456789abcdef0123","message_id":"","date":null,"from":{},"to":[],"subject":"s",` +
			`"flags":[],"risk":0,"copies":0,"custodians":[],"folders":[],"leaks":[],"thread":"","attachments":0,` +
			`"snippet":"","highlights":[]}`},
	} {
		b, err := json.Marshal((&App{}).Describe(leakscope.MatchAll{}, api.Hit{ID: m.ID, Message: m, Tags: tc.tags}))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%s: hit JSON\n%s\nwant\n%s", tc.name, b, tc.want)
		}
	}
}

// TestSnippet: the body's match, else the first attachment's with its
// name in front and the highlights moved along; never nil highlights.
func TestSnippet(t *testing.T) {
	text := &leakscope.Text{Body: "Nothing here.", Attachments: []leakscope.AttachmentText{
		{Name: "a.txt", Text: "no match"}, {Name: "plan.txt", Text: "The merger plan."}}}
	s, spans := snippet(mustParse(t, "merger"), text)
	if !strings.HasPrefix(s, "[plan.txt] ") || len(spans) != 1 || s[spans[0][0]:spans[0][1]] != "merger" {
		t.Errorf("snippet(merger) = %q, %v; want plan.txt's text with merger marked", s, spans)
	}
	s, spans = snippet(mustParse(t, "nothing"), text)
	if len(spans) != 1 || s[spans[0][0]:spans[0][1]] != "Nothing" || strings.HasPrefix(s, "[") {
		t.Errorf("snippet(nothing) = %q, %v; want the body's", s, spans)
	}
	if _, spans := snippet(mustParse(t, "absent"), text); spans == nil || len(spans) != 0 {
		t.Errorf("snippet(absent) highlights = %#v, want []", spans)
	}
}
