package main

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/oprf"
)

// TestServe runs the API server on a leak with planted sensitive values
// and checks who may do what, what each role sees, and the audit trail.
func TestServe(t *testing.T) {
	data := serveData(t)
	annToken, _ := newTestToken(t, data, "ann")
	_, annToken2 := newTestToken(t, data, "ann")
	tokToken, tokTokenID := newTestToken(t, data, "tok")
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})

	anon := ts.client(t, "anon")
	admin, analyst, counsel := ts.client(t, "admin"), ts.client(t, "analyst"), ts.client(t, "counsel")
	jane, eve, disabled := ts.client(t, "jane"), ts.client(t, "eve"), ts.client(t, "disabled")
	admin.login("root")
	analyst.login("ann")
	counsel.login("cora")
	jane.login("jane")
	eve.login("eve")
	disabled.login("dis")
	token, revoked := ts.client(t, "token"), ts.client(t, "revoked")
	token.bearer, revoked.bearer = annToken, tokToken
	if resp, b := revoked.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Fatalf("tok's token before revoking: GET /me = %d %s", resp.StatusCode, b)
	}
	if resp, b := admin.do("DELETE", "/api/v1/tokens/"+tokTokenID, nil); resp.StatusCode != 200 {
		t.Fatalf("revoke tok's token = %d %s", resp.StatusCode, b)
	}
	if resp, b := admin.do("POST", "/api/v1/users/dis/disable", nil); resp.StatusCode != 200 {
		t.Fatalf("disable dis = %d %s", resp.StatusCode, b)
	}

	// Our ids of the test messages, and the attachments' indexes.
	var all searchPage
	admin.get("/api/v1/search?q=*&limit=100", &all)
	if all.Total != 7 || len(all.Hits) != 7 {
		t.Fatalf("admin search * = %d hits (total %d), want 7", len(all.Hits), all.Total)
	}
	id := map[string]string{}
	for _, h := range all.Hits {
		id[strings.TrimSuffix(h.MessageID, "@example.com")] = h.ID
	}
	var attach struct {
		Message leakscope.Message `json:"message"`
	}
	admin.get("/api/v1/messages/"+id["attach"], &attach)
	att := map[string]string{}
	for i, a := range attach.Message.Attachments {
		att[a.Name] = strconv.Itoa(i)
	}
	if len(att) != 3 || att["notes.txt"] == "" || att["payroll.csv"] == "" || att["photo.png"] == "" {
		t.Fatalf("attachments of attach@ = %+v, want notes.txt, payroll.csv, photo.png", attach.Message.Attachments)
	}

	f := &serveFixture{data: data, ts: ts, anon: anon, admin: admin, analyst: analyst, counsel: counsel, jane: jane, eve: eve,
		disabled: disabled, token: token, revoked: revoked, id: id, att: att,
		annToken: annToken, annToken2: annToken2, tokToken: tokToken}
	t.Run("matrix", func(t *testing.T) { serveMatrix(t, f) })
	t.Run("employee scope", func(t *testing.T) { serveEmployeeScope(t, f) })
	t.Run("redaction", func(t *testing.T) { serveRedaction(t, f) })
	t.Run("downloads", func(t *testing.T) { serveDownloads(t, f) })
	t.Run("sessions and csrf", func(t *testing.T) { serveSessionsAndCsrf(t, f) })
	t.Run("errors and limits", func(t *testing.T) { serveErrorsAndLimits(t, f) })
	t.Run("admin users", func(t *testing.T) { serveAdminUsers(t, f) })
	t.Run("audit trail", func(t *testing.T) { serveAuditTrail(t, f) })

	ts.stop()
	t.Run("rate limit", func(t *testing.T) { serveRateLimit(t, f) })
	t.Run("audit verify", func(t *testing.T) { serveAuditVerify(t, f) })
}

// serveFixture is what the parts of TestServe share: the data directory,
// the server, a client per kind of caller, and the test messages' ids.
type serveFixture struct {
	data                                     string
	ts                                       *apiServer
	anon, admin, analyst, counsel, jane, eve *apiClient
	disabled, token, revoked                 *apiClient
	id                                       map[string]string // our id by Message-ID local part
	att                                      map[string]string // attachment index of attach@ by name
	annToken, annToken2, tokToken            string            // ann's token, the id of her second, tok's (revoked) token
}

// serveMatrix: every route for every kind of caller, with the status each
// must get.
func serveMatrix(t *testing.T, f *serveFixture) {
	anon, admin, analyst, counsel, jane, disabled, token, revoked, id, att, annToken2 := f.anon, f.admin, f.analyst, f.counsel, f.jane, f.disabled, f.token, f.revoked, f.id, f.att, f.annToken2
	type row struct {
		method string
		path   func(who string) string
		body   func(who string) any
		// want is the status for admin, analyst, counsel, jane (an
		// employee) and ann's API token; anonymous callers, disabled
		// users and revoked tokens get 401 on every route but public
		// ones, which answer them as want[0].
		want   [5]int
		public bool
	}
	fixed := func(p string) func(string) string { return func(string) string { return p } }
	blinded, err := oprf.Blind(oprf.Input("ssn", "536221847"))
	if err != nil {
		t.Fatal(err)
	}
	msg := func(name, rest string) func(string) string { return fixed("/api/v1/messages/" + id[name] + rest) }
	rows := []row{
		{"GET", fixed("/api/v1/openapi.json"), nil, [5]int{200, 200, 200, 200, 200}, true},
		{"GET", fixed("/api/v1/me"), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", fixed("/api/v1/search?q=*"), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", fixed("/api/v1/search?q=budget+OR+-tag%3Aprivileged"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", fixed("/api/v1/stats"), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", msg("pii", ""), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", msg("other", ""), nil, [5]int{200, 200, 200, 404, 200}, false},
		{"GET", msg("decoy", ""), nil, [5]int{200, 200, 200, 404, 200}, false},
		{"GET", fixed("/api/v1/messages/00000000000000000000"), nil, [5]int{404, 404, 404, 404, 404}, false},
		{"GET", msg("pii", "/raw"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", msg("other", "/raw"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", msg("attach", "/attachments/"+att["notes.txt"]), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", msg("attach", "/attachments/"+att["payroll.csv"]), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", msg("attach", "/attachments/"+att["photo.png"]), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", msg("attach", "/attachments/7"), nil, [5]int{404, 404, 404, 404, 404}, false},
		{"GET", msg("other", "/attachments/0"), nil, [5]int{404, 404, 404, 404, 404}, false},
		{"GET", fixed("/api/v1/exposure"), nil, [5]int{200, 200, 200, 403, 200}, false},
		{"GET", fixed("/api/v1/people/jane.doe@example.com"), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", fixed("/api/v1/people/ceo@example.com"), nil, [5]int{200, 200, 200, 404, 200}, false},
		{"GET", fixed("/api/v1/people/nobody@example.org"), nil, [5]int{404, 404, 404, 404, 404}, false},
		{"GET", fixed("/api/v1/batches"), nil, [5]int{200, 200, 200, 403, 200}, false},
		{"GET", fixed("/api/v1/batches/w9/diff"), nil, [5]int{404, 404, 404, 403, 404}, false},
		{"POST", fixed("/api/v1/identifiers/evaluate"), func(string) any { return map[string]any{"elements": [][]byte{blinded.Element}} }, [5]int{200, 200, 200, 200, 200}, false},
		{"POST", fixed("/api/v1/identifiers/evaluate"), func(string) any { return map[string]any{"elements": []string{}} }, [5]int{400, 400, 400, 400, 400}, false},
		{"GET", fixed("/api/v1/identifiers/lookup/0a1b2"), nil, [5]int{200, 200, 200, 200, 200}, false},
		{"GET", fixed("/api/v1/identifiers/lookup/0a1b"), nil, [5]int{400, 400, 400, 400, 400}, false},
		{"GET", fixed("/api/v1/watches"), nil, [5]int{200, 200, 200, 403, 200}, false},
		{"POST", fixed("/api/v1/watches"), func(who string) any { return map[string]string{"name": "w-" + who, "query": "from:example.com"} },
			[5]int{201, 201, 201, 403, 201}, false},
		{"DELETE", func(who string) string { return "/api/v1/watches/w-" + who }, nil, [5]int{204, 204, 204, 403, 204}, false},
		{"POST", fixed("/api/v1/watches"), func(who string) any { return map[string]string{"name": "t-" + who, "query": "tag:privileged"} },
			[5]int{201, 403, 201, 403, 403}, false},
		{"GET", fixed("/api/v1/users"), nil, [5]int{200, 403, 403, 403, 403}, false},
		{"POST", fixed("/api/v1/users"), func(who string) any { return map[string]any{"name": "new-" + who, "role": "analyst"} },
			[5]int{201, 403, 403, 403, 403}, false},
		{"POST", fixed("/api/v1/users/victim/disable"), nil, [5]int{200, 403, 403, 403, 403}, false},
		{"POST", fixed("/api/v1/users/victim/enable"), nil, [5]int{200, 403, 403, 403, 403}, false},
		{"POST", fixed("/api/v1/users/victim/tokens"), nil, [5]int{201, 403, 403, 403, 403}, false},
		{"POST", fixed("/api/v1/users/nobody/tokens"), nil, [5]int{404, 403, 403, 403, 403}, false},
		// ann's second token: admins and ann (session or token) may
		// revoke it; to anyone else it does not exist.
		{"DELETE", fixed("/api/v1/tokens/" + annToken2), nil, [5]int{200, 200, 404, 404, 200}, false},
		{"GET", fixed("/api/v1/audit"), nil, [5]int{200, 403, 403, 403, 403}, false},
		// Counsel's tags and productions: admins and counsel only.
		{"GET", fixed("/api/v1/tags"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/hot/add"), func(who string) any { return map[string]any{"ids": []string{id["pii"]}, "note": "by " + who} },
			[5]int{200, 403, 200, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/hot/remove"), func(string) any { return map[string]any{"ids": []string{id["pii"]}} },
			[5]int{200, 403, 200, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/hot/add"), func(string) any { return map[string]any{"query": "from:nobody@example.org"} },
			[5]int{200, 403, 200, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/-hot/add"), func(string) any { return map[string]any{"ids": []string{id["pii"]}} },
			[5]int{400, 403, 400, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/hot/add"), func(string) any { return map[string]any{"ids": []string{"00000000000000000000"}} },
			[5]int{404, 403, 404, 403, 403}, false},
		{"POST", fixed("/api/v1/tags/hot/remove"), func(string) any { return map[string]any{"ids": []string{id["pii"]}, "query": "*"} },
			[5]int{400, 403, 400, 403, 403}, false},
		{"GET", fixed("/api/v1/productions"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"POST", fixed("/api/v1/productions"), func(who string) any { return map[string]any{"name": "m-" + who, "prefix": "M"} },
			[5]int{201, 403, 201, 403, 403}, false},
		{"POST", fixed("/api/v1/productions"), func(who string) any { return map[string]any{"name": "bad name", "prefix": "M"} },
			[5]int{400, 403, 400, 403, 403}, false},
		{"GET", func(who string) string { return "/api/v1/productions/m-" + who + "/exports" }, nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", fixed("/api/v1/productions/nope/exports"), nil, [5]int{404, 403, 404, 403, 403}, false},
		{"POST", fixed("/api/v1/productions/nope/exports"), func(string) any { return map[string]any{"tag": "hot"} },
			[5]int{404, 403, 404, 403, 403}, false},
		{"POST", func(who string) string { return "/api/v1/productions/m-" + who + "/exports" }, func(string) any { return map[string]any{"tag": "hot", "query": "*"} },
			[5]int{400, 403, 400, 403, 403}, false},
		{"GET", func(who string) string { return "/api/v1/productions/m-" + who + "/exports/1/download" }, nil, [5]int{404, 403, 404, 403, 403}, false},
		{"GET", fixed("/api/v1/notify"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", fixed("/api/v1/notify?format=csv"), nil, [5]int{200, 403, 200, 403, 403}, false},
		{"GET", fixed("/api/v1/notify?production=nope"), nil, [5]int{404, 403, 404, 403, 403}, false},
	}
	granted := []*apiClient{admin, analyst, counsel, jane, token}
	denied := []*apiClient{anon, disabled, revoked}
	cells, wrong := 0, 0
	defer func() { t.Logf("authorization matrix: %d cells, %d wrong", cells, wrong) }()
	for _, r := range rows {
		for i, c := range append(slices.Clone(granted), denied...) {
			want := http.StatusUnauthorized
			if i < len(granted) {
				want = r.want[i]
			} else if r.public {
				want = r.want[0]
			}
			var body any
			if r.body != nil {
				body = r.body(c.name)
			}
			path := r.path(c.name)
			resp, b := c.do(r.method, path, body)
			cells++
			if resp.StatusCode != want {
				wrong++
				t.Errorf("%s: %s %s = %d, want %d (%.120s)", c.name, r.method, path, resp.StatusCode, want, b)
			}
			if resp.StatusCode >= 400 {
				apiErrorCode(t, b)
			}
		}
	}
}

// serveEmployeeScope: an employee's search totals, facets and stats count
// only their messages, and any other message is 404.
func serveEmployeeScope(t *testing.T, f *serveFixture) {
	jane, eve, id := f.jane, f.eve, f.id
	var page searchPage
	jane.get("/api/v1/search?q=*&limit=100&facets=true", &page)
	got := page.messageIDs()
	if int(page.Total) != len(janeSees) || len(got) != len(janeSees) {
		t.Errorf("jane: search * total %d, %d hits, want %d", page.Total, len(page.Hits), len(janeSees))
	}
	for _, m := range janeSees {
		if !got[m] {
			t.Errorf("jane: search * misses %s", m)
		}
	}
	// Facets count only her messages.
	for _, fc := range page.Facets {
		if fc.Name != "sender_domain" {
			continue
		}
		n := fc.Other
		for _, v := range fc.Values {
			n += v.Count
		}
		if n != len(janeSees) {
			t.Errorf("jane: sender_domain facet counts %d messages, want %d", n, len(janeSees))
		}
	}
	for q, want := range map[string]uint64{"flag:ssn": 2, "budget": 1, "board": 0, "*": 5} {
		var p searchPage
		jane.get("/api/v1/search?limit=0&q="+url.QueryEscape(q), &p)
		if p.Total != want || len(p.Hits) != 0 {
			t.Errorf("jane: search %q total %d (%d hits), want %d and no hits with limit=0", q, p.Total, len(p.Hits), want)
		}
	}
	var stats struct {
		Visible uint64    `json:"visible"`
		Store   *struct{} `json:"store"`
	}
	jane.get("/api/v1/stats", &stats)
	if stats.Visible != 5 || stats.Store != nil {
		t.Errorf("jane: stats = %+v, want 5 visible and no store totals", stats)
	}
	eve.get("/api/v1/search?q=*", &page)
	if page.Total != 0 {
		t.Errorf("eve (no messages): search * total %d, want 0", page.Total)
	}
	// A message id is readable by jane exactly when search shows it.
	for name, mid := range id {
		resp, _ := jane.do("GET", "/api/v1/messages/"+mid, nil)
		if visible := got[name+"@example.com"]; (resp.StatusCode == 200) != visible {
			t.Errorf("jane: GET message %s = %d, but search shows it: %v", name, resp.StatusCode, visible)
		}
	}
	var view struct {
		Duplicates []string `json:"duplicates"`
		Thread     []string `json:"thread"`
		Copies     []struct {
			Source string `json:"source"`
		} `json:"copies"`
	}
	jane.get("/api/v1/messages/"+id["pii"], &view)
	if len(view.Thread) != 1 || view.Thread[0] != id["pii"] || len(view.Copies) != 1 || view.Copies[0].Source != "" {
		t.Errorf("jane: message view = %+v, want the thread of itself and a copy without its server path", view)
	}
}

// serveRedaction: analysts and employees see flagged values masked in
// bodies, attachments and snippets; counsel and admins see them.
func serveRedaction(t *testing.T, f *serveFixture) {
	admin, analyst, counsel, jane, token, id := f.admin, f.analyst, f.counsel, f.jane, f.token, f.id
	type view struct {
		Message  leakscope.Message `json:"message"`
		Text     leakscope.Text    `json:"text"`
		Redacted bool              `json:"redacted"`
		Copies   []struct {
			Source string `json:"source"`
		} `json:"copies"`
	}
	for _, tc := range []struct {
		c        *apiClient
		msg      string
		redacted bool
		clear    []string // values in clear, or masked when redacted
		masked   []string // what a redacted view shows instead
	}{
		{analyst, "pii", true, []string{"536-22-1847", "4556 7375 8689 9855", "853-1234"}, []string{"***-**-1847", "**** **** **** 9855"}},
		{token, "pii", true, []string{"536-22-1847"}, []string{"***-**-1847"}},
		{jane, "pii", true, []string{"536-22-1847"}, []string{"***-**-1847"}},
		{jane, "pwd", true, []string{"Tr0ub4dor&3"}, []string{"***********"}},
		{counsel, "pii", false, []string{"536-22-1847", "4556 7375 8689 9855"}, nil},
		{admin, "other", false, []string{"536-44-1234"}, nil},
		{analyst, "other", true, []string{"536-44-1234"}, []string{"***-**-1234"}},
	} {
		var v view
		tc.c.get("/api/v1/messages/"+id[tc.msg], &v)
		if v.Redacted != tc.redacted {
			t.Errorf("%s: %s redacted = %v, want %v", tc.c.name, tc.msg, v.Redacted, tc.redacted)
		}
		for _, s := range tc.clear {
			if shown := strings.Contains(v.Text.Body, s); shown == tc.redacted {
				t.Errorf("%s: %s body %q: %q shown = %v, want %v", tc.c.name, tc.msg, v.Text.Body, s, shown, !tc.redacted)
			}
		}
		for _, s := range tc.masked {
			if !strings.Contains(v.Text.Body, s) {
				t.Errorf("%s: %s body %q lacks the masked %q", tc.c.name, tc.msg, v.Text.Body, s)
			}
		}
		for _, f := range v.Message.Flags {
			if strings.Contains(f.Snippet, "536-") {
				t.Errorf("%s: flag snippet %q shows an SSN", tc.c.name, f.Snippet)
			}
		}
		if len(v.Copies) == 0 || (v.Copies[0].Source != "") == tc.redacted {
			t.Errorf("%s: copies %+v: server path shown = %v, want %v", tc.c.name, v.Copies, !tc.redacted, !tc.redacted)
		}
	}
	// The attachment text (CSV) is redacted too, and snippets are cut
	// from redacted text.
	var v view
	analyst.get("/api/v1/messages/"+id["attach"], &v)
	for _, a := range v.Text.Attachments {
		if strings.Contains(a.Text, "536-44-9876") {
			t.Errorf("analyst: attachment %s text shows the SSN: %q", a.Name, a.Text)
		}
	}
	for _, c := range []*apiClient{analyst, jane, counsel} {
		var p searchPage
		c.get("/api/v1/search?q=ssn&sort=date", &p)
		shown := false
		for _, h := range p.Hits {
			shown = shown || strings.Contains(h.Snippet, "536-22-1847")
			for _, hl := range h.Highlights {
				if hl[0] < 0 || hl[1] > len(h.Snippet) || hl[0] > hl[1] {
					t.Errorf("%s: highlight %v outside snippet %q", c.name, hl, h.Snippet)
				}
			}
		}
		if want := c == counsel; shown != want || len(p.Hits) == 0 {
			t.Errorf("%s: search ssn (%d hits): SSN in a snippet = %v, want %v", c.name, len(p.Hits), shown, want)
		}
	}
	// HTML mail is text: no markup, no script.
	counsel.get("/api/v1/messages/"+id["html"], &v)
	if strings.Contains(v.Text.Body, "<") || strings.Contains(v.Text.Body, "alert") || !strings.Contains(v.Text.Body, "Hello Jane") {
		t.Errorf("HTML message text = %q, want the text without markup or script", v.Text.Body)
	}
}

// serveDownloads: attachments and originals come back byte for byte, as
// downloads, to the roles allowed.
func serveDownloads(t *testing.T, f *serveFixture) {
	admin, analyst, counsel, jane, id, att := f.admin, f.analyst, f.counsel, f.jane, f.id, f.att
	for _, tc := range []struct {
		c    *apiClient
		n    string
		name string
		want []byte
	}{
		// The line break before a boundary belongs to the boundary.
		{jane, att["notes.txt"], "notes.txt", []byte(strings.TrimSuffix(notesTxt, "\n"))},
		{counsel, att["payroll.csv"], "payroll.csv", []byte(strings.TrimSuffix(payrollCSV, "\n"))},
		{admin, att["photo.png"], "photo.png", photoPNG},
	} {
		resp, b := tc.c.do("GET", "/api/v1/messages/"+id["attach"]+"/attachments/"+tc.n, nil)
		if resp.StatusCode != 200 || !bytes.Equal(b, tc.want) {
			t.Errorf("%s: attachment %s = %d %q, want %q", tc.c.name, tc.name, resp.StatusCode, b, tc.want)
		}
		h := resp.Header
		if h.Get("Content-Type") != "application/octet-stream" || h.Get("Content-Disposition") != `attachment; filename=`+tc.name ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: attachment %s headers %v", tc.c.name, tc.name, h)
		}
	}
	resp, b := counsel.do("GET", "/api/v1/messages/"+id["pii"]+"/raw", nil)
	if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte("From: Jane Doe")) || !bytes.Contains(b, []byte("536-22-1847")) {
		t.Errorf("counsel: raw = %d %.80q, want the original", resp.StatusCode, b)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("raw Content-Disposition = %q, want attachment", cd)
	}
	if resp, _ := counsel.do("GET", "/api/v1/messages/"+id["pii"]+"/raw?copy=2", nil); resp.StatusCode != 404 {
		t.Errorf("raw?copy=2 of a message with one copy = %d, want 404", resp.StatusCode)
	}
	resp, b = analyst.do("GET", "/api/v1/messages/"+id["attach"]+"/attachments/"+att["payroll.csv"], nil)
	if code := apiErrorCode(t, b); resp.StatusCode != 403 || code != "redaction_required" {
		t.Errorf("analyst: flagged attachment = %d %s, want 403 redaction_required", resp.StatusCode, code)
	}
}
