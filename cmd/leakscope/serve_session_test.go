package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
)

// serveSessionsAndCsrf: the session cookie's attributes, the CSRF token
// and origin checks, logout, and failed logins.
func serveSessionsAndCsrf(t *testing.T, f *serveFixture) {
	anon, ts, annToken, tokToken := f.anon, f.ts, f.annToken, f.tokToken
	c := ts.client(t, "csrf")
	resp := c.login("ann")
	var ck *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == api.SessionCookie {
			ck = k
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Strict, Path=/ and a Max-Age", ck)
	}
	good := c.csrf
	w := map[string]string{"name": "csrf-test", "query": "*"}
	for _, tc := range []struct {
		name, csrf string
		header     []string
		status     int
		code       string
	}{
		{"no token", "", nil, 403, "csrf"},
		{"wrong token", "x" + good, nil, 403, "csrf"},
		{"cross-site", good, []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross_origin"},
		{"other origin", good, []string{"Origin", "http://evil.example"}, 403, "cross_origin"},
		{"right token", good, []string{"Origin", ts.base}, 201, ""},
	} {
		c.csrf = tc.csrf
		resp, b := c.do("POST", "/api/v1/watches", w, tc.header...)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: POST /watches = %d %s, want %d", tc.name, resp.StatusCode, b, tc.status)
		}
		if tc.code != "" && apiErrorCode(t, b) != tc.code {
			t.Errorf("%s: error %s, want %s", tc.name, b, tc.code)
		}
	}
	// GET /me gives the CSRF token back (a page reload keeps it).
	var me struct {
		CSRF string `json:"csrf_token"`
		Auth string `json:"auth"`
	}
	c.get("/api/v1/me", &me)
	if me.CSRF != good || me.Auth != "session" {
		t.Errorf("GET /me = %+v, want auth session and the login's CSRF token", me)
	}
	c.csrf = ""
	if resp, _ := c.do("POST", "/api/v1/logout", nil); resp.StatusCode != 403 {
		t.Errorf("logout without the CSRF token = %d, want 403", resp.StatusCode)
	}
	c.csrf = good
	if resp, _ := c.do("POST", "/api/v1/logout", nil); resp.StatusCode != 204 {
		t.Errorf("logout = %d, want 204", resp.StatusCode)
	}
	if resp, _ := c.do("GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Errorf("GET /me after logout = %d, want 401", resp.StatusCode)
	}
	// A stolen cookie is worthless after logout too.
	thief := ts.client(t, "thief")
	u, _ := url.Parse(ts.base)
	thief.hc.Jar.SetCookies(u, []*http.Cookie{{Name: api.SessionCookie, Value: ck.Value}})
	if resp, _ := thief.do("GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Errorf("GET /me with a logged-out cookie = %d, want 401", resp.StatusCode)
	}
	for _, body := range []map[string]string{
		{"name": "ann", "password": servePassword + "x"},
		{"name": "nobody", "password": servePassword},
		{"name": "dis", "password": servePassword},
		{"token": tokToken},
	} {
		resp, b := anon.do("POST", "/api/v1/login", body)
		if resp.StatusCode != 401 || apiErrorCode(t, b) != "invalid_credentials" {
			t.Errorf("login %v = %d %s, want 401 invalid_credentials", body["name"], resp.StatusCode, b)
		}
	}
	tc := ts.client(t, "token login")
	resp, b := tc.do("POST", "/api/v1/login", map[string]string{"token": annToken})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"name":"ann"`) {
		t.Errorf("login with ann's token = %d %s", resp.StatusCode, b)
	}
}

// serveErrorsAndLimits: JSON errors with stable codes, body and header
// limits, security headers, the OpenAPI document.
func serveErrorsAndLimits(t *testing.T, f *serveFixture) {
	anon, analyst, jane, id := f.anon, f.analyst, f.jane, f.id
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/search", 400, "invalid_query"},
		{"/api/v1/search?q=" + url.QueryEscape("from: (a"), 400, "invalid_query"},
		{"/api/v1/search?q=*&sort=size", 400, "invalid_input"},
		{"/api/v1/search?q=*&limit=101", 400, "invalid_input"},
		{"/api/v1/search?q=*&after=garbage", 400, "invalid_input"},
		{"/api/v1/nothing", 404, "not_found"},
	} {
		resp, b := analyst.do("GET", tc.path, nil)
		if resp.StatusCode != tc.status || apiErrorCode(t, b) != tc.code {
			t.Errorf("GET %s = %d %s, want %d %s", tc.path, resp.StatusCode, b, tc.status, tc.code)
		}
	}
	_, b := analyst.do("GET", "/api/v1/search?q="+url.QueryEscape("from: (a"), nil)
	if !strings.Contains(string(b), "position") {
		t.Errorf("bad query error %s does not name the position", b)
	}
	big := map[string]string{"name": "x", "query": strings.Repeat("a ", api.DefaultMaxBodyBytes)}
	for _, c := range []*apiClient{anon, analyst} {
		path := "/api/v1/watches"
		if c == anon {
			path = "/api/v1/login"
		}
		resp, b := c.do("POST", path, big)
		if resp.StatusCode != 413 || apiErrorCode(t, b) != "too_large" {
			t.Errorf("%s: POST %s with a 2 MB body = %d %.100s, want 413", c.name, path, resp.StatusCode, b)
		}
	}
	resp, _ := analyst.do("GET", "/api/v1/me", nil, "X-Big", strings.Repeat("x", 64<<10))
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("GET /me with 64 KiB of headers = %d, want 431", resp.StatusCode)
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/nothing", "/api/v1/messages/" + id["pii"]} {
		resp, _ := analyst.do("GET", path, nil)
		for k, want := range map[string]string{
			"Content-Security-Policy": api.ContentSecurityPolicy, "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	anon.get("/api/v1/openapi.json", &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Paths["/search"]["get"] == nil || doc.Paths["/messages/{id}/raw"]["get"] == nil {
		t.Errorf("openapi.json: version %q, %d paths", doc.OpenAPI, len(doc.Paths))
	}
	// X-Forwarded-For is not believed: the audit log records the peer.
	resp, _ = jane.do("GET", "/api/v1/search?q=spoofed", nil, "X-Forwarded-For", "203.0.113.9")
	if resp.StatusCode != 200 {
		t.Errorf("search with X-Forwarded-For = %d", resp.StatusCode)
	}
}

// serveAuditTrail: what the previous parts did is in the audit log,
// chained.
func serveAuditTrail(t *testing.T, f *serveFixture) {
	admin := f.admin
	var entries []leakscope.AuditEntry
	after := "0"
	for {
		var page struct {
			Entries []leakscope.AuditEntry `json:"entries"`
			Next    string                 `json:"next"`
		}
		admin.get("/api/v1/audit?limit=50&after="+after, &page)
		entries = append(entries, page.Entries...)
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	seen := map[string]bool{}
	for i, e := range entries {
		if i > 0 && (e.Prev != entries[i-1].Hash || e.Seq != entries[i-1].Seq+1) {
			t.Errorf("entry %d: prev %s, seq %d; want the hash and number after entry %d", e.Seq, e.Prev, e.Seq, entries[i-1].Seq)
		}
		key := e.Action + " " + e.User + " " + strconv.Itoa(e.Status)
		seen[key] = true
		if e.Action == leakscope.AuditSearch && e.Target == "spoofed" && e.Remote != "127.0.0.1" {
			t.Errorf("search from 127.0.0.1 with X-Forwarded-For recorded from %q", e.Remote)
		}
	}
	for _, want := range []string{
		"user.add " + cliUser() + " 0", "token.create " + cliUser() + " 0",
		"login root 200", "login.failed ann 401", "login.failed dis 401",
		"search jane 200", "message.view jane 200", "message.view jane 404",
		"message.raw cora 200", "attachment.download jane 200", "attachment.download ann 403",
		"watch.add ann 201", "watch.delete root 204", "user.add root 201", "user.disable root 200",
		"user.enable root 200", "token.create root 201", "token.revoke root 200", "token.revoke ann 200",
		"user.list root 200", "logout ann 204",
	} {
		if !seen[want] {
			t.Errorf("audit log has no %q entry", want)
		}
	}
}

// serveRateLimit: a burst over the per-user limit gets 429 with
// Retry-After; logins are limited per address.
func serveRateLimit(t *testing.T, f *serveFixture) {
	data := f.data
	rs := startAPIServer(t, data, api.Options{RateLimit: 0.5, RateBurst: 3, LoginRate: 2})
	defer rs.stop()
	a, b := rs.client(t, "ann"), rs.client(t, "cora")
	a.login("ann")
	b.login("cora")
	// Logins are limited per client address, whoever logs in.
	resp, body := rs.client(t, "third").do("POST", "/api/v1/login", map[string]string{"name": "root", "password": servePassword})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third login from one address in a minute = %d %s, want 429 with Retry-After", resp.StatusCode, body)
	}
	for i := range 3 {
		if resp, body := a.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
			t.Fatalf("request %d of a burst of 3 = %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body = a.do("GET", "/api/v1/search?q=*", nil)
	if resp.StatusCode != 429 || apiErrorCode(t, body) != "rate_limited" {
		t.Fatalf("4th request = %d %s, want 429 rate_limited", resp.StatusCode, body)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After = %q, want 1 or 2 seconds", resp.Header.Get("Retry-After"))
	}
	if resp, _ := b.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Errorf("another user after ann's burst = %d, want 200 (limits are per user)", resp.StatusCode)
	}
}

// serveAuditVerify: audit --verify passes on the log the server wrote and
// fails once an entry is edited in the file.
func serveAuditVerify(t *testing.T, f *serveFixture) {
	data := f.data
	r := run(t, "audit", "--data", data, "--verify")
	if r.code != 0 || !strings.Contains(r.stdout, "audit log intact") {
		t.Fatalf("audit --verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var v struct {
		OK      bool   `json:"ok"`
		Entries uint64 `json:"entries"`
		Head    struct {
			Seq  uint64 `json:"seq"`
			Hash string `json:"hash"`
		} `json:"head"`
	}
	decodeJSON(t, mustRun(t, "audit", "--data", data, "--verify", "--json"), &v)
	if !v.OK || v.Entries < 50 || v.Head.Seq != v.Entries || len(v.Head.Hash) != 64 {
		t.Errorf("audit --verify --json = %+v", v)
	}
	anchor := strconv.FormatUint(v.Head.Seq, 10) + ":" + v.Head.Hash
	mustRun(t, "audit", "--data", data, "--verify", "--anchor", anchor)
	bad := strconv.FormatUint(v.Head.Seq, 10) + ":" + strings.Repeat("0", 64)
	if r := run(t, "audit", "--data", data, "--verify", "--anchor", bad); r.code != 1 || !strings.Contains(r.stderr, "anchored entry") {
		t.Errorf("audit --verify with a wrong anchor: exit %d, stderr %q", r.code, r.stderr)
	}
	var list []leakscope.AuditEntry
	decodeJSON(t, mustRun(t, "audit", "--data", data, "--json"), &list)
	if uint64(len(list)) != v.Entries {
		t.Errorf("audit --json lists %d entries, want %d", len(list), v.Entries)
	}
	text := mustRun(t, "audit", "--data", data, "--limit", "3")
	if lines := strings.Split(strings.TrimSpace(text), "\n"); len(lines) != 4 || !strings.Contains(lines[1], "user.add") {
		t.Errorf("audit --limit 3:\n%s", text)
	}

	// Someone edits an entry in the file (the raw download by counsel
	// becomes a view): the chain no longer holds.
	path := filepath.Join(data, "store.db")
	db, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old, edited := []byte(`"action":"message.raw"`), []byte(`"action":"message.rax"`)
	if !bytes.Contains(db, old) {
		t.Fatal("no raw download entry found in store.db")
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(db, old, edited), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "audit", "--data", data, "--verify")
	if r.code != 1 || !strings.Contains(r.stderr, "audit log altered at entry") {
		t.Errorf("audit --verify after editing an entry: exit %d, stderr %q; want 1 naming the entry", r.code, r.stderr)
	}
	var after struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	r = run(t, "audit", "--data", data, "--verify", "--json")
	json.Unmarshal([]byte(r.stdout), &after)
	if r.code != 1 || after.OK || after.Error == "" {
		t.Errorf("audit --verify --json after editing: exit %d, %s", r.code, r.stdout)
	}
}

// serveAdminUsers: users made through the API get a generated password
// that works; bad input is a 400 saying what is wrong.
func serveAdminUsers(t *testing.T, f *serveFixture) {
	admin, ts := f.admin, f.ts
	resp, b := admin.do("POST", "/api/v1/users", map[string]any{"name": "Emp", "role": "employee", "emails": []string{"Emp@Example.com"}})
	var made struct {
		User     leakscope.User `json:"user"`
		Password string         `json:"password"`
	}
	json.Unmarshal(b, &made)
	if resp.StatusCode != 201 || made.User.Name != "emp" || len(made.Password) != 24 || strings.Join(made.User.Emails, ",") != "emp@example.com" {
		t.Fatalf("POST /users = %d %s", resp.StatusCode, b)
	}
	c := ts.client(t, "emp")
	resp, b = c.do("POST", "/api/v1/login", map[string]string{"name": "emp", "password": made.Password})
	if resp.StatusCode != 200 {
		t.Errorf("login with the generated password = %d %s", resp.StatusCode, b)
	}
	for _, tc := range []struct {
		body any
		say  string
	}{
		{map[string]any{"name": "emp", "role": "analyst"}, "exists"},
		{map[string]any{"name": "a b", "role": "analyst"}, "user name"},
		{map[string]any{"name": "x", "role": "boss"}, "role must be"},
		{map[string]any{"name": "x", "role": "analyst", "password": "short"}, "too short"},
		{map[string]any{"name": "x", "role": "employee", "emails": []string{"nobody"}}, "email"},
	} {
		resp, b := admin.do("POST", "/api/v1/users", tc.body)
		if resp.StatusCode != 400 || apiErrorCode(t, b) != "invalid_input" || !strings.Contains(string(b), tc.say) {
			t.Errorf("POST /users %v = %d %s, want 400 saying %q", tc.body, resp.StatusCode, b, tc.say)
		}
	}
	var me struct {
		User leakscope.User `json:"user"`
	}
	admin.get("/api/v1/me", &me)
	if resp, b := admin.do("POST", "/api/v1/users/"+me.User.ID+"/disable", nil); resp.StatusCode != 400 {
		t.Errorf("an admin disabling themselves = %d %s, want 400", resp.StatusCode, b)
	}
	var list struct {
		Users []leakscope.User `json:"users"`
	}
	admin.get("/api/v1/users", &list)
	if len(list.Users) < 9 || strings.Contains(fmt.Sprint(list), "argon2") {
		t.Errorf("GET /users = %d users %v", len(list.Users), list)
	}
}
