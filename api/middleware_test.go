package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// do sends a request to the server's handler.
func do(s *Server, method, path, contentType, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error body %q is not {\"error\": {\"code\", \"message\"}} (%v)", w.Body.String(), err)
	}
	return e.Error.Code
}

func TestMiddleware(t *testing.T) {
	s := testServer(t)
	s.logins = newLimiter(1, 100)
	big := `{"name": "` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	tests := []struct {
		name, method, path, contentType, body string
		header                                map[string]string
		status                                int
		code                                  string
	}{
		{"openapi", "GET", "/api/v1/openapi.json", "", "", nil, 200, ""},
		{"unknown route", "GET", "/api/v1/nothing", "", "", nil, 404, "not_found"},
		{"outside the api", "DELETE", "/nowhere", "", "", nil, 404, "not_found"},
		{"wrong method", "PUT", "/api/v1/login", "", "", nil, 405, "method_not_allowed"},
		{"no session", "GET", "/api/v1/me", "", "", nil, 401, "unauthenticated"},
		{"not bearer", "GET", "/api/v1/search?q=*", "", "", map[string]string{"Authorization": "Basic eDp5"}, 401, "unauthenticated"},
		{"body too large", "POST", "/api/v1/login", "application/json", big, nil, 413, "too_large"},
		{"form body", "POST", "/api/v1/login", "application/x-www-form-urlencoded", "name=a&password=b", nil, 415, "unsupported_media_type"},
		{"bad json", "POST", "/api/v1/login", "application/json", `{"name": 1}`, nil, 400, "invalid_json"},
		{"unknown field", "POST", "/api/v1/login", "application/json", `{"user": "a"}`, nil, 400, "invalid_json"},
		{"two values", "POST", "/api/v1/login", "application/json", `{} {}`, nil, 400, "invalid_json"},
		{"neither password nor token", "POST", "/api/v1/login", "application/json", `{"name": "a"}`, nil, 400, "invalid_input"},
		{"cross-site", "POST", "/api/v1/login", "application/json", `{}`, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross_origin"},
		{"other origin", "POST", "/api/v1/login", "application/json", `{}`, map[string]string{"Origin": "https://evil.example"}, 403, "cross_origin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(s, tc.method, tc.path, tc.contentType, tc.body, tc.header)
			if w.Code != tc.status {
				t.Errorf("%s %s = %d, want %d; body %.200s", tc.method, tc.path, w.Code, tc.status, w.Body.String())
			}
			if tc.code != "" {
				if got := errorCode(t, w); got != tc.code {
					t.Errorf("%s %s: error code %q, want %q", tc.method, tc.path, got, tc.code)
				}
			}
			for k, v := range map[string]string{
				"Content-Security-Policy": ContentSecurityPolicy, "X-Content-Type-Options": "nosniff",
				"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
			} {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.path, k, got, v)
				}
			}
			if w.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("HSTS sent without TLS")
			}
		})
	}
}

func TestCSPHasNoInlineScript(t *testing.T) {
	if strings.Contains(ContentSecurityPolicy, "unsafe-inline") || !strings.Contains(ContentSecurityPolicy, "default-src 'none'") {
		t.Errorf("ContentSecurityPolicy = %q, want default-src 'none' and no unsafe-inline", ContentSecurityPolicy)
	}
}

func TestLoginRateLimited(t *testing.T) {
	s := testServer(t)
	s.logins = newLimiter(1.0/60, 2)
	for i := range 2 {
		// Refused as bad input, but counted.
		if w := do(s, "POST", "/api/v1/login", "application/json", `{}`, nil); w.Code != http.StatusBadRequest {
			t.Fatalf("attempt %d = %d, want 400", i+1, w.Code)
		}
	}
	w := do(s, "POST", "/api/v1/login", "application/json", `{}`, nil)
	if w.Code != http.StatusTooManyRequests || errorCode(t, w) != "rate_limited" {
		t.Fatalf("third attempt = %d %s, want 429 rate_limited", w.Code, w.Body.String())
	}
	if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q, want seconds to wait", ra)
	}
}
