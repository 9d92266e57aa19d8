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
// # Search, show and stats
//
// search.go: a search runs in the index and each hit is read from the
// store (App.Search for the server, which redacts it for the caller, and
// App.SearchHits for the command line); App.Describe turns a hit into the
// one description of a hit, leakscope.Hit, that `leakscope search --json`
// prints and GET /search returns (README and api/openapi.json document
// it; api's TestOpenAPIHitIsLeakscopeHit keeps the schema and the type
// alike). show.go: ResolveID, App.Message (everything stored about a
// message), App.CopyOriginal and App.Original; attachment.go:
// App.Attachment. stats.go: App.Totals (the command's) and App.Stats (the
// server's). *App implements api.Searcher, api.Messages and
// api.StatsReader.
//
// A newcomer's path: a new query field goes into package query (syntax)
// and package search (mapping and translation), and nothing here. A new
// field of a hit goes into leakscope.Hit, filled in App.Describe, and
// into the Hit schema of api/openapi.json and README's search section;
// both outputs follow. A new figure of stats goes into Totals (and
// api.Stats if the server shows it).
package app
