package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// KnownCopies reports which of the copy keys are already recorded, so the
// indexer can skip parsing messages an earlier run stored.
func (db *DB) KnownCopies(ctx context.Context, keys []string) (map[string]bool, error) {
	known := make(map[string]bool)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCopyKeys)
		lost := lostSHAs(tx)
		for _, k := range keys {
			// A copy whose original is lost is read again (heal.go).
			if b.Get(hexKey(k)) != nil && (lost == nil || !db.lostCopy(tx, lost, hexKey(k))) {
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
// in "pending" until ClearPending, and their search documents are returned
// in BatchResult.Documents.
func (db *DB) Apply(ctx context.Context, run uint64, items []leakscope.Ingested, problems []leakscope.Problem) (leakscope.BatchResult, error) {
	if err := ctx.Err(); err != nil {
		return leakscope.BatchResult{}, err
	}
	for i := range items {
		if it := &items[i]; it.Message == nil || it.Message.ID == "" {
			return leakscope.BatchResult{}, fmt.Errorf("store batch: item %d at %s has no message ID: %w", i, it.Copy.Location(), leakscope.ErrInvalidInput)
		}
	}
	now := db.now().UTC()
	for i := range items {
		it := &items[i]
		it.Copy.MessageID = it.Message.ID
		it.Copy.Run = run
		if it.Copy.Added.IsZero() {
			it.Copy.Added = now
		}
	}
	if err := db.maybeTrain(items); err != nil {
		return leakscope.BatchResult{}, fmt.Errorf("store batch: %w", err)
	}
	pb, err := db.packBatch(items)
	if err != nil {
		return leakscope.BatchResult{}, fmt.Errorf("store batch: %w", err)
	}
	var res leakscope.BatchResult
	db.dirty.Store(true)
	err = db.write(func(tx *bolt.Tx) error {
		res = leakscope.BatchResult{}
		appendFill(tx)
		w := newBatchWriter(db, tx)
		if err := pb.appendBlobs(db.packs); err != nil {
			return err
		}
		man := manifest{Run: run}
		lostAt := lostCopies(tx)
		changed := make(map[string]bool)
		// Messages first stored by this batch: their search documents are
		// made from the items, without reading back what was just written.
		fresh := make(map[string]*leakscope.Document)
		conflicted := make(map[string]bool)
		for i := range items {
			it := &items[i]
			ck := it.Copy.Key()
			if w.copyKeys.Get(hexKey(ck)) != nil {
				if raw, ok := pb.rawLoc(i); ok && pb.items[i].heal {
					if err := w.heal(it, raw, pb.items[i].text == pb.items[i].raw); err != nil {
						return err
					}
					res.Recovered++
				}
				res.Known++
				continue
			}
			raw, _ := pb.rawLoc(i)
			if pb.items[i].heal {
				// A new copy of an original listed as lost.
				if err := w.heal(it, raw, pb.items[i].text == pb.items[i].raw); err != nil {
					return err
				}
				res.Recovered++
			}
			rawLoc, err := w.putOriginal(it.Copy.RawSHA256, it.Raw, raw)
			if err != nil {
				return err
			}
			text, _ := pb.textLoc(i)
			isNew, conflicts, err := w.putMessage(it.Message, it.Text, text, text == rawLoc)
			if err != nil {
				return err
			}
			if isNew {
				if _, err := db.setIdentifiers(tx, seqOf(tx, it.Message.ID), it.Identifiers); err != nil {
					return fmt.Errorf("identifiers of %s: %w", it.Message.ID, err)
				}
				m := *it.Message
				if m.ThreadID == "" {
					m.ThreadID = m.ID // until threading runs
				}
				fresh[m.ID] = &leakscope.Document{Message: &m, Text: it.Text}
				res.New++
				if err := markRethread(w.meta); err != nil {
					return err
				}
			} else {
				res.Duplicates++
			}
			for _, id := range conflicts {
				changed[id] = true
				conflicted[id] = true
			}
			if err := w.putCopy(ck, &it.Copy); err != nil {
				return err
			}
			man.addCopy(it, rawLoc)
			if loc := it.Copy.Location(); lostAt[loc] {
				if err := w.recovered(func(l *Lost) bool { return l.Copy == loc && l.SHA256 == "" }, loc); err != nil {
					return err
				}
				res.Recovered++
			}
			if d := fresh[it.Message.ID]; d != nil {
				d.Copies = append(d.Copies, it.Copy)
			}
			res.Copies++
			changed[it.Message.ID] = true
		}
		for i := range problems {
			if err := w.putProblem(run, &problems[i], &man); err != nil {
				return err
			}
		}
		// A store being rebuilt from its manifests does not write them again.
		if !man.empty() && db.rebuilt == nil {
			data, err := json.Marshal(&man)
			if err != nil {
				return fmt.Errorf("encode manifest: %w", err)
			}
			if err := db.appendControl(w.meta, blobManifest, data, false); err != nil {
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
		if err := w.flushCounters(); err != nil {
			return err
		}
		texts := make(map[string]*leakscope.Text, len(items))
		for i := range items {
			if items[i].Text != nil {
				texts[items[i].Message.ID] = items[i].Text
			}
		}
		for _, id := range res.Changed {
			if d := fresh[id]; d != nil && d.Text != nil && !conflicted[id] {
				res.Documents = append(res.Documents, *d)
				continue
			}
			d, err := db.document(tx, id, texts[id])
			if err != nil {
				return fmt.Errorf("document %s: %w", id, err)
			}
			res.Documents = append(res.Documents, d)
		}
		return nil
	})
	if err != nil {
		return leakscope.BatchResult{}, fmt.Errorf("store batch: %w", err)
	}
	return res, nil
}

// batchWriter holds the buckets and counters of one Apply transaction.
type batchWriter struct {
	db                                              *DB
	tx                                              *bolt.Tx
	meta, ids, messages, texts, originals, copies   *bolt.Bucket
	copyKeys, msgIDs, contents, threadInfo, pending *bolt.Bucket
	problems, problemKeys                           *bolt.Bucket
	nMessages, nCopies, nOriginals, nRawBytes       int64
}

func newBatchWriter(db *DB, tx *bolt.Tx) *batchWriter {
	return &batchWriter{
		db:          db,
		tx:          tx,
		meta:        tx.Bucket(bucketMeta),
		ids:         tx.Bucket(bucketIDs),
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

// putOriginal records where the original raw (SHA-256 sha) is, unless it
// is stored: at loc, where packBatch put it, or when the plan left it out
// (loc.n is 0), in a blob appended now. It returns where the original is.
func (w *batchWriter) putOriginal(sha string, raw []byte, loc blobLoc) (blobLoc, error) {
	if v := w.originals.Get(hexKey(sha)); v != nil {
		return parseBlobLoc(v)
	}
	if loc.n == 0 {
		if r, ok := w.db.rebuilt[sha]; ok {
			loc = r.loc
		} else {
			code, data := w.db.codec.compress(raw)
			var err error
			if loc, err = w.db.packs.append(code, blobOriginal, hexKey(sha), data); err != nil {
				return blobLoc{}, fmt.Errorf("put original %s: %w", sha, err)
			}
		}
	}
	if err := w.originals.Put(hexKey(sha), loc.bytes()); err != nil {
		return blobLoc{}, fmt.Errorf("put original %s: %w", sha, err)
	}
	w.nOriginals++
	w.nRawBytes += int64(len(raw))
	return loc, nil
}

// putText records where the text of the message at seq is: at loc, or
// when the plan left it out (loc.n is 0), in a blob appended now.
func (w *batchWriter) putText(seq []byte, text *leakscope.Text, loc blobLoc) error {
	if loc.n == 0 {
		code, data := w.db.codec.compress(encodeText(nil, orEmpty(text)))
		var err error
		if loc, err = w.db.packs.append(code, blobText, nil, data); err != nil {
			return err
		}
	}
	return w.texts.Put(seq, loc.bytes())
}

// putMessage stores m and its text unless a message with its ID exists. It
// returns whether m was new and the IDs of other messages whose IDConflict
// flag it set (same Message-ID, different content).
func (w *batchWriter) putMessage(m *leakscope.Message, text *leakscope.Text, loc blobLoc, bundled bool) (bool, []string, error) {
	id := []byte(m.ID)
	if w.ids.Get(id) != nil {
		return false, nil, nil
	}
	n, err := w.ids.NextSequence()
	if err != nil {
		return false, nil, err
	}
	seq := u64key(n)
	if err := w.ids.Put(id, seq); err != nil {
		return false, nil, err
	}
	var conflicts []string
	if m.MessageID != "" {
		prefix := msgIDKey(m.MessageID)
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
	if err := w.putMessageRecord(seq, m); err != nil {
		return false, nil, err
	}
	// A text bundled with the message's original is found through it
	// (textLoc): a record of its place would cost a tenth of the file.
	if !bundled || loc.n == 0 {
		if err := w.putText(seq, text, loc); err != nil {
			return false, nil, fmt.Errorf("put text of %s: %w", m.ID, err)
		}
	}
	if err := w.contents.Put(append(hexKey(m.ContentHash), id...), nil); err != nil {
		return false, nil, err
	}
	if err := w.threadInfo.Put(seq, newThreadInfo(m).appendBinary(nil)); err != nil {
		return false, nil, err
	}
	w.nMessages++
	return true, conflicts, nil
}

func (w *batchWriter) setConflict(id string) error {
	seq := w.ids.Get([]byte(id))
	if seq == nil {
		return nil
	}
	m, err := w.db.messageAt(w.messages, seq)
	if err != nil {
		return err
	}
	if m.IDConflict {
		return nil
	}
	m.IDConflict = true
	return w.putMessageRecord(seq, m)
}

// putMessageRecord stores m, compressed, in the messages bucket.
func (w *batchWriter) putMessageRecord(seq []byte, m *leakscope.Message) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode message %s: %w", m.ID, err)
	}
	return w.messages.Put(seq, w.db.codec.value(data))
}

func (w *batchWriter) putCopy(key string, c *leakscope.Copy) error {
	seq := w.ids.Get([]byte(c.MessageID))
	if seq == nil {
		return fmt.Errorf("copy of unknown message %s", c.MessageID)
	}
	k := hexKey(key)
	// The message ID is left out: the key says whose copy it is.
	rec := *c
	rec.MessageID = ""
	if err := w.db.putValue(w.copies, append(append([]byte(nil), seq...), k...), &rec); err != nil {
		return err
	}
	if err := w.copyKeys.Put(k, seq); err != nil {
		return err
	}
	w.nCopies++
	return nil
}

// putProblem records p under run, and in the batch's manifest, unless the
// same problem (place, code, message) was recorded by an earlier run.
func (w *batchWriter) putProblem(run uint64, p *leakscope.Problem, man *manifest) error {
	h := sha256.New()
	for _, s := range []string{p.Severity, p.Location, p.Code, p.Message, p.Detail} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	key := h.Sum(nil)[:16]
	if w.problemKeys.Get(key) != nil {
		return nil
	}
	var loc blobLoc
	if len(p.Raw) > 0 {
		sum := sha256.Sum256(p.Raw)
		p.RawSHA256 = hex.EncodeToString(sum[:])
		var err error
		if loc, err = w.putOriginal(p.RawSHA256, p.Raw, blobLoc{}); err != nil {
			return err
		}
	}
	p.Run = run
	man.addProblem(*p, loc, len(p.Raw) > 0)
	if err := w.problemKeys.Put(key, u64key(run)); err != nil {
		return err
	}
	seq, err := w.problems.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(w.problems, append(u64key(run), u64key(seq)...), p)
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
