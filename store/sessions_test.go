package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u, err := db.AddUser(ctx, leakscope.User{Name: "ann", Role: leakscope.RoleAnalyst}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	secret, tok, err := db.CreateToken(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "lsk_") || len(secret) != 4+43 || tok.UserID != u.ID || len(tok.ID) != 16 {
		t.Errorf("CreateToken = %q, %+v", secret, tok)
	}
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	db.now = func() time.Time { return clock }
	got, gotTok, err := db.TokenUser(ctx, secret)
	if err != nil || got.ID != u.ID || gotTok.ID != tok.ID {
		t.Fatalf("TokenUser = %v, %v, %v", got, gotTok, err)
	}
	if toks, _ := db.Tokens(ctx, u.ID); len(toks) != 1 || !toks[0].LastUsed.Equal(clock) {
		t.Errorf("Tokens after use = %+v, want LastUsed %v", toks, clock)
	}
	if _, _, err := db.TokenUser(ctx, secret+"x"); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("TokenUser(wrong) error = %v, want ErrForbidden", err)
	}
	// The file holds no token in clear.
	if raw, err := os.ReadFile(db.Path()); err != nil || strings.Contains(string(raw), secret[4:]) {
		t.Errorf("store file holds the token in clear (read error %v)", err)
	}
	if _, err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, secret); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("TokenUser(revoked) error = %v, want ErrForbidden", err)
	}
	if _, err := db.RevokeToken(ctx, "0000"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("RevokeToken(unknown) error = %v, want ErrNotFound", err)
	}
	if toks, _ := db.Tokens(ctx, ""); len(toks) != 1 || toks[0].Revoked.IsZero() {
		t.Errorf("Tokens after revoking = %+v, want one revoked token", toks)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u, err := db.AddUser(ctx, leakscope.User{Name: "cora", Role: leakscope.RoleCounsel}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	db.now = func() time.Time { return clock }
	old, _, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	secret, s, err := db.CreateSession(ctx, u.ID, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if secret == old || len(s.CSRF) != 43 || !s.Expires.Equal(clock.Add(2*time.Hour)) {
		t.Errorf("CreateSession = %q, %+v", secret, s)
	}
	got, gotUser, err := db.Session(ctx, secret)
	if err != nil || gotUser.ID != u.ID || got.CSRF != s.CSRF {
		t.Fatalf("Session = %+v, %+v, %v", got, gotUser, err)
	}
	clock = clock.Add(90 * time.Minute) // the first session has expired
	if _, _, err := db.Session(ctx, old); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("expired Session error = %v, want ErrForbidden", err)
	}
	if _, _, err := db.Session(ctx, secret); err != nil {
		t.Errorf("live Session: %v", err)
	}
	if err := db.DeleteSession(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, secret); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("Session after logout error = %v, want ErrForbidden", err)
	}
	if _, _, err := db.CreateSession(ctx, "nobody", time.Hour); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("CreateSession(unknown user) error = %v, want ErrNotFound", err)
	}
}
