package leakscope

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// IdentifierHash is the unkeyed hash of an identifier that a client
// computes to check, without sending it, whether the identifier is in the
// leak (GET /api/v1/identifiers/range/{kind}/{prefix}): the lower-case hex
// SHA-256 of kind, ":" and the normalised value (detect.NormalizeIdentifier),
// e.g. of "ssn:536221847". The data directory never holds it in clear.
func IdentifierHash(kind, value string) string {
	sum := sha256.Sum256([]byte(kind + ":" + value))
	return hex.EncodeToString(sum[:])
}

// IdentifierPrefixLen is the number of hex characters of an
// IdentifierHash a client sends: 5 (20 bits). About a thousand valid SSNs
// share each prefix.
const IdentifierPrefixLen = 5

// RangeEntry is one identifier of a range answer: its IdentifierHash and
// where it was found. Decoys, which pad answers, look the same.
type RangeEntry struct {
	Hash     string     `json:"hash"`
	Messages int        `json:"messages"`
	First    *time.Time `json:"first,omitempty"` // earliest date of those messages (dates before 1970 left out)
	Last     *time.Time `json:"last,omitempty"`
	Batches  []BatchRef `json:"batches"` // where copies of those messages were found
}

// BatchRef names a batch of a leak (Batch is empty for a leak indexed
// without --batch).
type BatchRef struct {
	Leak  string `json:"leak"`
	Batch string `json:"batch,omitempty"`
}
