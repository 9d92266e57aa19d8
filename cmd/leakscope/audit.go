package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
)

const auditHelp = `
List the audit log: every search, message view and download, login and
admin action of "leakscope serve", and every "leakscope user" change: who,
when, what, from where and the answer's status, oldest first.

The log is hash-chained: each entry holds the SHA-256 of the one before.
--verify walks the chain and fails (exit 1) naming the first entry that was
edited, deleted, inserted or moved. It prints the head (last entry and its
hash): keep it somewhere else (a ticket, a mail to counsel), and later check
with --anchor SEQ:HASH that the entry is still there unchanged, which also
catches a chain rewritten from that entry on.

Examples:
  leakscope audit --limit 20 --after 1000
  leakscope audit --verify
  leakscope audit --verify --anchor 1234:5f0c...e1
`

func (m *Main) runAudit(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("audit", "[--verify [--anchor SEQ:HASH]] [--json]", auditHelp, &c)
	verify := fs.Bool("verify", false, "check the hash chain instead of listing")
	anchor := fs.String("anchor", "", "with --verify: `SEQ:HASH` of an entry recorded earlier, which must be unchanged")
	asJSON := fs.Bool("json", false, "print JSON")
	after := fs.Uint64("after", 0, "list entries after number `N`")
	limit := fs.Int("limit", 0, "list at most `N` entries (0: all)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit: unexpected argument %q", rest[0])
	}
	if *anchor != "" && !*verify {
		return usagef("audit: --anchor goes with --verify")
	}
	return m.withApp(ctx, &c, app.StoreOnly, func(a *app.App) error {
		if *verify {
			return m.verifyAudit(ctx, a, *anchor, *asJSON)
		}
		if *limit < 0 {
			return usagef("audit: --limit %d: want 0 or more", *limit)
		}
		entries, err := a.AuditEntries(ctx, *after, *limit)
		if err != nil {
			return err
		}
		if *asJSON {
			return m.printJSON(entries)
		}
		return m.printAudit(entries)
	})
}

func (m *Main) verifyAudit(ctx context.Context, a *app.App, anchor string, asJSON bool) error {
	check, err := a.VerifyAudit(ctx, anchor)
	if errors.Is(err, leakscope.ErrInvalidInput) {
		err = usagef("audit: --%s", strings.TrimSuffix(err.Error(), ": "+leakscope.ErrInvalidInput.Error()))
		check.Error = err.Error()
	}
	if asJSON {
		if perr := m.printJSON(check); perr != nil {
			return perr
		}
	}
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Fprintf(m.stdout, "audit log intact: %d entries\nhead: %d:%s\n", check.Head.Seq, check.Head.Seq, check.Head.Hash)
		if anchor != "" {
			fmt.Fprintf(m.stdout, "anchor %s found unchanged\n", anchor)
		}
	}
	return nil
}

// printAudit prints audit entries as a table.
func (m *Main) printAudit(all []leakscope.AuditEntry) error {
	if len(all) == 0 {
		fmt.Fprintln(m.stdout, "the audit log is empty")
		return nil
	}
	tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME (UTC)\tUSER\tACTION\tTARGET\tDETAIL\tFROM\tSTATUS")
	for _, e := range all {
		user := e.User
		if e.Role != "" {
			user += " (" + string(e.Role) + ")"
		}
		status := "-"
		if e.Status != 0 {
			status = strconv.Itoa(e.Status)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.Format("2006-01-02 15:04:05"), user, e.Action,
			orDash(oneLine(e.Target)), orDash(oneLine(e.Detail)), orDash(e.Remote), status)
	}
	return tw.Flush()
}

// oneLine keeps a value on one line of the table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
