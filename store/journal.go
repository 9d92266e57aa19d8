package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Most of the store is derived from the originals: message records,
// texts, threads, identifiers and duplicate groups come back by parsing
// them again (rebuild.go). What is not derived is written twice: to its
// bucket, and as a record of the journal of its transaction, which the
// transaction appends to the packs as one blob before it commits. A store
// rebuilt from the packs replays the journal, in order. Journaled: the
// data directory's settings and identifier secret (in meta), runs, leaks,
// users and their names and API tokens, watch lists and their hits, tags,
// productions and Bates numbers, and the audit trail with its head.
// Sessions are not: after a rebuild, users log in again. The copies and
// problems of an ingest are in the batch manifests (manifest.go).
//
// A journal blob is the transaction's number (see txNumber) and its
// records, compressed with the record dictionary:
//
//	op ('p' put, 'd' delete)
//	uvarint(len(bucket)) bucket
//	uvarint(bucket sequence after the write)
//	uvarint(len(key)) key
//	uvarint(len(value)) value   (puts only)

const (
	journalPut    = 'p'
	journalDelete = 'd'
)

// journal collects the records of the open write transaction.
type journal struct{ buf []byte }

func (j *journal) reset()      { j.buf = j.buf[:0] }
func (j *journal) empty() bool { return len(j.buf) == 0 }

func (j *journal) add(op byte, bucket []byte, seq uint64, key, value []byte) {
	j.buf = append(j.buf, op)
	j.buf = appendBytes(j.buf, bucket)
	j.buf = binary.AppendUvarint(j.buf, seq)
	j.buf = appendBytes(j.buf, key)
	if op == journalPut {
		j.buf = appendBytes(j.buf, value)
	}
}

func appendBytes(b, s []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// jbucket is a bucket whose writes are journaled. Reads, cursors and
// sequences are the bucket's own; a write through a cursor is not
// journaled, so journaled buckets are written through Put and Delete only.
type jbucket struct {
	*bolt.Bucket
	name []byte
	j    *journal
}

// journaled returns bucket name of tx, journaling its writes.
func (db *DB) journaled(tx *bolt.Tx, name []byte) jbucket {
	return jbucket{Bucket: tx.Bucket(name), name: name, j: &db.packs.journal}
}

func (b jbucket) Put(key, value []byte) error {
	if err := b.Bucket.Put(key, value); err != nil {
		return err
	}
	b.j.add(journalPut, b.name, b.Bucket.Sequence(), key, value)
	return nil
}

func (b jbucket) Delete(key []byte) error {
	if err := b.Bucket.Delete(key); err != nil {
		return err
	}
	b.j.add(journalDelete, b.name, b.Bucket.Sequence(), key, nil)
	return nil
}

// putter is a bucket or a journaled bucket.
type putter interface {
	Put(key, value []byte) error
}

// metaPackTx is the number of the last transaction that appended a
// manifest, a journal or a dictionary to the packs.
var metaPackTx = []byte("pack_tx")

// txNumber returns the number of the open transaction's control blobs
// (manifests, journals, dictionaries), giving it one on first use. A
// transaction that fails leaves its blobs in the packs, and the next one
// gets the same number: a rebuild keeps, of the blobs of one number, only
// the last transaction's.
func (db *DB) txNumber(meta *bolt.Bucket) (uint64, error) {
	p := db.packs
	if p.txNum != 0 {
		return p.txNum, nil
	}
	n := uint64(getCounter(meta, metaPackTx)) + 1
	if err := meta.Put(metaPackTx, u64key(n)); err != nil {
		return 0, err
	}
	p.txNum = n
	return n, nil
}

// appendControl appends a control blob (manifest, journal, dictionary) of
// the open transaction: its number as a uvarint, then data, compressed
// with the record dictionary unless raw is set (the number stays outside,
// so that a scan reads it without a dictionary).
func (db *DB) appendControl(meta *bolt.Bucket, kind byte, data []byte, raw bool) error {
	n, err := db.txNumber(meta)
	if err != nil {
		return err
	}
	code := codecNone
	if !raw {
		code, data = db.codec.compressWith(dictRecords, data)
	}
	b := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(data)), n)
	if _, err := db.packs.append(code, kind, nil, append(b, data...)); err != nil {
		return fmt.Errorf("append %s to the packs: %w", kindName(kind), err)
	}
	return nil
}

// controlPayload splits a control blob's payload into its transaction
// number and its data (still compressed).
func controlPayload(b []byte) (uint64, []byte, bool) {
	n, k := binary.Uvarint(b)
	return n, b[max(k, 0):], k > 0 && n > 0
}

// finishPacks ends a write transaction's use of the packs: it appends the
// journal, syncs the packs and records their end, so that the
// transaction commits only what is durable.
func (db *DB) finishPacks(tx *bolt.Tx) error {
	p := db.packs
	meta := tx.Bucket(bucketMeta)
	if !p.journal.empty() {
		if err := db.appendControl(meta, blobJournal, p.journal.buf, false); err != nil {
			return err
		}
	}
	if !p.dirty {
		return nil
	}
	if err := p.sync(); err != nil {
		return err
	}
	return p.commit(meta)
}

// journalRecord is one decoded record.
type journalRecord struct {
	op                byte
	bucket, key, data []byte
	seq               uint64
}

var errBadJournal = errors.New("bad journal record")

// parseJournal decodes the records of a journal blob (after its number).
func parseJournal(b []byte, fn func(journalRecord) error) error {
	for len(b) > 0 {
		var r journalRecord
		r.op, b = b[0], b[1:]
		if r.op != journalPut && r.op != journalDelete {
			return errBadJournal
		}
		var ok bool
		if r.bucket, b, ok = cutBytes(b); !ok {
			return errBadJournal
		}
		seq, k := binary.Uvarint(b)
		if k <= 0 {
			return errBadJournal
		}
		r.seq, b = seq, b[k:]
		if r.key, b, ok = cutBytes(b); !ok {
			return errBadJournal
		}
		if r.op == journalPut {
			if r.data, b, ok = cutBytes(b); !ok {
				return errBadJournal
			}
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func cutBytes(b []byte) ([]byte, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// replay applies a record to tx, creating its bucket when needed.
func (r journalRecord) replay(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(r.bucket)
	if err != nil {
		return fmt.Errorf("replay journal: bucket %q: %w", r.bucket, err)
	}
	switch r.op {
	case journalPut:
		err = b.Put(r.key, r.data)
	default:
		err = b.Delete(r.key)
	}
	if err == nil && r.seq > b.Sequence() {
		err = b.SetSequence(r.seq)
	}
	if err != nil {
		return fmt.Errorf("replay journal: bucket %q: %w", r.bucket, err)
	}
	return nil
}

func kindName(kind byte) string {
	switch kind {
	case blobOriginal:
		return "original"
	case blobText:
		return "text"
	case blobBundle:
		return "bundle"
	case blobDict:
		return "dictionary"
	case blobManifest:
		return "manifest"
	case blobJournal:
		return "journal"
	case blobGap:
		return "gap"
	}
	return fmt.Sprintf("blob kind %d", kind)
}
