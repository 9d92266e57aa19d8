// Package store keeps Leakscope's source of truth: parsed message
// metadata, the copies of each message, the extracted text, every original
// byte-exact (content-addressed, each distinct original once), ingest runs
// and their problems, leaks, and the queue of messages whose search
// document must be rewritten. The bleve index can be rebuilt from it at any
// time (`leakscope reindex`).
//
// Small records live in one bbolt file; originals and texts, the bulk of
// the data, are appended to pack files beside it (see pack.go): the new
// originals and texts of a batch are compressed together in chunks, each
// new original followed by the text extracted from it, which then costs
// almost nothing (see bundle.go). Records, originals and texts are
// zstd-compressed with dictionaries trained on the first large batch that
// trains them (see codec.go). A writer that leaves much of the bbolt file unused compacts it
// when it closes (see compact.go).
//
// # Buckets
//
//	meta       schema version, counters, flags ("rethread", "optimize"), pack end, dictionaries, identifier secret
//	ids        message ID -> sequence (8 bytes, big endian), given when first stored
//	messages   sequence -> compressed JSON leakscope.Message
//	texts      sequence -> pack location (blobLoc) of the message's text, alone or in a bundle
//	originals  SHA-256 of the raw bytes (32 bytes) -> pack location of the raw bytes, alone or in a bundle
//	copies     sequence + copy key (16 bytes) -> compressed JSON leakscope.Copy (MessageID left out)
//	copykeys   copy key (16 bytes) -> sequence (idempotency: a copy is recorded once)
//	msgids     SHA-256 of the lower-cased Message-ID (16 bytes) + message ID -> nil
//	contents   content hash (32 bytes) + message ID -> nil (duplicate groups)
//	threadinfo sequence -> binary threadInfo (what threading needs, see threadinfo.go)
//	threadof   sequence -> thread ID
//	threads    thread ID 0x00 message ID -> nil (thread membership)
//	pending    message ID -> batch sequence: stored but maybe not yet in the search index
//	runs       run ID (8 bytes, big endian) -> JSON leakscope.IngestRun
//	problems   run ID + sequence (both 8 bytes, big endian) -> JSON leakscope.Problem
//	problemkeys problem key -> run ID (a problem at one place is listed once)
//	leaks      leak name -> JSON leakscope.Leak
//	idents     keyed hash of a personal identifier (16 bytes) + sequence -> nil (identifiers.go)
//	identof    sequence -> the message's identifier hashes, concatenated
//	identlookup lookup hash (first 16 bytes of the identifier's OPRF output) + keyed hash -> nil (identlookup.go)
//	identlookupof keyed hash -> its lookup hash (to delete it)
//	watches    watch name -> JSON leakscope.Watch (watch.go)
//	watchhits  watch name 0x00 message ID -> time first reported (RFC 3339)
//	msgtags    message ID 0x00 tag name -> JSON leakscope.Tag (tags.go)
//	tagmsgs    tag name 0x00 message ID -> nil
//
// Message IDs are hashes, so records keyed by them would land all over the
// B+tree and every batch would rewrite pages throughout the file. The
// records of a message are keyed by a sequence number instead, given when
// it is first stored: new records append to the end of their buckets,
// whose pages are filled completely. Sequence numbers depend on ingest
// order; message IDs, which everything outside the store uses, do not.
//
// # Crash safety
//
// Every batch is one bbolt transaction: either all of a batch's messages,
// copies, originals and problems are stored, or none. The batch's blobs are
// appended to the current pack and fsynced before the transaction commits;
// the transaction records the pack's new end, and a writer opening the
// store truncates anything past the committed end (left by a crash). Messages stored in a
// batch are also put in "pending" in the same transaction and leave it only
// after the search index has acknowledged them (ClearPending), so a process
// killed between the two is repaired on the next run by re-indexing the
// pending messages from the store. The meta flag "optimize", set before
// the search index changes and cleared once it is merged, leaves a merge
// that a kill prevented to the next run (SetOptimizePending). A run
// record a killed process left "running" is shown as interrupted, with
// counters recounted from the copies and problems it stored, and recorded
// so by the next run, which is linked to it when it resumes it (see
// runstate.go). A compaction writes a new bbolt file
// beside the old one and renames it over the old one only once it is
// complete and synced.
//
// # Caveats
//
// bbolt allows one writer at a time and holds a file lock: a second process
// opening the same data directory for writing waits Options.Timeout and then
// fails with a clear error.
//
// bbolt trusts its file, and would crash the process on a damaged one (a
// fault on a truncated file, a panic on a garbage page, inside Open for a
// writer). A damaged store file is an error wrapping leakscope.ErrDamaged
// that names the file and `leakscope repair` instead (see check.go): Open
// first checks the meta pages and that the file holds every page they
// count (an empty file beside packs/ or index/ is damage too); a writer's
// Open also walks the whole B+tree, which costs about half of what bbolt's
// own open of a writer does (some 25 ms on the Enron subset); every
// transaction turns a panic or memory fault into such an error, so a
// reader that meets a garbage page fails the one call. A panic of this
// package's own code inside a transaction is reported the same way.
// CheckConsistency reads the whole file (for `leakscope verify`). Records
// themselves are not checksummed: a flipped byte inside a value is found
// only when decoding it fails.
package store
