package leakscope

import "time"

// A person checks whether an identifier of theirs is in the leak without
// sending it and without the answer being testable offline: the client
// gets the identifier's lookup hash from the server by an oblivious PRF
// (package oprf; the server never sees the identifier), sends the first
// LookupPrefixLen hex characters of it, and looks for the whole lookup
// hash among the entries answered (see package api).

// LookupPrefixLen is the number of hex characters of a lookup hash a
// client sends: 5 (20 bits). About a thousand valid SSNs share each
// prefix, so the server learns next to nothing from it.
const LookupPrefixLen = 5

// IdentifierMatch is one identifier of a lookup, as the store answers it:
// its lookup hash and every message it was found in. A decoy, which pads
// answers, has a lookup hash of its own and no messages.
type IdentifierMatch struct {
	Hash     string
	Messages []MatchedMessage
}

// MatchedMessage is a message an identifier was found in: its ID, date
// and the batches its copies came in.
type MatchedMessage struct {
	ID      string
	Date    time.Time
	Batches []BatchRef
}

// LookupEntry is one identifier of a lookup answer, with figures counted
// over the messages the caller may see only: an identifier found only
// outside them, and a decoy, have none.
type LookupEntry struct {
	Hash     string     `json:"hash"`
	Messages int        `json:"messages"`        // messages the caller may see that hold it
	First    *time.Time `json:"first,omitempty"` // earliest date of those messages, to the day (dates before 1970 left out)
	Last     *time.Time `json:"last,omitempty"`
	Batches  []BatchRef `json:"batches"` // where copies of those messages were found
}

// BatchRef names a batch of a leak (Batch is empty for a leak indexed
// without --batch).
type BatchRef struct {
	Leak  string `json:"leak"`
	Batch string `json:"batch,omitempty"`
}
