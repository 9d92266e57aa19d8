package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"hash"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/oprf"
)

// Personal identifiers (SSNs, card numbers, addresses...) are stored only
// as keyed hashes: HMAC-SHA-256 under a secret generated for each data
// directory, truncated to 16 bytes. Someone holding the store file alone
// cannot test guesses against it without the secret, and the secret never
// leaves the meta bucket.
//
//	idents   identifier hash (16 bytes) + message sequence (8 bytes) -> nil
//	identof  message sequence -> the identifier hashes of the message, concatenated
//
// The lookup index (identlookup.go) lets a client check an identifier
// without sending it.
const identHashLen = 16

var metaIdentSecret = []byte("ident_secret")

// loadIdentSecret reads the data directory's identifier secret, creating
// it when the store is writable and has none.
func (db *DB) loadIdentSecret(writable bool) error {
	read := func(tx *bolt.Tx) []byte {
		if v := tx.Bucket(bucketMeta).Get(metaIdentSecret); len(v) == sha256.Size {
			return bytes.Clone(v)
		}
		return nil
	}
	if err := db.boltView(func(tx *bolt.Tx) error { db.identSecret = read(tx); return nil }); err != nil {
		return err
	}
	if db.identSecret != nil {
		return db.deriveLookupKey()
	}
	if !writable {
		return nil
	}
	secret := make([]byte, sha256.Size)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("make identifier secret: %w", err)
	}
	db.identSecret = secret
	if err := db.deriveLookupKey(); err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		return db.journaled(tx, bucketMeta).Put(metaIdentSecret, secret)
	})
}

// deriveLookupKey derives the OPRF key of the lookup index from the
// identifier secret (see package oprf: HKDF, then RFC 9497's
// DeriveKeyPair). The key stays in memory.
func (db *DB) deriveLookupKey() error {
	k, err := oprf.NewKey(db.identSecret)
	if err != nil {
		return err
	}
	db.prf = k
	return nil
}

// identHash is the keyed hash an identifier is stored under.
func (db *DB) identHash(id leakscope.Identifier) []byte {
	mac := db.identMACs.Get().(hash.Hash)
	defer db.identMACs.Put(mac)
	mac.Reset()
	mac.Write([]byte(id.Kind))
	mac.Write([]byte{0})
	mac.Write([]byte(id.Value))
	return mac.Sum(nil)[:identHashLen]
}

// IdentifierKey returns the keyed hash an identifier is stored under
// (HMAC-SHA-256 under the data directory's identifier secret, truncated
// to 16 bytes), or nil when the store has no secret (opened read-only
// before anything was stored with identifiers). The search index keys its
// tokens of flagged values with it (search.Keyer): one value, one hash,
// which no one can compute without the secret. The identifier must be
// normalised (detect.NormalizeValue).
func (db *DB) IdentifierKey(id leakscope.Identifier) []byte {
	if db.identSecret == nil || id.Kind == "" || id.Value == "" {
		return nil
	}
	return db.identHash(id)
}

// newIdentMAC returns an HMAC keyed with the identifier secret, for
// db.identMACs: keying one costs more than hashing an identifier with it
// (Reset returns it to the keyed state).
func (db *DB) newIdentMAC() any { return hmac.New(sha256.New, db.identSecret) }

// identHashes returns the keyed hash of each of ids (nil for an empty
// identifier).
func (db *DB) identHashes(ids []leakscope.Identifier) [][]byte {
	hs := make([][]byte, len(ids))
	for i, id := range ids {
		if id.Kind != "" && id.Value != "" {
			hs[i] = db.identHash(id)
		}
	}
	return hs
}

// joinHashes returns the sorted, distinct hashes of hs, concatenated.
func joinHashes(hs [][]byte) []byte {
	hs = slices.DeleteFunc(slices.Clone(hs), func(h []byte) bool { return h == nil })
	slices.SortFunc(hs, bytes.Compare)
	hs = slices.CompactFunc(hs, bytes.Equal)
	return bytes.Join(hs, nil)
}

// setIdentifiers replaces the identifiers recorded for the message at seq.
// It reports whether they changed.
func (db *DB) setIdentifiers(tx *bolt.Tx, seq []byte, ids []leakscope.Identifier) (bool, error) {
	if db.identSecret == nil {
		return false, fmt.Errorf("store opened read-only: no identifier secret")
	}
	idents, of := tx.Bucket(bucketIdents), tx.Bucket(bucketIdentOf)
	// Every identifier of the message gets its lookup record even when
	// the message's identifiers did not change: so redetect fills the
	// lookup index of a store written before it existed (identlookup.go).
	each := db.identHashes(ids)
	if err := db.putLookups(tx, ids, each); err != nil {
		return false, err
	}
	hashes := joinHashes(each)
	old := bytes.Clone(of.Get(seq))
	if bytes.Equal(old, hashes) {
		return false, nil
	}
	for h := range slices.Chunk(old, identHashLen) {
		if err := idents.Delete(append(bytes.Clone(h), seq...)); err != nil {
			return false, err
		}
	}
	for h := range slices.Chunk(hashes, identHashLen) {
		if err := idents.Put(append(bytes.Clone(h), seq...), nil); err != nil {
			return false, err
		}
	}
	// An identifier no message holds any more leaves the lookup index.
	for h := range slices.Chunk(old, identHashLen) {
		if k, _ := idents.Cursor().Seek(h); k == nil || !bytes.HasPrefix(k, h) {
			if err := dropLookup(tx, h); err != nil {
				return false, err
			}
		}
	}
	if len(hashes) == 0 {
		return true, of.Delete(seq)
	}
	return true, of.Put(seq, hashes)
}

// FindIdentifier returns the IDs of the messages an identifier was found
// in, in storage order. The identifier must be normalised as detection
// normalises it (see leakscope.Identifier).
func (db *DB) FindIdentifier(ctx context.Context, id leakscope.Identifier) ([]string, error) {
	if db.identSecret == nil {
		return nil, nil // nothing was ever stored with identifiers
	}
	prefix := db.identHash(id)
	var out []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		idents := tx.Bucket(bucketIdents)
		if idents == nil {
			return nil
		}
		messages := tx.Bucket(bucketMessages)
		c := idents.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			m, err := db.messageAt(messages, k[len(prefix):])
			if err != nil {
				return err
			}
			out = append(out, m.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find identifier: %w", err)
	}
	return out, nil
}

// Detection is the outcome of running detection over one stored message.
type Detection struct {
	ID          string
	Flags       []leakscope.Flag
	Risk        float64
	Identifiers []leakscope.Identifier
}

// SetDetections stores new flags, risk and identifiers for stored messages,
// in one transaction. Messages whose flags or risk changed are queued for
// reindexing (see Pending); it returns how many.
func (db *DB) SetDetections(ctx context.Context, ds []Detection) (int, error) {
	changed := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		changed = 0
		messages, pending := tx.Bucket(bucketMessages), tx.Bucket(bucketPending)
		seqNo, err := pending.NextSequence()
		if err != nil {
			return err
		}
		for _, d := range ds {
			seq := seqOf(tx, d.ID)
			if seq == nil {
				return fmt.Errorf("message %s: %w", d.ID, leakscope.ErrNotFound)
			}
			if _, err := db.setIdentifiers(tx, seq, d.Identifiers); err != nil {
				return fmt.Errorf("identifiers of %s: %w", d.ID, err)
			}
			m, err := db.messageAt(messages, seq)
			if err != nil {
				return err
			}
			if m.Risk == d.Risk && slices.Equal(m.Flags, d.Flags) {
				continue
			}
			m.Flags, m.Risk = d.Flags, d.Risk
			if err := db.putValue(messages, seq, m); err != nil {
				return err
			}
			if err := pending.Put([]byte(d.ID), u64key(seqNo)); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store detections: %w", err)
	}
	return changed, nil
}
