// Package datadir is the data directory as a whole: where its parts are
// (the store, its packs, the search index, the reference archive), and the
// use cases that span them: checking the whole directory (Verify), mending
// what damage left (Repair) and rebuilding the search index from the store
// (Reindex).
//
// # Layout
//
//	store.db             bbolt: metadata, copies, runs, users, tags, audit (package store)
//	packs/               the originals, their texts and the records the store is rebuilt from
//	index/               bleve: the search index of the leak (package search)
//	reference/store.db   the company's own archive, for reconciliation
//	reference/packs/     its originals
//
// The packs are the one part that cannot be made again from the others:
// nothing here ever truncates or rewrites them. The store is derived from
// the packs (store.Rebuild), the index from the store (Reindex).
//
// # Damage and what mends it
//
//   - store.db missing, empty, cut short or damaged (bbolt's page check
//     fails, records do not decode, the audit trail is broken): Repair moves
//     it aside (store.db.damaged-TIME, kept) and rebuilds the store from the
//     packs, then the index.
//   - a damaged blob in a pack: the original (or text) it held is listed
//     as lost, with the messages it costs; those messages keep their
//     metadata, copies, flags and search documents. A text is extracted
//     again when its original is readable; an original is pointed at an
//     intact copy of its blob when an interrupted run left one.
//   - a damaged or missing index (a segment whose checksum fails, documents
//     missing): Repair rebuilds it beside the old one and swaps it in.
//
// Verify is read-only. Neither it nor Repair runs beside another process
// using the directory: the store's lock keeps them apart.
package datadir
