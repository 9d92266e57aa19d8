package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/password"
)

// Users of the server (tokens and sessions: sessions.go):
//
//	users      user ID -> JSON userRecord (the user and its argon2id password hash)
//	usernames  lower-cased name -> user ID
//
// Passwords, chosen by people, must pass password.Check (long enough, and
// not guessable from common passwords, patterns or the account's own name
// and addresses); they are hashed with argon2id.

// userRecord is what the users bucket holds.
type userRecord struct {
	leakscope.User
	PasswordHash string `json:"password_hash,omitempty"` // PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
	// DisabledAt is when the user was last disabled: every token and
	// session they had then was revoked with it. Zero for a user never
	// disabled, or disabled by a leakscope that did not revoke them (see
	// SetDisabled).
	DisabledAt time.Time `json:"disabled_at,omitzero"`
}

// argon2id parameters: OWASP's recommended configuration (19 MiB, two
// passes, one lane), ~30 ms per hash on the machines this runs on. They are
// stored in each hash, so changing them keeps old hashes valid.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// MinPasswordLength is the shortest password AddUser and SetPassword accept.
const MinPasswordLength = password.MinLength

// AddUser creates a user with a password ("" makes an account that can
// log in only with API tokens); a weak password is a *password.WeakError
// saying why. The name is lower-cased and must be free;
// emails are lower-cased and deduplicated. It returns the stored user, its
// ID and Created set.
func (db *DB) AddUser(ctx context.Context, u leakscope.User, pw string) (*leakscope.User, error) {
	u.Name = strings.ToLower(strings.TrimSpace(u.Name))
	if !userNamePattern.MatchString(u.Name) {
		return nil, fmt.Errorf("user name %q: use 1-64 lower-case letters, digits, '.', '_' or '-': %w", u.Name, leakscope.ErrInvalidInput)
	}
	if _, err := leakscope.ParseRole(string(u.Role)); err != nil {
		return nil, err
	}
	emails, err := cleanEmails(u.Emails)
	if err != nil {
		return nil, err
	}
	rec := userRecord{User: leakscope.User{ID: randomHex(8), Name: u.Name, Role: u.Role, Emails: emails,
		Disabled: u.Disabled, Created: db.now().UTC().Truncate(time.Second)}}
	if pw != "" {
		if err := password.Check(pw, append([]string{u.Name}, emails...)...); err != nil {
			return nil, fmt.Errorf("add user: %w", err)
		}
		if rec.PasswordHash, err = hashPassword(pw); err != nil {
			return nil, err
		}
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		names := db.journaled(tx, bucketUserNames)
		if names.Get([]byte(u.Name)) != nil {
			return fmt.Errorf("user %q exists: %w", u.Name, leakscope.ErrInvalidInput)
		}
		if err := names.Put([]byte(u.Name), []byte(rec.ID)); err != nil {
			return err
		}
		return putJSON(db.journaled(tx, bucketUsers), []byte(rec.ID), &rec)
	})
	if err != nil {
		return nil, fmt.Errorf("add user: %w", err)
	}
	return &rec.User, nil
}

// cleanEmails lower-cases, checks and deduplicates addresses.
func cleanEmails(in []string) ([]string, error) {
	var out []string
	for _, e := range in {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		at := strings.LastIndexByte(e, '@')
		if at <= 0 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n<>,;\"") {
			return nil, fmt.Errorf("email %q: want an address such as jane@example.com: %w", e, leakscope.ErrInvalidInput)
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// User returns the user with the given ID or name.
func (db *DB) User(ctx context.Context, ref string) (*leakscope.User, error) {
	var rec *userRecord
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		rec, err = findUser(tx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &rec.User, nil
}

// findUser reads a user by ID or name.
func findUser(tx *bolt.Tx, ref string) (*userRecord, error) {
	users, names := tx.Bucket(bucketUsers), tx.Bucket(bucketUserNames)
	if users == nil || names == nil {
		return nil, fmt.Errorf("no user %q: %w", ref, leakscope.ErrNotFound)
	}
	id := []byte(ref)
	if v := names.Get([]byte(strings.ToLower(ref))); v != nil {
		id = v
	}
	v := users.Get(id)
	if v == nil {
		return nil, fmt.Errorf("no user %q: %w", ref, leakscope.ErrNotFound)
	}
	var rec userRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("decode user %s: %w", id, err)
	}
	return &rec, nil
}

// Users returns every user, by name.
func (db *DB) Users(ctx context.Context) ([]leakscope.User, error) {
	out := []leakscope.User{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		names := tx.Bucket(bucketUserNames)
		if names == nil {
			return nil
		}
		return names.ForEach(func(k, _ []byte) error {
			rec, err := findUser(tx, string(k))
			if err != nil {
				return err
			}
			out = append(out, rec.User)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// SetDisabled disables or enables a user. Disabling ends the user's
// sessions and revokes every token of theirs, in one transaction (tokens
// stay listed, marked revoked): enabling the user again brings none of
// them back, new tokens must be made and the user must log in again.
// Enabling a user that an older leakscope disabled (which only stopped
// their tokens while disabled) revokes their tokens then.
func (db *DB) SetDisabled(ctx context.Context, ref string, disabled bool) (*leakscope.User, error) {
	var rec *userRecord
	err := db.update(ctx, func(tx *bolt.Tx) (err error) {
		if rec, err = findUser(tx, ref); err != nil {
			return err
		}
		now := db.now().UTC()
		revoke := disabled || rec.Disabled && rec.DisabledAt.IsZero()
		if disabled {
			rec.DisabledAt = now
		}
		rec.Disabled = disabled
		if revoke {
			if err := deleteSessionsOf(tx, rec.ID); err != nil {
				return err
			}
			if err := db.revokeTokensOf(tx, rec.ID, now); err != nil {
				return err
			}
		}
		return putJSON(db.journaled(tx, bucketUsers), []byte(rec.ID), rec)
	})
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	return &rec.User, nil
}

// SetPassword replaces a user's password and ends their sessions; a weak
// password is a *password.WeakError saying why.
func (db *DB) SetPassword(ctx context.Context, ref, pw string) error {
	u, err := db.User(ctx, ref)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := password.Check(pw, append([]string{u.Name}, u.Emails...)...); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	hash, err := hashPassword(pw)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		rec, err := findUser(tx, ref)
		if err != nil {
			return err
		}
		rec.PasswordHash = hash
		if err := deleteSessionsOf(tx, rec.ID); err != nil {
			return err
		}
		return putJSON(db.journaled(tx, bucketUsers), []byte(rec.ID), rec)
	})
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// CheckPassword returns the user with the given name if password is
// theirs and they are not disabled; anything else is an ErrForbidden
// error that does not say which check failed. An unknown name costs a
// hash too, so timing does not tell names apart.
func (db *DB) CheckPassword(ctx context.Context, name, password string) (*leakscope.User, error) {
	var rec *userRecord
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		rec, err = findUser(tx, strings.ToLower(name))
		return err
	})
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	hash := dummyHash
	if rec != nil && rec.PasswordHash != "" {
		hash = rec.PasswordHash
	}
	ok := verifyPassword(hash, password)
	if rec == nil || rec.PasswordHash == "" || !ok || rec.Disabled {
		return nil, fmt.Errorf("invalid name or password: %w", leakscope.ErrForbidden)
	}
	return &rec.User, nil
}

// dummyHash is checked against when a name is unknown.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// hashPassword hashes a password that passed password.Check.
func hashPassword(password string) (string, error) {
	if len(password) > 1024 {
		return "", fmt.Errorf("password too long: at most 1024 bytes: %w", leakscope.ErrInvalidInput)
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// verifyPassword checks password against a PHC argon2id string, with the
// parameters it names.
func verifyPassword(phc, password string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > 1024 {
		return false
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func isNotFound(err error) bool { return errors.Is(err, leakscope.ErrNotFound) }
