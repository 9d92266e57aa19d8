// Package app holds Leakscope's use cases: what a command or an API
// request asks of a data directory, written once, between the command
// line (cmd/leakscope: flags and printing) and the parts that do the work
// (store: metadata and originals; search: the full-text index; indexer:
// parsing dumps; detect: sensitive content; exposure and export: reports
// and productions).
//
// It is the one package allowed to import store, search and indexer
// together (imports_test.go keeps the rule), and only the command imports
// it. The parts stay apart and small; a use case needing two of them
// lives here.
//
// # Opening a data directory
//
// Open opens a data directory for one Mode: ReadOnly (search, reports),
// Write (ingest, re-index; creates the directory), Serve (the server: the
// directory and its index must exist) or StoreOnly (use cases that do not
// search, which work beside a damaged index). Every error names what is
// missing or damaged and the command that mends it (MendHint). The
// reference archive, the company's own copy of its mail, has a store of
// its own and no index: App.OpenReference.
package app
