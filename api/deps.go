package api

import (
	"context"
	"time"

	"github.com/leakscope/leakscope"
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
}

// Searcher runs searches over the leak. A query it cannot run is a
// *leakscope.QueryError; a malformed cursor an ErrInvalidInput error.
type Searcher interface {
	Search(ctx context.Context, req SearchRequest) (*SearchResult, error)
	// Snippet returns the part of text that best shows why q matched, and
	// the byte ranges of the matched words in it.
	Snippet(q leakscope.Query, text *leakscope.Text) (string, [][2]int)
}

// SearchRequest is one search.
type SearchRequest struct {
	Query  leakscope.Query
	Sort   string // "-date" (newest first), "date", "relevance" or "risk"
	Limit  int
	After  string // cursor: SearchResult.Next of the previous page
	Facets bool
	// IDsOnly leaves Hit.Message, Text and Copies nil.
	IDsOnly bool
}

// SearchResult is one page of hits.
type SearchResult struct {
	Total  uint64
	Hits   []Hit
	Facets []Facet
	Next   string
}

// Hit is one matching message with what a result list shows of it.
type Hit struct {
	ID         string
	Score      float64
	Message    *leakscope.Message
	Text       *leakscope.Text
	Copies     []leakscope.Copy
	Duplicates int // other messages with the same content
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

// Identifiers answers k-anonymous identifier checks.
type Identifiers interface {
	// IdentifierRange lists the identifiers of kind whose
	// leakscope.IdentifierHash starts with prefix (5 lower-case hex
	// characters), padded with decoys to at least min entries.
	IdentifierRange(ctx context.Context, kind, prefix string, min int) (*IdentifierRange, error)
}

// IdentifierRange is the answer to a range query.
type IdentifierRange struct {
	Entries []leakscope.RangeEntry // real and decoys, sorted by hash
	// Incomplete: identifiers exist that the range index lacks (recorded
	// by an older leakscope); `leakscope redetect` adds them.
	Incomplete bool
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
}
