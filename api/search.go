package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// Search limits.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 100
	maxCursorBytes     = 1024
)

var sortOrders = []string{"-date", "date", "relevance", "risk"}

// searchJSON answers GET /search.
type searchJSON struct {
	Total    uint64          `json:"total"`
	Hits     []leakscope.Hit `json:"hits"` // as `leakscope search --json` prints them
	Facets   []Facet         `json:"facets,omitempty"`
	Next     string          `json:"next,omitempty"`
	Redacted bool            `json:"redacted"`
}

func (s *Server) search(c *gin.Context) error {
	p := who(c)
	text := c.Query("q")
	if text == "" {
		return badRequest("invalid_query", "q is required (* matches every message)")
	}
	q, err := parseQuery(p.user, text)
	if errors.Is(err, errTagsForbidden) {
		return s.auditDenied(c, leakscope.AuditSearch, text, "tag: refused", err)
	}
	if err != nil {
		return err
	}
	req := SearchRequest{Query: q, Sort: c.DefaultQuery("sort", "-date"), After: c.Query("after"), Tags: mayUseTags(p.user),
		Values: p.user.Role.Unredacted()}
	if !slices.Contains(sortOrders, req.Sort) {
		return badRequest("invalid_input", "sort must be -date, date, relevance or risk")
	}
	if len(req.After) > maxCursorBytes {
		return badRequest("invalid_input", "after: cursor too long")
	}
	if req.Limit, err = intParam(c, "limit", DefaultSearchLimit, 0, MaxSearchLimit); err != nil {
		return err
	}
	if req.Facets, err = boolParam(c, "facets"); err != nil {
		return err
	}
	countOnly := req.Limit == 0
	if countOnly {
		req.Limit, req.IDsOnly = 1, true
	}
	out := searchJSON{Hits: []leakscope.Hit{}, Redacted: !p.user.Role.Unredacted()}
	if req.Query = scoped(p.user, q); req.Query != nil {
		if err := s.findHits(c.Request.Context(), p.user, q, req, countOnly, &out); err != nil {
			return err
		}
	}
	if err := s.audit(c, leakscope.AuditSearch, text, "total "+strconv.FormatUint(out.Total, 10), http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// findHits runs req, one search among the others (acquireSearch), and
// fills out with its total, facets, next page and, unless countOnly, its
// hits described for u (q is the query as u wrote it, for snippets).
func (s *Server) findHits(ctx context.Context, u *leakscope.User, q leakscope.Query, req SearchRequest, countOnly bool, out *searchJSON) error {
	release, err := s.acquireSearch(ctx)
	if err != nil {
		return err
	}
	defer release()
	res, err := s.deps.Searcher.Search(ctx, req)
	if err != nil {
		return err
	}
	out.Total, out.Facets, out.Next = res.Total, res.Facets, res.Next
	if countOnly {
		out.Next = ""
		return nil
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, s.describeHit(u, q, h))
	}
	return nil
}

// describeHit builds what a hit shows for u (Searcher.Describe), from its
// message and text redacted when u's role sees values redacted: the
// snippet is cut from the redacted text. Tags are for those who may see
// them.
func (s *Server) describeHit(u *leakscope.User, q leakscope.Query, h Hit) leakscope.Hit {
	if !u.Role.Unredacted() {
		h.Message, h.Text = redactMessage(h.Message), redactText(h.Text, h.Message.Flags)
	}
	if !mayUseTags(u) {
		h.Tags = nil
	}
	return s.deps.Searcher.Describe(q, h)
}

// statsJSON answers GET /stats. Employees get only the totals of what they
// may see; the facets are search's (no tag facet, which is for the tag:
// queries of admins and counsel).
type statsJSON struct {
	Visible uint64  `json:"visible"`         // searchable messages the caller may see
	Store   *Stats  `json:"store,omitempty"` // totals of the data directory; not for employees
	Facets  []Facet `json:"facets"`          // over the visible messages
}

func (s *Server) stats(c *gin.Context) error {
	ctx := c.Request.Context()
	p := who(c)
	out := statsJSON{Facets: []Facet{}}
	if p.user.Role != leakscope.RoleEmployee {
		st, err := s.deps.Stats.Stats(ctx)
		if err != nil {
			return err
		}
		out.Store = st
	}
	if q := scoped(p.user, leakscope.MatchAll{}); q != nil {
		res, err := s.deps.Searcher.Search(ctx, SearchRequest{Query: q, Limit: 1, IDsOnly: true, Facets: true})
		if err != nil {
			return err
		}
		out.Visible, out.Facets = res.Total, res.Facets
	}
	if err := s.audit(c, leakscope.AuditStats, "", "visible "+strconv.FormatUint(out.Visible, 10), http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// intParam reads an integer query parameter in [lo, hi].
func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("invalid_input", name+" must be a number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}

// boolParam reads a boolean query parameter (1, true, 0, false; absent is
// false).
func boolParam(c *gin.Context, name string) (bool, error) {
	switch c.Query(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, badRequest("invalid_input", name+" must be true or false")
}
