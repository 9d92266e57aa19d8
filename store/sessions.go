package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// API tokens and browser sessions:
//
//	tokens     SHA-256 of the token (32 bytes) -> JSON leakscope.Token
//	sessions   SHA-256 of the session secret (32 bytes) -> JSON leakscope.Session
//
// Both secrets are 256 random bits, so a plain SHA-256 keeps them useless
// to someone who reads the file.

// tokenPrefix starts every API token, so that secret scanners and people
// recognise one.
const tokenPrefix = "lsk_"

// CreateToken makes a new API token for a user and returns it (shown this
// once) with its description.
func (db *DB) CreateToken(ctx context.Context, ref string) (string, *leakscope.Token, error) {
	secret := tokenPrefix + randomSecret()
	sum := sha256.Sum256([]byte(secret))
	tok := leakscope.Token{ID: hex.EncodeToString(sum[:8]), Created: db.now().UTC().Truncate(time.Second)}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		rec, err := findUser(tx, ref)
		if err != nil {
			return err
		}
		tok.UserID = rec.ID
		return putJSON(db.journaled(tx, bucketTokens), sum[:], &tok)
	})
	if err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	return secret, &tok, nil
}

// TokenUser returns the user an API token belongs to, and the token. An
// unknown or revoked token, or one of a disabled user, is an ErrForbidden
// error. The token's LastUsed is updated at most once a minute.
func (db *DB) TokenUser(ctx context.Context, secret string) (*leakscope.User, *leakscope.Token, error) {
	sum := sha256.Sum256([]byte(secret))
	var tok leakscope.Token
	var rec *userRecord
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		var v []byte
		if b != nil {
			v = b.Get(sum[:])
		}
		if v == nil {
			return fmt.Errorf("unknown token: %w", leakscope.ErrForbidden)
		}
		if err := json.Unmarshal(v, &tok); err != nil {
			return fmt.Errorf("decode token: %w", err)
		}
		var err error
		rec, err = findUser(tx, tok.UserID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if !tok.Revoked.IsZero() || rec.Disabled {
		return nil, nil, fmt.Errorf("token revoked or user disabled: %w", leakscope.ErrForbidden)
	}
	if now := db.now().UTC(); now.Sub(tok.LastUsed) > time.Minute {
		tok.LastUsed = now.Truncate(time.Second)
		err := db.update(ctx, func(tx *bolt.Tx) error { return putJSON(db.journaled(tx, bucketTokens), sum[:], &tok) })
		if err != nil {
			db.log.Warn("token last use not recorded", "err", err)
		}
	}
	return &rec.User, &tok, nil
}

// Token returns the token with the given ID.
func (db *DB) Token(ctx context.Context, id string) (*leakscope.Token, error) {
	var tok *leakscope.Token
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		_, tok, err = findToken(tx, id)
		return err
	})
	return tok, err
}

// Tokens returns the tokens of a user (every token when userID is ""),
// revoked ones included, oldest first.
func (db *DB) Tokens(ctx context.Context, userID string) ([]leakscope.Token, error) {
	out := []leakscope.Token{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var tok leakscope.Token
			if err := json.Unmarshal(v, &tok); err != nil {
				return fmt.Errorf("decode token: %w", err)
			}
			if userID == "" || tok.UserID == userID {
				out = append(out, tok)
			}
			return nil
		})
	})
	slices.SortFunc(out, func(a, b leakscope.Token) int { return a.Created.Compare(b.Created) })
	return out, err
}

// RevokeToken revokes the token with the given ID; it is kept, marked
// revoked, so that it can still be listed.
func (db *DB) RevokeToken(ctx context.Context, id string) (*leakscope.Token, error) {
	var tok *leakscope.Token
	err := db.update(ctx, func(tx *bolt.Tx) error {
		key, t, err := findToken(tx, id)
		if err != nil {
			return err
		}
		if t.Revoked.IsZero() {
			t.Revoked = db.now().UTC().Truncate(time.Second)
		}
		tok = t
		return putJSON(db.journaled(tx, bucketTokens), key, t)
	})
	if err != nil {
		return nil, fmt.Errorf("revoke token: %w", err)
	}
	return tok, nil
}

// revokeTokensOf marks every live token of a user revoked at now.
func (db *DB) revokeTokensOf(tx *bolt.Tx, userID string, now time.Time) error {
	b := db.journaled(tx, bucketTokens)
	var keys [][]byte
	var toks []leakscope.Token
	err := b.ForEach(func(k, v []byte) error {
		var tok leakscope.Token
		if err := json.Unmarshal(v, &tok); err != nil {
			return fmt.Errorf("decode token: %w", err)
		}
		if tok.UserID == userID && tok.Revoked.IsZero() {
			tok.Revoked = now.Truncate(time.Second)
			keys, toks = append(keys, bytes.Clone(k)), append(toks, tok)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, k := range keys {
		if err := putJSON(b, k, &toks[i]); err != nil {
			return err
		}
	}
	return nil
}

// findToken finds a token by its ID (a scan: there are few tokens).
func findToken(tx *bolt.Tx, id string) ([]byte, *leakscope.Token, error) {
	if b := tx.Bucket(bucketTokens); b != nil && id != "" {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var tok leakscope.Token
			if err := json.Unmarshal(v, &tok); err != nil {
				return nil, nil, fmt.Errorf("decode token: %w", err)
			}
			if tok.ID == id {
				return bytes.Clone(k), &tok, nil
			}
		}
	}
	return nil, nil, fmt.Errorf("no token %q: %w", id, leakscope.ErrNotFound)
}

// CreateSession starts a session of ttl for a user and returns its secret
// (for the cookie) and the session, whose CSRF token the client must echo.
// A disabled user gets none (ErrForbidden). Expired sessions are dropped
// on the way.
func (db *DB) CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, *leakscope.Session, error) {
	secret := randomSecret()
	now := db.now().UTC()
	s := leakscope.Session{UserID: userID, CSRF: randomSecret(), Created: now, Expires: now.Add(ttl)}
	sum := sha256.Sum256([]byte(secret))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		rec, err := findUser(tx, userID)
		if err != nil {
			return err
		}
		// A user disabled since their password was checked gets none.
		if rec.Disabled {
			return fmt.Errorf("user disabled: %w", leakscope.ErrForbidden)
		}
		b := tx.Bucket(bucketSessions)
		if err := deleteSessions(b, func(old leakscope.Session) bool { return !now.Before(old.Expires) }); err != nil {
			return err
		}
		return putJSON(b, sum[:], &s)
	})
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return secret, &s, nil
}

// Session returns a live session and its user. An unknown or expired
// session, or one of a disabled user, is an ErrForbidden error.
func (db *DB) Session(ctx context.Context, secret string) (*leakscope.Session, *leakscope.User, error) {
	sum := sha256.Sum256([]byte(secret))
	var s leakscope.Session
	var rec *userRecord
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var v []byte
		if b := tx.Bucket(bucketSessions); b != nil {
			v = b.Get(sum[:])
		}
		if v == nil {
			return fmt.Errorf("unknown session: %w", leakscope.ErrForbidden)
		}
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode session: %w", err)
		}
		var err error
		rec, err = findUser(tx, s.UserID)
		return err
	})
	if isNotFound(err) {
		err = fmt.Errorf("session of a deleted user: %w", leakscope.ErrForbidden)
	}
	if err != nil {
		return nil, nil, err
	}
	if !db.now().Before(s.Expires) || rec.Disabled {
		return nil, nil, fmt.Errorf("session expired or user disabled: %w", leakscope.ErrForbidden)
	}
	return &s, &rec.User, nil
}

// DeleteSession ends a session (logout). Ending an unknown session is not
// an error.
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	sum := sha256.Sum256([]byte(secret))
	err := db.update(ctx, func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete(sum[:]) })
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func deleteSessionsOf(tx *bolt.Tx, userID string) error {
	return deleteSessions(tx.Bucket(bucketSessions), func(s leakscope.Session) bool { return s.UserID == userID })
}

// deleteSessions deletes the sessions for which drop is true (and any that
// cannot be read).
func deleteSessions(b *bolt.Bucket, drop func(leakscope.Session) bool) error {
	var keys [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var s leakscope.Session
		if json.Unmarshal(v, &s) != nil || drop(s) {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range keys {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return err
}

// randomSecret returns 256 random bits, base64url-encoded.
func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
