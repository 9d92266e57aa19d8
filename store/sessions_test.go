package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// TestDisableRevokes: disabling a user revokes the tokens and sessions
// they had; enabling them again brings none back, also after the store
// is closed and opened again, while a token made afterwards works.
func TestDisableRevokes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	u, err := db.AddUser(ctx, leakscope.User{Name: "ann", Role: leakscope.RoleAnalyst}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	oldToken, oldTok, err := db.CreateToken(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	oldSession, _, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetDisabled(ctx, "ann", true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateSession(ctx, u.ID, time.Hour); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("CreateSession of a disabled user error = %v, want ErrForbidden", err)
	}
	if _, err := db.SetDisabled(ctx, "ann", false); err != nil {
		t.Fatal(err)
	}
	newToken, _, err := db.CreateToken(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		if _, _, err := db.TokenUser(ctx, oldToken); !errors.Is(err, leakscope.ErrForbidden) {
			t.Errorf("%s: TokenUser(token made before disabling) error = %v, want ErrForbidden", when, err)
		}
		if _, _, err := db.Session(ctx, oldSession); !errors.Is(err, leakscope.ErrForbidden) {
			t.Errorf("%s: Session(made before disabling) error = %v, want ErrForbidden", when, err)
		}
		if got, _, err := db.TokenUser(ctx, newToken); err != nil || got.ID != u.ID {
			t.Errorf("%s: TokenUser(token made after enabling) = %v, %v", when, got, err)
		}
		tok, err := db.Token(ctx, oldTok.ID)
		if err != nil || tok.Revoked.IsZero() {
			t.Errorf("%s: Token(old) = %+v, %v; want it listed, revoked", when, tok, err)
		}
	}
	check("enabled again")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, path, Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	check("after reopening")
}

// TestEnableRevokesAfterOldDisable: a user disabled by an older leakscope
// (no disabled_at, tokens left live) has their tokens revoked when
// enabled.
func TestEnableRevokesAfterOldDisable(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u, err := db.AddUser(ctx, leakscope.User{Name: "ann", Role: leakscope.RoleAnalyst}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateToken(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	// What an older SetDisabled(true) stored: the flag only.
	err = db.update(ctx, func(tx *bolt.Tx) error {
		rec, err := findUser(tx, u.ID)
		if err != nil {
			return err
		}
		rec.Disabled = true
		return putJSON(db.journaled(tx, bucketUsers), []byte(rec.ID), rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetDisabled(ctx, "ann", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, token); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("TokenUser(token of a user an older version disabled) after enabling: error = %v, want ErrForbidden", err)
	}
}
