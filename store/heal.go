package store

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// An original lost to damage comes back when its copy is indexed again:
// the dump still holds it. (A copy a rebuild lost with its record is simply
// new to the store; its loss is marked recovered when it is recorded.) The copy is known, so ingest would skip it;
// instead KnownCopies reports it as not known, the indexer parses it, and
// Apply stores its original (bundled with the message's text) in a new
// blob and points the message at it. Its loss stays listed, marked
// recovered, so that verify still knows the damaged bytes.

// lostSHAs returns the originals (binary SHA-256, as strings) listed as
// lost and not recovered; nil when there are none.
func lostSHAs(tx *bolt.Tx) map[string]bool {
	var out map[string]bool
	forLost(tx, func(l *Lost) {
		if sha, err := hex.DecodeString(l.SHA256); err == nil && l.SHA256 != "" {
			if out == nil {
				out = make(map[string]bool)
			}
			out[string(sha)] = true
		}
	})
	return out
}

// forLost calls fn with each loss not recovered.
func forLost(tx *bolt.Tx, fn func(*Lost)) {
	b := tx.Bucket(bucketLost)
	if b == nil || b.Stats().KeyN == 0 {
		return
	}
	b.ForEach(func(_, v []byte) error {
		var l Lost
		if json.Unmarshal(v, &l) == nil && l.Recovered.IsZero() {
			fn(&l)
		}
		return nil
	})
}

// lostCopy reports whether the copy recorded under key k has an original
// listed as lost.
func (db *DB) lostCopy(tx *bolt.Tx, lost map[string]bool, k []byte) bool {
	seq := tx.Bucket(bucketCopyKeys).Get(k)
	if seq == nil {
		return false
	}
	v := tx.Bucket(bucketCopies).Get(append(append([]byte(nil), seq...), k...))
	var c leakscope.Copy
	if v == nil || db.getValue(v, &c) != nil {
		return false
	}
	return lost[string(hexKey(c.RawSHA256))]
}

// heal stores again the original of item it, whose copy is known and whose
// original is lost, at loc (a blob this batch appended), and marks the
// loss recovered.
func (w *batchWriter) heal(it *leakscope.Ingested, loc blobLoc, bundled bool) error {
	sha := hexKey(it.Copy.RawSHA256)
	if err := w.originals.Put(sha, loc.bytes()); err != nil {
		return err
	}
	if bundled {
		if seq := w.ids.Get([]byte(it.Message.ID)); seq != nil {
			if err := w.texts.Put(seq, loc.bytes()); err != nil {
				return err
			}
		}
	}
	return w.recovered(func(l *Lost) bool { return l.SHA256 == it.Copy.RawSHA256 }, it.Copy.Location())
}

// recovered marks recovered, from the copy at location from, the losses
// match selects.
func (w *batchWriter) recovered(match func(*Lost) bool, from string) error {
	b := w.tx.Bucket(bucketLost)
	return b.ForEach(func(k, v []byte) error {
		var l Lost
		if json.Unmarshal(v, &l) != nil || !l.Recovered.IsZero() || !match(&l) {
			return nil
		}
		l.Recovered, l.RecoveredFrom = w.db.now().UTC(), from
		data, err := json.Marshal(&l)
		if err != nil {
			return fmt.Errorf("encode lost original: %w", err)
		}
		return b.Put(k, data)
	})
}

// lostCopies returns the places of the copies a rebuild lost (their
// original unreadable, their message unknown), not recovered; nil when
// there are none.
func lostCopies(tx *bolt.Tx) map[string]bool {
	var out map[string]bool
	forLost(tx, func(l *Lost) {
		if l.Copy != "" && l.SHA256 == "" {
			if out == nil {
				out = make(map[string]bool)
			}
			out[l.Copy] = true
		}
	})
	return out
}
