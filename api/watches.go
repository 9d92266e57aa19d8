package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// Watches are shared by everyone who may see the whole leak (admins,
// analysts, counsel): their matches span it. Employees have none.
//
// A watch follows the rules of its query: only those who may run the query
// see the watch at all. An analyst, who may not query review tags, is
// shown no watch whose query uses tag: (counsel's tag:privileged, say):
// not its name, not its query, not its number of matches, since each says
// something of counsel's work. Such a watch is not found when the analyst
// deletes it (404, as a missing one) and its name is taken when they save
// one of that name (409 name_taken, without saying more).

// watchRequest is the body of POST /watches.
type watchRequest struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

const maxWatchName = 64

// errWatchTaken refuses a watch whose name a watch the caller may not see
// holds.
var errWatchTaken = &Error{Status: http.StatusConflict, Code: "name_taken", Message: "a watch of this name exists; choose another name"}

// mayWatch reports whether u may see watch w: whether u may run its query.
func mayWatch(u *leakscope.User, w leakscope.Watch) bool {
	if u.Role.Unredacted() {
		return true
	}
	_, err := parseQuery(u, w.Query)
	return err == nil
}

// hiddenWatch reports whether a watch named name exists that u may not see.
func (s *Server) hiddenWatch(ctx context.Context, u *leakscope.User, name string) (bool, error) {
	ws, err := s.deps.Watches.Watches(ctx)
	if err != nil {
		return false, err
	}
	for _, w := range ws {
		if w.Name == name {
			return !mayWatch(u, w), nil
		}
	}
	return false, nil
}

func (s *Server) listWatches(c *gin.Context) error {
	u := who(c).user
	ws, err := s.deps.Watches.Watches(c.Request.Context())
	if err != nil {
		return err
	}
	out := []leakscope.Watch{}
	for _, w := range ws {
		if mayWatch(u, w) {
			out = append(out, w)
		}
	}
	if err := s.audit(c, leakscope.AuditWatchList, "", strconv.Itoa(len(out))+" watches", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"watches": out})
	return nil
}

func (s *Server) addWatch(c *gin.Context) error {
	var req watchRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > maxWatchName || strings.ContainsAny(req.Name, "/\x00") {
		return badRequest("invalid_input", "name must be 1-64 characters without '/'")
	}
	u := who(c).user
	if _, err := parseQuery(u, req.Query); err != nil {
		return err
	}
	if hidden, err := s.hiddenWatch(c.Request.Context(), u, req.Name); err != nil {
		return err
	} else if hidden {
		return s.auditDenied(c, leakscope.AuditWatchAdd, req.Name, "name taken", errWatchTaken)
	}
	w, err := s.deps.Watches.AddWatch(c.Request.Context(), leakscope.Watch{Name: req.Name, Query: req.Query, Created: time.Now().UTC()})
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditWatchAdd, w.Name, w.Query, http.StatusCreated); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"watch": w})
	return nil
}

func (s *Server) deleteWatch(c *gin.Context) error {
	name := c.Param("name")
	if hidden, err := s.hiddenWatch(c.Request.Context(), who(c).user, name); err != nil {
		return err
	} else if hidden {
		return s.auditDenied(c, leakscope.AuditWatchDelete, name, "", errNotFound)
	}
	if err := s.deps.Watches.DeleteWatch(c.Request.Context(), name); err != nil {
		return s.auditDenied(c, leakscope.AuditWatchDelete, name, "", err)
	}
	if err := s.audit(c, leakscope.AuditWatchDelete, name, "", http.StatusNoContent); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
