package api

import (
	"io"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// Prefix is the path every API route starts with.
const Prefix = "/api/v1"

// route is one endpoint.
type route struct {
	method, path string           // path below Prefix, in gin's syntax (:id)
	roles        []leakscope.Role // who may call it; nil: anyone, logged in or not
	handle       func(c *gin.Context) error
}

// Who may call what (see doc.go for what each role then sees).
var (
	everyone   = []leakscope.Role{leakscope.RoleAdmin, leakscope.RoleAnalyst, leakscope.RoleCounsel, leakscope.RoleEmployee}
	staff      = []leakscope.Role{leakscope.RoleAdmin, leakscope.RoleAnalyst, leakscope.RoleCounsel}
	unredacted = []leakscope.Role{leakscope.RoleAdmin, leakscope.RoleCounsel}
	admins     = []leakscope.Role{leakscope.RoleAdmin}
)

// routes declares every endpoint; openapi.json documents each of them
// (TestOpenAPIMatchesRoutes keeps the two in step).
func (s *Server) routes() []route {
	return []route{
		{"GET", "/openapi.json", nil, s.openAPI},
		{"POST", "/login", nil, s.login},
		{"POST", "/logout", everyone, s.logout},
		{"GET", "/me", everyone, s.me},

		{"GET", "/search", everyone, s.search},
		{"GET", "/stats", everyone, s.stats},
		{"GET", "/messages/:id", everyone, s.message},
		{"GET", "/messages/:id/raw", unredacted, s.raw},
		{"GET", "/messages/:id/attachments/:n", everyone, s.attachment},

		{"GET", "/exposure", staff, s.gated(s.exposureReport)},
		{"GET", "/people/:address", everyone, s.gated(s.person)}, // employees their own addresses only
		{"GET", "/batches", staff, s.batches},
		{"GET", "/batches/:label/diff", staff, s.gated(s.batchDiff)},
		{"POST", "/identifiers/evaluate", everyone, s.evaluateIdentifiers},
		{"GET", "/identifiers/lookup/:prefix", everyone, s.identifierLookup},

		{"GET", "/watches", staff, s.listWatches},
		{"POST", "/watches", staff, s.addWatch},
		{"DELETE", "/watches/:name", staff, s.deleteWatch},

		{"GET", "/tags", unredacted, s.listTags},
		{"POST", "/tags/:tag/add", unredacted, s.addTag},
		{"POST", "/tags/:tag/remove", unredacted, s.removeTag},
		{"GET", "/productions", unredacted, s.listProductions},
		{"POST", "/productions", unredacted, s.createProduction},
		{"GET", "/productions/:name/exports", unredacted, s.listExports},
		{"POST", "/productions/:name/exports", unredacted, s.startExport},
		{"GET", "/productions/:name/exports/:seq/download", unredacted, s.downloadExport},
		{"GET", "/notify", unredacted, s.gated(s.notify)},

		{"GET", "/users", admins, s.listUsers},
		{"POST", "/users", admins, s.addUser},
		{"POST", "/users/:id/disable", admins, s.disableUser},
		{"POST", "/users/:id/enable", admins, s.enableUser},
		{"POST", "/users/:id/tokens", admins, s.createToken},
		{"DELETE", "/tokens/:id", everyone, s.revokeToken}, // admins any token, others their own
		{"GET", "/audit", admins, s.listAudit},
	}
}

var releaseMode sync.Once

// newEngine builds the gin engine: global middleware, then every route
// with the checks its roles call for.
func (s *Server) newEngine() (*gin.Engine, error) {
	releaseMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	e := gin.New()
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.HandleMethodNotAllowed = true
	e.ForwardedByClientIP = len(s.opts.TrustedProxies) > 0
	if err := e.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		return nil, err
	}
	e.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, v any) {
		s.log.Error("handler panicked", "route", c.FullPath(), "panic", v)
		s.writeError(c, errInternal)
	}))
	e.Use(s.securityHeaders, s.limitBody)
	e.NoRoute(s.notFound)
	e.NoMethod(func(c *gin.Context) { s.writeError(c, errMethod) })

	g := e.Group(Prefix)
	for _, r := range s.routes() {
		var chain []gin.HandlerFunc
		if r.roles != nil {
			chain = append(chain, s.authenticate, s.rateLimit)
		}
		chain = append(chain, s.sameOrigin)
		if r.roles != nil {
			chain = append(chain, s.checkCSRF, s.allow(r.roles))
		}
		chain = append(chain, s.wrap(r.handle))
		g.Handle(r.method, r.path, chain...)
	}
	s.routePages(e)
	return e, nil
}

// wrap turns a handler returning an error into a gin handler.
func (s *Server) wrap(h func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}
