package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

const exportHelp = `
Export a production for counsel: the messages a query (or a review tag)
selects, oldest first, numbered with the production's Bates prefix from
its next number on. Each message is a document; its attachments follow it
as documents of its family (BEGATTACH..ENDATTACH). OUT is a new directory,
or a zip file when it ends in ".zip":

  NATIVES/   the original messages byte for byte (.eml) and attachments
  TEXT/      extracted text per document
  DATA/      VOLUME.dat (Concordance DAT: UTF-8, DC4 separators, þ quotes,
             ® for line breaks), VOLUME.xml (EDRM XML 1.2), VOLUME.csv,
             CUSTODY.jsonl (chain of custody per document: source container,
             archive member, offset, ingest time, tool version)
  MANIFEST.sha256   checks every file: cd OUT && sha256sum -c MANIFEST.sha256

Messages tagged "privileged" are withheld with their attachments (and use no
number) unless --include-privileged; --privilege-log lists them in
DATA/PRIVILEGE_LOG.csv (date, author, recipients, subject, basis: the tag's
note). --redact replaces flagged values (SSNs, card numbers, passwords,
medical terms...) by "[REDACTED: category]" in TEXT and in the SUBJECT and
FILENAME fields, logs each in DATA/REDACTIONS.csv, and withholds the natives
that hold them.

The export is written beside OUT and moved into place only when complete;
an interrupted export leaves nothing and uses no number. Every export is
recorded with the production and in the audit log (who, counts, Bates
range, query; never content).

Examples:
  leakscope production create acme-vol1 --prefix ACME
  leakscope export --tag responsive --production acme-vol1 --out ACME001
  leakscope export --query 'custodian:lay-k flag:compensation' --production acme-vol1 --out ACME002.zip --redact
  leakscope export --query '*' --production acme-vol1 --out ACME003 --privilege-log
`

func (m *Main) runExport(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("export", "(--query Q | --tag T) --production NAME --out DIR|FILE.zip [flags]", exportHelp, &c)
	q := fs.String("query", "", "export the messages matching `QUERY` (see \"leakscope search --help\")")
	tag := fs.String("tag", "", "export the messages tagged `TAG` (the query tag:TAG)")
	prod := fs.String("production", "", "the production `NAME` (see \"leakscope production\"), required")
	out := fs.String("out", "", "write to the new directory or .zip `PATH`, required")
	redact := fs.Bool("redact", false, "redact flagged values in texts and load files, with a redaction log")
	includePriv := fs.Bool("include-privileged", false, "produce messages tagged privileged instead of withholding them")
	privLog := fs.Bool("privilege-log", false, "write DATA/PRIVILEGE_LOG.csv")
	volume := fs.String("volume", "", "`NAME` of the load files (default: the first Bates number)")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	noProgress := fs.Bool("no-progress", false, "no progress bar or progress lines")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("export: unexpected argument %q (put the query in --query)", rest[0])
	}
	if (*q == "") == (*tag == "") {
		return usagef("export: give exactly one of --query and --tag")
	}
	if *prod == "" || *out == "" {
		return usagef("export: --production and --out are required")
	}
	text := *q
	if *tag != "" {
		name, err := leakscope.ParseTagName(*tag)
		if err != nil {
			return err
		}
		text = "tag:" + name
	}
	parsed, err := query.Parse(text)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	d, err := m.openData(ctx, &c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	plan, err := planExport(ctx, d, *prod, text, parsed)
	if err != nil {
		return err
	}
	set := exportSettings{volume: *volume, redact: *redact, includePrivileged: *includePriv, privilegeLog: *privLog,
		who: leakscope.AuditEntry{User: cliUser(), Remote: "local"}}
	if !*noProgress {
		pr := newExportProgress(m.stderr, m.isTerminal(m.stderr), len(plan.ids))
		defer pr.finish()
		set.progress = pr.update
	}
	sum, err := plan.run(ctx, d, abs, set)
	if err != nil {
		return err
	}
	p := plan.prod
	if *asJSON {
		return m.printJSON(exportOutput{Production: p.Name, Query: text, Summary: sum,
			MessagesPerSec: float64(sum.Messages) / max(sum.Elapsed.Seconds(), 1e-9)})
	}
	m.printExport(p, sum, len(plan.ids))
	return nil
}

// exportPlan is an export about to run: the production and the messages
// the query selects. The command line and the server both export
// through it.
type exportPlan struct {
	prod  *store.Production
	query string   // as typed; "tag:NAME" for a tag
	ids   []string // oldest first
}

// exportSettings are the options of one export.
type exportSettings struct {
	volume                                  string // default: the first Bates number
	redact, includePrivileged, privilegeLog bool
	// who is the audit entry's user (User, UserID, Role, Remote) the
	// export is recorded under.
	who      leakscope.AuditEntry
	progress func(export.Progress) // nil: none
}

// planExport finds the production and the messages matching q (text as
// typed).
func planExport(ctx context.Context, d *data, production, text string, q leakscope.Query) (*exportPlan, error) {
	p, err := d.Store.Production(ctx, production)
	if errors.Is(err, leakscope.ErrNotFound) {
		return nil, fmt.Errorf("no production %q (create it with `leakscope production create %s --prefix P`): %w", production, production, leakscope.ErrNotFound)
	} else if err != nil {
		return nil, err
	}
	ids, err := d.Index.IDs(ctx, search.Request{Query: q, Sort: search.SortDateAsc, Values: true})
	if err != nil {
		return nil, err
	}
	return &exportPlan{prod: p, query: text, ids: ids}, nil
}

// run exports the plan's messages to out (a new directory, or a zip file
// when it ends in ".zip"), numbered from the production's next number,
// and records the export with the production and in the audit log.
func (pl *exportPlan) run(ctx context.Context, d *data, out string, set exportSettings) (*export.Summary, error) {
	p := pl.prod
	opts := export.Options{
		Prefix: p.Prefix, Digits: p.Digits, Start: p.Next, Volume: set.volume,
		Tags: d.Store, IncludePrivileged: set.includePrivileged, PrivilegeLog: set.privilegeLog, Redact: set.redact,
		ToolVersion: "leakscope " + version, Logger: d.Log, Progress: set.progress,
		Commit: func(ctx context.Context, s *export.Summary) error {
			return recordExport(ctx, d.Store, p, s, pl.query, out, set.who)
		},
	}
	return export.New(d.Store, opts).Run(ctx, pl.ids, out)
}

// exportOutput is what export --json prints.
type exportOutput struct {
	Production string `json:"production"`
	Query      string `json:"query"`
	*export.Summary
	MessagesPerSec float64 `json:"messages_per_second"`
}

// recordExport records the export with its production, reserving its
// numbers, and in the audit log; it runs before the output is moved into
// place, so that an export that cannot be recorded leaves nothing.
// who names the user (User, UserID, Role, Remote of an audit entry).
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
	e.Action, e.Target, e.Detail = auditExport, p.Name, detail
	_, err := st.AppendAudit(ctx, e)
	return err
}

func (m *Main) printExport(p *store.Production, s *export.Summary, asked int) {
	w := m.stdout
	fmt.Fprintf(w, "production %s: %s\n", p.Name, s.Output)
	if s.Documents > 0 {
		fmt.Fprintf(w, "  bates       %s (%d documents)\n", export.FormatBatesRange(p.Prefix, p.Digits, s.First, s.Last), s.Documents)
	} else {
		fmt.Fprintf(w, "  bates       none used\n")
	}
	fmt.Fprintf(w, "  messages    %d produced of %d matching", s.Messages, asked)
	if s.Skipped > 0 {
		fmt.Fprintf(w, " (%d produced within their parent's family)", s.Skipped)
	}
	fmt.Fprintln(w)
	if s.Withheld > 0 {
		fmt.Fprintf(w, "  withheld    %d privileged\n", s.Withheld)
	}
	if s.Redactions > 0 {
		fmt.Fprintf(w, "  redactions  %d (DATA/%s)\n", s.Redactions, export.RedactionLogName)
	}
	if s.Missing > 0 {
		fmt.Fprintf(w, "  missing     %d documents produced without their native (an attachment's bytes not in its message, or an original lost to damage: see leakscope verify)\n", s.Missing)
	}
	fmt.Fprintf(w, "  files       %d, %.1f MB, manifest sha256 %s\n", s.Files, float64(s.Bytes)/1e6, s.Manifest)
	el := s.Elapsed.Seconds()
	fmt.Fprintf(w, "  elapsed     %.1fs, %.0f messages/s, %.1f MB/s\n", el, float64(s.Messages)/max(el, 1e-9), float64(s.Bytes)/1e6/max(el, 1e-9))
}
