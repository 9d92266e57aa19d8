// Package search indexes messages for full-text search and answers query
// trees (leakscope.Query) with bleve (scorch). It is the only package that
// imports bleve, and no bleve type leaves it.
//
// The index is thin: it stores nothing (display data comes from the store)
// and keeps doc values only on the fields it sorts or facets on, so it can be
// rebuilt from the store at any time. The mapping is explicit and lives in
// mapping.go; Open refuses an index made with another mapping version.
//
// # Analysis
//
// Subject, body and attachment text (names included) use the
// "leakscope_text" analyzer: words are runs of letters, marks and digits;
// apostrophes inside words are dropped ("don't" is "dont"); any other
// character separates words, so "e-mail" is the phrase "e mail" and
// "amy.pascal" the phrase "amy pascal", as Xapian splits them (unlike
// Xapian, '_' separates words too: "draft_contract" is "draft contract"); e-mail
// addresses are also indexed whole at the position of their first word; Han,
// Hiragana and Katakana characters are one word each; words of letters are
// lower-cased and stemmed with the English Snowball stemmer, the one notmuch
// (Xapian) uses. Names in address headers use "leakscope_name", the same
// without stemming. Positions are kept (term vectors) on text and name
// fields: bleve answers phrase queries only from them.
//
// # Queries
//
// A free-text term searches subject, body and attachment; a value that
// analyzes to several words ("e-mail") is a phrase. from:, to: (any
// recipient), cc: and bcc: take an address (exact), a domain (@enron.com or
// enron.com, subdomains included) or name words (display name and the words
// of the address's local part). Keyword fields (id, thread, leak, batch,
// custodian, folder, flag, tag, severity, has) compare lower-cased values
// exactly. Raw bleve query strings are never accepted.
//
// # Review tags
//
// Counsel's tags (leakscope.Document.Tags, which the store fills from its
// tag buckets) are indexed lower-cased in the keyword field tag, so that
// tag:privileged finds them. bleve cannot update one field of a document,
// so a tag change re-indexes the whole document: the store queues the
// changed messages as pending, and the caller Puts their documents again
// (on the Enron subset, about 1 ms of CPU per message, text analysis
// and segment merges included). The tag facet (FacetTag) is computed only
// when Request.TagFacet asks for it: tags are never shown to employees, so a
// server must leave it off for them, and must also refuse tag: terms in
// their queries (a search for tag:privileged among their own messages would
// tell them which are tagged); this package does not know who asks.
//
// # Opening
//
// An on-disk index is locked (bbolt's file lock on its root.bolt): one
// writer, or any number of Options.ReadOnly readers, at a time, in one
// process or several. Open waits a second for the lock, then fails, where
// bleve would wait forever. A read-only index sees the index as it was when
// opened.
//
// # Damage
//
// bleve trusts its files. A damaged index is an error wrapping
// leakscope.ErrDamaged that names the index directory (the caller adds
// how to mend it), never a crash where that can be helped (damage.go):
// every call into bleve recovers panics and memory faults in the calling
// goroutine; a search error that is not the context's is damage; Open
// refuses an index whose latest snapshot does not load (scorch would
// silently open an older one, often empty) or whose mapping cannot be
// read; Options.Verify checks every segment's CRC-32 before bleve opens
// the index (some 130 ms for the Enron subset; a segment no snapshot uses,
// half written when a crash stopped a writer, is not damage), which
// writers and servers should set: scorch reads segments in goroutines of its own too (field
// dictionaries of prefix queries, merges), where no panic can be
// recovered, and a writer that cannot load the latest snapshot deletes
// its segments. Without Verify, a few damaged bytes make zapx allocate a
// garbage length of terabytes while reading positions (phrase queries):
// the runtime aborts the process, which nothing can recover; recovering
// is for the one-search commands that cannot afford to read the whole
// index first. CheckConsistency verifies the segments of an open index.
//
// # Tests
//
// The query semantics are pinned by data-driven tests, as in bleve's
// test/tests: testdata/queries/<set>/docs.json holds synthetic messages and
// queries.json the queries with their expected hits, run by TestQueries.
//
// # Known divergences
//
//   - Prefix queries ("report*") are compared with the stemmed indexed terms:
//     "reporti*" does not find "reporting" (indexed as "report"), while
//     notmuch, which also keeps unstemmed terms, finds it.
//   - notmuch (Xapian's STEM_SOME) does not stem words in quoted phrases nor
//     capitalized words; here every word of a query is stemmed, so
//     "annual reports" and Reports also match "annual report" and report.
//   - Xapian keeps "don't" and "3.14" as single terms; here they are "dont"
//     and the phrase "3 14".
//   - Messages dated outside 1677-12-01..2262-04-11 (bleve's range) are
//     indexed as undated: they match no date range, sort last and have no
//     month facet value.
//   - Facet.Other counts values, not messages, for multi-valued fields
//     (custodian, leak, flag).
package search
