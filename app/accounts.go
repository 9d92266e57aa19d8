package app

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope"
)

// Actor is who does an action outside the server (the server audits its
// own users' actions): the audit log records User and Remote.
type Actor struct {
	User   string // "cli:alice"
	Remote string // "local"
}

// audit records an action by by in the audit log.
func (a *App) audit(ctx context.Context, by Actor, action, target, detail string) error {
	_, err := a.Store.AppendAudit(ctx, leakscope.AuditEntry{User: by.User, Action: action, Target: target, Detail: detail, Remote: by.Remote})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// AddUser creates a user with a password (store.DB.AddUser checks its
// strength) and audits it.
func (a *App) AddUser(ctx context.Context, by Actor, u leakscope.User, password string) (*leakscope.User, error) {
	added, err := a.Store.AddUser(ctx, u, password)
	if err != nil {
		return nil, err
	}
	return added, a.audit(ctx, by, leakscope.AuditUserAdd, added.Name, "role "+string(added.Role))
}

// SetDisabled disables a user (ending their sessions and revoking their
// tokens) or enables one again (what was revoked stays revoked), and
// audits it.
func (a *App) SetDisabled(ctx context.Context, by Actor, name string, disabled bool) (*leakscope.User, error) {
	u, err := a.Store.SetDisabled(ctx, name, disabled)
	if err != nil {
		return nil, err
	}
	action := leakscope.AuditUserEnable
	if disabled {
		action = leakscope.AuditUserDisable
	}
	return u, a.audit(ctx, by, action, u.Name, "")
}

// CreateToken makes an API token for a user and audits it. The secret is
// returned once; the store keeps its hash.
func (a *App) CreateToken(ctx context.Context, by Actor, name string) (string, *leakscope.Token, error) {
	secret, tok, err := a.Store.CreateToken(ctx, name)
	if err != nil {
		return "", nil, err
	}
	return secret, tok, a.audit(ctx, by, leakscope.AuditTokenCreate, name, "token "+tok.ID)
}

// RevokeToken revokes a token by id and audits it.
func (a *App) RevokeToken(ctx context.Context, by Actor, id string) error {
	if _, err := a.Store.RevokeToken(ctx, id); err != nil {
		return err
	}
	return a.audit(ctx, by, leakscope.AuditTokenRevoke, id, "")
}

// SetPassword sets a user's password (ending their sessions) and audits
// it; detail says why, for the log ("demo"), or is empty.
func (a *App) SetPassword(ctx context.Context, by Actor, name, password, detail string) error {
	if err := a.Store.SetPassword(ctx, name, password); err != nil {
		return err
	}
	return a.audit(ctx, by, leakscope.AuditUserPassword, name, detail)
}

// UserTokens is a user with their API tokens, revoked ones included.
type UserTokens struct {
	leakscope.User
	Tokens []leakscope.Token `json:"tokens"`
}

// Users lists every user with their tokens.
func (a *App) Users(ctx context.Context) ([]UserTokens, error) {
	users, err := a.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	tokens, err := a.Store.Tokens(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]UserTokens, 0, len(users))
	for _, u := range users {
		ut := UserTokens{User: u, Tokens: []leakscope.Token{}}
		for _, t := range tokens {
			if t.UserID == u.ID {
				ut.Tokens = append(ut.Tokens, t)
			}
		}
		out = append(out, ut)
	}
	return out, nil
}
