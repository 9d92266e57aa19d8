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
// # Counsel's review
//
// Tags, productions and exports live in tags.go, pending.go, export.go,
// review.go and export_jobs.go. App.ChangeTag is every tag change (the
// tag command and POST /api/v1/tags/TAG/add|remove): the store's change,
// the caller's audit entry (TagChange.Record), then the re-indexing of
// the changed messages and of any left pending (App.IndexPending; with
// no change it drains the queue alone). TagCounts lists the tags. App.PlanExport and
// App.Export are every export, recorded with its production and in the
// audit log (AuditExport) before it is moved into place. Review is what
// the server holds: it implements api.Tags and api.Productions, runs one
// export at a time in the background to ProductionsDir/NAME/FIRSTBATES.zip
// below the data directory, lists and serves them, and cancels a running
// one on Stop.
//
// A newcomer adds an export option to ExportSettings (and export.Options),
// sets it from a flag in cmd/leakscope/export.go and from the request in
// api; a new review endpoint is a method of Review, added first to the
// interface api consumes (api/deps.go).
//
// # Exposure and reconciliation
//
// The company is Org (org.go: its domains, counsel and people directory,
// as `leakscope org` sets them). Reconcile (reconcile.go) matches the
// reference archive against the leak and keeps the outcome in the
// reference store until either side or the domains change;
// ReconcileReference does the same when there is an archive at all.
// BuildExposure (exposure.go) reads the leak once for the exposure report
// (people, counterparty domains, batches, months), in named steps of a
// tally; CheckIdentifiers (exposure_check.go) answers `exposure check`;
// Notify (notify.go) is the breach-notification report. Exposure
// (exposure_backend.go) is the server's side of them (api.Exposure but
// for BatchDiff, and api.Identifiers), caching the reconciliation and
// the report.
//
// A new figure of the exposure report is a field of
// leakscope.ExposureReport (or PersonExposure) counted in a tally step of
// exposure.go; the command prints it (cmd/leakscope/exposure_report.go)
// and the API serves it as it is. A new report over the leak is a method
// on *App in a file of its own here, returning a plain struct that the
// command prints and an api interface method serves.
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
