package app

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leakscope/leakscope"
)

const strongPassword = "violet anchor gravel midnight 42"

// TestAccounts: each account change is made and audited as done by its
// actor; Users lists every user with their tokens, revoked ones marked.
func TestAccounts(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), Options{Mode: StoreWrite})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Index != nil {
		t.Fatal("StoreWrite opened the index")
	}
	by := Actor{User: "cli:test", Remote: "local"}
	if _, err := a.AddUser(ctx, by, leakscope.User{Name: "jane", Role: leakscope.RoleEmployee, Emails: []string{"jane@example.com"}}, strongPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser(ctx, by, leakscope.User{Name: "weak", Role: leakscope.RoleAnalyst}, "passwordpassword"); err == nil {
		t.Error("AddUser with a weak password succeeded")
	}
	_, tok, err := a.CreateToken(ctx, by, "jane")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeToken(ctx, by, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetDisabled(ctx, by, "jane", true); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPassword(ctx, by, "jane", strongPassword+"!", "reset"); err != nil {
		t.Fatal(err)
	}
	users, err := a.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || !users[0].Disabled || len(users[0].Tokens) != 1 || users[0].Tokens[0].Revoked.IsZero() {
		t.Fatalf("Users = %+v, want jane disabled with one revoked token", users)
	}
	entries, err := a.AuditEntries(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{leakscope.AuditUserAdd, leakscope.AuditTokenCreate, leakscope.AuditTokenRevoke, leakscope.AuditUserDisable, leakscope.AuditUserPassword}
	if len(entries) != len(want) {
		t.Fatalf("audit = %+v, want %v", entries, want)
	}
	for i, e := range entries {
		if e.Action != want[i] || e.User != by.User || e.Remote != by.Remote {
			t.Errorf("audit entry %d = %+v, want %s by %+v", i, e, want[i], by)
		}
	}
	if got, _ := a.AuditEntries(ctx, 1, 2); len(got) != 2 || got[0].Seq != 2 {
		t.Errorf("AuditEntries(after 1, limit 2) = %+v", got)
	}
	if _, err := a.AuditEntries(ctx, 0, -1); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("AuditEntries(limit -1) = %v, want ErrInvalidInput", err)
	}
}

// TestVerifyAudit: an intact chain checks, with an anchor taken from it;
// an anchor whose hash differs or whose entry is gone is an AuditError; a
// malformed one is invalid input.
func TestVerifyAudit(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), Options{Mode: StoreWrite})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for i := range 3 {
		if err := a.audit(ctx, Actor{User: "cli:test"}, leakscope.AuditTokenRevoke, fmt.Sprint(i), ""); err != nil {
			t.Fatal(err)
		}
	}
	check, err := a.VerifyAudit(ctx, "")
	if err != nil || !check.OK || check.Entries != 3 {
		t.Fatalf("VerifyAudit = %+v, %v", check, err)
	}
	anchor := fmt.Sprintf("%d:%s", check.Head.Seq, check.Head.Hash)
	if check, err := a.VerifyAudit(ctx, anchor); err != nil || !check.OK {
		t.Errorf("VerifyAudit(%s) = %+v, %v", anchor, check, err)
	}
	var ae *leakscope.AuditError
	other := fmt.Sprintf("2:%s", check.Head.Hash)
	if check, err := a.VerifyAudit(ctx, other); !errors.As(err, &ae) || check.OK || check.Error == "" {
		t.Errorf("VerifyAudit(another hash) = %+v, %v; want an AuditError", check, err)
	}
	gone := fmt.Sprintf("9:%s", check.Head.Hash)
	if _, err := a.VerifyAudit(ctx, gone); !errors.As(err, &ae) {
		t.Errorf("VerifyAudit(entry gone) = %v; want an AuditError", err)
	}
	if _, err := a.VerifyAudit(ctx, "3:abc"); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("VerifyAudit(malformed) = %v; want ErrInvalidInput", err)
	}
}
