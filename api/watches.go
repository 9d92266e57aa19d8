package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// Watches are shared by everyone who may see the whole leak (admins,
// analysts, counsel): their matches span it. Employees have none.

// watchRequest is the body of POST /watches.
type watchRequest struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

const maxWatchName = 64

func (s *Server) listWatches(c *gin.Context) error {
	ws, err := s.deps.Watches.Watches(c.Request.Context())
	if err != nil {
		return err
	}
	if ws == nil {
		ws = []leakscope.Watch{}
	}
	c.JSON(http.StatusOK, gin.H{"watches": ws})
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
	if _, err := parseQuery(who(c).user, req.Query); err != nil {
		return err
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
	if err := s.deps.Watches.DeleteWatch(c.Request.Context(), name); err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditWatchDelete, name, "", http.StatusNoContent); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
