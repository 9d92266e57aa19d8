package api

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// Productions for counsel: production sets with their Bates numbering,
// exports run in the background to zip files kept with the data (one at a
// time), their download, and the breach-notification report. Routes here
// are for admins and counsel only (routes.go).

// Audited actions of productions (AuditEntry.Action). The first two are
// the command line's names for the same actions; the export itself is
// recorded as "export" when it completes (see ExportRequest.Who).
const (
	auditProductionCreate = "production.create" // Target: the production; Detail: prefix, digits, start
	auditProductionList   = "production.list"   // Detail: "N productions"
	auditExportList       = "export.list"       // Target: the production; Detail: "N exports"
	auditNotify           = "notify.report"     // Target: the production, if any; Detail: counts
	auditExportStart      = "export.start"      // Target: the production; Detail: the query and options
	auditExportDownload   = "export.download"   // Target: the production; Detail: "export N"
)

// errExportRunning answers an export asked for while one runs.
var errExportRunning = &Error{Status: http.StatusConflict, Code: "export_running",
	Message: "an export is running; start this one when it has finished"}

// maxProductionName bounds a production name in a path.
const maxProductionName = 64

// exportRequestJSON is the body of POST /productions/{name}/exports:
// exactly one of query and tag.
type exportRequestJSON struct {
	Query             string `json:"query"`
	Tag               string `json:"tag"`
	Redact            bool   `json:"redact"`
	IncludePrivileged bool   `json:"include_privileged"`
	PrivilegeLog      bool   `json:"privilege_log"`
}

func (s *Server) listProductions(c *gin.Context) error {
	ps, err := s.deps.Productions.Productions(c.Request.Context())
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []Production{}
	}
	if err := s.audit(c, auditProductionList, "", fmt.Sprintf("%d productions", len(ps)), http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"productions": ps})
	return nil
}

func (s *Server) createProduction(c *gin.Context) error {
	var spec ProductionSpec
	if err := readJSON(c, &spec); err != nil {
		return err
	}
	spec.Name, spec.Prefix = strings.TrimSpace(spec.Name), strings.TrimSpace(spec.Prefix)
	p, err := s.deps.Productions.CreateProduction(c.Request.Context(), spec)
	if errors.Is(err, leakscope.ErrInvalidInput) {
		return badRequest("invalid_input", "a production needs a new name (up to 64 letters, digits, '.', '_', '-'), "+
			"a prefix (up to 32 of the same), digits from 1 to 12 and a start within them")
	}
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("prefix %s, digits %d, start %s", p.Prefix, p.Digits, p.Next)
	if err := s.audit(c, auditProductionCreate, p.Name, detail, http.StatusCreated); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"production": p})
	return nil
}

// productionParam reads the production name of the path.
func productionParam(c *gin.Context) (string, error) {
	name := c.Param("name")
	if name == "" || len(name) > maxProductionName {
		return "", errNotFound
	}
	return name, nil
}

func (s *Server) startExport(c *gin.Context) error {
	name, err := productionParam(c)
	if err != nil {
		return err
	}
	var body exportRequestJSON
	if err := readJSON(c, &body); err != nil {
		return err
	}
	text := strings.TrimSpace(body.Query)
	switch {
	case (text == "") == (strings.TrimSpace(body.Tag) == ""):
		return badRequest("invalid_input", "give exactly one of query and tag")
	case len(text) > maxTagQuery:
		return badRequest("invalid_input", "query too long")
	case text == "":
		tag, err := leakscope.ParseTagName(body.Tag)
		if err != nil {
			return badRequest("invalid_input", "tag: 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")
		}
		text = "tag:" + tag
	}
	if _, err := query.Parse(text); err != nil {
		return err
	}
	req := ExportRequest{Production: name, Query: text, Redact: body.Redact, IncludePrivileged: body.IncludePrivileged,
		PrivilegeLog: body.PrivilegeLog, Who: s.auditWho(c)}
	detail := "query " + text + exportOptions(req)
	job, err := s.deps.Productions.StartExport(c.Request.Context(), req)
	if errors.Is(err, ErrExportRunning) {
		err = errExportRunning
	}
	if err != nil {
		return s.auditDenied(c, auditExportStart, name, detail, err)
	}
	if err := s.audit(c, auditExportStart, name, detail+"; job "+job.Job, http.StatusAccepted); err != nil {
		return err
	}
	c.JSON(http.StatusAccepted, gin.H{"job": withDownload(name, *job)})
	return nil
}

// exportOptions says which options an export was asked with.
func exportOptions(r ExportRequest) string {
	var s string
	for _, o := range []struct {
		on   bool
		name string
	}{{r.Redact, "redact"}, {r.IncludePrivileged, "include privileged"}, {r.PrivilegeLog, "privilege log"}} {
		if o.on {
			s += "; " + o.name
		}
	}
	return s
}

// auditWho is the request's principal as an audit entry: who, from where.
func (s *Server) auditWho(c *gin.Context) leakscope.AuditEntry {
	e := leakscope.AuditEntry{User: "-", Remote: c.ClientIP()}
	if p := who(c); p != nil {
		e.User, e.UserID, e.Role = p.user.Name, p.user.ID, p.user.Role
	}
	return e
}

// withDownload sets the download path of a finished export.
func withDownload(production string, j ExportJob) ExportJob {
	if j.Downloadable && j.Seq > 0 {
		j.Download = Prefix + "/productions/" + production + "/exports/" + strconv.Itoa(j.Seq) + "/download"
	}
	return j
}

func (s *Server) listExports(c *gin.Context) error {
	name, err := productionParam(c)
	if err != nil {
		return err
	}
	jobs, err := s.deps.Productions.Exports(c.Request.Context(), name)
	if err != nil {
		return s.auditDenied(c, auditExportList, name, "", err)
	}
	out := make([]ExportJob, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, withDownload(name, j))
	}
	if err := s.audit(c, auditExportList, name, fmt.Sprintf("%d exports", len(out)), http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"exports": out})
	return nil
}

func (s *Server) downloadExport(c *gin.Context) error {
	ctx := c.Request.Context()
	name, err := productionParam(c)
	if err != nil {
		return err
	}
	detail := "export " + c.Param("seq")
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil || seq < 1 || strconv.Itoa(seq) != c.Param("seq") {
		return s.auditDenied(c, auditExportDownload, name, detail, errNotFound)
	}
	f, err := s.deps.Productions.ExportFile(ctx, name, seq)
	if err != nil {
		return s.auditDenied(c, auditExportDownload, name, detail, err)
	}
	defer f.Content.Close()
	if err := s.audit(c, auditExportDownload, name, detail, http.StatusOK); err != nil {
		return err
	}
	c.Header("Content-Disposition", attachmentDisposition(f.Name))
	c.Header("Content-Type", "application/zip")
	http.ServeContent(c.Writer, c.Request, "", f.ModTime, f.Content)
	return nil
}

// attachmentDisposition is a Content-Disposition that saves a file.
func attachmentDisposition(name string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": name}); d != "" {
		return d
	}
	return "attachment"
}

func (s *Server) notify(c *gin.Context) error {
	ctx := c.Request.Context()
	production := c.Query("production")
	if len(production) > maxProductionName {
		return errNotFound
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" {
		return badRequest("invalid_input", "format must be json or csv")
	}
	rep, err := s.deps.Productions.Notify(ctx, production)
	if err != nil {
		return s.auditDenied(c, auditNotify, production, "", err)
	}
	var csv bytes.Buffer
	if format == "csv" {
		if err := rep.WriteCSV(&csv); err != nil {
			return err
		}
	}
	detail := fmt.Sprintf("%d people, %d flagged messages of %d", len(rep.People), rep.Flagged, rep.Messages)
	if err := s.audit(c, auditNotify, production, detail, http.StatusOK); err != nil {
		return err
	}
	if format == "json" {
		c.JSON(http.StatusOK, rep)
		return nil
	}
	name := "notification.csv"
	if production != "" {
		name = "notification-" + production + ".csv"
	}
	c.Header("Content-Disposition", attachmentDisposition(name))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", csv.Bytes())
	return nil
}
