package api

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// testServer returns a server whose dependencies are never called (routes
// and middleware only).
func testServer(t *testing.T) *Server {
	t.Helper()
	s := &Server{opts: Options{MaxBodyBytes: DefaultMaxBodyBytes}}
	s.log = discardLogger()
	e, err := s.newEngine()
	if err != nil {
		t.Fatal(err)
	}
	s.engine = e
	return s
}

type openAPIOperation struct {
	OperationID string   `json:"operationId"`
	Roles       []string `json:"x-roles"`
	Security    *[]any   `json:"security"`
}

var ginParam = regexp.MustCompile(`:([a-z]+)`)

// TestOpenAPIMatchesRoutes: every route the engine serves is in
// openapi.json with its method and roles, and the document lists no other.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                 `json:"openapi"`
		Paths   map[string]map[string]openAPIOperation `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]openAPIOperation{}
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = op
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: operationId %q missing or repeated", method, path, op.OperationID)
			}
			ids[op.OperationID] = true
		}
	}
	s := testServer(t)
	roles := map[string][]leakscope.Role{}
	for _, r := range s.routes() {
		roles[r.method+" "+ginParam.ReplaceAllString(r.path, "{$1}")] = r.roles
	}
	// Outside Prefix: the web UI's pages and assets only.
	ui := map[string]bool{"GET /": true, "GET /login": true, "GET /static/*path": true, "HEAD /static/*path": true}
	for _, p := range pages() {
		ui["GET "+p.path] = true
	}
	served := map[string]bool{}
	for _, r := range s.engine.Routes() {
		path, ok := strings.CutPrefix(r.Path, Prefix)
		if !ok {
			if !ui[r.Method+" "+r.Path] {
				t.Errorf("route %s %s outside %s is not a page of the UI", r.Method, r.Path, Prefix)
			}
			continue
		}
		key := r.Method + " " + ginParam.ReplaceAllString(path, "{$1}")
		served[key] = true
		op, ok := documented[key]
		if !ok {
			t.Errorf("route %s is not in openapi.json", key)
			continue
		}
		var want []string
		for _, role := range roles[key] {
			want = append(want, string(role))
		}
		if !slices.Equal(op.Roles, want) && !(len(op.Roles) == 0 && len(want) == 0) {
			t.Errorf("openapi.json: %s x-roles = %v, the route allows %v", key, op.Roles, want)
		}
		if public := roles[key] == nil; public != (op.Security != nil && len(*op.Security) == 0) {
			t.Errorf("openapi.json: %s security = %v, but the route is public: %v", key, op.Security, public)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("openapi.json documents %s, which the server does not serve", key)
		}
	}
	if len(served) != len(s.routes()) {
		t.Errorf("engine serves %d routes, routes() declares %d", len(served), len(s.routes()))
	}
}

// TestOpenAPIHitIsLeakscopeHit: the Hit schema documents leakscope.Hit,
// the one description of a hit (search --json prints it too): the same
// fields, and required exactly those never left out.
func TestOpenAPIHitIsLeakscopeHit(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string       `json:"required"`
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	schema := doc.Components.Schemas["Hit"]
	var fields, required []string
	ht := reflect.TypeFor[leakscope.Hit]()
	for i := range ht.NumField() {
		name, opts, _ := strings.Cut(ht.Field(i).Tag.Get("json"), ",")
		fields = append(fields, name)
		if opts == "" {
			required = append(required, name)
		}
	}
	var documented []string
	for name := range schema.Properties {
		documented = append(documented, name)
	}
	slices.Sort(fields)
	slices.Sort(documented)
	if !slices.Equal(documented, fields) {
		t.Errorf("openapi.json: Hit properties = %q, leakscope.Hit has %q", documented, fields)
	}
	slices.Sort(required)
	slices.Sort(schema.Required)
	if !slices.Equal(schema.Required, required) {
		t.Errorf("openapi.json: Hit required = %q, leakscope.Hit always has %q", schema.Required, required)
	}
}
