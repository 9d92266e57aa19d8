package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/store"
)

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	OK      bool            `json:"ok"`
	Entries uint64          `json:"entries"`
	Head    store.AuditHead `json:"head"`
	Error   string          `json:"error,omitempty"`
}

// VerifyAudit walks the audit log's hash chain and, when anchor is set
// ("SEQ:HASH", as a check printed it earlier), checks that entry is still
// there unchanged, which also catches a chain rewritten from it on. A
// broken chain or anchor is a *leakscope.AuditError, returned with the
// check; a malformed anchor wraps leakscope.ErrInvalidInput.
func (a *App) VerifyAudit(ctx context.Context, anchor string) (AuditCheck, error) {
	head, err := a.Store.VerifyAudit(ctx)
	if err == nil && anchor != "" {
		err = a.checkAnchor(ctx, anchor)
	}
	out := AuditCheck{OK: err == nil, Entries: head.Seq, Head: head}
	if err != nil {
		out.Error = err.Error()
	}
	return out, err
}

func (a *App) checkAnchor(ctx context.Context, anchor string) error {
	seqText, hash, ok := strings.Cut(anchor, ":")
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if !ok || err != nil || seq == 0 || len(hash) != 64 {
		return fmt.Errorf("anchor %q: want SEQ:HASH as printed by audit --verify: %w", anchor, leakscope.ErrInvalidInput)
	}
	es, err := a.Store.AuditEntries(ctx, seq-1, 1)
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

// AuditEntries returns the entries after seq after, oldest first, at most
// limit of them (0: all), read a page at a time.
func (a *App) AuditEntries(ctx context.Context, after uint64, limit int) ([]leakscope.AuditEntry, error) {
	if limit < 0 {
		return nil, fmt.Errorf("limit %d: want 0 or more: %w", limit, leakscope.ErrInvalidInput)
	}
	const page = 1000
	all := []leakscope.AuditEntry{}
	for limit == 0 || len(all) < limit {
		n := page
		if limit > 0 {
			n = min(page, limit-len(all))
		}
		es, err := a.Store.AuditEntries(ctx, after, n)
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
		if len(es) < n {
			break
		}
		after = es[len(es)-1].Seq
	}
	return all, nil
}
