package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// The self-check (doc.go, "Checking an identifier without sending it"):
//
//	POST /identifiers/evaluate          the oblivious PRF: blinded elements in, evaluated elements out
//	GET  /identifiers/lookup/{prefix}   the entries whose lookup hash starts with prefix
//
// Evaluations are limited per user, Options.EvaluateRate a minute and
// Options.EvaluateDaily a day, each element counting once, and audited
// with their number only. Look-ups are limited to Options.LookupRate a
// minute and audited without the prefix. A look-up's figures count only
// the messages the caller may see (scope.go).

// EvaluateSuite names the OPRF the server evaluates (RFC 9497).
const EvaluateSuite = "ristretto255-SHA512"

// MaxEvaluateElements is the most elements one evaluate request holds.
const MaxEvaluateElements = 4

// elementLen is the length of a serialised ristretto255 element.
const elementLen = 32

// evaluateRequest is the body of POST /identifiers/evaluate.
type evaluateRequest struct {
	Elements [][]byte `json:"elements"` // base64, standard alphabet, padded
}

// evaluateJSON answers POST /identifiers/evaluate.
type evaluateJSON struct {
	Suite     string   `json:"suite"`
	Evaluated [][]byte `json:"evaluated"`
}

// lookupJSON answers GET /identifiers/lookup/{prefix}.
type lookupJSON struct {
	Prefix     string                  `json:"prefix"`
	MinEntries int                     `json:"min_entries"`
	Entries    []leakscope.LookupEntry `json:"entries"`
}

// errRedetectNeeded answers a look-up while the lookup index lacks
// identifiers recorded before it existed.
var errRedetectNeeded = &Error{Status: http.StatusServiceUnavailable, Code: "redetect_needed",
	Message: "identifiers recorded by an older leakscope are not in the lookup index yet: an administrator must run `leakscope redetect`"}

func (s *Server) evaluateIdentifiers(c *gin.Context) error {
	p := who(c)
	var req evaluateRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	n := len(req.Elements)
	detail := fmt.Sprintf("%d element%s", n, map[bool]string{true: "", false: "s"}[n == 1])
	var err error
	switch {
	case n == 0 || n > MaxEvaluateElements:
		err = badRequest("invalid_input", fmt.Sprintf("elements must hold 1 to %d blinded elements", MaxEvaluateElements))
	case slices.ContainsFunc(req.Elements, func(e []byte) bool { return len(e) != elementLen }):
		err = badRequest("invalid_input", "each element must be a serialised ristretto255 element (32 bytes, base64)")
	default:
		if ok, wait := s.evaluations.allowN(p.user.ID, n); !ok {
			err = tooMany(wait)
		} else if ok, wait := s.evaluationsDaily.allowN(p.user.ID, n); !ok {
			err = tooMany(wait)
		}
	}
	var out [][]byte
	if err == nil {
		out, err = s.deps.Identifiers.EvaluateBlinded(c.Request.Context(), req.Elements)
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditIdentifierEvaluate, "", detail, err)
	}
	if err := s.audit(c, leakscope.AuditIdentifierEvaluate, "", detail, http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, evaluateJSON{Suite: EvaluateSuite, Evaluated: out})
	return nil
}

func (s *Server) identifierLookup(c *gin.Context) error {
	ctx := c.Request.Context()
	p := who(c)
	prefix := strings.ToLower(c.Param("prefix"))
	var err error
	switch ok, wait := s.lookups.allow(p.user.ID); {
	case !ok:
		err = tooMany(wait)
	case !isHex(prefix, leakscope.LookupPrefixLen):
		err = badRequest("invalid_input", "prefix must be the first 5 hex characters of the identifier's lookup hash")
	}
	var r *IdentifierLookup
	if err == nil {
		r, err = s.deps.Identifiers.IdentifierLookup(ctx, prefix, s.opts.LookupMinimum)
		if err == nil && r.Incomplete {
			err = errRedetectNeeded
		}
	}
	out := lookupJSON{Prefix: prefix, MinEntries: s.opts.LookupMinimum, Entries: []leakscope.LookupEntry{}}
	if err == nil {
		for _, m := range r.Entries {
			e, serr := s.scopedEntry(ctx, p.user, m)
			if serr != nil {
				err = serr
				break
			}
			out.Entries = append(out.Entries, e)
		}
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditIdentifierLookup, "", "", err)
	}
	if err := s.audit(c, leakscope.AuditIdentifierLookup, "", "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// scopedEntry counts an identifier's messages that u may see, with their
// first and last dates (to the day; dates before 1970 are broken headers,
// as in the exposure report) and batches. An employee's messages are
// those search shows her (scope.go); nothing is said of the others.
func (s *Server) scopedEntry(ctx context.Context, u *leakscope.User, m leakscope.IdentifierMatch) (leakscope.LookupEntry, error) {
	e := leakscope.LookupEntry{Hash: m.Hash, Batches: []leakscope.BatchRef{}}
	msgs := m.Messages
	if u.Role == leakscope.RoleEmployee && len(msgs) > 0 {
		visible, err := s.visibleIDs(ctx, u, msgs)
		if err != nil {
			return e, err
		}
		msgs = slices.DeleteFunc(slices.Clone(msgs), func(mm leakscope.MatchedMessage) bool { return !visible[mm.ID] })
	}
	var first, last time.Time
	for _, mm := range msgs {
		e.Messages++
		if d := mm.Date.UTC().Truncate(24 * time.Hour); mm.Date.Year() >= 1970 {
			if first.IsZero() || d.Before(first) {
				first = d
			}
			if d.After(last) {
				last = d
			}
		}
		for _, b := range mm.Batches {
			if !slices.Contains(e.Batches, b) {
				e.Batches = append(e.Batches, b)
			}
		}
	}
	if !first.IsZero() {
		e.First, e.Last = &first, &last
	}
	slices.SortFunc(e.Batches, func(a, b leakscope.BatchRef) int {
		return strings.Compare(a.Leak+"\x00"+a.Batch, b.Leak+"\x00"+b.Batch)
	})
	return e, nil
}

// visibleChunk is how many message ids one scope search asks about.
const visibleChunk = 100

// visibleIDs returns which of msgs an employee's search finds: the search
// of their ids restricted to her scope.
func (s *Server) visibleIDs(ctx context.Context, u *leakscope.User, msgs []leakscope.MatchedMessage) (map[string]bool, error) {
	out := map[string]bool{}
	for chunk := range slices.Chunk(msgs, visibleChunk) {
		var or []leakscope.Query
		for _, mm := range chunk {
			or = append(or, leakscope.Term{Field: leakscope.FieldID, Value: mm.ID})
		}
		q := scoped(u, leakscope.Or{Clauses: or})
		if q == nil {
			return out, nil
		}
		res, err := s.deps.Searcher.Search(ctx, SearchRequest{Query: q, Sort: "date", Limit: 2 * len(chunk), IDsOnly: true})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			out[h.ID] = true
		}
	}
	return out, nil
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
