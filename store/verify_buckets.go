package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// bbolt keeps no checksum of its pages: bytes flipped inside a key or a
// value go unseen by its check. So Verify also checks that every record of
// every bucket has the form its bucket gives it and refers to what exists:
// a sequence to a stored message, a message ID to an ID the store gives, a
// JSON record that decodes, a sealed range record that opens.

// refs is what records refer to: the message sequences and IDs.
type refs struct {
	seqs map[string]bool // 8-byte sequence keys
	ids  map[string]bool // message IDs
}

func (v *verifier) refs(tx *bolt.Tx) refs {
	r := refs{seqs: make(map[string]bool), ids: make(map[string]bool)}
	tx.Bucket(bucketIDs).ForEach(func(id, seq []byte) error {
		r.seqs[string(seq)], r.ids[string(id)] = true, true
		return nil
	})
	return r
}

// validID reports whether b has the form of a message ID (MessageKey).
func validID(b []byte) bool {
	if len(b) != 20 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// recordCheck checks one record of a bucket and says what is wrong.
type recordCheck func(k, v []byte) string

func decodes[T any](v []byte) string {
	var x T
	if err := json.Unmarshal(v, &x); err != nil {
		return "record does not decode: " + err.Error()
	}
	return ""
}

// pair checks a key "a 0x00 b".
func pair(k []byte, second func([]byte) bool) string {
	i := bytes.IndexByte(k, 0)
	if i <= 0 || !second(k[i+1:]) {
		return "key is not a name and a message ID"
	}
	return ""
}

// bucketChecks returns the check of each bucket whose records it knows.
// (messages, copies, texts and originals are read by records; the audit
// trail by VerifyAudit.)
func (v *verifier) bucketChecks(r refs) map[string]recordCheck {
	seq := func(b []byte) bool { return len(b) == 8 && r.seqs[string(b)] }
	id := func(b []byte) bool { return validID(b) && r.ids[string(b)] }
	return map[string]recordCheck{
		string(bucketIDs): func(k, val []byte) string {
			if !validID(k) || len(val) != 8 {
				return "not a message ID and a sequence"
			}
			return ""
		},
		string(bucketCopyKeys): func(k, val []byte) string {
			if len(k) != 16 || !seq(val) {
				return "not a copy key and a stored message's sequence"
			}
			return ""
		},
		string(bucketMsgIDs): func(k, _ []byte) string {
			if len(k) <= 16 || !id(k[16:]) {
				return "not a Message-ID hash and a stored message's ID"
			}
			return ""
		},
		string(bucketContents): func(k, _ []byte) string {
			if len(k) <= 32 || !id(k[32:]) {
				return "not a content hash and a stored message's ID"
			}
			return ""
		},
		string(bucketThreadInfo): func(k, val []byte) string {
			if !seq(k) {
				return "key is no stored message's sequence"
			}
			if _, err := parseThreadInfo(val); err != nil {
				return err.Error()
			}
			return ""
		},
		string(bucketThreadOf): func(k, val []byte) string {
			if !seq(k) || !validID(val) {
				return "not a stored message's sequence and a thread ID"
			}
			return ""
		},
		string(bucketThreads): func(k, _ []byte) string {
			if len(k) != 41 || k[20] != 0 || !validID(k[:20]) || !id(k[21:]) {
				return "not a thread ID and a stored message's ID"
			}
			return ""
		},
		string(bucketPending): func(k, val []byte) string {
			if !id(k) || len(val) != 8 {
				return "not a stored message's ID and a batch sequence"
			}
			return ""
		},
		string(bucketRuns): func(k, val []byte) string {
			var run leakscope.IngestRun
			if len(k) != 8 || json.Unmarshal(val, &run) != nil || run.ID != binary.BigEndian.Uint64(k) {
				return "not a run"
			}
			return ""
		},
		string(bucketProblems): func(k, val []byte) string {
			if len(k) != 16 {
				return "key is not a run and a sequence"
			}
			return decodes[leakscope.Problem](val)
		},
		string(bucketProblemKeys): func(k, val []byte) string {
			if len(k) != 16 || len(val) != 8 {
				return "not a problem key and a run"
			}
			return ""
		},
		string(bucketLeaks): func(k, val []byte) string {
			var l leakscope.Leak
			if json.Unmarshal(val, &l) != nil || l.Name != string(k) {
				return "not a leak"
			}
			return ""
		},
		string(bucketIdents): func(k, _ []byte) string {
			if len(k) != 24 || !seq(k[16:]) {
				return "not an identifier hash and a stored message's sequence"
			}
			return ""
		},
		string(bucketIdentOf): func(k, val []byte) string {
			if !seq(k) || len(val)%16 != 0 {
				return "not a stored message's sequence and identifier hashes"
			}
			return ""
		},
		string(bucketIdentLookup): func(k, val []byte) string {
			if len(k) != 32 || len(val) != 0 {
				return "not a lookup hash and an identifier hash"
			}
			return ""
		},
		string(bucketLookupOf): func(k, val []byte) string {
			if len(k) != 16 || len(val) != 16 {
				return "not an identifier hash and its lookup hash"
			}
			return ""
		},
		string(bucketWatches): func(_, val []byte) string { return decodes[leakscope.Watch](val) },
		string(bucketWatchHits): func(k, val []byte) string {
			if _, err := time.Parse(time.RFC3339, string(val)); err != nil {
				return "value is not a time"
			}
			return pair(k, id)
		},
		string(bucketUsers):  func(_, val []byte) string { return decodes[userRecord](val) },
		string(bucketTokens): func(_, val []byte) string { return decodes[leakscope.Token](val) },
		string(bucketMsgTags): func(k, val []byte) string {
			if i := bytes.IndexByte(k, 0); i < 0 || !id(k[:i]) {
				return "key is not a message ID and a tag"
			}
			return decodes[leakscope.Tag](val)
		},
		string(bucketTagMsgs):     func(k, _ []byte) string { return pair(k, id) },
		string(bucketProductions): func(_, val []byte) string { return decodes[Production](val) },
		string(bucketBates): func(k, val []byte) string {
			if len(val) == 0 || len(val)%20 != 0 {
				return "value is not Bates ranges"
			}
			return pair(k, id)
		},
		string(bucketLost): func(_, val []byte) string { return decodes[Lost](val) },
	}
}

// buckets checks every record of the buckets bucketChecks knows.
func (v *verifier) buckets(tx *bolt.Tx) {
	checks := v.bucketChecks(v.refs(tx))
	for _, name := range allBuckets {
		check := checks[string(name)]
		b := tx.Bucket(name)
		if check == nil || b == nil {
			continue
		}
		b.ForEach(func(k, val []byte) error {
			if problem := check(k, val); problem != "" {
				v.undecodable(v.db.bolt.Path(), fmt.Sprintf("bucket %s, key %x: %s", name, k, problem))
			}
			return nil
		})
	}
}
