package store

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/oprf"
)

// The lookup index answers "which identifiers have a lookup hash starting
// with these 20 bits?". An identifier's lookup hash is the first 16 bytes
// of its oblivious PRF output (package oprf) under a key derived from the
// data directory's identifier secret: a client gets the lookup hash of
// its own identifier from the server without sending it, and nobody can
// compute one without the server. Each identifier found gets a record:
//
//	identlookup    lookup hash (16 bytes) + keyed hash (16 bytes) -> nil
//	identlookupof  keyed hash (16 bytes) -> lookup hash
//
// setIdentifiers keeps the records in step with the idents bucket: a
// record exists while some message holds its identifier. The PRF output is
// computed directly with the key (no blinding on the server's side),
// once per distinct identifier.
//
// Stores written before schema 6's lookup index had "identrange" and
// "identrangeof" buckets, whose keys held 20 bits of an unkeyed SHA-256 of
// each identifier: a writable Open deletes them, and `leakscope redetect`
// fills the lookup index.

var (
	// metaLookupChecked holds the number of idents entries when the
	// lookup index was last found complete (see lookupComplete).
	metaLookupChecked = []byte("identlookup_checked")
	lookupDecoyInfo   = "leakscope identifier lookup decoys v1"
	// legacyRangeBuckets held the unkeyed range index (see above).
	legacyRangeBuckets = [][]byte{[]byte("identrange"), []byte("identrangeof"), []byte("identrange_checked")}
)

// dropLegacyRanges deletes the unkeyed range index of an older store.
func dropLegacyRanges(tx *bolt.Tx) error {
	for _, name := range legacyRangeBuckets[:2] {
		if tx.Bucket(name) == nil {
			continue
		}
		if err := tx.DeleteBucket(name); err != nil {
			return fmt.Errorf("delete bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Delete(legacyRangeBuckets[2])
}

// putLookups makes sure every identifier of ids has its lookup record;
// hashes holds their keyed hashes (identHashes).
func (db *DB) putLookups(tx *bolt.Tx, ids []leakscope.Identifier, hashes [][]byte) error {
	lookups, of := tx.Bucket(bucketIdentLookup), tx.Bucket(bucketLookupOf)
	for i, id := range ids {
		h := hashes[i]
		if h == nil || of.Get(h) != nil {
			continue
		}
		out, err := db.prf.Output(oprf.Input(id.Kind, id.Value))
		if err != nil {
			return fmt.Errorf("lookup index: %w", err)
		}
		l := out[:oprf.LookupLen]
		if err := lookups.Put(append(bytes.Clone(l), h...), nil); err != nil {
			return err
		}
		if err := of.Put(h, bytes.Clone(l)); err != nil {
			return err
		}
	}
	return nil
}

// dropLookup removes the lookup record of the identifier with keyed hash h.
func dropLookup(tx *bolt.Tx, h []byte) error {
	of := tx.Bucket(bucketLookupOf)
	l := of.Get(h)
	if l == nil {
		return nil
	}
	if err := tx.Bucket(bucketIdentLookup).Delete(append(bytes.Clone(l), h...)); err != nil {
		return err
	}
	return of.Delete(h)
}

// EvaluateBlinded applies the data directory's OPRF key to blinded
// elements (RFC 9497 BlindEvaluate; see package oprf). An element that is
// not a valid group element is an error wrapping leakscope.ErrInvalidInput.
func (db *DB) EvaluateBlinded(ctx context.Context, elements [][]byte) ([][]byte, error) {
	if db.prf == nil {
		return nil, fmt.Errorf("evaluate: store opened read-only without an identifier secret")
	}
	out := make([][]byte, len(elements))
	for i, e := range elements {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ev, err := db.prf.Evaluate(e)
		if errors.Is(err, oprf.ErrInvalidElement) {
			return nil, fmt.Errorf("element %d: %w: %w", i, err, leakscope.ErrInvalidInput)
		}
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

// IdentifierLookup is the answer to a lookup.
type IdentifierLookup struct {
	// Entries are the identifiers found, with decoys added up to the
	// minimum asked for, sorted by hash.
	Entries []leakscope.IdentifierMatch
	// Incomplete is set when the store holds identifiers that the lookup
	// index lacks (recorded by an older leakscope): `leakscope redetect`
	// adds them. Entries is then empty.
	Incomplete bool
}

// IdentifierLookup returns the identifiers whose lookup hash starts with
// prefix (leakscope.LookupPrefixLen hex characters), each with the
// messages it was found in (their dates and batches); then decoys up to
// min entries. A decoy has a hash with the prefix, the rest drawn from an
// HMAC of the prefix under a key derived from the identifier secret (so
// the decoys of a prefix are the same on every call), and no messages. A
// bad prefix is an error wrapping leakscope.ErrInvalidInput.
func (db *DB) IdentifierLookup(ctx context.Context, prefix string, min int) (*IdentifierLookup, error) {
	p, err := parseLookupPrefix(prefix)
	if err != nil {
		return nil, err
	}
	complete, err := db.lookupComplete(ctx)
	if err != nil {
		return nil, err
	}
	if !complete {
		return &IdentifierLookup{Incomplete: true}, nil
	}
	out := &IdentifierLookup{}
	err = db.view(ctx, func(tx *bolt.Tx) error {
		out.Entries = out.Entries[:0]
		if lookups := tx.Bucket(bucketIdentLookup); lookups != nil {
			c := lookups.Cursor()
			for k, _ := c.Seek(p); k != nil && hasLookupPrefix(k, p); k, _ = c.Next() {
				if len(k) != 2*oprf.LookupLen {
					continue
				}
				msgs, err := db.matchedMessages(tx, k[oprf.LookupLen:])
				if err != nil {
					return err
				}
				out.Entries = append(out.Entries, leakscope.IdentifierMatch{Hash: hex.EncodeToString(k[:oprf.LookupLen]), Messages: msgs})
			}
		}
		out.Entries = append(out.Entries, db.lookupDecoys(p, min-len(out.Entries))...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("identifier lookup: %w", err)
	}
	slices.SortFunc(out.Entries, func(a, b leakscope.IdentifierMatch) int { return strings.Compare(a.Hash, b.Hash) })
	return out, nil
}

// parseLookupPrefix checks a hex prefix and returns its stored form: 3
// bytes, the last 4 bits zero.
func parseLookupPrefix(prefix string) ([]byte, error) {
	bad := fmt.Errorf("want %d hex characters: %w", leakscope.LookupPrefixLen, leakscope.ErrInvalidInput)
	if len(prefix) != leakscope.LookupPrefixLen {
		return nil, bad
	}
	b, err := hex.DecodeString(strings.ToLower(prefix) + "0")
	if err != nil {
		return nil, bad
	}
	return b, nil
}

// hasLookupPrefix reports whether the first 20 bits of k are those of p.
func hasLookupPrefix(k, p []byte) bool {
	return len(k) >= 3 && k[0] == p[0] && k[1] == p[1] && k[2]&0xf0 == p[2]
}

// matchedMessages lists the messages holding the identifier with keyed
// hash h, with their dates and batches.
func (db *DB) matchedMessages(tx *bolt.Tx, h []byte) ([]leakscope.MatchedMessage, error) {
	var out []leakscope.MatchedMessage
	messages, copies := tx.Bucket(bucketMessages), tx.Bucket(bucketCopies)
	c := tx.Bucket(bucketIdents).Cursor()
	for k, _ := c.Seek(h); k != nil && bytes.HasPrefix(k, h); k, _ = c.Next() {
		seq := k[len(h):]
		v := messages.Get(seq)
		if v == nil {
			continue
		}
		var m struct {
			ID   string    `json:"id"`
			Date time.Time `json:"date"`
		}
		if err := db.getValue(v, &m); err != nil {
			return nil, fmt.Errorf("decode message record %x: %w", seq, err)
		}
		mm := leakscope.MatchedMessage{ID: m.ID, Date: m.Date, Batches: []leakscope.BatchRef{}}
		cc := copies.Cursor()
		for ck, cv := cc.Seek(seq); ck != nil && bytes.HasPrefix(ck, seq); ck, cv = cc.Next() {
			var cp struct {
				Leak  string `json:"leak"`
				Batch string `json:"batch"`
			}
			if err := db.getValue(cv, &cp); err != nil {
				return nil, fmt.Errorf("decode copy %x: %w", ck, err)
			}
			if b := (leakscope.BatchRef{Leak: cp.Leak, Batch: cp.Batch}); !slices.Contains(mm.Batches, b) {
				mm.Batches = append(mm.Batches, b)
			}
		}
		out = append(out, mm)
	}
	return out, nil
}

// lookupDecoys returns n decoys for prefix p (none when n <= 0).
func (db *DB) lookupDecoys(p []byte, n int) []leakscope.IdentifierMatch {
	if n <= 0 {
		return nil
	}
	secret := db.identSecret
	if secret == nil {
		secret = make([]byte, sha256.Size) // nothing stored: nothing to tell decoys from
	}
	key, _ := hkdf.Key(sha256.New, secret, nil, lookupDecoyInfo, 32)
	out := make([]leakscope.IdentifierMatch, 0, n)
	for i := range n {
		mac := hmac.New(sha256.New, key)
		mac.Write(p)
		binary.Write(mac, binary.BigEndian, uint32(i))
		sum := mac.Sum(nil)
		h := append([]byte{p[0], p[1], p[2] | sum[2]&0x0f}, sum[3:oprf.LookupLen]...)
		out = append(out, leakscope.IdentifierMatch{Hash: hex.EncodeToString(h)})
	}
	return out
}

// lookupComplete reports whether every identifier recorded in idents has
// its lookup record. The check reads every idents key; once passed, it is
// remembered (in a writable store) together with the number of idents
// entries, and done again only when that number changes.
func (db *DB) lookupComplete(ctx context.Context) (bool, error) {
	complete, checked, n := true, false, 0
	err := db.view(ctx, func(tx *bolt.Tx) error {
		idents, of := tx.Bucket(bucketIdents), tx.Bucket(bucketLookupOf)
		if idents == nil {
			return nil
		}
		n = idents.Stats().KeyN
		if v := tx.Bucket(bucketMeta).Get(metaLookupChecked); len(v) == 8 && binary.BigEndian.Uint64(v) == uint64(n) {
			return nil
		}
		if of == nil {
			complete = n == 0
			return nil
		}
		checked = true
		var last []byte
		c := idents.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) < identHashLen {
				continue
			}
			h := k[:identHashLen]
			if bytes.Equal(h, last) {
				continue
			}
			last = h
			if of.Get(h) == nil {
				complete = false
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("identifier lookup: %w", err)
	}
	if complete && checked && !db.bolt.IsReadOnly() {
		err = db.update(ctx, func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(metaLookupChecked, u64key(uint64(n)))
		})
		if err != nil {
			return false, fmt.Errorf("identifier lookup: %w", err)
		}
	}
	return complete, nil
}
