// Package indexer ingests leaked mail: it walks the inputs (package
// indexer/source: mbox, maildir, archives, PST), parses each message
// (package indexer/parse, built on go-message), and feeds a store and a
// search index through a bounded pipeline:
//
//	source.Walk ─► N parse workers ─► one batch writer ─► one index writer
//	  (stream)       (CPU-bound)      (store.Apply, one     (search.Put, then
//	                                   transaction each)     store.ClearPending)
//
// Channels between the stages are bounded, so memory stays bounded however
// big the dump is. Every message read ends in exactly one of: a new
// message, a new copy of a known message, a copy already recorded by an
// earlier run (skipped before parsing, which makes a re-run cheap and a
// killed run resumable), or a problem (failure, warning or skip) listed by
// `leakscope report`. A panic of the MIME parser or of the detector on one
// message is a "panic" failure of that message, its bytes kept in the
// store; a panic while the walker reads one file is a "panic" failure of
// that file (package source). Neither stops the run.
//
// # Crash safety
//
// A batch is stored in one transaction that also queues its messages as
// pending; they leave the queue only after the search index acknowledged
// them. Recover, called at the start of every run, re-indexes whatever a
// killed run left pending and redoes threading if messages were added
// since it last ran; the final merge of the index (Index.Optimize) is
// recorded as pending in the store before the index changes, so a run
// killed before or during it leaves it to the next run, which merges even
// if it adds nothing. Message IDs and thread IDs depend only on content, not
// on ingest order, so a killed and re-run ingest ends in the same state as
// an uninterrupted one.
package indexer
