package leakscope

import (
	"fmt"
	"strings"
	"time"
)

// Built-in review tags (stable names). Counsel may add any other name that
// ParseTagName accepts.
const (
	TagResponsive = "responsive" // belongs in a production
	TagPrivileged = "privileged" // attorney-client or work product: withheld, listed in the privilege log
	TagHot        = "hot"        // key document
	TagRedact     = "redact"     // to be produced redacted
)

// BuiltinTags lists the built-in tags in a stable order.
var BuiltinTags = []string{TagResponsive, TagPrivileged, TagHot, TagRedact}

// MaxTagName is the longest tag name, in bytes.
const MaxTagName = 64

// Tag is a review tag on one message: counsel's work product, never shown
// to employees.
type Tag struct {
	Name string    `json:"name"`           // lower-case: [a-z0-9][a-z0-9_-]{0,63}
	Note string    `json:"note,omitempty"` // why, in counsel's words
	User string    `json:"user,omitempty"` // who set it: "cli:" + OS user name, or the server user's name
	Time time.Time `json:"time"`           // when it was set, UTC
}

// ParseTagName returns s as a tag name: trimmed and lower-cased, one
// letter or digit then up to 63 letters, digits, '_' or '-', all ASCII.
// Anything else is an error wrapping ErrInvalidInput.
func ParseTagName(s string) (string, error) {
	name := []byte(strings.TrimSpace(s))
	if len(name) == 0 || len(name) > MaxTagName {
		return "", fmt.Errorf("tag name %q: want 1 to %d characters: %w", s, MaxTagName, ErrInvalidInput)
	}
	for i, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			name[i] = c + 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '_' || c == '-') && i > 0:
		default:
			return "", fmt.Errorf("tag name %q: want letters, digits, '_' and '-', starting with a letter or digit: %w", s, ErrInvalidInput)
		}
	}
	return string(name), nil
}

// maxAuditTagIDs is how many message IDs a tag change's audit entry lists.
const maxAuditTagIDs = 20

// TagChangeDetail is the Detail of an AuditTagAdd or AuditTagRemove entry,
// the same from the command line and the server: the messages matched and
// changed, and the query, or the first message IDs (never content).
func TagChangeDetail(matched, changed int, query string, ids []string) string {
	s := fmt.Sprintf("%d messages, %d changed", matched, changed)
	if matched == 1 {
		s = fmt.Sprintf("1 message, %d changed", changed)
	}
	if query != "" {
		return s + "; query: " + query
	}
	s += "; ids: " + strings.Join(ids[:min(len(ids), maxAuditTagIDs)], " ")
	if len(ids) > maxAuditTagIDs {
		s += fmt.Sprintf(" and %d more", len(ids)-maxAuditTagIDs)
	}
	return s
}
