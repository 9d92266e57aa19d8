package ui

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPagesRender renders every page and checks the frame: its script,
// no inline script or style, the CSRF token only when given, escaping.
func TestPagesRender(t *testing.T) {
	u, err := New()
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{PageLogin, PageSearch, PageMessage, PageExposure, PagePerson, PageMe, PageAudit, PageProductions, PageNotFound}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			if _, ok := u.pages[p]; !ok {
				t.Fatalf("pages[%q] missing", p)
			}
			var buf bytes.Buffer
			d := PageData{Title: `T <&>`, Page: p, User: "ann", Role: "analyst", CSRF: "tok\"en", Param: `a"b<c`,
				Nav: []NavItem{{Label: "Search", Href: "/search", Current: p == PageSearch}}}
			if err := u.Render(&buf, p, d); err != nil {
				t.Fatalf("Render(%s): %v", p, err)
			}
			html := buf.String()
			if !strings.Contains(html, `<script type="module" src="/static/js/`+p+`.js?v=`) {
				t.Errorf("Render(%s): no module script js/%s.js", p, p)
			}
			if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(html) || strings.Contains(html, " style=") || regexp.MustCompile(`\son[a-z]+=`).MatchString(html) {
				t.Errorf("Render(%s): inline script, style or handler", p)
			}
			for _, raw := range []string{`T <&>`, `a"b<c`, `tok"en`} {
				if strings.Contains(html, raw) {
					t.Errorf("Render(%s): %q not escaped", p, raw)
				}
			}
			if !strings.Contains(html, `<meta name="csrf-token" content="tok&#34;en">`) {
				t.Errorf("Render(%s): no escaped CSRF meta", p)
			}
		})
	}
	var buf bytes.Buffer
	if err := u.Render(&buf, "nope", PageData{Page: "nope"}); err == nil {
		t.Error("Render of an unknown page: no error")
	}
	buf.Reset()
	if err := u.Render(&buf, PageLogin, PageData{Title: "Log in", Page: PageLogin}); err != nil || strings.Contains(buf.String(), "csrf-token") {
		t.Errorf("login page without a session: err %v, CSRF meta present %v", err, strings.Contains(buf.String(), "csrf-token"))
	}
}

// TestAssets checks every asset is served with its type and ETag, and
// that every script module a script imports exists.
func TestAssets(t *testing.T) {
	u, err := New()
	if err != nil {
		t.Fatal(err)
	}
	imports := regexp.MustCompile(`(?m)^import .*'\./([a-z0-9]+\.js)';$|import\('/static/js/([a-z0-9]+\.js)'\)`)
	err = fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		w := httptest.NewRecorder()
		if !u.ServeAsset(w, httptest.NewRequest("GET", "/static/"+name, nil), name) {
			t.Errorf("ServeAsset(%s) = false", name)
			return nil
		}
		if w.Code != http.StatusOK || w.Header().Get("ETag") == "" || w.Header().Get("Content-Type") == "" {
			t.Errorf("ServeAsset(%s): %d, ETag %q, type %q", name, w.Code, w.Header().Get("ETag"), w.Header().Get("Content-Type"))
		}
		if strings.HasSuffix(name, ".js") && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") {
			t.Errorf("ServeAsset(%s): type %q, want text/javascript (module scripts need it)", name, w.Header().Get("Content-Type"))
		}
		for _, m := range imports.FindAllStringSubmatch(w.Body.String(), -1) {
			dep := m[1] + m[2]
			if _, ok := u.assets["js/"+dep]; !ok {
				t.Errorf("%s imports %s, which is not an asset", name, dep)
			}
		}
		w2 := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/static/"+name, nil)
		r.Header.Set("If-None-Match", w.Header().Get("ETag"))
		u.ServeAsset(w2, r, name)
		if w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("ServeAsset(%s) with its ETag = %d (%d bytes), want 304", name, w2.Code, w2.Body.Len())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.ServeAsset(httptest.NewRecorder(), httptest.NewRequest("GET", "/static/x", nil), "../ui.go") {
		t.Error("ServeAsset(../ui.go) = true")
	}
}
