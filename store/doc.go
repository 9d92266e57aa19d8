// Package store keeps Leakscope's source of truth in one bbolt file: parsed
// message metadata, the copies of each message, the extracted text, every
// original byte-exact (zstd-compressed, content-addressed, each distinct
// original once), ingest runs and their problems, leaks, and the queue of
// messages whose search document must be rewritten. The bleve index can be
// rebuilt from it at any time (`leakscope reindex`).
//
// # Buckets
//
//	meta       schema version, counters, flags ("rethread")
//	messages   message ID -> JSON leakscope.Message
//	texts      message ID -> zstd(JSON leakscope.Text)
//	originals  SHA-256 (hex) of the raw bytes -> zstd(raw)
//	copies     message ID "/" copy key -> JSON leakscope.Copy
//	copykeys   copy key -> message ID (idempotency: a copy is recorded once)
//	msgids     lower-cased Message-ID 0x00 message ID -> nil
//	contents   content hash 0x00 message ID -> nil (duplicate groups)
//	threadinfo message ID -> JSON threadInfo (what threading needs, compact)
//	threads    thread ID 0x00 message ID -> nil (thread membership)
//	pending    message ID -> nil: stored but maybe not yet in the search index
//	runs       run ID (8 bytes, big endian) -> JSON leakscope.IngestRun
//	problems   run ID + problem key -> JSON leakscope.Problem
//	problemkeys problem key -> run ID (a problem at one place is listed once)
//	leaks      leak name -> JSON leakscope.Leak
//
// # Crash safety
//
// Every batch is one bbolt transaction: either all of a batch's messages,
// copies, originals and problems are stored, or none. Messages stored in a
// batch are also put in "pending" in the same transaction and leave it only
// after the search index has acknowledged them (ClearPending), so a process
// killed between the two is repaired on the next run by re-indexing the
// pending messages from the store.
//
// # Caveats
//
// bbolt allows one writer at a time and holds a file lock: a second process
// opening the same data directory for writing waits Options.Timeout and then
// fails with a clear error.
package store
