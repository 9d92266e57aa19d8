package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// Counsel's review tags: listed with their counts, put on or taken off
// messages by id or by query. Routes here are for admins and counsel only
// (routes.go); other roles never see a tag: not in hits, not in message
// views, not in facets (search.go, messages.go), and a tag: query is
// refused to them (scope.go).

// Limits of a tag change.
const (
	maxTagIDs   = 10_000 // ids in one request
	maxTagNote  = 2_000  // bytes of a note
	maxTagQuery = 4_096  // bytes of a query
)

// tagRequest is the body of POST /tags/{tag}/add and /remove: message ids
// or a query (every hit of it), and for add a note.
type tagRequest struct {
	IDs   []string `json:"ids"`
	Query string   `json:"query"`
	Note  string   `json:"note"`
}

// tagChangeJSON answers a tag change.
type tagChangeJSON struct {
	Tag     string `json:"tag"`
	Matched int    `json:"matched"` // messages named or matching
	Changed int    `json:"changed"` // messages whose tags changed
}

func (s *Server) listTags(c *gin.Context) error {
	tags, err := s.deps.Tags.TagCounts(c.Request.Context())
	if err != nil {
		return err
	}
	if tags == nil {
		tags = []TagCount{}
	}
	if err := s.audit(c, leakscope.AuditTagList, "", fmt.Sprintf("%d tags", len(tags)), http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"tags": tags})
	return nil
}

func (s *Server) addTag(c *gin.Context) error    { return s.changeTag(c, true) }
func (s *Server) removeTag(c *gin.Context) error { return s.changeTag(c, false) }

// changeTag adds or removes the tag of the path on the messages the body
// names, audited as the command line's tag add and remove are.
func (s *Server) changeTag(c *gin.Context, add bool) error {
	p := who(c)
	action := leakscope.AuditTagRemove
	if add {
		action = leakscope.AuditTagAdd
	}
	name, err := leakscope.ParseTagName(c.Param("tag"))
	if err != nil {
		return badRequest("invalid_input", "a tag name is 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")
	}
	var req tagRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	ch, err := tagChangeOf(add, name, req)
	if err != nil {
		return err
	}
	ch.Tag.User = p.user.Name
	recorded := false
	ch.Record = func(ctx context.Context, matched, changed int) error {
		recorded = true
		return s.audit(c, action, name, leakscope.TagChangeDetail(matched, changed, strings.TrimSpace(req.Query), ch.IDs), http.StatusOK)
	}
	res, err := s.deps.Tags.ChangeTag(c.Request.Context(), ch)
	if err != nil && !recorded {
		// Refused (an unknown id) or failed before any change.
		return s.auditDenied(c, action, name, leakscope.TagChangeDetail(0, 0, strings.TrimSpace(req.Query), ch.IDs), err)
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, tagChangeJSON{Tag: name, Matched: res.Matched, Changed: res.Changed})
	return nil
}

// tagChangeOf checks a tag request and turns it into a change.
func tagChangeOf(add bool, name string, req tagRequest) (TagChange, error) {
	ch := TagChange{Add: add, Tag: leakscope.Tag{Name: name}}
	req.Query = strings.TrimSpace(req.Query)
	switch {
	case (req.Query == "") == (len(req.IDs) == 0):
		return ch, badRequest("invalid_input", "give either ids or a query")
	case len(req.IDs) > maxTagIDs:
		return ch, badRequest("invalid_input", fmt.Sprintf("at most %d ids at a time (or give a query)", maxTagIDs))
	case len(req.Query) > maxTagQuery:
		return ch, badRequest("invalid_input", "query too long")
	case !add && req.Note != "":
		return ch, badRequest("invalid_input", "a note goes with add")
	case len(req.Note) > maxTagNote || !utf8.ValidString(req.Note):
		return ch, badRequest("invalid_input", fmt.Sprintf("note: at most %d bytes of UTF-8 text", maxTagNote))
	}
	ch.Tag.Note = strings.TrimSpace(req.Note)
	if req.Query != "" {
		q, err := query.Parse(req.Query)
		if err != nil {
			return ch, err
		}
		ch.Query = q
		return ch, nil
	}
	seen := make(map[string]bool, len(req.IDs))
	for _, id := range req.IDs {
		if id == "" || len(id) > maxIDBytes {
			return ch, badRequest("invalid_input", "ids: a message id is 1 to 128 characters")
		}
		if !seen[id] {
			seen[id] = true
			ch.IDs = append(ch.IDs, id)
		}
	}
	return ch, nil
}
