package leakscope

// Ingested is one message read and parsed by the indexer, ready to be
// stored: the parsed message, its text, its original bytes and the place it
// was found. Attached messages (message/rfc822 parts) are Ingested values of
// their own with Message.ParentID set and Copy.Part naming the MIME part.
type Ingested struct {
	Message *Message
	Text    *Text
	Raw     []byte
	Copy    Copy
	// Identifiers are the personal identifiers found in the message, for
	// exposure checks. The store keeps only keyed hashes of them.
	Identifiers []Identifier
	// FromLine is the mbox From_ line the message followed, if any: its
	// date stands in for a missing Date header, so the store keeps it for
	// parsing the original again (a store rebuilt from its packs).
	FromLine string
}

// BatchResult says what storing a batch of Ingested values changed.
type BatchResult struct {
	New        int      // messages not seen before
	Copies     int      // copies recorded
	Known      int      // copies already recorded earlier (nothing added)
	Duplicates int      // new copies of messages already known
	Recovered  int      // originals listed as lost, stored again from a copy found again
	Changed    []string // IDs of messages whose search document must be (re)written
	// Seq orders batches: pass it to ClearPending so that a message changed
	// again by a later batch stays pending until that batch is indexed.
	Seq uint64
	// Documents are the search documents of Changed, in the same order.
	Documents []Document
}
