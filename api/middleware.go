package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// ContentSecurityPolicy is sent with every API response: nothing the API
// sends is meant to run or render in a browser. Pages of the web UI need
// their own policy, which must not allow inline script either (script-src
// 'self', no 'unsafe-inline').
const ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	h.Set("Cache-Control", "no-store") // answers hold personal data
	if s.opts.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// limitBody refuses bodies over MaxBodyBytes: at once when the length is
// declared, when it is read otherwise.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.ContentLength > s.opts.MaxBodyBytes {
		s.writeError(c, errTooLarge)
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxBodyBytes)
	}
	c.Next()
}

// principal is who makes a request.
type principal struct {
	user    *leakscope.User
	session *leakscope.Session // nil for an API token
	secret  string             // the session cookie's value
	token   *leakscope.Token   // nil for a session
}

const principalKey = "leakscope.principal"

// who returns the request's principal (set by authenticate).
func who(c *gin.Context) *principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(*principal)
	return pr
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "leakscope_session"

// authenticate finds who makes the request: an API token in the
// Authorization header (Bearer), else the session cookie.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	p := &principal{}
	var err error
	if h := c.GetHeader("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			s.writeError(c, errUnauthenticated)
			return
		}
		p.user, p.token, err = s.deps.Auth.TokenUser(ctx, strings.TrimSpace(secret))
		if errors.Is(err, leakscope.ErrForbidden) {
			err = errBadCredentials
		}
	} else if ck, cerr := c.Cookie(SessionCookie); cerr == nil && ck != "" {
		p.session, p.user, err = s.deps.Auth.Session(ctx, ck)
		p.secret = ck
		if errors.Is(err, leakscope.ErrForbidden) {
			s.clearCookie(c)
			err = errUnauthenticated
		}
	} else {
		err = errUnauthenticated
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

// rateLimit applies the per-user limit.
func (s *Server) rateLimit(c *gin.Context) {
	if ok, wait := s.users.allow(who(c).user.ID); !ok {
		s.writeError(c, tooMany(wait))
		return
	}
	c.Next()
}

// tooMany is the 429 error telling the client to wait.
func tooMany(wait time.Duration) *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "too many requests; retry later",
		RetryAfter: retrySeconds(wait)}
}

// safeMethod reports whether a method changes nothing.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin refuses state-changing requests that a browser marks as
// coming from another site (Sec-Fetch-Site, Origin): a second line of
// defence behind SameSite=Strict cookies and the CSRF token.
func (s *Server) sameOrigin(c *gin.Context) {
	if !safeMethod(c.Request.Method) {
		if c.GetHeader("Sec-Fetch-Site") == "cross-site" {
			s.writeError(c, errCrossOrigin)
			return
		}
		if o := c.GetHeader("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || u.Host == "" || !strings.EqualFold(u.Host, c.Request.Host) {
				s.writeError(c, errCrossOrigin)
				return
			}
		}
	}
	c.Next()
}

// CSRFHeader carries a session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// checkCSRF requires the session's CSRF token (a synchronizer token, given
// at login and by GET /me) on every state-changing request made with a
// session cookie. Requests with an API token carry no ambient credential
// and need none.
func (s *Server) checkCSRF(c *gin.Context) {
	p := who(c)
	if p.session != nil && !safeMethod(c.Request.Method) {
		got := c.GetHeader(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.session.CSRF)) != 1 {
			s.writeError(c, errCSRF)
			return
		}
	}
	c.Next()
}

// allow lets only the given roles through.
func (s *Server) allow(roles []leakscope.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, who(c).user.Role) {
			s.writeError(c, errForbidden)
			return
		}
		c.Next()
	}
}
