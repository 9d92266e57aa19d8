package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

const testPassword = "correct horse battery"

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u, err := db.AddUser(ctx, leakscope.User{Name: "Jane", Role: leakscope.RoleEmployee,
		Emails: []string{"Jane.Doe@Example.com", "jane.doe@example.com", " jd@example.org "}}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "jane" || len(u.ID) != 16 || !slices.Equal(u.Emails, []string{"jane.doe@example.com", "jd@example.org"}) {
		t.Errorf("AddUser = %+v, want name jane, a 16-char id and two lower-cased emails", u)
	}
	for _, tc := range []struct {
		name     string
		u        leakscope.User
		password string
	}{
		{"duplicate name", leakscope.User{Name: "JANE", Role: leakscope.RoleAnalyst}, testPassword},
		{"bad name", leakscope.User{Name: "a b", Role: leakscope.RoleAnalyst}, testPassword},
		{"bad role", leakscope.User{Name: "bob", Role: "boss"}, testPassword},
		{"bad email", leakscope.User{Name: "bob", Role: leakscope.RoleAnalyst, Emails: []string{"bob"}}, testPassword},
		{"short password", leakscope.User{Name: "bob", Role: leakscope.RoleAnalyst}, "short"},
		{"repeated password", leakscope.User{Name: "bob", Role: leakscope.RoleAnalyst}, "passwordpassword"},
		{"common password", leakscope.User{Name: "bob", Role: leakscope.RoleAnalyst}, "Password123456"},
		{"own address", leakscope.User{Name: "bob", Role: leakscope.RoleEmployee, Emails: []string{"bob.smith@example.com"}}, "bob.smith2014!"},
	} {
		if _, err := db.AddUser(ctx, tc.u, tc.password); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("%s: AddUser(%+v) error = %v, want ErrInvalidInput", tc.name, tc.u, err)
		}
	}
	for _, ref := range []string{u.ID, "jane", "JANE"} {
		if got, err := db.User(ctx, ref); err != nil || got.ID != u.ID {
			t.Errorf("User(%q) = %v, %v; want %s", ref, got, err, u.ID)
		}
	}
	if _, err := db.User(ctx, "nobody"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("User(nobody) error = %v, want ErrNotFound", err)
	}

	if got, err := db.CheckPassword(ctx, "Jane", testPassword); err != nil || got.ID != u.ID {
		t.Errorf("CheckPassword(right) = %v, %v", got, err)
	}
	for _, tc := range []struct{ name, password string }{{"jane", testPassword + "x"}, {"nobody", testPassword}, {"jane", ""}} {
		if _, err := db.CheckPassword(ctx, tc.name, tc.password); !errors.Is(err, leakscope.ErrForbidden) {
			t.Errorf("CheckPassword(%q, %q) error = %v, want ErrForbidden", tc.name, tc.password, err)
		}
	}
	// A token-only account cannot log in with any password.
	if _, err := db.AddUser(ctx, leakscope.User{Name: "bot", Role: leakscope.RoleAnalyst}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckPassword(ctx, "bot", ""); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("CheckPassword of a token-only user error = %v, want ErrForbidden", err)
	}

	users, err := db.Users(ctx)
	if err != nil || len(users) != 2 || users[0].Name != "bot" || users[1].Name != "jane" {
		t.Errorf("Users() = %+v, %v; want bot, jane", users, err)
	}

	// Disabling ends sessions and blocks logins; enabling restores logins.
	secret, _, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetDisabled(ctx, "jane", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckPassword(ctx, "jane", testPassword); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("CheckPassword of a disabled user error = %v, want ErrForbidden", err)
	}
	if _, _, err := db.Session(ctx, secret); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("Session of a disabled user error = %v, want ErrForbidden", err)
	}
	if _, err := db.SetDisabled(ctx, "jane", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Session(ctx, secret); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("a session ended by disabling came back: error = %v", err)
	}
	if _, err := db.CheckPassword(ctx, "jane", testPassword); err != nil {
		t.Errorf("CheckPassword after enabling: %v", err)
	}
	for _, weak := range []string{"passwordpassword", "qwertyuiopasdf", "jane.doe12345"} {
		if err := db.SetPassword(ctx, "jane", weak); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("SetPassword(%q) error = %v, want ErrInvalidInput", weak, err)
		}
	}
	if err := db.SetPassword(ctx, "jane", "another long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckPassword(ctx, "jane", testPassword); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("old password still works after SetPassword: %v", err)
	}
}

// TestUsersReadOnlyOldStore: a store made before users existed, opened
// read-only, has no users rather than an error.
func TestUsersReadOnlyOldStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if users, err := ro.Users(ctx); err != nil || len(users) != 0 {
		t.Errorf("Users() = %v, %v; want none", users, err)
	}
	if _, err := ro.CheckPassword(ctx, "x", testPassword); !errors.Is(err, leakscope.ErrForbidden) {
		t.Errorf("CheckPassword on an empty store error = %v, want ErrForbidden", err)
	}
	if h, err := ro.VerifyAudit(ctx); err != nil || h.Seq != 0 {
		t.Errorf("VerifyAudit on an empty store = %+v, %v", h, err)
	}
}

func TestVerifyPassword(t *testing.T) {
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hashPassword = %q, want an argon2id PHC string", hash)
	}
	for _, tc := range []struct {
		name, phc, password string
		want                bool
	}{
		{"right", hash, testPassword, true},
		{"wrong", hash, testPassword + " ", false},
		{"empty", hash, "", false},
		{"dummy", dummyHash, "", false},
		{"garbage", "$argon2id$v=19$m=x$$", testPassword, false},
		{"huge memory", strings.Replace(hash, "m=19456", "m=99999999", 1), testPassword, false},
		{"other algorithm", strings.Replace(hash, "argon2id", "argon2i", 1), testPassword, false},
	} {
		if got := verifyPassword(tc.phc, tc.password); got != tc.want {
			t.Errorf("%s: verifyPassword(%q, %q) = %v, want %v", tc.name, tc.phc, tc.password, got, tc.want)
		}
	}
}
