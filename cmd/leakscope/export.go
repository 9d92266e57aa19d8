package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/query"
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
	var set app.ExportSettings
	fs.BoolVar(&set.Redact, "redact", false, "redact flagged values in texts and load files, with a redaction log")
	fs.BoolVar(&set.IncludePrivileged, "include-privileged", false, "produce messages tagged privileged instead of withholding them")
	fs.BoolVar(&set.PrivilegeLog, "privilege-log", false, "write DATA/PRIVILEGE_LOG.csv")
	fs.StringVar(&set.Volume, "volume", "", "`NAME` of the load files (default: the first Bates number)")
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
	return m.export(ctx, &c, *prod, text, *out, set, *asJSON, *noProgress)
}

// export runs the export of the messages matching text to out and prints
// its summary.
func (m *Main) export(ctx context.Context, c *common, prod, text, out string, set app.ExportSettings, asJSON, noProgress bool) error {
	parsed, err := query.Parse(text)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	d, err := m.openData(ctx, c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	plan, err := d.PlanExport(ctx, prod, text, parsed)
	if err != nil {
		return err
	}
	set.Who = leakscope.AuditEntry{User: cliUser(), Remote: "local"}
	set.ToolVersion = "leakscope " + version
	if !noProgress {
		pr := newExportProgress(m.stderr, m.isTerminal(m.stderr), len(plan.IDs))
		defer pr.finish()
		set.Progress = pr.update
	}
	sum, err := d.Export(ctx, plan, abs, set)
	if err != nil {
		return err
	}
	p := plan.Production
	if asJSON {
		return m.printJSON(exportOutput{Production: p.Name, Query: text, Summary: sum,
			MessagesPerSec: float64(sum.Messages) / max(sum.Elapsed.Seconds(), 1e-9)})
	}
	m.printExport(p, sum, len(plan.IDs))
	return nil
}

// exportOutput is what export --json prints.
type exportOutput struct {
	Production string `json:"production"`
	Query      string `json:"query"`
	*export.Summary
	MessagesPerSec float64 `json:"messages_per_second"`
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
