package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Message returns the message with the given ID, its ThreadID filled in.
func (db *DB) Message(ctx context.Context, id string) (*leakscope.Message, error) {
	var m *leakscope.Message
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		m, err = db.getMessage(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return m, nil
}

// Messages returns the messages with the given IDs in the same order; an
// unknown ID is an error wrapping leakscope.ErrNotFound.
func (db *DB) Messages(ctx context.Context, ids []string) ([]*leakscope.Message, error) {
	out := make([]*leakscope.Message, 0, len(ids))
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			m, err := db.getMessage(tx, id)
			if err != nil {
				return fmt.Errorf("message %s: %w", id, err)
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// getMessage reads a message and its current thread.
func (db *DB) getMessage(tx *bolt.Tx, id string) (*leakscope.Message, error) {
	seq := seqOf(tx, id)
	if seq == nil {
		return nil, leakscope.ErrNotFound
	}
	m, err := db.messageAt(tx.Bucket(bucketMessages), seq)
	if err != nil {
		return nil, err
	}
	m.ThreadID = m.ID
	if t := tx.Bucket(bucketThreadOf).Get(seq); len(t) > 0 {
		m.ThreadID = string(t)
	}
	return m, nil
}

// messageAt decodes the record of the message with sequence key seq.
func (db *DB) messageAt(b *bolt.Bucket, seq []byte) (*leakscope.Message, error) {
	v := b.Get(seq)
	if v == nil {
		return nil, leakscope.ErrNotFound
	}
	if m, ok := db.records.get(v); ok {
		return m, nil
	}
	m := new(leakscope.Message)
	if err := db.getValue(v, m); err != nil {
		return nil, fmt.Errorf("decode message record %x: %w", seq, err)
	}
	db.records.put(v, m)
	return m, nil
}

// blob reads what the blob whose location is stored under key in bucket
// holds of kind want (blobOriginal or blobText). The part returned is the
// caller's to keep or change.
func (db *DB) blob(tx *bolt.Tx, bucket []byte, key []byte, want byte) ([]byte, error) {
	v := tx.Bucket(bucket).Get(key)
	if v == nil {
		return nil, leakscope.ErrNotFound
	}
	loc, err := parseBlobLoc(v)
	if err != nil {
		return nil, db.recordDamage("%s record %x: %v", bucket, key, err)
	}
	b, err := db.readBlob(loc)
	if err != nil {
		return nil, err
	}
	if want == blobOriginal && !bytes.Equal(b.sha, key) {
		return nil, db.packs.damaged("blob at %s holds original %x, not %x", loc, b.sha, key)
	}
	part, err := blobPart(b.kind, want, b.data)
	if err != nil {
		return nil, db.packs.damaged("blob at %s: %v", loc, err)
	}
	return bytes.Clone(part), nil
}

// recordDamage is the error of a damaged record of the store file.
func (db *DB) recordDamage(format string, args ...any) error {
	return damagef(db.bolt.Path(), format, args...)
}

// readBlob returns the blob at loc, decompressed, from the cache when it
// is there. Callers must not modify what it returns.
func (db *DB) readBlob(loc blobLoc) (cachedBlob, error) {
	if b, ok := db.blobs.get(loc); ok {
		return b, nil
	}
	code, kind, payload, err := db.packs.read(loc)
	if err != nil {
		return cachedBlob{}, err
	}
	b := cachedBlob{kind: kind}
	if carriesSHA(kind) {
		if len(payload) < shaSize {
			return cachedBlob{}, db.packs.damaged("blob at %s is too short", loc)
		}
		b.sha, payload = payload[:shaSize], payload[shaSize:]
	}
	if b.data, err = db.codec.decompress(code, payload); err != nil {
		return cachedBlob{}, db.packs.damaged("blob at %s: %v", loc, err)
	}
	db.blobs.put(loc, b)
	return b, nil
}

// Text returns the extracted text of a message.
func (db *DB) Text(ctx context.Context, id string) (*leakscope.Text, error) {
	var t *leakscope.Text
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		t, err = db.getText(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("text of %s: %w", id, err)
	}
	return t, nil
}

func (db *DB) getText(tx *bolt.Tx, id string) (*leakscope.Text, error) {
	seq := seqOf(tx, id)
	if seq == nil {
		return nil, leakscope.ErrNotFound
	}
	loc, err := db.textLoc(tx, seq)
	if err != nil {
		return nil, err
	}
	b, err := db.readBlob(loc)
	if err != nil {
		return nil, err
	}
	part, err := blobPart(b.kind, blobText, b.data)
	if err != nil {
		return nil, db.packs.damaged("blob at %s: %v", loc, err)
	}
	return decodeText(part)
}

// textLoc returns where the text of the message at seq is: where its texts
// record says, or, for the many messages that have none, in the bundle of
// one of its originals (a text bundled with its original is not recorded
// twice; see putMessage).
func (db *DB) textLoc(tx *bolt.Tx, seq []byte) (blobLoc, error) {
	if v := tx.Bucket(bucketTexts).Get(seq); v != nil {
		loc, err := parseBlobLoc(v)
		if err != nil {
			return blobLoc{}, db.recordDamage("text record %x: %v", seq, err)
		}
		return loc, nil
	}
	originals := tx.Bucket(bucketOriginals)
	c := tx.Bucket(bucketCopies).Cursor()
	for k, v := c.Seek(seq); k != nil && bytes.HasPrefix(k, seq); k, v = c.Next() {
		cp, ok := db.copies.Get(string(v))
		if !ok {
			if err := db.getValue(v, &cp); err != nil {
				return blobLoc{}, db.recordDamage("copy record %x: %v", k, err)
			}
			db.copies.Add(string(v), cp)
		}
		lv := originals.Get(hexKey(cp.RawSHA256))
		if lv == nil {
			continue
		}
		loc, err := parseBlobLoc(lv)
		if err != nil {
			return blobLoc{}, db.recordDamage("original record %s: %v", cp.RawSHA256, err)
		}
		if b, err := db.readBlob(loc); err != nil || b.kind == blobBundle {
			return loc, err
		}
	}
	return blobLoc{}, db.recordDamage("message %x has no text record and no original bundled with its text", seq)
}

// Copies returns every recorded copy of a message, in copy-key order.
func (db *DB) Copies(ctx context.Context, id string) ([]leakscope.Copy, error) {
	var out []leakscope.Copy
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = db.getCopies(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("copies of %s: %w", id, err)
	}
	return out, nil
}

func (db *DB) getCopies(tx *bolt.Tx, id string) ([]leakscope.Copy, error) {
	var out []leakscope.Copy
	prefix := seqOf(tx, id)
	if prefix == nil {
		return nil, nil
	}
	c := tx.Bucket(bucketCopies).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		cp, ok := db.copies.Get(string(v))
		if !ok {
			if err := db.getValue(v, &cp); err != nil {
				return nil, fmt.Errorf("decode copy %x: %w", k, err)
			}
			db.copies.Add(string(v), cp)
		}
		cp.MessageID = id
		out = append(out, cp)
	}
	return out, nil
}

// Original returns the original bytes with the given SHA-256 (hex), exactly.
func (db *DB) Original(ctx context.Context, sha string) ([]byte, error) {
	var out []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = db.blob(tx, bucketOriginals, hexKey(sha), blobOriginal)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("original %s: %w", sha, err)
	}
	// What is handed out as the original is checked against its name:
	// exports and `show --raw` promise the exact bytes.
	if sum := sha256.Sum256(out); hex.EncodeToString(sum[:]) != strings.ToLower(sha) {
		return nil, db.packs.damaged("original %s: the stored bytes hash to %x", sha, sum)
	}
	return out, nil
}

// ByMessageID returns the IDs of the messages with the given Message-ID
// (several when different messages share one).
func (db *DB) ByMessageID(ctx context.Context, messageID string) ([]string, error) {
	id := leakscope.NormalizeMessageID(messageID)
	if id == "" {
		return nil, nil
	}
	return db.prefixIDs(ctx, bucketMsgIDs, msgIDKey(id))
}

// ByContent returns the IDs of the messages with the given content hash:
// the duplicate group of a message.
func (db *DB) ByContent(ctx context.Context, contentHash string) ([]string, error) {
	if contentHash == "" {
		return nil, nil
	}
	return db.prefixIDs(ctx, bucketContents, hexKey(contentHash))
}

func (db *DB) prefixIDs(ctx context.Context, bucket []byte, prefix []byte) ([]string, error) {
	var ids []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		ids = prefixIDsTx(tx, bucket, prefix)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", bucket, err)
	}
	return ids, nil
}

// Entry is what a search result shows of a message: the message, its
// copies, its text and the IDs of its duplicate group.
type Entry struct {
	Message    *leakscope.Message
	Copies     []leakscope.Copy
	Text       *leakscope.Text
	Duplicates []string // IDs of messages with the same content hash, this one included
}

// Entry reads everything a search hit shows of message id in one read
// transaction.
func (db *DB) Entry(ctx context.Context, id string) (*Entry, error) {
	e := new(Entry)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if e.Message, err = db.getMessage(tx, id); err != nil {
			return err
		}
		if e.Copies, err = db.getCopies(tx, id); err != nil {
			return err
		}
		if e.Message, e.Text, err = db.textOrLost(tx, e.Message); err != nil {
			return err
		}
		if e.Message.ContentHash != "" {
			e.Duplicates = prefixIDsTx(tx, bucketContents, hexKey(e.Message.ContentHash))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return e, nil
}

// prefixIDsTx lists the message IDs stored as prefix + ID keys in bucket
// (prefix has a fixed length per bucket).
func prefixIDsTx(tx *bolt.Tx, bucket []byte, prefix []byte) []string {
	var ids []string
	c := tx.Bucket(bucket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, string(k[len(prefix):]))
	}
	return ids
}
