package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Review tags live in two buckets:
//
//	msgtags    message ID 0x00 tag name -> JSON leakscope.Tag (name, note, who, when)
//	tagmsgs    tag name 0x00 message ID -> nil (counts and listings per tag)
//
// Both are written in the same transaction. They are keyed by message ID,
// not sequence: tags are few and written one change at a time, so their
// pages gain nothing from append order. A message whose tags change is put
// in "pending" in that transaction, so that its search document (which
// holds the tag names) is rewritten even if the process dies before the
// index is updated.
var (
	bucketMsgTags = []byte("msgtags")
	bucketTagMsgs = []byte("tagmsgs")
)

// TagUpdate is what a tag change did.
type TagUpdate struct {
	// Changed lists the messages whose tags changed, sorted. They are
	// queued in "pending": re-index them (Documents, then the index's Put)
	// and call ClearPending(Changed, Seq).
	Changed []string
	// Seq is the pending batch of the change; 0 when nothing changed.
	Seq uint64
}

// AddTag puts tag t on every message of ids, in one transaction. A message
// that has the tag already keeps it as it is, unless t has a different,
// non-empty note: then the note, user and time are replaced. t.Time
// defaults to now. An invalid name is an ErrInvalidInput error and an
// unknown message ID an ErrNotFound error; either changes nothing.
func (db *DB) AddTag(ctx context.Context, ids []string, t leakscope.Tag) (TagUpdate, error) {
	name, err := leakscope.ParseTagName(t.Name)
	if err != nil {
		return TagUpdate{}, fmt.Errorf("add tag: %w", err)
	}
	t.Name = name
	t.Time = db.tagTime(t)
	return db.retag(ctx, "add tag "+name, ids, func(cur []leakscope.Tag) []leakscope.Tag {
		i := slices.IndexFunc(cur, func(c leakscope.Tag) bool { return c.Name == name })
		switch {
		case i < 0:
			return append(cur, t)
		case t.Note != "" && cur[i].Note != t.Note:
			cur[i] = t
		}
		return cur
	})
}

// RemoveTag takes tag name off every message of ids that has it, in one
// transaction. An unknown message ID is an ErrNotFound error and changes
// nothing.
func (db *DB) RemoveTag(ctx context.Context, ids []string, name string) (TagUpdate, error) {
	name, err := leakscope.ParseTagName(name)
	if err != nil {
		return TagUpdate{}, fmt.Errorf("remove tag: %w", err)
	}
	return db.retag(ctx, "remove tag "+name, ids, func(cur []leakscope.Tag) []leakscope.Tag {
		return slices.DeleteFunc(cur, func(c leakscope.Tag) bool { return c.Name == name })
	})
}

// SetTags makes tags the exact tag set of every message of ids, in one
// transaction. A tag a message has already, with the same note, keeps its
// user and time; the others get theirs from tags (Time defaulting to
// now). Names must be valid and distinct. An unknown message ID is an
// ErrNotFound error and changes nothing.
func (db *DB) SetTags(ctx context.Context, ids []string, tags []leakscope.Tag) (TagUpdate, error) {
	want := make([]leakscope.Tag, 0, len(tags))
	for _, t := range tags {
		name, err := leakscope.ParseTagName(t.Name)
		if err != nil {
			return TagUpdate{}, fmt.Errorf("set tags: %w", err)
		}
		if slices.ContainsFunc(want, func(w leakscope.Tag) bool { return w.Name == name }) {
			return TagUpdate{}, fmt.Errorf("set tags: tag %s given twice: %w", name, leakscope.ErrInvalidInput)
		}
		t.Name, t.Time = name, db.tagTime(t)
		want = append(want, t)
	}
	return db.retag(ctx, "set tags", ids, func(cur []leakscope.Tag) []leakscope.Tag {
		out := make([]leakscope.Tag, 0, len(want))
		for _, w := range want {
			if i := slices.IndexFunc(cur, func(c leakscope.Tag) bool { return c.Name == w.Name }); i >= 0 && cur[i].Note == w.Note {
				w = cur[i]
			}
			out = append(out, w)
		}
		return out
	})
}

func (db *DB) tagTime(t leakscope.Tag) time.Time {
	if t.Time.IsZero() {
		return db.now().UTC()
	}
	return t.Time.UTC()
}

// retag applies edit to the tags of each message of ids (each message
// once) and writes what changed, in one transaction.
func (db *DB) retag(ctx context.Context, what string, ids []string, edit func(cur []leakscope.Tag) []leakscope.Tag) (TagUpdate, error) {
	var up TagUpdate
	err := db.update(ctx, func(tx *bolt.Tx) error {
		up = TagUpdate{}
		byMsg, byTag := db.journaled(tx, bucketMsgTags), db.journaled(tx, bucketTagMsgs)
		seen := make(map[string]bool, len(ids))
		for i, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if seqOf(tx, id) == nil {
				return fmt.Errorf("message %s: %w", id, leakscope.ErrNotFound)
			}
			cur, err := readTags(byMsg.Bucket, id)
			if err != nil {
				return err
			}
			changed, err := writeTags(byMsg, byTag, id, cur, edit(slices.Clone(cur)))
			if err != nil {
				return err
			}
			if changed {
				up.Changed = append(up.Changed, id)
			}
		}
		if len(up.Changed) == 0 {
			return nil
		}
		pending := tx.Bucket(bucketPending)
		seq, err := pending.NextSequence()
		if err != nil {
			return err
		}
		up.Seq = seq
		for _, id := range up.Changed {
			if err := pending.Put([]byte(id), u64key(seq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return TagUpdate{}, fmt.Errorf("%s: %w", what, err)
	}
	slices.Sort(up.Changed)
	return up, nil
}

// writeTags stores the tags of message id as next, given that they are
// cur, and reports whether anything changed.
func writeTags(byMsg, byTag jbucket, id string, cur, next []leakscope.Tag) (bool, error) {
	changed := false
	for _, c := range cur {
		if slices.ContainsFunc(next, func(n leakscope.Tag) bool { return n.Name == c.Name }) {
			continue
		}
		if err := byMsg.Delete(pairKey(id, c.Name)); err != nil {
			return false, err
		}
		if err := byTag.Delete(pairKey(c.Name, id)); err != nil {
			return false, err
		}
		changed = true
	}
	for _, n := range next {
		i := slices.IndexFunc(cur, func(c leakscope.Tag) bool { return c.Name == n.Name })
		if i >= 0 && sameTag(cur[i], n) {
			continue
		}
		if err := putJSON(byMsg, pairKey(id, n.Name), &n); err != nil {
			return false, err
		}
		if err := byTag.Put(pairKey(n.Name, id), nil); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

func sameTag(a, b leakscope.Tag) bool {
	return a.Name == b.Name && a.Note == b.Note && a.User == b.User && a.Time.Equal(b.Time)
}

// MessageTags returns the tags of message id, by name. An unknown ID is an
// ErrNotFound error.
func (db *DB) MessageTags(ctx context.Context, id string) ([]leakscope.Tag, error) {
	var out []leakscope.Tag
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if seqOf(tx, id) == nil {
			return leakscope.ErrNotFound
		}
		var err error
		out, err = readTags(tx.Bucket(bucketMsgTags), id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tags of %s: %w", id, err)
	}
	return out, nil
}

// readTags reads the tags of message id from msgtags (nil in a store
// opened read-only before tags existed).
func readTags(b *bolt.Bucket, id string) ([]leakscope.Tag, error) {
	if b == nil {
		return nil, nil
	}
	var out []leakscope.Tag
	prefix := pairKey(id, "")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var t leakscope.Tag
		if err := json.Unmarshal(v, &t); err != nil {
			return nil, fmt.Errorf("decode tag %q: %w", k, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// tagNames returns the names of the tags of message id, for its search
// document.
func tagNames(tx *bolt.Tx, id string) []string {
	b := tx.Bucket(bucketMsgTags)
	if b == nil {
		return nil
	}
	var out []string
	prefix := pairKey(id, "")
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

// TagCounts returns the number of messages carrying each tag in use.
func (db *DB) TagCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTagMsgs)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			if i := bytes.IndexByte(k, 0); i > 0 {
				out[string(k[:i])]++
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("count tags: %w", err)
	}
	return out, nil
}

// Tagged returns the IDs of the messages carrying tag name, in ID order.
func (db *DB) Tagged(ctx context.Context, name string) ([]string, error) {
	name, err := leakscope.ParseTagName(name)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = db.view(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketTagMsgs) != nil {
			ids = prefixIDsTx(tx, bucketTagMsgs, pairKey(name, ""))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("messages tagged %s: %w", name, err)
	}
	return ids, nil
}

// pairKey is a 0x00 b: neither message IDs nor tag names hold 0x00.
func pairKey(a, b string) []byte {
	k := make([]byte, 0, len(a)+1+len(b))
	k = append(k, a...)
	k = append(k, 0)
	return append(k, b...)
}
