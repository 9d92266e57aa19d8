package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/password"
)

// addUserRequest is the body of POST /users. Without a password one is
// generated and returned once.
type addUserRequest struct {
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Emails   []string `json:"emails"`
	Password string   `json:"password"`
}

func (s *Server) listUsers(c *gin.Context) error {
	users, err := s.deps.Accounts.Users(c.Request.Context())
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditUserList, "", "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
	return nil
}

func (s *Server) addUser(c *gin.Context) error {
	var req addUserRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	role, err := leakscope.ParseRole(req.Role)
	if err != nil {
		return badRequest("invalid_input", "role must be admin, analyst, counsel or employee")
	}
	password, generated := req.Password, req.Password == ""
	if generated {
		password = NewPassword()
	}
	u, err := s.deps.Accounts.AddUser(c.Request.Context(), leakscope.User{Name: req.Name, Role: role, Emails: req.Emails}, password)
	if errors.Is(err, leakscope.ErrInvalidInput) {
		// The store's message names the field and what is wrong with it
		// (name taken, bad address, short password), never anything else.
		return badRequest("invalid_input", errorText(err))
	}
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditUserAdd, u.Name, "role "+string(u.Role), http.StatusCreated); err != nil {
		return err
	}
	out := gin.H{"user": u}
	if generated {
		out["password"] = password
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// errorText is what the store says about invalid input (the name is
// taken, an address is malformed, the password is short) without its
// context and sentinel: it describes the client's own input.
func errorText(err error) string {
	msg := strings.TrimSuffix(err.Error(), ": "+leakscope.ErrInvalidInput.Error())
	return strings.TrimPrefix(msg, "add user: ")
}

func (s *Server) disableUser(c *gin.Context) error { return s.setDisabled(c, true) }
func (s *Server) enableUser(c *gin.Context) error  { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c *gin.Context, disabled bool) error {
	ctx := c.Request.Context()
	target, err := s.deps.Accounts.User(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if disabled && target.ID == who(c).user.ID {
		return badRequest("invalid_input", "you cannot disable yourself")
	}
	u, err := s.deps.Accounts.SetDisabled(ctx, target.ID, disabled)
	if err != nil {
		return err
	}
	action := leakscope.AuditUserDisable
	if !disabled {
		action = leakscope.AuditUserEnable
	}
	if err := s.audit(c, action, u.Name, "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"user": u})
	return nil
}

func (s *Server) createToken(c *gin.Context) error {
	ctx := c.Request.Context()
	u, err := s.deps.Accounts.User(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	secret, tok, err := s.deps.Accounts.CreateToken(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditTokenCreate, u.Name, "token "+tok.ID, http.StatusCreated); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"token": secret, "info": tok})
	return nil
}

// revokeToken revokes a token: any token for an admin, their own for
// anyone else; someone else's token is not found, as a missing one.
func (s *Server) revokeToken(c *gin.Context) error {
	ctx := c.Request.Context()
	p, id := who(c), c.Param("id")
	tok, err := s.deps.Accounts.Token(ctx, id)
	if err == nil && p.user.Role != leakscope.RoleAdmin && tok.UserID != p.user.ID {
		err = errNotFound
	}
	if err != nil {
		return s.auditDenied(c, leakscope.AuditTokenRevoke, id, "", err)
	}
	if tok, err = s.deps.Accounts.RevokeToken(ctx, id); err != nil {
		return err
	}
	if err := s.audit(c, leakscope.AuditTokenRevoke, id, "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"token": tok})
	return nil
}

// Audit log pages.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 1000
)

func (s *Server) listAudit(c *gin.Context) error {
	afterText := c.DefaultQuery("after", "0")
	after, err := strconv.ParseUint(afterText, 10, 64)
	if err != nil {
		return badRequest("invalid_input", "after must be an entry number")
	}
	limit, err := intParam(c, "limit", DefaultAuditLimit, 1, MaxAuditLimit)
	if err != nil {
		return err
	}
	entries, err := s.deps.Audit.AuditEntries(c.Request.Context(), after, limit)
	if err != nil {
		return err
	}
	// Recorded after reading, so that a page never holds its own read.
	if err := s.audit(c, leakscope.AuditAuditRead, "", "after "+afterText, http.StatusOK); err != nil {
		return err
	}
	out := gin.H{"entries": entries}
	if len(entries) == limit {
		out["next"] = strconv.FormatUint(entries[len(entries)-1].Seq, 10)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// NewPassword returns a random password of 24 characters (144 bits) that
// password.Check accepts (a draw it finds guessable, vanishingly rare, is
// drawn again).
func NewPassword() string {
	for {
		b := make([]byte, 18)
		rand.Read(b)
		if p := base64.RawURLEncoding.EncodeToString(b); password.Check(p) == nil {
			return p
		}
	}
}
