package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/api"
)

// TestUIPages checks the web UI's frames over HTTP, without a browser:
// who is sent to the login page, which role gets which page, the page's
// CSP, the assets' caching, and JSON versus HTML not-found answers.
func TestUIPages(t *testing.T) {
	data := serveData(t)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000})
	anon, analyst, jane, root := ts.client(t, "anon"), ts.client(t, "analyst"), ts.client(t, "jane"), ts.client(t, "root")
	for _, c := range []*apiClient{anon, analyst, jane, root} {
		c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	analyst.login("ann")
	jane.login("jane")
	root.login("root")

	cases := []struct {
		name     string
		c        *apiClient
		path     string
		status   int
		location string // for redirects
		page     string // data-page of the frame
	}{
		{"anonymous root", anon, "/", 302, "/login", ""},
		{"anonymous page", anon, "/messages/abc?x=1", 302, "/login?next=%2Fmessages%2Fabc%3Fx%3D1", ""},
		{"anonymous login", anon, "/login", 200, "", "login"},
		{"analyst root", analyst, "/", 302, "/exposure", ""},
		{"analyst login page", analyst, "/login", 302, "/exposure", ""},
		{"analyst search", analyst, "/search?q=*", 200, "", "search"},
		{"analyst dashboard", analyst, "/exposure", 200, "", "exposure"},
		{"analyst audit", analyst, "/audit", 404, "", "notfound"},
		{"employee root", jane, "/", 302, "/me", ""},
		{"employee dashboard", jane, "/exposure", 404, "", "notfound"},
		{"employee me", jane, "/me", 200, "", "me"},
		{"employee message", jane, "/messages/anything", 200, "", "message"},
		{"admin audit", root, "/audit", 200, "", "audit"},
		{"unknown page", root, "/nowhere", 404, "", "notfound"},
	}
	pageOf := regexp.MustCompile(`<body data-page="([a-z]+)"`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := tc.c.do("GET", tc.path, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s = %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			if tc.location != "" {
				if got := resp.Header.Get("Location"); got != tc.location {
					t.Errorf("GET %s: Location %q, want %q", tc.path, got, tc.location)
				}
				return
			}
			m := pageOf.FindSubmatch(b)
			if m == nil || string(m[1]) != tc.page {
				t.Fatalf("GET %s: page %q, want %q", tc.path, m, tc.page)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); csp != api.PageContentSecurityPolicy || strings.Contains(csp, "unsafe") {
				t.Errorf("GET %s: CSP %q, want the page policy", tc.path, csp)
			}
			if strings.Contains(string(b), "<script>") || strings.Contains(string(b), " style=") || strings.Contains(string(b), " onclick") {
				t.Errorf("GET %s: inline script or style in the frame", tc.path)
			}
			hasCSRF := strings.Contains(string(b), `<meta name="csrf-token"`)
			if hasCSRF != (tc.c != anon) {
				t.Errorf("GET %s: CSRF meta present %v, want %v", tc.path, hasCSRF, tc.c != anon)
			}
		})
	}

	t.Run("navigation per role", func(t *testing.T) {
		_, b := analyst.do("GET", "/search", nil)
		for _, want := range []string{`href="/exposure"`, `href="/search"`, `href="/me"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("analyst's navigation lacks %s", want)
			}
		}
		if strings.Contains(string(b), `href="/audit"`) {
			t.Error("analyst's navigation links to the audit page")
		}
		_, b = root.do("GET", "/search", nil)
		if !strings.Contains(string(b), `href="/audit"`) {
			t.Error("admin's navigation lacks the audit page")
		}
	})

	t.Run("assets", func(t *testing.T) {
		resp, b := anon.do("GET", "/static/js/lib.js", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || len(b) == 0 {
			t.Fatalf("GET lib.js = %d %q (%d bytes)", resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
		}
		etag := resp.Header.Get("ETag")
		resp, _ = anon.do("GET", "/static/js/lib.js", nil, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET lib.js with its ETag = %d, want 304", resp.StatusCode)
		}
		if resp, _ := anon.do("GET", "/static/../ui.go", nil); resp.StatusCode != 404 {
			t.Errorf("GET /static/../ui.go = %d, want 404", resp.StatusCode)
		}
		if resp, _ := anon.do("GET", "/static/js/nope.js", nil); resp.StatusCode != 404 {
			t.Errorf("GET a missing asset = %d, want 404", resp.StatusCode)
		}
		// Every asset a frame names exists.
		_, b = root.do("GET", "/search", nil)
		for _, m := range regexp.MustCompile(`(?:src|href)="(/static/[^"?]+)\?v=`).FindAllSubmatch(b, -1) {
			if resp, _ := root.do("GET", string(m[1]), nil); resp.StatusCode != 200 {
				t.Errorf("GET %s = %d", m[1], resp.StatusCode)
			}
		}
	})

	t.Run("unknown API path is JSON", func(t *testing.T) {
		resp, b := root.do("GET", "/api/v1/nowhere", nil)
		if resp.StatusCode != 404 || apiErrorCode(t, b) != "not_found" {
			t.Errorf("GET /api/v1/nowhere = %d %s, want a JSON 404", resp.StatusCode, b)
		}
	})
}
