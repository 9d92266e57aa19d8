package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/store"
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
	return m.withStore(ctx, &c, false, func(st *store.DB) error {
		if *verify {
			return m.verifyAudit(ctx, st, *anchor, *asJSON)
		}
		return m.listAudit(ctx, st, *after, *limit, *asJSON)
	})
}

// verifyOutput is what audit --verify --json prints.
type verifyOutput struct {
	OK      bool            `json:"ok"`
	Entries uint64          `json:"entries"`
	Head    store.AuditHead `json:"head"`
	Error   string          `json:"error,omitempty"`
}

func (m *Main) verifyAudit(ctx context.Context, st *store.DB, anchor string, asJSON bool) error {
	head, err := st.VerifyAudit(ctx)
	if err == nil && anchor != "" {
		err = checkAnchor(ctx, st, anchor)
	}
	if asJSON {
		out := verifyOutput{OK: err == nil, Entries: head.Seq, Head: head}
		if err != nil {
			out.Error = err.Error()
		}
		if perr := m.printJSON(out); perr != nil {
			return perr
		}
	}
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Fprintf(m.stdout, "audit log intact: %d entries\nhead: %d:%s\n", head.Seq, head.Seq, head.Hash)
		if anchor != "" {
			fmt.Fprintf(m.stdout, "anchor %s found unchanged\n", anchor)
		}
	}
	return nil
}

// checkAnchor checks that entry SEQ still has hash HASH.
func checkAnchor(ctx context.Context, st *store.DB, anchor string) error {
	seqText, hash, ok := strings.Cut(anchor, ":")
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if !ok || err != nil || seq == 0 || len(hash) != 64 {
		return usagef("audit: --anchor %q: want SEQ:HASH as printed by audit --verify", anchor)
	}
	es, err := st.AuditEntries(ctx, seq-1, 1)
	if err != nil {
		return err
	}
	if len(es) == 0 || es[0].Seq != seq {
		return &leakscope.AuditError{Seq: seq, Reason: "the anchored entry is gone"}
	}
	if !strings.EqualFold(es[0].Hash, hash) {
		return &leakscope.AuditError{Seq: seq, Reason: "the anchored entry's hash changed (the log was rewritten from there)"}
	}
	return nil
}

func (m *Main) listAudit(ctx context.Context, st *store.DB, after uint64, limit int, asJSON bool) error {
	if limit < 0 {
		return usagef("audit: --limit %d: want 0 or more", limit)
	}
	const page = 1000
	var all []leakscope.AuditEntry
	for limit == 0 || len(all) < limit {
		n := page
		if limit > 0 {
			n = min(page, limit-len(all))
		}
		es, err := st.AuditEntries(ctx, after, n)
		if err != nil {
			return err
		}
		all = append(all, es...)
		if len(es) < n {
			break
		}
		after = es[len(es)-1].Seq
	}
	if asJSON {
		if all == nil {
			all = []leakscope.AuditEntry{}
		}
		return m.printJSON(all)
	}
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
