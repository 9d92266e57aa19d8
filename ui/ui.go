package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// The vendored hashes have modules named _md.js and _u64.js, which a
// directory pattern leaves out.
//
//go:embed templates/*.html static static/js/vendor/noble-hashes/_*.js
var files embed.FS

// Page names, one per template in templates/ (besides layout.html).
const (
	PageLogin       = "login"
	PageSearch      = "search"
	PageMessage     = "message"
	PageExposure    = "exposure"
	PagePerson      = "person"
	PageMe          = "me"
	PageAudit       = "audit"
	PageProductions = "productions"
	PageNotFound    = "notfound"
)

// NavItem is one link of the navigation bar.
type NavItem struct {
	Label, Href string
	Current     bool
}

// PageData is what a page's frame shows.
type PageData struct {
	Title string // of the page, before " · Leakscope"
	// Page is the page's name: it picks the script (static/js/PAGE.js).
	Page string
	// User is empty on the login page.
	User, Role string
	// CSRF is the session's token, for the scripts' state-changing
	// requests.
	CSRF string
	Nav  []NavItem
	// Param is the page's path parameter (message id, address), passed
	// to the script in a data attribute.
	Param string
}

// UI renders pages and serves static assets. Create it with New.
type UI struct {
	pages  map[string]*template.Template
	assets map[string]asset // by path below static/
}

type asset struct {
	body        []byte
	etag, ctype string
}

// New parses the templates and reads the static assets.
func New() (*UI, error) {
	u := &UI{pages: map[string]*template.Template{}, assets: map[string]asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		u.assets[strings.TrimPrefix(p, "static/")] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read ui assets: %w", err)
	}
	funcs := template.FuncMap{"asset": u.assetURL}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse ui layout: %w", err)
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		page := strings.TrimSuffix(path.Base(n), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(files, n)
		if err != nil {
			return nil, fmt.Errorf("parse ui page %s: %w", page, err)
		}
		u.pages[page] = t
	}
	return u, nil
}

// assetURL is the URL of a static asset, with its content hash as a
// version so that a new binary's assets are never taken from a cache.
func (u *UI) assetURL(name string) (string, error) {
	a, ok := u.assets[name]
	if !ok {
		return "", fmt.Errorf("no ui asset %q", name)
	}
	return "/static/" + name + "?v=" + strings.Trim(a.etag, `"`), nil
}

// Render writes page with data d.
func (u *UI) Render(w io.Writer, page string, d PageData) error {
	t, ok := u.pages[page]
	if !ok {
		return fmt.Errorf("no ui page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		return fmt.Errorf("render ui page %s: %w", page, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ServeAsset answers a request for static asset name (a path below
// /static/): the bytes with their type and an ETag, revalidated on every
// use (scripts import each other without version parameters), or false
// when there is no such asset.
func (u *UI) ServeAsset(w http.ResponseWriter, r *http.Request, name string) bool {
	a, ok := u.assets[name]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && match == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h.Set("Content-Type", a.ctype)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
	return true
}
