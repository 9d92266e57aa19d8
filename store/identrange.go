package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// The range index answers "which identifiers of this kind have an
// IdentifierHash starting with these 20 bits?" (k-anonymity: a client
// checks its own identifier by sending 5 hex characters of its hash, and
// the server never learns which identifier it holds). Keyed hashes cannot
// answer that, so each identifier also gets a range record:
//
//	identrange    kind 0x00 prefix + keyed hash (16 bytes) -> nonce (12 bytes) + sealed IdentifierHash
//	identrangeof  keyed hash (16 bytes) -> its identrange key
//
// The prefix (3 bytes: the first 20 bits of the unkeyed IdentifierHash, then
// 4 zero bits) is in clear: about a thousand valid SSNs share each, so it
// narrows nothing down. The full IdentifierHash, which could be tested
// against guesses offline, is sealed with AES-256-GCM under a key derived
// (HKDF-SHA-256) from the data directory's identifier secret, a random
// nonce per record, the record's key as additional data. setIdentifiers
// keeps the records in step with the idents bucket: a record exists while
// some message holds its identifier.
const rangePrefixLen = 3

var (
	// metaRangeChecked holds the number of idents entries when the range
	// index was last found complete (see rangeComplete).
	metaRangeChecked = []byte("identrange_checked")
	rangeSealInfo    = "leakscope identifier range seal v1"
	rangeDecoyInfo   = "leakscope identifier range decoys v1"
)

// rangeAEAD returns the cipher sealing range records.
func (db *DB) rangeAEAD() (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, db.identSecret, nil, rangeSealInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// rangePrefix returns the stored prefix of an IdentifierHash (raw bytes).
func rangePrefix(sum []byte) []byte {
	return []byte{sum[0], sum[1], sum[2] & 0xf0}
}

// rangeKey is the identrange key of an identifier of kind whose
// IdentifierHash has prefix p and whose keyed hash is h.
func rangeKey(kind string, p, h []byte) []byte {
	k := make([]byte, 0, len(kind)+1+rangePrefixLen+identHashLen)
	k = append(k, kind...)
	k = append(k, 0)
	k = append(k, p...)
	return append(k, h...)
}

// putRanges makes sure every identifier of ids has its range record;
// hashes holds their keyed hashes (identHashes).
func (db *DB) putRanges(tx *bolt.Tx, ids []leakscope.Identifier, hashes [][]byte) error {
	ranges, of := tx.Bucket(bucketIdentRange), tx.Bucket(bucketRangeOf)
	var aead cipher.AEAD
	for i, id := range ids {
		h := hashes[i]
		if h == nil || strings.IndexByte(id.Kind, 0) >= 0 {
			continue
		}
		if of.Get(h) != nil {
			continue
		}
		if aead == nil {
			var err error
			if aead, err = db.rangeAEAD(); err != nil {
				return fmt.Errorf("range index: %w", err)
			}
		}
		sum := sha256.Sum256([]byte(id.Kind + ":" + id.Value))
		key := rangeKey(id.Kind, rangePrefix(sum[:]), h)
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(sum)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return fmt.Errorf("range index: %w", err)
		}
		if err := ranges.Put(key, aead.Seal(nonce, nonce, sum[:], key)); err != nil {
			return err
		}
		if err := of.Put(h, key); err != nil {
			return err
		}
	}
	return nil
}

// dropRange removes the range record of the identifier with keyed hash h.
func dropRange(tx *bolt.Tx, h []byte) error {
	of := tx.Bucket(bucketRangeOf)
	key := of.Get(h)
	if key == nil {
		return nil
	}
	if err := tx.Bucket(bucketIdentRange).Delete(bytes.Clone(key)); err != nil {
		return err
	}
	return of.Delete(h)
}

// IdentifierRange is the answer to a range query.
type IdentifierRange struct {
	// Entries are the identifiers found, with decoys added up to the
	// minimum asked for, sorted by hash: nothing tells them apart but
	// knowing an identifier whose hash is among them.
	Entries []leakscope.RangeEntry
	// Incomplete is set when the store holds identifiers that the range
	// index lacks (recorded by an older leakscope): `leakscope redetect`
	// adds them. Entries is then empty.
	Incomplete bool
}

// IdentifierRange returns the identifiers of kind whose IdentifierHash
// starts with prefix (IdentifierPrefixLen hex characters), each with the
// number of messages it was found in, their first and last dates (to the
// day) and batches; then decoys up to min entries. A decoy has a random
// hash with the prefix and the figures of a real identifier of the same
// kind elsewhere in the index; the decoys of a prefix stay the same from
// one call to the next, so that comparing answers does not single out the
// real entries. A bad kind or prefix is an error wrapping
// leakscope.ErrInvalidInput.
func (db *DB) IdentifierRange(ctx context.Context, kind, prefix string, min int) (*IdentifierRange, error) {
	p, err := parseRangePrefix(kind, prefix)
	if err != nil {
		return nil, err
	}
	complete, err := db.rangeComplete(ctx)
	if err != nil {
		return nil, err
	}
	if !complete {
		return &IdentifierRange{Incomplete: true}, nil
	}
	out := &IdentifierRange{Entries: []leakscope.RangeEntry{}}
	err = db.view(ctx, func(tx *bolt.Tx) error {
		out.Entries = out.Entries[:0]
		ranges := tx.Bucket(bucketIdentRange)
		if ranges == nil || db.identSecret == nil {
			out.Entries = append(out.Entries, db.decoys(tx, kind, p, min)...)
			return nil
		}
		aead, err := db.rangeAEAD()
		if err != nil {
			return err
		}
		want := rangeKey(kind, p, nil)
		c := ranges.Cursor()
		for k, v := c.Seek(want); k != nil && bytes.HasPrefix(k, want); k, v = c.Next() {
			sum, err := openRange(aead, k, v)
			if err != nil {
				return err
			}
			e, err := db.rangeStats(tx, k[len(want):])
			if err != nil {
				return err
			}
			e.Hash = hex.EncodeToString(sum)
			out.Entries = append(out.Entries, e)
		}
		out.Entries = append(out.Entries, db.decoys(tx, kind, p, min-len(out.Entries))...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("identifier range: %w", err)
	}
	slices.SortFunc(out.Entries, func(a, b leakscope.RangeEntry) int { return strings.Compare(a.Hash, b.Hash) })
	return out, nil
}

// parseRangePrefix checks a kind and a hex prefix and returns the stored
// form of the prefix.
func parseRangePrefix(kind, prefix string) ([]byte, error) {
	if !slices.Contains(leakscope.IdentifierKinds, kind) {
		return nil, fmt.Errorf("unknown identifier kind %q: %w", kind, leakscope.ErrInvalidInput)
	}
	if len(prefix) != leakscope.IdentifierPrefixLen {
		return nil, fmt.Errorf("want %d hex characters: %w", leakscope.IdentifierPrefixLen, leakscope.ErrInvalidInput)
	}
	b, err := hex.DecodeString(strings.ToLower(prefix) + "0")
	if err != nil {
		return nil, fmt.Errorf("want %d hex characters: %w", leakscope.IdentifierPrefixLen, leakscope.ErrInvalidInput)
	}
	return b, nil
}

// openRange unseals a range record.
func openRange(aead cipher.AEAD, key, v []byte) ([]byte, error) {
	n := aead.NonceSize()
	if len(v) < n {
		return nil, fmt.Errorf("range record %x: too short", key)
	}
	sum, err := aead.Open(nil, v[:n], v[n:], key)
	if err != nil {
		return nil, fmt.Errorf("range record %x: %w", key, err)
	}
	return sum, nil
}

// rangeStats gathers where the identifier with keyed hash h was found.
func (db *DB) rangeStats(tx *bolt.Tx, h []byte) (leakscope.RangeEntry, error) {
	e := leakscope.RangeEntry{Batches: []leakscope.BatchRef{}}
	messages, copies := tx.Bucket(bucketMessages), tx.Bucket(bucketCopies)
	var first, last time.Time
	c := tx.Bucket(bucketIdents).Cursor()
	for k, _ := c.Seek(h); k != nil && bytes.HasPrefix(k, h); k, _ = c.Next() {
		seq := k[len(h):]
		e.Messages++
		var m struct {
			Date time.Time `json:"date"`
		}
		if v := messages.Get(seq); v != nil {
			if err := db.getValue(v, &m); err != nil {
				return e, fmt.Errorf("decode message record %x: %w", seq, err)
			}
		}
		// Dates before 1970 are broken headers, as in the exposure report.
		if d := m.Date.UTC().Truncate(24 * time.Hour); m.Date.Year() >= 1970 {
			if first.IsZero() || d.Before(first) {
				first = d
			}
			if d.After(last) {
				last = d
			}
		}
		cc := copies.Cursor()
		for ck, cv := cc.Seek(seq); ck != nil && bytes.HasPrefix(ck, seq); ck, cv = cc.Next() {
			var cp struct {
				Leak  string `json:"leak"`
				Batch string `json:"batch"`
			}
			if err := db.getValue(cv, &cp); err != nil {
				return e, fmt.Errorf("decode copy %x: %w", ck, err)
			}
			if b := (leakscope.BatchRef{Leak: cp.Leak, Batch: cp.Batch}); !slices.Contains(e.Batches, b) {
				e.Batches = append(e.Batches, b)
			}
		}
	}
	if !first.IsZero() {
		e.First, e.Last = &first, &last
	}
	slices.SortFunc(e.Batches, func(a, b leakscope.BatchRef) int {
		return strings.Compare(a.Leak+"\x00"+a.Batch, b.Leak+"\x00"+b.Batch)
	})
	return e, nil
}

// decoys returns n decoy entries for kind and prefix p (none when n <= 0).
// Decoy i of a prefix is the same on every call: its hash is the prefix
// followed by bits of an HMAC of (kind, prefix, i) under a key derived
// from the identifier secret, and it takes the figures of the real
// identifier of the same kind found at a position drawn the same way (see
// borrowRange: of another kind when this one has too few identifiers; one
// message and no dates when the index is empty). In a leak with few
// identifiers, decoys repeat each other's figures.
func (db *DB) decoys(tx *bolt.Tx, kind string, p []byte, n int) []leakscope.RangeEntry {
	if n <= 0 {
		return nil
	}
	key := make([]byte, 32)
	if db.identSecret != nil {
		key, _ = hkdf.Key(sha256.New, db.identSecret, nil, rangeDecoyInfo, 32)
	} else {
		rand.Read(key) // nothing stored: nothing to tell decoys from
	}
	var ranges *bolt.Bucket
	if tx != nil {
		ranges = tx.Bucket(bucketIdentRange)
	}
	own := rangeKey(kind, p, nil)
	var used [][]byte
	out := make([]leakscope.RangeEntry, 0, n)
	for i := range n {
		mac := hmac.New(sha256.New, key)
		mac.Write(own)
		binary.Write(mac, binary.BigEndian, uint32(i))
		sum := mac.Sum(nil)
		hash := append(slices.Clone(p[:2]), p[2]|sum[2]&0x0f)
		hash = append(hash, sum[3:]...)
		e := leakscope.RangeEntry{Messages: 1, Batches: []leakscope.BatchRef{}}
		if ranges != nil {
			mac.Write([]byte("borrow"))
			if h := borrowRange(ranges, kind, own, mac.Sum(nil)[:rangePrefixLen], used); h != nil {
				used = append(used, h)
				if st, err := db.rangeStats(tx, h); err == nil && st.Messages > 0 {
					e = st
				}
			}
		}
		e.Hash = hex.EncodeToString(hash)
		out = append(out, e)
	}
	return out
}

// borrowRange returns the keyed hash of an identifier whose range record
// comes first at or after pos (wrapping around), outside the prefix own
// and not in used: of kind, else of any kind; when every one is used, one
// of kind, else of any kind, again. It returns nil when the index is empty.
func borrowRange(ranges *bolt.Bucket, kind string, own, pos []byte, used [][]byte) []byte {
	scopes := [][]byte{[]byte(kind + "\x00"), nil}
	var fallback [2][]byte
	for i, scope := range scopes {
		pick := func(k []byte) []byte {
			if bytes.HasPrefix(k, own) || len(k) < identHashLen {
				return nil
			}
			h := k[len(k)-identHashLen:]
			if !slices.ContainsFunc(used, func(u []byte) bool { return bytes.Equal(u, h) }) {
				return bytes.Clone(h)
			}
			if fallback[i] == nil {
				fallback[i] = bytes.Clone(h)
			}
			return nil
		}
		start := append(slices.Clone(scope), pos...)
		c := ranges.Cursor()
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, scope); k, _ = c.Next() {
			if h := pick(k); h != nil {
				return h
			}
		}
		for k, _ := c.Seek(scope); k != nil && bytes.HasPrefix(k, scope) && bytes.Compare(k, start) < 0; k, _ = c.Next() {
			if h := pick(k); h != nil {
				return h
			}
		}
	}
	if fallback[0] != nil {
		return fallback[0]
	}
	return fallback[1]
}

// rangeComplete reports whether every identifier recorded in idents has
// its range record. The check reads every idents key; once passed, it is
// remembered (in a writable store) together with the number of idents
// entries, and done again only when that number changes.
func (db *DB) rangeComplete(ctx context.Context) (bool, error) {
	complete, checked, n := true, false, 0
	err := db.view(ctx, func(tx *bolt.Tx) error {
		idents, of := tx.Bucket(bucketIdents), tx.Bucket(bucketRangeOf)
		if idents == nil {
			return nil
		}
		n = idents.Stats().KeyN
		if v := tx.Bucket(bucketMeta).Get(metaRangeChecked); len(v) == 8 && binary.BigEndian.Uint64(v) == uint64(n) {
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
		return false, fmt.Errorf("identifier range: %w", err)
	}
	if complete && checked && !db.bolt.IsReadOnly() {
		err = db.update(ctx, func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(metaRangeChecked, u64key(uint64(n)))
		})
		if err != nil {
			return false, fmt.Errorf("identifier range: %w", err)
		}
	}
	return complete, nil
}
