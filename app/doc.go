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
//
// # Ingest, watches and detection
//
// App.Ingest ingests a wave of a leak (indexer.Run into the store and the
// index) and then checks every watch (App.CheckWatches); IngestReference
// ingests the company's own archive into its separate store. Watches,
// AddWatch and DeleteWatch are the server's api.Watches as well as the
// watch command's. App.BatchDiff says what a batch added; its queries are
// trees of leakscope.Term, And and Or, never text, so that no value needs
// quoting. App.Redetect re-flags stored mail. LoadDetector builds the
// detector from the data directory's settings (rules file, counsel list)
// or from DetectSettings, which it then keeps; Detector.Detect adds a
// message's own addresses to its identifiers. App.IndexPending is the one
// way to bring the index up to date after a change outside an ingest (a
// tag): it drains the store's pending queue through indexer.Drain, as an
// ingest's recovery does.
//
// A newcomer adds a detector category in package detect (its rules and
// the root package's flag names); a new setting of detection goes in
// DetectSettings and LoadDetector (detector.go), a flag for it in
// cmd/leakscope/detector.go. A new figure of a batch's diff goes in
// leakscope.BatchDiff and BatchDiff (diff.go); a new ingest option in
// IngestOptions (ingest.go), passed on to indexer.Options.
package app
