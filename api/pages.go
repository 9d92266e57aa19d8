package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/ui"
)

// The web UI: page shells rendered from package ui, outside Prefix. A page
// holds no data: its script asks the API, whose checks (roles, employee
// scope, redaction, audit) apply as to any client. The server only picks
// the frame: a browser without a valid session is sent to the login page,
// a role a page is not for gets the not-found page.

// PageContentSecurityPolicy is sent with the UI's pages: scripts, styles
// and requests to this server only, no inline script or style, no frames.
const PageContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// page is one page of the UI.
type page struct {
	path, name, title string
	roles             []leakscope.Role
	param             string // gin path parameter passed to the script
}

// pages lists the UI's pages; nav lists, in order, those in the
// navigation bar of each role.
func pages() []page {
	return []page{
		{"/search", ui.PageSearch, "Search", everyone, ""},
		{"/messages/:id", ui.PageMessage, "Message", everyone, "id"},
		{"/exposure", ui.PageExposure, "Exposure", staff, ""},
		{"/people/:address", ui.PagePerson, "Person", everyone, "address"},
		{"/me", ui.PageMe, "My exposure", everyone, ""},
		{"/productions", ui.PageProductions, "Productions", unredacted, ""},
		{"/audit", ui.PageAudit, "Audit log", admins, ""},
	}
}

var navPages = []string{ui.PageExposure, ui.PageSearch, ui.PageMe, ui.PageProductions, ui.PageAudit}

// home is where "/" and a login lead a role.
func home(r leakscope.Role) string {
	if r == leakscope.RoleEmployee {
		return "/me"
	}
	return "/exposure"
}

// routePages adds the UI's routes to e.
func (s *Server) routePages(e *gin.Engine) {
	e.GET("/static/*path", s.static)
	e.HEAD("/static/*path", s.static)
	e.GET("/login", s.loginPage)
	e.GET("/", func(c *gin.Context) {
		u := s.pageUser(c)
		if u == nil {
			c.Redirect(http.StatusFound, "/login")
			return
		}
		c.Redirect(http.StatusFound, home(u.Role))
	})
	for _, p := range pages() {
		e.GET(p.path, s.servePage(p))
	}
}

// pageUser returns the user of the request's session cookie, or nil.
func (s *Server) pageUser(c *gin.Context) *leakscope.User {
	u, _ := s.pageSession(c)
	return u
}

func (s *Server) pageSession(c *gin.Context) (*leakscope.User, *leakscope.Session) {
	ck, err := c.Cookie(SessionCookie)
	if err != nil || ck == "" {
		return nil, nil
	}
	sess, u, err := s.deps.Auth.Session(c.Request.Context(), ck)
	if err != nil {
		return nil, nil
	}
	return u, sess
}

func (s *Server) servePage(p page) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, sess := s.pageSession(c)
		if u == nil {
			next := c.Request.URL.Path
			if c.Request.URL.RawQuery != "" {
				next += "?" + c.Request.URL.RawQuery
			}
			c.Redirect(http.StatusFound, "/login?next="+url.QueryEscape(next))
			return
		}
		if !slices.Contains(p.roles, u.Role) {
			s.renderPage(c, http.StatusNotFound, ui.PageNotFound, "Not found", u, sess, "")
			return
		}
		param := ""
		if p.param != "" {
			param = c.Param(p.param)
		}
		s.renderPage(c, http.StatusOK, p.name, p.title, u, sess, param)
	}
}

func (s *Server) loginPage(c *gin.Context) {
	if u := s.pageUser(c); u != nil {
		c.Redirect(http.StatusFound, home(u.Role))
		return
	}
	s.renderPage(c, http.StatusOK, ui.PageLogin, "Log in", nil, nil, "")
}

// renderPage writes one page's frame for u (nil on the login page).
func (s *Server) renderPage(c *gin.Context, status int, name, title string, u *leakscope.User, sess *leakscope.Session, param string) {
	d := ui.PageData{Title: title, Page: name, Param: param}
	if u != nil {
		d.User, d.Role = u.Name, string(u.Role)
		if sess != nil {
			d.CSRF = sess.CSRF
		}
		for _, n := range navPages {
			for _, p := range pages() {
				if p.name == n && slices.Contains(p.roles, u.Role) {
					d.Nav = append(d.Nav, ui.NavItem{Label: p.title, Href: p.path, Current: p.name == name})
				}
			}
		}
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", PageContentSecurityPolicy)
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.ui.Render(c.Writer, name, d); err != nil {
		s.log.Error("page not rendered", "page", name, "err", err)
	}
}

// static serves the UI's assets (scripts, styles, icons): public, with
// the API's strict headers.
func (s *Server) static(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("path"), "/")
	if !s.ui.ServeAsset(c.Writer, c.Request, name) {
		s.notFound(c)
	}
}

// notFound answers an unknown path: JSON under the API prefix, the
// not-found page elsewhere.
func (s *Server) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, Prefix+"/") || c.Request.URL.Path == Prefix || c.Request.Method != http.MethodGet {
		s.writeError(c, errNotFound)
		return
	}
	u, sess := s.pageSession(c)
	s.renderPage(c, http.StatusNotFound, ui.PageNotFound, "Not found", u, sess, "")
}
