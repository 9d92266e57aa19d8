package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestUserCommand: users are made, listed, disabled, given tokens through
// the CLI, with usage errors for bad input, and every change is audited.
func TestUserCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	// Users can be made before anything is indexed.
	out := mustRun(t, "user", "add", "--data", data, "--role", "admin", "root")
	_, pw, ok := strings.Cut(out, "password: ")
	if pw = strings.TrimSpace(pw); !ok || len(pw) != 24 || !strings.Contains(out, "user root (admin) created") {
		t.Fatalf("user add printed %q, want the user and a 24-character password", out)
	}
	addTestUser(t, data, "jane", "employee", "Jane.Doe@Example.com", "jd@example.org")

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		say   string
	}{
		{"no role", "", []string{"add", "bob"}, 2, "unknown role"},
		{"bad role", "", []string{"add", "--role", "boss", "bob"}, 2, "unknown role"},
		{"name taken", "", []string{"add", "--role", "analyst", "ROOT"}, 2, "exists"},
		{"bad name", "", []string{"add", "--role", "analyst", "bob smith"}, 2, "user name"},
		{"bad email", "", []string{"add", "--role", "employee", "--email", "bob", "bob"}, 2, "email"},
		{"short password", "short\n", []string{"add", "--role", "analyst", "--password-stdin", "bob"}, 2, "too short"},
		{"no password", "", []string{"add", "--role", "analyst", "--password-stdin", "bob"}, 2, "no password"},
		{"two names", "", []string{"add", "--role", "analyst", "bob", "carl"}, 2, "exactly one NAME"},
		{"unknown user", "", []string{"disable", "nobody"}, 3, "no user"},
		{"unknown token", "", []string{"revoke", "0000000000000000"}, 3, "no token"},
		{"unknown subcommand", "", []string{"delete", "root"}, 2, "want add, list"},
	} {
		r := runIn(t, tc.stdin, append([]string{"user", tc.args[0], "--data", data}, tc.args[1:]...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.say) {
			t.Errorf("%s: user %v: exit %d, stderr %q; want %d saying %q", tc.name, tc.args, r.code, r.stderr, tc.code, tc.say)
		}
	}

	secret, tokID := newTestToken(t, data, "root")
	mustRun(t, "user", "disable", "--data", data, "jane")
	mustRun(t, "user", "revoke", "--data", data, tokID)
	var users []struct {
		leakscope.User
		Tokens []leakscope.Token `json:"tokens"`
	}
	decodeJSON(t, mustRun(t, "user", "list", "--data", data, "--json"), &users)
	if len(users) != 2 || users[0].Name != "jane" || !users[0].Disabled || users[0].Role != leakscope.RoleEmployee ||
		strings.Join(users[0].Emails, ",") != "jane.doe@example.com,jd@example.org" {
		t.Fatalf("user list --json = %+v", users)
	}
	if root := users[1]; root.Name != "root" || root.Disabled || len(root.Tokens) != 1 || root.Tokens[0].ID != tokID || root.Tokens[0].Revoked.IsZero() {
		t.Errorf("root in user list = %+v, want active with one revoked token %s", root, tokID)
	}
	mustRun(t, "user", "enable", "--data", data, "jane")
	list := mustRun(t, "user", "list", "--data", data)
	if !strings.Contains(list, "jane") || strings.Contains(list, "disabled") || !strings.Contains(list, tokID+" (revoked)") ||
		strings.Contains(list, secret) {
		t.Errorf("user list:\n%s", list)
	}
	if r := runIn(t, "a new long password\n", "user", "password", "--data", data, "--password-stdin", "jane"); r.code != 0 {
		t.Errorf("user password: exit %d: %s", r.code, r.stderr)
	}

	// The CLI's changes are in the audit log, which verifies.
	var entries []leakscope.AuditEntry
	decodeJSON(t, mustRun(t, "audit", "--data", data, "--json"), &entries)
	var actions []string
	for _, e := range entries {
		if !strings.HasPrefix(e.User, "cli:") || e.User != cliUser() || e.Remote != "local" {
			t.Errorf("CLI audit entry %+v, want user %s from local", e, cliUser())
		}
		actions = append(actions, e.Action+" "+e.Target)
	}
	want := []string{"user.add root", "user.add jane", "token.create root", "user.disable jane", "token.revoke " + tokID,
		"user.enable jane", "user.password jane"}
	if strings.Join(actions, "|") != strings.Join(want, "|") {
		t.Errorf("audit actions = %q, want %q", actions, want)
	}
	mustRun(t, "audit", "--data", data, "--verify")

	// Nothing is indexed: the server has nothing to serve.
	if r := run(t, "serve", "--data", data, "--addr", "127.0.0.1:0"); r.code != 3 {
		t.Errorf("serve without an index: exit %d, stderr %q; want 3", r.code, r.stderr)
	}
	if r := run(t, "serve", "--data", data, "--tls-cert", "x.pem"); r.code != 2 {
		t.Errorf("serve --tls-cert without --tls-key: exit %d, want 2", r.code)
	}
	if r := run(t, "audit", "--data", data, "--anchor", "1:00"); r.code != 2 {
		t.Errorf("audit --anchor without --verify: exit %d, want 2", r.code)
	}
	if r := run(t, "audit", "--data", filepath.Join(t.TempDir(), "none")); r.code != 3 {
		t.Errorf("audit of a missing data directory: exit %d, want 3", r.code)
	}
}
