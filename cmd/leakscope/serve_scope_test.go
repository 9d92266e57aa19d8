package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
)

// TestServeScopeAggregates: aggregates follow the rules of the queries
// behind them. An analyst, who may not query review tags, learns nothing
// of counsel's tag watch (name, query, matches) and cannot delete it or
// take its name; an employee's figures about herself count only the
// messages she may see; reads of aggregates are in the audit log with
// counts, never values.
func TestServeScopeAggregates(t *testing.T) {
	data := serveData(t)
	// A second wave names Jane without addressing her: in the report, not
	// in her scope.
	wave := filepath.Join(t.TempDir(), "wave2.mbox")
	mbox := "From carl@example.com Tue Nov 25 10:00:00 2014\nFrom: carl@example.com\nTo: dave@example.com\n" +
		"Subject: Reorg\nDate: Tue, 25 Nov 2014 10:00:00 +0000\nMessage-ID: <named@example.com>\n\n" +
		"Jane Doe will be let go in March. Her SSN is 536-22-1847.\n\n"
	if err := os.WriteFile(wave, []byte(mbox), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "index", "--data", data, "--leak", "hr", "--batch", "w2", "--no-progress", wave)
	people := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(people, []byte("name,addresses\nJane Doe,jane.doe@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "org", "--data", data, "--people", people)
	annToken, _ := newTestToken(t, data, "ann")
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	admin, analyst, counsel, jane := ts.client(t, "admin"), ts.client(t, "analyst"), ts.client(t, "counsel"), ts.client(t, "jane")
	admin.login("root")
	analyst.login("ann")
	counsel.login("cora")
	jane.login("jane")
	token := ts.client(t, "ann's token")
	token.bearer = annToken

	// Counsel marks a message privileged and watches the tag; anyone
	// watches the budget.
	var pii searchPage
	counsel.get("/api/v1/search?q=subject:benefits", &pii)
	if len(pii.Hits) != 1 {
		t.Fatalf("counsel: subject:benefits = %d hits, want 1", len(pii.Hits))
	}
	if resp, b := counsel.do("POST", "/api/v1/tags/privileged/add", map[string]any{"ids": []string{pii.Hits[0].ID}}); resp.StatusCode != 200 {
		t.Fatalf("tag privileged = %d %s", resp.StatusCode, b)
	}
	const secretName, secretQuery = "ceo-lawsuit", "tag:privileged"
	if resp, b := counsel.do("POST", "/api/v1/watches", map[string]string{"name": secretName, "query": secretQuery}); resp.StatusCode != 201 {
		t.Fatalf("counsel: POST /watches %s = %d %s", secretQuery, resp.StatusCode, b)
	}
	if resp, b := analyst.do("POST", "/api/v1/watches", map[string]string{"name": "budget", "query": "budget"}); resp.StatusCode != 201 {
		t.Fatalf("analyst: POST /watches budget = %d %s", resp.StatusCode, b)
	}

	type watchList struct {
		Watches []leakscope.Watch `json:"watches"`
	}
	watches := func(c *apiClient) (map[string]leakscope.Watch, string) {
		t.Helper()
		resp, b := c.do("GET", "/api/v1/watches", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: GET /watches = %d %s", c.name, resp.StatusCode, b)
		}
		var l watchList
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatal(err)
		}
		out := map[string]leakscope.Watch{}
		for _, w := range l.Watches {
			out[w.Name] = w
		}
		return out, string(b)
	}
	for _, c := range []*apiClient{admin, counsel} {
		ws, _ := watches(c)
		if w := ws[secretName]; w.Query != secretQuery || w.Matches != 1 || ws["budget"].Matches != 1 {
			t.Errorf("%s: GET /watches = %+v, want %s (%s, 1 match) and budget (1 match)", c.name, ws, secretName, secretQuery)
		}
	}
	for _, c := range []*apiClient{analyst, token} {
		ws, body := watches(c)
		if strings.Contains(body, secretName) || strings.Contains(body, "tag:") || len(ws) != 1 || ws["budget"].Matches != 1 {
			t.Errorf("%s: GET /watches = %s, want only budget (1 match), nothing of counsel's tag watch", c.name, body)
		}
		// Its name is taken, without more said; it cannot be deleted.
		resp, b := c.do("POST", "/api/v1/watches", map[string]string{"name": secretName, "query": "budget"})
		if resp.StatusCode != http.StatusConflict || apiErrorCode(t, b) != "name_taken" || strings.Contains(string(b), "tag") {
			t.Errorf("%s: POST /watches %s = %d %s, want 409 name_taken", c.name, secretName, resp.StatusCode, b)
		}
		if resp, b := c.do("DELETE", "/api/v1/watches/"+secretName, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: DELETE /watches/%s = %d %s, want 404 as a missing watch", c.name, secretName, resp.StatusCode, b)
		}
	}
	if ws, _ := watches(counsel); ws[secretName].Query != secretQuery {
		t.Errorf("counsel's watch after the analyst's attempts = %+v, want it unchanged", ws[secretName])
	}
	// Search facets and stats hold no tag facet but for admins and counsel.
	for _, c := range []*apiClient{analyst, token, jane} {
		for _, path := range []string{"/api/v1/stats", "/api/v1/search?q=*&facets=true"} {
			resp, b := c.do("GET", path, nil)
			if resp.StatusCode != 200 || strings.Contains(string(b), `"privileged"`) || strings.Contains(string(b), `"name":"tag"`) {
				t.Errorf("%s: GET %s = %d %s, want no tag counts", c.name, path, resp.StatusCode, b)
			}
		}
	}
	var facets searchPage
	counsel.get("/api/v1/search?q=*&facets=true", &facets)
	if !strings.Contains(toJSON(t, facets.Facets), `"privileged"`) {
		t.Errorf("counsel's facets = %s, want the tag facet with privileged", toJSON(t, facets.Facets))
	}

	// Jane's figures about herself count only what she may see.
	type person struct {
		leakscope.PersonExposure
		Messages []string `json:"messages"`
	}
	var mine, staff person
	jane.get("/api/v1/people/jane.doe@example.com", &mine)
	admin.get("/api/v1/people/jane.doe@example.com", &staff)
	if got := mine.Sent + mine.Received + mine.Mentioned; got != len(mine.Messages) || len(mine.Messages) != len(janeSees) {
		t.Errorf("jane's own figures: sent %d, received %d, mentioned %d for %d messages listed; want them to count the %d she sees",
			mine.Sent, mine.Received, mine.Mentioned, len(mine.Messages), len(janeSees))
	}
	// Her SSN and the payroll's are in her messages; the second wave's is not.
	if mine.Last == nil || mine.Last.Day() != 24 || mine.Flags["ssn"] != 2 {
		t.Errorf("jane's own figures: last %v, flags %v; want 24 November and two messages with an SSN", mine.Last, mine.Flags)
	}
	if staff.Mentioned != mine.Mentioned+1 || staff.Flags["ssn"] != 3 || staff.Last.Day() != 25 || len(staff.Messages) != len(janeSees)+1 {
		t.Errorf("admin's view of jane: mentioned %d, flags %v, %d messages; want the name mention counted too", staff.Mentioned, staff.Flags, len(staff.Messages))
	}

	// Every aggregate read is audited, with counts and no values.
	var tags struct{}
	counsel.get("/api/v1/tags", &tags)
	counsel.get("/api/v1/productions", &tags)
	var page struct {
		Entries []leakscope.AuditEntry `json:"entries"`
	}
	admin.get("/api/v1/audit?limit=1000", &page)
	seen := map[string]leakscope.AuditEntry{}
	for _, e := range page.Entries {
		seen[e.Action+" "+e.User] = e
	}
	for _, want := range []struct{ key, detail string }{
		{"stats.read ann", "visible 8"}, {"stats.read jane", "visible 5"}, {"watch.list ann", "1 watches"},
		{"watch.list cora", "2 watches"}, {"watch.add ann", "name taken"}, {"watch.delete ann", ""},
		{"tag.list cora", "tags"}, {"production.list cora", "0 productions"},
	} {
		e, ok := seen[want.key]
		if !ok || !strings.Contains(e.Detail, want.detail) {
			t.Errorf("audit entry %q = %+v, want one with detail %q", want.key, e, want.detail)
		}
	}
	if e := seen["watch.delete ann"]; e.Status != http.StatusNotFound {
		t.Errorf("ann's refused delete audited with status %d, want 404", e.Status)
	}
	if e := seen["stats.read jane"]; e.Target != "" || strings.Contains(e.Detail, "@") {
		t.Errorf("jane's stats read audited as %+v, want counts only", e)
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestServeReenabledUser: a user disabled and enabled again gets none of
// their old credentials back: the token and the session they had answer
// 401, also after a restart, while a token made afterwards and a new
// login work.
func TestServeReenabledUser(t *testing.T) {
	data := serveData(t)
	oldToken, oldTokenID := newTestToken(t, data, "victim")
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	admin, session, token := ts.client(t, "admin"), ts.client(t, "victim's session"), ts.client(t, "victim's token")
	admin.login("root")
	session.login("victim")
	token.bearer = oldToken
	for _, c := range []*apiClient{session, token} {
		if resp, b := c.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
			t.Fatalf("%s before disabling: GET /me = %d %s", c.name, resp.StatusCode, b)
		}
	}
	for _, step := range []string{"disable", "enable"} {
		if resp, b := admin.do("POST", "/api/v1/users/victim/"+step, nil); resp.StatusCode != 200 {
			t.Fatalf("%s victim = %d %s", step, resp.StatusCode, b)
		}
	}
	resp, b := admin.do("POST", "/api/v1/users/victim/tokens", nil)
	var made struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(b, &made); resp.StatusCode != 201 || made.Token == "" {
		t.Fatalf("new token for victim = %d %s", resp.StatusCode, b)
	}
	fresh := ts.client(t, "victim's new token")
	fresh.bearer = made.Token
	relogin := ts.client(t, "victim's new session")
	relogin.login("victim")
	check := func(when string, clients ...*apiClient) {
		t.Helper()
		for _, c := range []*apiClient{session, token} {
			if resp, b := c.do("GET", "/api/v1/search?q=*", nil); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s, %s: GET /search = %d %.100s, want 401", when, c.name, resp.StatusCode, b)
			}
		}
		for _, c := range clients {
			if resp, b := c.do("GET", "/api/v1/search?q=*", nil); resp.StatusCode != 200 {
				t.Errorf("%s, %s: GET /search = %d %.100s, want 200", when, c.name, resp.StatusCode, b)
			}
		}
	}
	check("enabled again", fresh, relogin)
	ts.stop()

	// The revocation is in the store: a restart does not undo it, and the
	// CLI lists the old token revoked.
	ts = startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	session.base, token.base, fresh.base = ts.base, ts.base, ts.base
	check("after a restart", fresh)
	ts.stop()
	if list := mustRun(t, "user", "list", "--data", data); !strings.Contains(list, oldTokenID+" (revoked)") {
		t.Errorf("user list after re-enabling:\n%s\nwant %s (revoked)", list, oldTokenID)
	}
}

// TestServeWeakPasswords: passwords are refused when short or guessable
// (common passwords, repeats, keyboard rows), through the API and the
// command line, with the reason and without the password; a strong one
// is accepted.
func TestServeWeakPasswords(t *testing.T) {
	data := serveData(t)
	for _, weak := range []string{"passwordpassword", "Password123", "qwertyuiop", "Password123456", "qwertyuiopasdf"} {
		r := runIn(t, weak+"\n", "user", "add", "--data", data, "--role", "analyst", "--password-stdin", "weak")
		if r.code != 2 || !strings.Contains(r.stderr, "password too") || strings.Contains(r.stderr, weak) {
			t.Errorf("user add with password %q: exit %d, stderr %q; want 2 saying why, not quoting it", weak, r.code, r.stderr)
		}
	}
	if r := runIn(t, "passwordpassword\n", "user", "password", "--data", data, "--password-stdin", "ann"); r.code != 2 {
		t.Errorf("user password passwordpassword: exit %d, want 2", r.code)
	}
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	admin := ts.client(t, "admin")
	admin.login("root")
	for _, tc := range []struct{ password, say string }{
		{"passwordpassword", "repeated"},
		{"Password123", "too short"},
		{"qwertyuiop", "too short"},
		{"Password123456", "common password"},
		{"newbie.analyst1", "name or address"},
	} {
		resp, b := admin.do("POST", "/api/v1/users", map[string]any{"name": "newbie", "role": "analyst",
			"emails": []string{"newbie.analyst@example.com"}, "password": tc.password})
		if resp.StatusCode != 400 || apiErrorCode(t, b) != "invalid_input" || !strings.Contains(string(b), tc.say) ||
			strings.Contains(string(b), tc.password) {
			t.Errorf("POST /users with password %q = %d %s, want 400 saying %q without the password", tc.password, resp.StatusCode, b, tc.say)
		}
	}
	const strong = "violet anchor gravel midnight"
	resp, b := admin.do("POST", "/api/v1/users", map[string]any{"name": "newbie", "role": "analyst", "password": strong})
	if resp.StatusCode != 201 {
		t.Fatalf("POST /users with a strong password = %d %s", resp.StatusCode, b)
	}
	c := ts.client(t, "newbie")
	if resp, b := c.do("POST", "/api/v1/login", map[string]string{"name": "newbie", "password": strong}); resp.StatusCode != 200 {
		t.Errorf("login with the strong password = %d %s", resp.StatusCode, b)
	}
}
