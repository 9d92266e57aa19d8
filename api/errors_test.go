package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

func TestToError(t *testing.T) {
	damaged := fmt.Errorf("message x: store %q is damaged (truncated): %w", "/srv/data/store.db", leakscope.ErrDamaged)
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"damaged", damaged, 500, "data_damaged"},
		// Damage found while looking for something is not "not found".
		{"damaged and not found", errors.Join(damaged, leakscope.ErrNotFound), 500, "data_damaged"},
		{"not found", fmt.Errorf("message x: %w", leakscope.ErrNotFound), 404, "not_found"},
		{"other", errors.New("disk full"), 500, "internal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := toError(tc.err)
			if e.Status != tc.status || e.Code != tc.code {
				t.Errorf("toError(%v) = %d %s, want %d %s", tc.err, e.Status, e.Code, tc.status, tc.code)
			}
			if strings.Contains(e.Message, "/srv/data") {
				t.Errorf("toError(%v) tells the client %q, a path of the server", tc.err, e.Message)
			}
		})
	}
	if e := toError(damaged); !strings.Contains(e.Message, "leakscope verify") || !strings.Contains(e.Message, "leakscope repair") {
		t.Errorf("data_damaged message %q, want it to name `leakscope verify` and `leakscope repair`", e.Message)
	}
}

// TestHandlerPanic: a handler that panics answers 500 internal, and the
// server, a real one on 127.0.0.1:0, goes on answering.
func TestHandlerPanic(t *testing.T) {
	s := testServer(t)
	s.engine.GET(Prefix+"/test-panic", func(*gin.Context) { panic("index out of range") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String() + Prefix
	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b
	}
	for range 2 {
		status, body := get("/test-panic")
		var e struct {
			Error Error `json:"error"`
		}
		if err := json.Unmarshal(body, &e); status != 500 || err != nil || e.Error.Code != "internal" {
			t.Errorf("GET /test-panic = %d %s, want 500 with code internal", status, body)
		}
		if status, body := get("/openapi.json"); status != 200 {
			t.Errorf("GET /openapi.json after a panic = %d %.100s, want 200", status, body)
		}
	}
}
