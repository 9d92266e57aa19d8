package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// The audit trail is append-only and hash-chained:
//
//	audit      sequence (8 bytes, big endian, from 1) -> JSON leakscope.AuditEntry, uncompressed
//	meta       "audit_head" -> sequence of the last entry (8 bytes) + SHA-256 of its bytes (32)
//
// Each entry holds the hex SHA-256 of the previous entry's stored bytes
// (Prev), so that an entry edited, deleted or moved breaks the chain at the
// next one; the head in meta catches the last entry edited or removed.
// Entries are stored as plain JSON so that anyone can check them with
// sha256sum.
//
// A chain kept in the same file as its head proves nothing against someone
// who rewrites the whole chain after the entry they edit: record the head
// (`leakscope audit --verify` prints it) somewhere else from time to time,
// and later verify with --anchor that the recorded entry is still there,
// unchanged.

var metaAuditHead = []byte("audit_head")

// genesis is Prev of the first entry.
var genesis = strings.Repeat("0", 64)

// AuditHead is the end of the audit chain.
type AuditHead struct {
	Seq  uint64 `json:"seq"`  // the last entry; 0 when the log is empty
	Hash string `json:"hash"` // hex SHA-256 of its stored bytes
}

// AppendAudit appends an entry to the audit trail, setting its Seq, Prev,
// Hash and (when zero) Time, and returns it once the entry is committed
// (and synced, unless the store was opened with NoSync).
//
// Concurrent appends to one store are group-committed (see auditGroup
// below): while one commit is written and synced, the entries that arrive
// wait, and the next commit appends them all, one after another, in one
// transaction. The chain stays strictly sequential, and no caller returns
// before its own entry is durable; a lone append pays no extra delay.
func (db *DB) AppendAudit(ctx context.Context, e leakscope.AuditEntry) (leakscope.AuditEntry, error) {
	if e.Time.IsZero() {
		e.Time = db.now()
	}
	e.Time = e.Time.UTC()
	if err := ctx.Err(); err != nil {
		return leakscope.AuditEntry{}, fmt.Errorf("append audit entry: %w", err)
	}
	a := &auditAppend{entry: e, wake: make(chan struct{})}
	if db.audit.enqueue(a) {
		<-a.wake
	}
	if a.lead {
		db.leadAuditCommit()
	}
	if a.err != nil {
		return leakscope.AuditEntry{}, fmt.Errorf("append audit entry: %w", a.err)
	}
	return a.entry, nil
}

// auditAppend is one entry on its way into the log.
type auditAppend struct {
	entry leakscope.AuditEntry // as given; as stored once committed
	err   error
	// lead is set when this append must commit what waits (its own entry
	// among them); wake is closed when the entry is committed or failed,
	// or when it is to lead.
	lead bool
	wake chan struct{}
}

// auditGroup is the group commit of audit entries (a DB field, so each
// store has its own queue): appends queue; one of them at a time, the leader, takes the whole queue and
// commits it; when its commit is done it wakes the appends it committed
// and hands the lead to the first append that queued meanwhile. Each
// leader makes one commit, so that no request waits for others' entries
// longer than one commit.
//
// bbolt's DB.Batch coalesces writers too, but every batch first waits
// MaxBatchDelay (10 ms by default) for company: a lone search would pay
// that on top of its commit.
type auditGroup struct {
	mu      sync.Mutex
	waiting []*auditAppend // appends not yet taken by a commit
	busy    bool           // a leader is committing
	commits atomic.Uint64  // commits made, for tests
}

// enqueue queues a. It returns true when a must wait (a leader is busy),
// false when a leads (a.lead is set).
func (g *auditGroup) enqueue(a *auditAppend) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.waiting = append(g.waiting, a)
	if g.busy {
		return true
	}
	g.busy, a.lead = true, true
	return false
}

// take removes and returns the queue.
func (g *auditGroup) take() []*auditAppend {
	g.mu.Lock()
	defer g.mu.Unlock()
	batch := g.waiting
	g.waiting = nil
	return batch
}

// handOver wakes the appends of a finished commit and passes the lead to
// the first append that queued since, or frees the queue.
func (g *auditGroup) handOver(done []*auditAppend) {
	g.mu.Lock()
	if len(g.waiting) > 0 {
		g.waiting[0].lead = true
		close(g.waiting[0].wake)
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	for _, a := range done {
		if !a.lead { // the leader itself is awake
			close(a.wake)
		}
	}
}

// errCommitAborted is what the appends of a commit that panicked get.
var errCommitAborted = errors.New("audit commit aborted")

// leadAuditCommit commits every queued entry of db in one transaction.
// An entry that cannot be encoded fails alone; a failed transaction fails
// them all, and leaves the log as it was.
func (db *DB) leadAuditCommit() {
	batch := db.audit.take()
	committed := false
	defer func() {
		// Whatever happened (even a panic), the waiting appends must wake
		// and the lead move on, or every later append would hang.
		if !committed {
			for _, a := range batch {
				a.entry, a.err = leakscope.AuditEntry{}, errCommitAborted
			}
		}
		db.audit.handOver(batch)
	}()
	db.audit.commits.Add(1)
	err := db.update(context.Background(), func(tx *bolt.Tx) error {
		meta, b := db.journaled(tx, bucketMeta), db.journaled(tx, bucketAudit)
		head := readHead(meta.Bucket)
		prev, seq := head.Hash, head.Seq
		if seq == 0 {
			prev = genesis
		}
		var sum [sha256.Size]byte
		for _, a := range batch {
			e := a.entry
			e.Seq, e.Prev, e.Hash = seq+1, prev, ""
			data, err := json.Marshal(&e)
			if err != nil {
				a.err = err // this entry only; the chain goes on without it
				continue
			}
			if err := b.Put(u64key(e.Seq), data); err != nil {
				return err
			}
			sum = sha256.Sum256(data)
			e.Hash = hex.EncodeToString(sum[:])
			a.entry, a.err = e, nil
			prev, seq = e.Hash, e.Seq
		}
		if seq == head.Seq {
			return nil // nothing appended
		}
		return meta.Put(metaAuditHead, append(u64key(seq), sum[:]...))
	})
	if err != nil {
		for _, a := range batch {
			a.entry, a.err = leakscope.AuditEntry{}, err
		}
	}
	committed = true
}

func readHead(meta *bolt.Bucket) AuditHead {
	v := meta.Get(metaAuditHead)
	if len(v) != 8+sha256.Size {
		return AuditHead{}
	}
	return AuditHead{Seq: binary.BigEndian.Uint64(v[:8]), Hash: hex.EncodeToString(v[8:])}
}

// AuditEntries returns up to limit entries after sequence after, oldest
// first, each with its Hash.
func (db *DB) AuditEntries(ctx context.Context, after uint64, limit int) ([]leakscope.AuditEntry, error) {
	out := []leakscope.AuditEntry{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(u64key(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			e, err := decodeAudit(k, v)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

func decodeAudit(k, v []byte) (leakscope.AuditEntry, error) {
	var e leakscope.AuditEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return e, &leakscope.AuditError{Seq: keySeq(k), Reason: "entry is not valid JSON"}
	}
	sum := sha256.Sum256(v)
	e.Hash = hex.EncodeToString(sum[:])
	return e, nil
}

func keySeq(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// VerifyAudit walks the whole audit chain and returns its head, or an
// *leakscope.AuditError naming the first entry found wrong: a key out of
// sequence (an entry deleted or inserted), an entry whose own sequence
// differs from its key (moved), whose Prev is not the hash of the entry
// before it (that one was edited, or entries were reordered), or a head
// that does not match the last entry (the last entries edited or cut off).
func (db *DB) VerifyAudit(ctx context.Context) (AuditHead, error) {
	var head AuditHead
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b, meta := tx.Bucket(bucketAudit), tx.Bucket(bucketMeta)
		var recorded AuditHead
		if meta != nil {
			recorded = readHead(meta)
		}
		prev, want := genesis, uint64(1)
		if b != nil {
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if err := ctx.Err(); err != nil {
					return err
				}
				seq := keySeq(k)
				switch {
				case seq == 0:
					return &leakscope.AuditError{Reason: fmt.Sprintf("key %x is not a sequence number", k)}
				case seq != want:
					return &leakscope.AuditError{Seq: want, Reason: fmt.Sprintf("entry missing (next key is %d)", seq)}
				}
				e, err := decodeAudit(k, v)
				if err != nil {
					return err
				}
				if e.Seq != seq {
					return &leakscope.AuditError{Seq: seq, Reason: fmt.Sprintf("entry says it is number %d (moved)", e.Seq)}
				}
				if e.Prev != prev {
					return &leakscope.AuditError{Seq: seq, Reason: fmt.Sprintf("previous entry's hash is %.16s..., this entry recorded %.16s... (entry %d edited or entries reordered)", prev, e.Prev, seq-1)}
				}
				prev, head = e.Hash, AuditHead{Seq: seq, Hash: e.Hash}
				want++
			}
		}
		switch {
		case recorded.Seq != head.Seq:
			return &leakscope.AuditError{Seq: min(recorded.Seq, head.Seq) + 1,
				Reason: fmt.Sprintf("the log ends at entry %d but its head records entry %d (entries removed or added)", head.Seq, recorded.Seq)}
		case recorded.Seq > 0 && recorded.Hash != head.Hash:
			return &leakscope.AuditError{Seq: head.Seq, Reason: "last entry does not match the recorded head (edited)"}
		}
		return nil
	})
	if err != nil {
		return AuditHead{}, fmt.Errorf("verify audit log: %w", err)
	}
	return head, nil
}
