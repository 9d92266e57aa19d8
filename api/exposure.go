package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
)

// The exposure endpoints. The report, the batches and batch diffs are for
// staff (admins, counsel, analysts): they count over the whole leak. The
// report is metadata (who, how many, when), with one exception: the diff
// of an altered copy quotes message text from both the leak and the
// reference archive, with no flag offsets to redact it by, so analysts get
// the report without diffs ("altered": true stays). A person's exposure is
// for staff about anyone, and for an employee about their own verified
// addresses only (anyone else is 404, as if unknown).

// Batch diff limits.
const (
	DefaultDiffTop = 10
	MaxDiffTop     = MaxSearchLimit
)

// maxAddressBytes bounds an address in a path, maxLabelBytes a batch
// label or leak name.
const (
	maxAddressBytes = 320
	maxLabelBytes   = 256
)

func (s *Server) exposureReport(c *gin.Context) error {
	rep, err := s.deps.Exposure.ExposureReport(c.Request.Context())
	if err != nil {
		return err
	}
	out := *rep
	if !who(c).user.Role.Unredacted() {
		out.Published = slices.Clone(rep.Published)
		for i := range out.Published {
			out.Published[i].Diff = ""
		}
	}
	if err := s.audit(c, leakscope.AuditExposureReport, "", "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// personJSON answers GET /people/{address}: the person's exposure and the
// IDs of their messages the caller may see (counts cover all of them).
type personJSON struct {
	leakscope.PersonExposure
	Messages []string `json:"messages"`
}

func (s *Server) person(c *gin.Context) error {
	ctx := c.Request.Context()
	p, addr := who(c), c.Param("address")
	if len(addr) > maxAddressBytes {
		return s.auditDenied(c, leakscope.AuditExposurePerson, addr[:maxAddressBytes], "", errNotFound)
	}
	norm, ok := exposure.NormalizeAddress(addr)
	if !ok || p.user.Role == leakscope.RoleEmployee && !ownAddress(p.user, norm) {
		return s.auditDenied(c, leakscope.AuditExposurePerson, addr, "", errNotFound)
	}
	pe, err := s.deps.Exposure.Person(ctx, norm)
	if err != nil {
		return s.auditDenied(c, leakscope.AuditExposurePerson, addr, "", err)
	}
	out := personJSON{PersonExposure: *pe, Messages: []string{}}
	out.PersonExposure.Messages = nil
	if p.user.Role == leakscope.RoleEmployee {
		if out.PersonExposure, out.Messages, err = s.scopedPerson(ctx, p.user, norm, pe); err != nil {
			return err
		}
	} else {
		out.Messages = append(out.Messages, pe.Messages...)
	}
	if err := s.audit(c, leakscope.AuditExposurePerson, addr, "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// ownAddress reports whether norm (a normalised address) is one of u's
// verified addresses.
func ownAddress(u *leakscope.User, norm string) bool {
	for _, e := range u.Emails {
		if n, ok := exposure.NormalizeAddress(e); ok && n == norm {
			return true
		}
	}
	return false
}

// scopedPerson is an employee's view of their own entry pe (asked for as
// norm): the messages they may read (scope.go), and the entry's figures
// counted over those messages only. The report also counts a person as
// mentioned by name, which does not put a message in their scope, and
// figures over messages outside it would tell of mail the employee may
// not search (how many, when, with which flags).
func (s *Server) scopedPerson(ctx context.Context, u *leakscope.User, norm string, pe *leakscope.PersonExposure) (leakscope.PersonExposure, []string, error) {
	out := *pe
	out.Messages, out.Sent, out.Received, out.Mentioned, out.First, out.Last = nil, 0, 0, 0, nil, nil
	out.Flags = map[string]int{}
	own := map[string]bool{norm: true}
	for _, e := range u.Emails {
		if n, ok := exposure.NormalizeAddress(e); ok {
			own[n] = true
		}
	}
	isOwn := func(a leakscope.Address) bool {
		n, ok := exposure.NormalizeAddress(a.Email)
		return ok && own[n]
	}
	ids := []string{}
	for _, id := range pe.Messages {
		rec, err := s.deps.Messages.Message(ctx, id)
		if err != nil {
			return out, nil, err
		}
		m := rec.Message
		if !mayRead(u, m, rec.Text) {
			continue
		}
		ids = append(ids, id)
		switch {
		case isOwn(m.From):
			out.Sent++
		case slices.ContainsFunc(m.Recipients(), isOwn):
			out.Received++
		default:
			out.Mentioned++
		}
		var cats []string
		for _, f := range m.Flags {
			cats = appendUnique(cats, f.Category)
		}
		for _, c := range cats {
			out.Flags[c]++
		}
		// As the report: dates before 1970 are broken headers.
		if d := m.Date; d.Year() >= 1970 {
			if out.First == nil || d.Before(*out.First) {
				out.First = &d
			}
			if out.Last == nil || d.After(*out.Last) {
				out.Last = &d
			}
		}
	}
	return out, ids, nil
}

func (s *Server) batches(c *gin.Context) error {
	b, err := s.deps.Exposure.Batches(c.Request.Context())
	if err != nil {
		return err
	}
	out := *b
	if out.Leaks == nil {
		out.Leaks = []leakscope.Leak{}
	}
	if out.Batches == nil {
		out.Batches = []leakscope.BatchExposure{}
	}
	if err := s.audit(c, leakscope.AuditBatchList, "", "", http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *Server) batchDiff(c *gin.Context) error {
	ctx := c.Request.Context()
	label, leak := c.Param("label"), c.Query("leak")
	top, err := intParam(c, "top", DefaultDiffTop, 0, MaxDiffTop)
	if err != nil {
		return err
	}
	if len(label) > maxLabelBytes || len(leak) > maxLabelBytes {
		return errNotFound
	}
	detail := ""
	if leak != "" {
		detail = "leak " + leak
	}
	diff, err := s.deps.Exposure.BatchDiff(ctx, leak, label, top)
	if err != nil {
		return s.auditDenied(c, leakscope.AuditBatchDiff, label, detail, err)
	}
	out := *diff
	if !who(c).user.Role.Unredacted() {
		// Subjects can hold flagged values.
		out.HighestRisk = slices.Clone(diff.HighestRisk)
		for i, r := range out.HighestRisk {
			rec, err := s.deps.Messages.Message(ctx, r.ID)
			if err != nil {
				return err
			}
			out.HighestRisk[i].Subject = redactMessage(rec.Message).Subject
		}
	}
	if err := s.audit(c, leakscope.AuditBatchDiff, label, detail, http.StatusOK); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// reconciliationJSON is the "reconciliation" of GET /messages/{id}, for
// staff only: which reference message this leaked message is a copy of.
// The diff, which quotes reference text, is for admins and counsel.
type reconciliationJSON = ReferenceCopy

// reconciliationFor returns what the message view shows u of the
// reconciliation of message id: nothing for employees, who never see
// anything of the reference archive.
func (s *Server) reconciliationFor(ctx context.Context, u *leakscope.User, id string) (*reconciliationJSON, bool, error) {
	if u.Role == leakscope.RoleEmployee {
		return nil, false, nil
	}
	r, err := s.deps.Exposure.Reconciliation(ctx, id)
	if err != nil || r == nil {
		return nil, false, err
	}
	var out *reconciliationJSON
	if r.Copy != nil {
		cp := *r.Copy
		if !u.Role.Unredacted() {
			cp.Diff = ""
		}
		out = &cp
	}
	return out, r.NotInArchive, nil
}
