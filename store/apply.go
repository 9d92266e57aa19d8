package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// KnownCopies reports which of the copy keys are already recorded, so the
// indexer can skip parsing messages an earlier run stored.
func (db *DB) KnownCopies(ctx context.Context, keys []string) (map[string]bool, error) {
	known := make(map[string]bool)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCopyKeys)
		for _, k := range keys {
			if b.Get([]byte(k)) != nil {
				known[k] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up copies: %w", err)
	}
	return known, nil
}

// Apply stores a batch in one transaction: each item's original (once per
// distinct content), the message (once per ID) with its text, and the copy;
// and the problems of the batch. Items whose copy is already recorded add
// nothing. A Problem with Raw bytes keeps them as an original so a message
// that could not be indexed is not lost. Messages that changed are queued
// in "pending" until ClearPending.
func (db *DB) Apply(ctx context.Context, run uint64, items []leakscope.Ingested, problems []leakscope.Problem) (leakscope.BatchResult, error) {
	var res leakscope.BatchResult
	now := db.now().UTC()
	err := db.update(ctx, func(tx *bolt.Tx) error {
		res = leakscope.BatchResult{}
		w := newBatchWriter(db, tx)
		changed := make(map[string]bool)
		for i := range items {
			it := &items[i]
			if it.Message == nil || it.Message.ID == "" {
				return fmt.Errorf("item %d at %s has no message ID", i, it.Copy.Location())
			}
			it.Copy.MessageID = it.Message.ID
			it.Copy.Run = run
			if it.Copy.Added.IsZero() {
				it.Copy.Added = now
			}
			ck := it.Copy.Key()
			if w.copyKeys.Get([]byte(ck)) != nil {
				res.Known++
				continue
			}
			if err := w.putOriginal(it.Copy.RawSHA256, it.Raw); err != nil {
				return err
			}
			isNew, conflicts, err := w.putMessage(it.Message, it.Text)
			if err != nil {
				return err
			}
			if isNew {
				res.New++
				if err := markRethread(w.meta); err != nil {
					return err
				}
			} else {
				res.Duplicates++
			}
			for _, id := range conflicts {
				changed[id] = true
			}
			if err := w.putCopy(ck, &it.Copy); err != nil {
				return err
			}
			res.Copies++
			changed[it.Message.ID] = true
		}
		for i := range problems {
			if err := w.putProblem(run, &problems[i]); err != nil {
				return err
			}
		}
		seq, err := w.pending.NextSequence()
		if err != nil {
			return err
		}
		res.Seq = seq
		for id := range changed {
			if err := w.pending.Put([]byte(id), u64key(seq)); err != nil {
				return err
			}
			res.Changed = append(res.Changed, id)
		}
		slices.Sort(res.Changed)
		return w.flushCounters()
	})
	if err != nil {
		return leakscope.BatchResult{}, fmt.Errorf("store batch: %w", err)
	}
	return res, nil
}

// batchWriter holds the buckets and counters of one Apply transaction.
type batchWriter struct {
	db                                              *DB
	meta, messages, texts, originals, copies        *bolt.Bucket
	copyKeys, msgIDs, contents, threadInfo, pending *bolt.Bucket
	problems, problemKeys                           *bolt.Bucket
	nMessages, nCopies, nOriginals, nRawBytes       int64
}

func newBatchWriter(db *DB, tx *bolt.Tx) *batchWriter {
	return &batchWriter{
		db:          db,
		meta:        tx.Bucket(bucketMeta),
		messages:    tx.Bucket(bucketMessages),
		texts:       tx.Bucket(bucketTexts),
		originals:   tx.Bucket(bucketOriginals),
		copies:      tx.Bucket(bucketCopies),
		copyKeys:    tx.Bucket(bucketCopyKeys),
		msgIDs:      tx.Bucket(bucketMsgIDs),
		contents:    tx.Bucket(bucketContents),
		threadInfo:  tx.Bucket(bucketThreadInfo),
		pending:     tx.Bucket(bucketPending),
		problems:    tx.Bucket(bucketProblems),
		problemKeys: tx.Bucket(bucketProblemKeys),
	}
}

func (w *batchWriter) putOriginal(sha string, raw []byte) error {
	if sha == "" {
		sum := sha256.Sum256(raw)
		sha = hex.EncodeToString(sum[:])
	}
	if w.originals.Get([]byte(sha)) != nil {
		return nil
	}
	if err := w.originals.Put([]byte(sha), w.db.compress(raw)); err != nil {
		return fmt.Errorf("put original %s: %w", sha, err)
	}
	w.nOriginals++
	w.nRawBytes += int64(len(raw))
	return nil
}

// putMessage stores m and its text unless a message with its ID exists. It
// returns whether m was new and the IDs of other messages whose IDConflict
// flag it set (same Message-ID, different content).
func (w *batchWriter) putMessage(m *leakscope.Message, text *leakscope.Text) (bool, []string, error) {
	id := []byte(m.ID)
	if w.messages.Get(id) != nil {
		return false, nil, nil
	}
	var conflicts []string
	if m.MessageID != "" {
		prefix := append([]byte(strings.ToLower(m.MessageID)), 0)
		c := w.msgIDs.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			other := string(k[len(prefix):])
			m.IDConflict = true
			if err := w.setConflict(other); err != nil {
				return false, nil, err
			}
			conflicts = append(conflicts, other)
		}
		if err := w.msgIDs.Put(append(prefix, id...), nil); err != nil {
			return false, nil, err
		}
	}
	if err := putJSON(w.messages, id, m); err != nil {
		return false, nil, err
	}
	if text == nil {
		text = &leakscope.Text{}
	}
	tj, err := json.Marshal(text)
	if err != nil {
		return false, nil, fmt.Errorf("encode text of %s: %w", m.ID, err)
	}
	if err := w.texts.Put(id, w.db.compress(tj)); err != nil {
		return false, nil, err
	}
	if err := w.contents.Put(append([]byte(m.ContentHash+"\x00"), id...), nil); err != nil {
		return false, nil, err
	}
	if err := putJSON(w.threadInfo, id, newThreadInfo(m)); err != nil {
		return false, nil, err
	}
	w.nMessages++
	return true, conflicts, nil
}

func (w *batchWriter) setConflict(id string) error {
	v := w.messages.Get([]byte(id))
	if v == nil {
		return nil
	}
	var m leakscope.Message
	if err := json.Unmarshal(v, &m); err != nil {
		return fmt.Errorf("decode message %s: %w", id, err)
	}
	if m.IDConflict {
		return nil
	}
	m.IDConflict = true
	return putJSON(w.messages, []byte(id), &m)
}

func (w *batchWriter) putCopy(key string, c *leakscope.Copy) error {
	if err := putJSON(w.copies, []byte(c.MessageID+"/"+key), c); err != nil {
		return err
	}
	if err := w.copyKeys.Put([]byte(key), []byte(c.MessageID)); err != nil {
		return err
	}
	w.nCopies++
	return nil
}

// putProblem records p under run unless the same problem (place, code,
// message) was recorded by an earlier run.
func (w *batchWriter) putProblem(run uint64, p *leakscope.Problem) error {
	h := sha256.New()
	for _, s := range []string{p.Severity, p.Location, p.Code, p.Message, p.Detail} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	key := h.Sum(nil)[:16]
	if w.problemKeys.Get(key) != nil {
		return nil
	}
	if len(p.Raw) > 0 {
		sum := sha256.Sum256(p.Raw)
		p.RawSHA256 = hex.EncodeToString(sum[:])
		if err := w.putOriginal(p.RawSHA256, p.Raw); err != nil {
			return err
		}
	}
	p.Run = run
	if err := w.problemKeys.Put(key, u64key(run)); err != nil {
		return err
	}
	return putJSON(w.problems, append(u64key(run), key...), p)
}

func (w *batchWriter) flushCounters() error {
	for _, c := range []struct {
		key []byte
		n   int64
	}{{counterMessages, w.nMessages}, {counterCopies, w.nCopies}, {counterOriginals, w.nOriginals}, {counterRawBytes, w.nRawBytes}} {
		if err := addCounter(w.meta, c.key, c.n); err != nil {
			return err
		}
	}
	return nil
}
