package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
)

// All HTTP status mapping lives in this file. A client sees a stable code
// and a message written for it; internal error text never leaves the
// server (it is logged instead).

// Error is an error the client may see: an HTTP status, a stable code and
// a message.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// RetryAfter, when set, is sent as the Retry-After header (seconds).
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errors the handlers return.
var (
	errUnauthenticated  = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "log in or send an API token"}
	errBadCredentials   = &Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Message: "invalid name, password or token"}
	errForbidden        = &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "your role may not do this"}
	errCSRF             = &Error{Status: http.StatusForbidden, Code: "csrf", Message: "missing or wrong X-CSRF-Token header"}
	errCrossOrigin      = &Error{Status: http.StatusForbidden, Code: "cross_origin", Message: "cross-site requests are refused"}
	errNotFound         = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "not found"}
	errMethod           = &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "method not allowed"}
	errTooLarge         = &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "request body too large"}
	errMediaType        = &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "send a JSON body with Content-Type: application/json"}
	errRedactionNeeded  = &Error{Status: http.StatusForbidden, Code: "redaction_required", Message: "this attachment may hold sensitive values that your role sees redacted; ask counsel"}
	errInternal         = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
	errDamaged          = &Error{Status: http.StatusInternalServerError, Code: "data_damaged", Message: "the data directory is damaged; an administrator must run `leakscope verify` and `leakscope repair`"}
	errAuditUnavailable = &Error{Status: http.StatusServiceUnavailable, Code: "audit_unavailable", Message: "the audit log cannot be written; nothing is served without it"}
	errBusy             = &Error{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the server is busy with other searches; try again shortly", RetryAfter: 5}
)

// badRequest is a 400 error with a message for the client.
func badRequest(code, message string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: message}
}

// toError maps any error to what the client sees.
func toError(err error) *Error {
	var e *Error
	var qe *leakscope.QueryError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &qe):
		// The position and problem in the client's own query.
		return badRequest("invalid_query", qe.Error())
	case errors.As(err, &mbe):
		return errTooLarge
	case errors.Is(err, leakscope.ErrDamaged):
		// Before the others: damage found while looking for a message is
		// damage, not a message that is not there. The error names files
		// of the server: it is logged, the client learns only that an
		// administrator must mend the data directory.
		return errDamaged
	case errors.Is(err, leakscope.ErrNotFound):
		return errNotFound
	case errors.Is(err, leakscope.ErrInvalidQuery):
		return badRequest("invalid_query", "invalid query")
	case errors.Is(err, leakscope.ErrInvalidInput):
		return badRequest("invalid_input", "invalid request parameter")
	case errors.Is(err, leakscope.ErrForbidden):
		return errForbidden
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Code: "canceled", Message: "request canceled or timed out"}
	}
	return errInternal
}

// statusOf returns the HTTP status err is answered with (200 for nil).
func statusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return toError(err).Status
}

// writeError answers the request with err as JSON and stops the chain.
// Errors the client does not see the text of are logged.
func (s *Server) writeError(c *gin.Context, err error) {
	e := toError(err)
	if e.Status >= 500 {
		s.log.Error("request failed", "method", c.Request.Method, "route", c.FullPath(), "err", err)
	}
	if e.RetryAfter > 0 {
		c.Header("Retry-After", itoa(e.RetryAfter))
	}
	c.AbortWithStatusJSON(e.Status, gin.H{"error": e})
}
