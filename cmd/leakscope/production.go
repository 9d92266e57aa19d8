package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/store"
)

// Audited actions of productions (AuditEntry.Action; stable names).
const (
	auditProductionCreate = "production.create" // Target: the production; Detail: prefix, digits, start
	auditNotify           = "notify.report"     // Target: the production, if any; Detail: counts
)

const productionHelp = `
Productions are counsel's named production sets. A production keeps its
Bates prefix and its next number across exports: the first export of
"acme" numbers ACME0000001 on, the next one continues where it stopped.
Numbers are per document (a message, then each of its attachments).

  create NAME --prefix P [--digits 7] [--start N]   a new production
  list [--json]                                     productions, their next number and exports

Examples:
  leakscope production create acme-vol1 --prefix ACME
  leakscope production create smith-v-acme --prefix SMITH_ --digits 8 --start 1001
  leakscope production list --json
  leakscope export --tag responsive --production acme-vol1 --out ACME001   (see "leakscope export --help")
`

func (m *Main) runProduction(ctx context.Context, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		var c common
		fs := m.newFlags("production", "create|list ...", productionHelp, &c)
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		return usagef("production: want create or list")
	}
	switch args[0] {
	case "create":
		return m.runProductionCreate(ctx, args[1:])
	case "list":
		return m.runProductionList(ctx, args[1:])
	}
	return usagef("production: unknown subcommand %q (want create or list)", args[0])
}

func (m *Main) runProductionCreate(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("production create", "NAME --prefix P [--digits N] [--start N]", productionHelp, &c)
	prefix := fs.String("prefix", "", "Bates `PREFIX` (letters, digits, '.', '_', '-'), required")
	digits := fs.Int("digits", 7, "zero-padded width `N` of the number")
	start := fs.Uint64("start", 1, "first Bates number `N`")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("production create: want exactly one NAME")
	}
	if *prefix == "" {
		return usagef("production create: --prefix is required")
	}
	if *start == 0 {
		return usagef("production create: --start must be 1 or more")
	}
	return m.withStore(ctx, &c, true, func(st *store.DB) error {
		p, err := st.CreateProduction(ctx, store.Production{Name: rest[0], Prefix: *prefix, Digits: *digits, Next: *start})
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("prefix %s, digits %d, start %d", p.Prefix, p.Digits, p.Next)
		if err := cliAudit(ctx, st, auditProductionCreate, p.Name, detail); err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "production %s created: first number %s\n", p.Name, export.FormatBates(p.Prefix, p.Digits, p.Next))
		return nil
	})
}

func (m *Main) runProductionList(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("production list", "[--json]", productionHelp, &c)
	asJSON := fs.Bool("json", false, "print the productions with every export as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("production list: unexpected argument %q", rest[0])
	}
	return m.withStore(ctx, &c, false, func(st *store.DB) error {
		ps, err := st.Productions(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return m.printJSON(map[string]any{"productions": ps})
		}
		if len(ps) == 0 {
			fmt.Fprintln(m.stdout, "no productions (create one with `leakscope production create NAME --prefix P`)")
			return nil
		}
		tw := tabwriter.NewWriter(m.stdout, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tNEXT\tEXPORTS\tDOCUMENTS\tLAST EXPORT")
		for _, p := range ps {
			docs, last := 0, "-"
			for _, e := range p.Exports {
				docs += e.Documents
				last = e.Time.Format("2006-01-02 15:04")
				if e.Documents > 0 {
					last += " " + export.FormatBatesRange(p.Prefix, p.Digits, e.First, e.Last)
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", p.Name, export.FormatBates(p.Prefix, p.Digits, p.Next), len(p.Exports), docs, last)
		}
		return tw.Flush()
	})
}

// reviewOptions are the options of the server's review (app.Review):
// this program's version.
func reviewOptions(d *data) app.ReviewOptions {
	return app.ReviewOptions{ToolVersion: "leakscope " + version}
}
