package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// GET /identifiers/range/{kind}/{prefix}: anyone logged in checks whether
// an identifier of theirs is in the leak without sending it, as with Have
// I Been Pwned's range API (k-anonymity). The client computes
// H = leakscope.IdentifierHash(kind, normalised value) itself (doc.go
// says how), sends the first five hex characters, and looks for H among
// the full hashes answered. The server learns the prefix, which about a
// thousand valid SSNs share, and never which identifier the client holds.
//
// Answers have at least Options.RangeMinimum entries: decoys fill the
// rest. A decoy is a random hash with the prefix, carrying the figures of
// a real identifier found elsewhere, and stays the same from one request
// to the next; so neither the answer's size nor its contents tell how many
// identifiers of the leak share the prefix, and only a client holding an
// identifier whose hash is listed learns anything. Requests are limited
// per user (Options.RangeRate a minute) on top of the general limit, and
// audited with the kind and the prefix only.

// rangeJSON answers GET /identifiers/range/{kind}/{prefix}.
type rangeJSON struct {
	Kind       string                 `json:"kind"`
	Prefix     string                 `json:"prefix"`
	MinEntries int                    `json:"min_entries"`
	Entries    []leakscope.RangeEntry `json:"entries"`
}

// errRedetectNeeded answers a range request while the range index lacks
// identifiers recorded before it existed.
var errRedetectNeeded = &Error{Status: http.StatusServiceUnavailable, Code: "redetect_needed",
	Message: "identifiers recorded by an older leakscope are not in the range index yet: an administrator must run `leakscope redetect`"}

func (s *Server) identifierRange(c *gin.Context) error {
	p := who(c)
	kind, prefix := c.Param("kind"), strings.ToLower(c.Param("prefix"))
	target, detail := clip(kind, 32), "prefix "+clip(prefix, 32)
	var err error
	switch ok, wait := s.ranges.allow(p.user.ID); {
	case !ok:
		err = tooMany(wait)
	case !slices.Contains(leakscope.IdentifierKinds, kind):
		err = badRequest("invalid_input", "kind must be one of "+strings.Join(leakscope.IdentifierKinds, ", "))
	case !isHex(prefix, leakscope.IdentifierPrefixLen):
		err = badRequest("invalid_input", "prefix must be the first 5 hex characters of the identifier's hash")
	}
	var r *IdentifierRange
	if err == nil {
		r, err = s.deps.Identifiers.IdentifierRange(c.Request.Context(), kind, prefix, s.opts.RangeMinimum)
		if err == nil && r.Incomplete {
			err = errRedetectNeeded
		}
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditIdentifierRange, target, detail, err)
	}
	if err := s.audit(c, leakscope.AuditIdentifierRange, target, detail, http.StatusOK); err != nil {
		return err
	}
	out := rangeJSON{Kind: kind, Prefix: prefix, MinEntries: s.opts.RangeMinimum, Entries: r.Entries}
	if out.Entries == nil {
		out.Entries = []leakscope.RangeEntry{}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// isHex reports whether s is n lower-case hex characters.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// clip cuts s to at most n bytes, for the audit log.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
