package leakscope

import (
	"fmt"
	"strings"
	"time"
)

// Role says what a user of the server may see and do.
type Role string

// Roles (stable names, stored with each user).
const (
	// RoleAdmin sees everything unredacted and manages users and tokens.
	RoleAdmin Role = "admin"
	// RoleAnalyst (PR, communications) searches the whole leak; sensitive
	// values are redacted and original bytes are withheld.
	RoleAnalyst Role = "analyst"
	// RoleCounsel sees everything unredacted, originals included.
	RoleCounsel Role = "counsel"
	// RoleEmployee sees only the messages they sent or received or that
	// mention one of their verified addresses, redacted.
	RoleEmployee Role = "employee"
)

// Roles lists the roles in a stable order.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleCounsel, RoleEmployee}

// ParseRole returns the role named s (case-insensitive), or an error
// wrapping ErrInvalidInput.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want admin, analyst, counsel or employee): %w", s, ErrInvalidInput)
}

// Unredacted reports whether the role sees sensitive values and original
// bytes as they are.
func (r Role) Unredacted() bool { return r == RoleAdmin || r == RoleCounsel }

// User is an account of the server. Secrets (the password hash, tokens,
// sessions) are kept by the store and never part of this type.
type User struct {
	ID   string `json:"id"`   // random, assigned by the store
	Name string `json:"name"` // login name: lower-case letters, digits, '.', '_', '-'
	Role Role   `json:"role"`
	// Emails are the user's verified addresses, lower-cased. For an
	// employee they define what the employee may see.
	Emails   []string  `json:"emails,omitempty"`
	Disabled bool      `json:"disabled,omitempty"`
	Created  time.Time `json:"created"`
}

// Token describes an API token. The token itself is shown once when it is
// made; the store keeps only its SHA-256.
type Token struct {
	ID       string    `json:"id"` // public handle, for listing and revoking
	UserID   string    `json:"user_id"`
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"` // updated at most once a minute
	Revoked  time.Time `json:"revoked,omitzero"`
}

// Session is a browser login. Its secret lives in an HttpOnly cookie; the
// store keeps only its SHA-256.
type Session struct {
	UserID  string    `json:"user_id"`
	CSRF    string    `json:"csrf"` // synchronizer token a client sends in a header on every state-changing request
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}
