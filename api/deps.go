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

// Deps are the server's dependencies; every one is required.
type Deps struct {
	Auth     Auth
	Accounts Accounts
	Audit    AuditLog
	Messages Messages
	Searcher Searcher
	Stats    StatsReader
	Watches  Watches
}
