package api

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/export"
)

// The server's dependencies are small interfaces declared here, where they
// are consumed; cmd/leakscope implements them over the store and the
// search index (store.DB implements Auth, Accounts and AuditLog as it is).

// Auth checks credentials and keeps browser sessions. Bad credentials, a
// revoked token, an expired session or a disabled user are errors wrapping
// leakscope.ErrForbidden.
type Auth interface {
	CheckPassword(ctx context.Context, name, password string) (*leakscope.User, error)
	TokenUser(ctx context.Context, secret string) (*leakscope.User, *leakscope.Token, error)
	CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, *leakscope.Session, error)
	Session(ctx context.Context, secret string) (*leakscope.Session, *leakscope.User, error)
	DeleteSession(ctx context.Context, secret string) error
}

// Accounts manages users and API tokens. A ref is a user's ID or name.
type Accounts interface {
	Users(ctx context.Context) ([]leakscope.User, error)
	User(ctx context.Context, ref string) (*leakscope.User, error)
	AddUser(ctx context.Context, u leakscope.User, password string) (*leakscope.User, error)
	SetDisabled(ctx context.Context, ref string, disabled bool) (*leakscope.User, error)
	CreateToken(ctx context.Context, ref string) (string, *leakscope.Token, error)
	Token(ctx context.Context, id string) (*leakscope.Token, error)
	RevokeToken(ctx context.Context, id string) (*leakscope.Token, error)
}

// AuditLog is the append-only audit trail.
type AuditLog interface {
	AppendAudit(ctx context.Context, e leakscope.AuditEntry) (leakscope.AuditEntry, error)
	AuditEntries(ctx context.Context, after uint64, limit int) ([]leakscope.AuditEntry, error)
}

// Messages reads stored messages. An unknown id is an error wrapping
// leakscope.ErrNotFound.
type Messages interface {
	Message(ctx context.Context, id string) (*MessageRecord, error)
	// Original returns the original bytes with the given SHA-256, exactly.
	Original(ctx context.Context, sha256 string) ([]byte, error)
	// Attachment returns the decoded bytes of attachment n (an index into
	// Message.Attachments) of message id.
	Attachment(ctx context.Context, id string, n int) ([]byte, error)
}

// MessageRecord is everything stored about one message.
type MessageRecord struct {
	Message    *leakscope.Message
	Text       *leakscope.Text
	Copies     []leakscope.Copy
	Duplicates []string // IDs of other messages with the same content
	Thread     []string // IDs of the messages of its thread, itself included
	// Tags are counsel's review tags on the message; the server shows
	// them to admins and counsel only.
	Tags []leakscope.Tag
}

// Searcher runs searches over the leak. A query it cannot run is a
// *leakscope.QueryError; a malformed cursor an ErrInvalidInput error.
type Searcher interface {
	Search(ctx context.Context, req SearchRequest) (*SearchResult, error)
	// Describe builds the one description of a hit (leakscope.Hit, as
	// `leakscope search --json` prints it) from what Search read of it,
	// with the snippet of q cut from h.Text. The server passes h with its
	// Message and Text redacted for roles that see values masked, and
	// without Tags for roles that may not see them.
	Describe(q leakscope.Query, h Hit) leakscope.Hit
}

// SearchRequest is one search.
type SearchRequest struct {
	Query  leakscope.Query
	Sort   string // "-date" (newest first), "date", "relevance" or "risk"
	Limit  int
	After  string // cursor: SearchResult.Next of the previous page
	Facets bool
	// IDsOnly leaves Hit.Message, Text, Copies and Tags nil.
	IDsOnly bool
	// Tags fills Hit.Tags and, with Facets, counts hits per review tag
	// (the "tag" facet). Only for callers who may see tags (admins and
	// counsel).
	Tags bool
	// Values looks flagged values up by their keyed tokens: "536-22-1847"
	// or ssn:536-22-1847 finds the message where that SSN is flagged,
	// though the index holds it masked. Only for callers who see values
	// (admins and counsel): for anyone else a hit would confirm a value
	// the mask hides.
	Values bool
}

// SearchResult is one page of hits.
type SearchResult struct {
	Total  uint64
	Hits   []Hit
	Facets []Facet
	Next   string
}

// Hit is one matching message with what the store holds of it; the
// server redacts it for the caller and Searcher.Describe turns it into
// what a result list shows (leakscope.Hit).
type Hit struct {
	ID         string
	Score      float64
	Message    *leakscope.Message
	Text       *leakscope.Text
	Copies     []leakscope.Copy
	Duplicates int      // other messages with the same content
	Tags       []string // names of its review tags, when SearchRequest.Tags
}

// Facet counts hits per value of one field.
type Facet struct {
	Name   string       `json:"name"`
	Values []FacetValue `json:"values"`
	Other  int          `json:"other"`
}

// FacetValue is one value of a facet and its number of hits.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// StatsReader gives the totals of the data directory.
type StatsReader interface {
	Stats(ctx context.Context) (*Stats, error)
}

// Stats are the totals of the whole data directory.
type Stats struct {
	Messages  int64            `json:"messages"`
	Copies    int64            `json:"copies"`
	Originals int64            `json:"originals"`
	RawBytes  int64            `json:"raw_bytes"`
	Indexed   uint64           `json:"indexed"`
	Leaks     []leakscope.Leak `json:"leaks"`
}

// Watches keeps the saved queries checked after every ingest.
type Watches interface {
	Watches(ctx context.Context) ([]leakscope.Watch, error)
	// AddWatch saves a watch (replacing one of that name) and checks it
	// once, so that later ingests report only new matches.
	AddWatch(ctx context.Context, w leakscope.Watch) (*leakscope.Watch, error)
	DeleteWatch(ctx context.Context, name string) error
}

// Exposure answers the exposure questions: the report of `leakscope
// exposure`, one person's part of it, the batches, what a batch added, and
// how a leaked message stands against the reference archive. Without a
// reference archive the report has no reconciliation part and
// Reconciliation returns nil.
type Exposure interface {
	// ExposureReport is the report `leakscope exposure --json` prints
	// (people without their message lists).
	ExposureReport(ctx context.Context) (*leakscope.ExposureReport, error)
	// Person is the report's entry for the person with this address (any
	// of a directory entry's addresses), with the IDs of all their
	// messages; someone the report does not list is ErrNotFound.
	Person(ctx context.Context, address string) (*leakscope.PersonExposure, error)
	// Batches lists the leaks and, per batch, the messages it published
	// first.
	Batches(ctx context.Context) (*Batches, error)
	// BatchDiff is what batch label (of leak, when not empty) added, with
	// its top riskiest new messages (`leakscope diff`); an unknown batch
	// is ErrNotFound.
	BatchDiff(ctx context.Context, leak, label string, top int) (*leakscope.BatchDiff, error)
	// Reconciliation says whether the leaked message id is a copy of a
	// reference message and whether it is listed as not in the archive;
	// nil when there is no reference archive.
	Reconciliation(ctx context.Context, id string) (*Reconciliation, error)
}

// Batches are the leaks and their batches.
type Batches struct {
	Leaks   []leakscope.Leak          `json:"leaks"`
	Batches []leakscope.BatchExposure `json:"batches"`
}

// Reconciliation is how one leaked message stands against the reference
// archive.
type Reconciliation struct {
	Copy         *ReferenceCopy // nil: a copy of no reference message
	NotInArchive bool           // from a company domain, yet matching nothing in the archive
}

// ReferenceCopy says which reference message a leaked message is a copy
// of, and how faithful a copy it is.
type ReferenceCopy struct {
	Status      string  `json:"status"` // "identical" or "altered"
	ReferenceID string  `json:"reference_id"`
	Match       string  `json:"match"` // "exact" or "reexport"
	Score       float64 `json:"score"` // 0-1
	// Diff shows this copy against the reference message when it is the
	// altered copy the reconciliation diffed; it holds message text.
	Diff string `json:"diff,omitempty"`
}

// Identifiers answers self-checks of identifiers (identifiers.go).
type Identifiers interface {
	// EvaluateBlinded applies the data directory's OPRF key to blinded
	// elements (RFC 9497 BlindEvaluate, ristretto255-SHA512). An invalid
	// element is an error wrapping leakscope.ErrInvalidInput.
	EvaluateBlinded(ctx context.Context, elements [][]byte) ([][]byte, error)
	// IdentifierLookup lists the identifiers whose lookup hash starts
	// with prefix (5 lower-case hex characters) with every message each
	// was found in, padded with decoys to at least min entries.
	IdentifierLookup(ctx context.Context, prefix string, min int) (*IdentifierLookup, error)
}

// IdentifierLookup is the answer to a look-up.
type IdentifierLookup struct {
	Entries []leakscope.IdentifierMatch // real and decoys, sorted by hash
	// Incomplete: identifiers exist that the lookup index lacks (recorded
	// by an older leakscope); `leakscope redetect` adds them.
	Incomplete bool
}

// Tags keeps counsel's review tags (see leakscope.Tag). Only admins and
// counsel reach it.
type Tags interface {
	// TagCounts lists the built-in tags (in leakscope.BuiltinTags order,
	// used or not), then every custom tag in use by name, with the number
	// of messages carrying each.
	TagCounts(ctx context.Context) ([]TagCount, error)
	// ChangeTag adds or removes a tag on the messages ch names, calls
	// ch.Record once the store holds the change, and re-indexes the
	// changed messages before returning, so that a tag: search finds them
	// at once. An unknown message id is an ErrNotFound error and changes
	// nothing.
	ChangeTag(ctx context.Context, ch TagChange) (*TagChangeResult, error)
}

// TagCount is one tag and the number of messages carrying it.
type TagCount struct {
	Name    string `json:"name"`
	Count   int    `json:"count"`
	Builtin bool   `json:"builtin"`
}

// TagChange is one tag change: Tag (its name; with Add, its note and
// user) on the messages IDs, or on every message matching Query.
type TagChange struct {
	Add   bool
	Tag   leakscope.Tag
	IDs   []string        // message ids; or
	Query leakscope.Query // every hit, all pages, unscoped
	// Record is called once the store holds the change and before the
	// messages are re-indexed, with the number of messages named or
	// matching and the number whose tags changed; the server writes the
	// audit entry there. Its error is ChangeTag's, but the messages are
	// re-indexed all the same.
	Record func(ctx context.Context, matched, changed int) error
}

// TagChangeResult is what a tag change did.
type TagChangeResult struct {
	Matched int // messages named or matching
	Changed int // messages whose tags changed
}

// Productions keeps counsel's productions and exports them, one export at
// a time, in the background. Only admins and counsel reach it.
type Productions interface {
	Productions(ctx context.Context) ([]Production, error)
	// CreateProduction records a new production; a taken or malformed
	// name, or a malformed prefix or width, is an ErrInvalidInput error.
	CreateProduction(ctx context.Context, spec ProductionSpec) (*Production, error)
	// StartExport starts exporting to a zip file kept with the data and
	// returns the running job. An unknown production is ErrNotFound; an
	// export already running is ErrExportRunning.
	StartExport(ctx context.Context, req ExportRequest) (*ExportJob, error)
	// Exports lists the exports of a production, oldest first: those
	// recorded, and those this server is running or failed to finish.
	Exports(ctx context.Context, production string) ([]ExportJob, error)
	// ExportFile opens the zip file of export seq of a production; an
	// export that wrote no zip file kept with the data is ErrNotFound.
	ExportFile(ctx context.Context, production string, seq int) (*ExportFile, error)
	// Notify is the breach-notification report (`leakscope notify`),
	// with the Bates numbers of production when it is not empty.
	Notify(ctx context.Context, production string) (*export.NotifyReport, error)
}

// ErrExportRunning is returned by StartExport while an export runs.
var ErrExportRunning = errors.New("an export is running")

// ProductionSpec is a new production.
type ProductionSpec struct {
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
	Digits int    `json:"digits,omitempty"` // default 7
	Start  uint64 `json:"start,omitempty"`  // default 1
}

// Production is a production set and its Bates numbering.
type Production struct {
	Name    string    `json:"name"`
	Prefix  string    `json:"prefix"`
	Digits  int       `json:"digits"`
	Next    string    `json:"next"` // the next Bates number, formatted
	Created time.Time `json:"created"`
	Exports int       `json:"exports"`   // recorded exports
	Docs    int       `json:"documents"` // Bates numbers used by them
}

// ExportRequest is one export of a production.
type ExportRequest struct {
	Production string
	// Query selects the messages, as typed ("tag:responsive" for a tag).
	Query             string
	Redact            bool
	IncludePrivileged bool
	PrivilegeLog      bool
	// Who is the audit entry of the request (User, UserID, Role,
	// Remote): the export is recorded in the audit log under that name
	// when it completes.
	Who leakscope.AuditEntry
}

// Export job states (ExportJob.Status).
const (
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// ExportJob is one export of a production: running, done (recorded with
// the production) or failed.
type ExportJob struct {
	Job               string     `json:"job,omitempty"` // this server's job id; empty for exports made elsewhere
	Seq               int        `json:"seq,omitempty"` // the export's number in the production, once recorded
	Status            string     `json:"status"`
	Query             string     `json:"query"`
	User              string     `json:"user,omitempty"`
	Redact            bool       `json:"redact"`
	IncludePrivileged bool       `json:"include_privileged"`
	PrivilegeLog      bool       `json:"privilege_log"`
	Started           time.Time  `json:"started"`
	Finished          *time.Time `json:"finished,omitempty"`
	Total             int        `json:"total"`     // messages asked for (running jobs)
	Handled           int        `json:"handled"`   // messages handled so far (running jobs)
	Messages          int        `json:"messages"`  // messages produced
	Documents         int        `json:"documents"` // Bates numbers used
	Withheld          int        `json:"withheld"`
	Bates             string     `json:"bates,omitempty"` // first-last Bates number
	Error             string     `json:"error,omitempty"` // why it failed, in words for the client
	Downloadable      bool       `json:"-"`               // a zip kept with the data can be downloaded
	Download          string     `json:"download,omitempty"`
}

// ExportFile is an export's zip file, open for reading.
type ExportFile struct {
	Name    string // base name, for Content-Disposition
	ModTime time.Time
	Content io.ReadSeekCloser
}

// Deps are the server's dependencies; every one is required.
type Deps struct {
	Auth        Auth
	Accounts    Accounts
	Audit       AuditLog
	Messages    Messages
	Searcher    Searcher
	Stats       StatsReader
	Watches     Watches
	Exposure    Exposure
	Identifiers Identifiers
	Tags        Tags
	Productions Productions
}
