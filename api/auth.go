package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// loginRequest is the body of POST /login: a name and password, or an
// API token.
type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Token    string `json:"token"`
}

// sessionResponse answers POST /login and GET /me.
type sessionResponse struct {
	User      *leakscope.User `json:"user"`
	Auth      string          `json:"auth"`                 // "session" or "token"
	CSRFToken string          `json:"csrf_token,omitempty"` // send it in X-CSRF-Token on state-changing requests
	Expires   *time.Time      `json:"expires,omitempty"`
}

func (s *Server) login(c *gin.Context) error {
	ctx := c.Request.Context()
	if ok, wait := s.logins.allow(c.ClientIP()); !ok {
		return tooMany(wait)
	}
	var req loginRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	var u *leakscope.User
	var err error
	method := "password"
	switch {
	case req.Token != "" && req.Name == "" && req.Password == "":
		method = "token"
		u, _, err = s.deps.Auth.TokenUser(ctx, req.Token)
	case req.Name != "" && req.Password != "" && req.Token == "":
		select {
		case s.hashing <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		u, err = s.deps.Auth.CheckPassword(ctx, req.Name, req.Password)
		<-s.hashing
	default:
		return badRequest("invalid_input", "send name and password, or token")
	}
	if errors.Is(err, leakscope.ErrForbidden) {
		name := req.Name
		if len(name) > 64 {
			name = name[:64]
		}
		if name == "" {
			name = "-"
		}
		e := leakscope.AuditEntry{User: name, Action: leakscope.AuditLoginFailed, Detail: method,
			Remote: c.ClientIP(), Status: http.StatusUnauthorized}
		if _, aerr := s.deps.Audit.AppendAudit(ctx, e); aerr != nil {
			s.log.Error("audit entry not written", "action", e.Action, "err", aerr)
		}
		return errBadCredentials
	}
	if err != nil {
		return err
	}
	secret, sess, err := s.deps.Auth.CreateSession(ctx, u.ID, s.opts.SessionTTL)
	if errors.Is(err, leakscope.ErrForbidden) {
		return errBadCredentials // disabled since the password was checked
	}
	if err != nil {
		return err
	}
	c.Set(principalKey, &principal{user: u, session: sess, secret: secret})
	if err := s.audit(c, leakscope.AuditLogin, "", method, http.StatusOK); err != nil {
		return err
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", MaxAge: int(s.opts.SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	c.JSON(http.StatusOK, sessionResponse{User: u, Auth: "session", CSRFToken: sess.CSRF, Expires: &sess.Expires})
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	p := who(c)
	if p.session != nil {
		if err := s.deps.Auth.DeleteSession(c.Request.Context(), p.secret); err != nil {
			return err
		}
	}
	s.clearCookie(c)
	if err := s.audit(c, leakscope.AuditLogout, "", "", http.StatusNoContent); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) me(c *gin.Context) error {
	p := who(c)
	out := sessionResponse{User: p.user, Auth: "token"}
	if p.session != nil {
		out.Auth, out.CSRFToken, out.Expires = "session", p.session.CSRF, &p.session.Expires
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// clearCookie tells the browser to forget the session cookie.
func (s *Server) clearCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// readJSON decodes a JSON request body into v, strictly: the content type
// must be JSON, unknown fields and trailing data are errors.
func readJSON(c *gin.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return errMediaType
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge
		}
		return badRequest("invalid_json", "the body is not the JSON object this endpoint takes")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge
		}
		return badRequest("invalid_json", "the body holds more than one JSON value")
	}
	return nil
}

// audit records an action of the request's principal. It must succeed
// before anything audited is sent: its error (503) is the answer
// otherwise.
func (s *Server) audit(c *gin.Context, action, target, detail string, status int) error {
	e := leakscope.AuditEntry{User: "-", Action: action, Target: target, Detail: detail, Remote: c.ClientIP(), Status: status}
	if p := who(c); p != nil {
		e.User, e.UserID, e.Role = p.user.Name, p.user.ID, p.user.Role
	}
	if _, err := s.deps.Audit.AppendAudit(c.Request.Context(), e); err != nil {
		s.log.Error("audit entry not written", "action", action, "err", err)
		return errAuditUnavailable
	}
	return nil
}

// auditDenied records an audited action that was refused (not found,
// forbidden); the refusal is the answer whatever happens to the record.
func (s *Server) auditDenied(c *gin.Context, action, target, detail string, err error) error {
	if aerr := s.audit(c, action, target, detail, statusOf(err)); aerr != nil {
		s.log.Error("refused request not audited", "action", action)
	}
	return err
}
