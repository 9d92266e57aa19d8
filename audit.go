package leakscope

import (
	"fmt"
	"time"
)

// Audited actions (AuditEntry.Action; stable names).
const (
	AuditLogin        = "login"
	AuditLoginFailed  = "login.failed"
	AuditLogout       = "logout"
	AuditSearch       = "search"              // Target: the query as typed; Detail: "total N"
	AuditMessageView  = "message.view"        // Target: the message id
	AuditMessageRaw   = "message.raw"         // Target: the message id; Detail: "copy N"
	AuditAttachment   = "attachment.download" // Target: the message id; Detail: "attachment N"
	AuditStats        = "stats.read"          // Detail: "visible N"
	AuditWatchList    = "watch.list"          // Detail: "N watches" (those shown)
	AuditWatchAdd     = "watch.add"
	AuditWatchDelete  = "watch.delete"
	AuditUserAdd      = "user.add"
	AuditUserDisable  = "user.disable"
	AuditUserEnable   = "user.enable"
	AuditUserPassword = "user.password"
	AuditUserList     = "user.list"
	AuditTokenCreate  = "token.create" // Target: the user; Detail: "token ID"
	AuditTokenRevoke  = "token.revoke" // Target: the token id
	AuditAuditRead    = "audit.read"
	AuditTagList      = "tag.list"   // Detail: "N tags"
	AuditTagAdd       = "tag.add"    // Target: the tag; Detail: TagChangeDetail
	AuditTagRemove    = "tag.remove" // Target: the tag; Detail: as for AuditTagAdd
)

// AuditEntry is one record of the audit trail: who did what, when and from
// where. Entries form a hash chain: each holds the SHA-256 of the previous
// entry's stored bytes, so that editing, deleting or reordering an entry
// breaks the chain (see store.DB.VerifyAudit).
type AuditEntry struct {
	Seq    uint64    `json:"seq"` // 1, 2, 3... assigned by the store
	Time   time.Time `json:"time"`
	User   string    `json:"user"`              // user name; "-" for anonymous, "cli:" and the OS user name for the command line
	UserID string    `json:"user_id,omitempty"` // empty for anonymous and the command line
	Role   Role      `json:"role,omitempty"`
	Action string    `json:"action"`           // one of the Audit* names
	Target string    `json:"target,omitempty"` // message id, user name, token id, watch name...
	// Detail says more: the query of a search and its total, the
	// attachment number... Queries are recorded as typed: the trail must
	// say what was looked for.
	Detail string `json:"detail,omitempty"`
	Remote string `json:"remote,omitempty"` // client address; "local" for the command line
	Status int    `json:"status,omitempty"` // HTTP status of the answer
	// Prev is the hex SHA-256 of the previous entry's stored bytes (64
	// zeros for the first entry).
	Prev string `json:"prev"`
	// Hash is the hex SHA-256 of this entry's stored bytes. It is computed
	// when the entry is read and never stored in it.
	Hash string `json:"hash,omitempty"`
}

// AuditError says where and how the audit chain is broken.
type AuditError struct {
	Seq    uint64 // the first entry found wrong (0: the chain as a whole)
	Reason string // lowercase, no trailing period
}

func (e *AuditError) Error() string {
	if e.Seq == 0 {
		return "audit log altered: " + e.Reason
	}
	return fmt.Sprintf("audit log altered at entry %d: %s", e.Seq, e.Reason)
}
