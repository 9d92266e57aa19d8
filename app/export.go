package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// AuditExport is the audit action of a recorded export (AuditEntry.Action;
// a stable name). Target: the production; Detail: counts, Bates range,
// query, output, manifest.
const AuditExport = "export"

// ExportPlan is an export about to run: the production and the messages
// the query selects. The command line and the server's export jobs both
// export through it.
type ExportPlan struct {
	Production *store.Production
	Query      string   // as typed; "tag:NAME" for a tag
	IDs        []string // oldest first
}

// ExportSettings are the options of one export.
type ExportSettings struct {
	Volume                                  string // default: the first Bates number
	Redact, IncludePrivileged, PrivilegeLog bool
	// Who is the audit entry's user (User, UserID, Role, Remote) the
	// export is recorded under.
	Who leakscope.AuditEntry
	// ToolVersion is recorded in each chain-of-custody record
	// ("leakscope 1.2.0"); default: export's.
	ToolVersion string
	Progress    func(export.Progress) // nil: none
}

// PlanExport finds the production and the messages matching q (text as
// typed), oldest first. An unknown production is leakscope.ErrNotFound
// naming the command that creates one.
func (a *App) PlanExport(ctx context.Context, production, text string, q leakscope.Query) (*ExportPlan, error) {
	p, err := a.Store.Production(ctx, production)
	if errors.Is(err, leakscope.ErrNotFound) {
		return nil, fmt.Errorf("no production %q (create it with `leakscope production create %s --prefix P`): %w", production, production, leakscope.ErrNotFound)
	} else if err != nil {
		return nil, err
	}
	ids, err := a.Index.IDs(ctx, search.Request{Query: q, Sort: search.SortDateAsc, Values: true})
	if err != nil {
		return nil, err
	}
	return &ExportPlan{Production: p, Query: text, IDs: ids}, nil
}

// Export exports the plan's messages to out (a new directory, or a zip
// file when it ends in ".zip"), numbered from the production's next
// number, and records the export with the production and in the audit
// log before moving it into place: an export that cannot be recorded
// leaves nothing and uses no number.
func (a *App) Export(ctx context.Context, pl *ExportPlan, out string, set ExportSettings) (*export.Summary, error) {
	p := pl.Production
	opts := export.Options{
		Prefix: p.Prefix, Digits: p.Digits, Start: p.Next, Volume: set.Volume,
		Tags: a.Store, IncludePrivileged: set.IncludePrivileged, PrivilegeLog: set.PrivilegeLog, Redact: set.Redact,
		ToolVersion: set.ToolVersion, Logger: a.Log, Progress: set.Progress,
		Commit: func(ctx context.Context, s *export.Summary) error {
			return recordExport(ctx, a.Store, p, s, pl.Query, out, set.Who)
		},
	}
	return export.New(a.Store, opts).Run(ctx, pl.IDs, out)
}

// recordExport records the export with its production, reserving its
// numbers, and in the audit log. who names the user (User, UserID, Role,
// Remote of an audit entry).
func recordExport(ctx context.Context, st *store.DB, p *store.Production, s *export.Summary, q, out string, who leakscope.AuditEntry) error {
	docs := make([]store.BatesAssignment, len(s.Assigned))
	for i, a := range s.Assigned {
		docs[i] = store.BatesAssignment{ID: a.ID, Begin: a.Begin, End: a.End}
	}
	rec := store.ProductionExport{Time: time.Now(), User: who.User, Query: q, Output: out, Messages: s.Messages,
		Documents: s.Documents, Withheld: s.Withheld, First: s.First, Last: s.Last, Manifest: s.Manifest}
	if _, err := st.RecordExport(ctx, p.Name, rec, docs); err != nil {
		return err
	}
	detail := fmt.Sprintf("%d messages, %d documents", s.Messages, s.Documents)
	if s.Documents > 0 {
		detail += ", " + export.FormatBatesRange(p.Prefix, p.Digits, s.First, s.Last)
	}
	detail += fmt.Sprintf(", %d withheld, %d redactions; query %s; out %s; manifest %s", s.Withheld, s.Redactions, q, out, s.Manifest)
	e := who
	e.Action, e.Target, e.Detail = AuditExport, p.Name, detail
	_, err := st.AppendAudit(ctx, e)
	return err
}
