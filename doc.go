// Package leakscope holds the domain types shared by every other package:
// messages, addresses, attachments, copies, ingest runs, the query syntax
// tree, the sentinel errors and PanicError (a panic on untrusted input,
// recovered at the boundary of one item so that the item fails and the run
// goes on). It imports only the standard library.
//
// The packages around it follow the dependency rules in STYLE.md:
//
//	indexer   reads dumps (mbox, maildir, archives, PST) and parses MIME (go-message)
//	query     parses the query language into the Query tree defined here
//	store     keeps metadata, copies, originals and ingest runs in bbolt
//	search    indexes Documents and answers Queries with bleve
//	cmd/leakscope wires them together.
package leakscope
