package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/exposure"
)

// Exposure answers the server's exposure questions (api.Exposure and
// api.Identifiers) with the code of `leakscope exposure`,
// caching what is slow to compute:
//
//   - the reconciliation, which Reconcile keeps in the reference store
//     (matching is redone only when the leak, the archive or the company
//     domains change); the reference store is opened only to read or
//     update it, keyed here by the leak's message and copy counts and the
//     reference store file's size and modification time, so that message
//     views do not open it each time;
//   - the built report (a pass over every leaked message: seconds on tens
//     of thousands), with every person's message list, keyed by the
//     leak's message and copy counts and the reconciliation's stamp.
//
// While the server runs it holds the store's write lock, so neither the
// leak, the archive (`leakscope reference` opens the store too) nor the
// company settings can change under it; the keys guard anyway.
type Exposure struct {
	a *App

	recMu    sync.Mutex
	recKey   string
	rec      *Reconciliation // nil: no reference archive
	byLeaked map[string]*api.ReferenceCopy
	notIn    map[string]bool

	repMu   sync.Mutex
	repKey  string
	rep     *leakscope.ExposureReport
	aliases map[string]string // every address of a listed person -> the address listed
}

// NewExposure returns the exposure answers over a, with empty caches.
func NewExposure(a *App) *Exposure { return &Exposure{a: a} }

// leakKey identifies the state of the leak: its message and copy counts.
func (x *Exposure) leakKey(ctx context.Context) (string, error) {
	st, err := x.a.Store.Stats(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/%d", st.Messages, st.Copies), nil
}

// referenceKey identifies the state of the reference store file.
func (x *Exposure) referenceKey() string {
	fi, err := os.Stat(filepath.Join(x.a.Dir(), "reference", "store.db"))
	if err != nil {
		return "none"
	}
	return fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano())
}

// reconciliation returns the current reconciliation (nil without a
// reference archive) and its indexes by leaked message.
func (x *Exposure) reconciliation(ctx context.Context) (*Reconciliation, map[string]*api.ReferenceCopy, map[string]bool, error) {
	x.recMu.Lock()
	defer x.recMu.Unlock()
	leak, err := x.leakKey(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if x.recKey == leak+" "+x.referenceKey() {
		return x.rec, x.byLeaked, x.notIn, nil
	}
	org, err := x.a.Org(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	rec, err := x.a.ReconcileReference(ctx, org.Domains, false)
	if err != nil {
		return nil, nil, nil, err
	}
	// Opening the reference store writes to it: the key is its state now.
	x.rec, x.recKey = rec, leak+" "+x.referenceKey()
	x.byLeaked, x.notIn = referenceCopies(rec), map[string]bool{}
	if rec != nil {
		for _, id := range rec.NotInArchive {
			x.notIn[id] = true
		}
	}
	return x.rec, x.byLeaked, x.notIn, nil
}

// referenceCopies maps each leaked message that is a copy (exact or
// re-exported) of a reference message to that message; a leaked message
// matching several takes the best (exact before re-export, then score).
// The diff goes to the copy it was made from: the first altered hit.
func referenceCopies(rec *Reconciliation) map[string]*api.ReferenceCopy {
	out := map[string]*api.ReferenceCopy{}
	if rec == nil {
		return out
	}
	for _, p := range rec.Published {
		if p.Match != string(exposure.KindExact) && p.Match != string(exposure.KindReexport) {
			continue
		}
		diffed := false
		for _, h := range p.Hits {
			if h.Kind != p.Match {
				continue
			}
			cp := &api.ReferenceCopy{Status: "identical", ReferenceID: p.ID, Match: h.Kind, Score: h.Score}
			if h.Altered {
				cp.Status = "altered"
				if !diffed {
					cp.Diff, diffed = p.Diff, true
				}
			}
			if old := out[h.ID]; old == nil || better(cp, old) {
				out[h.ID] = cp
			}
		}
	}
	return out
}

// better reports whether copy a is a better match than b.
func better(a, b *api.ReferenceCopy) bool {
	if a.Match != b.Match {
		return a.Match == string(exposure.KindExact)
	}
	return a.Score > b.Score || a.Score == b.Score && a.ReferenceID < b.ReferenceID
}

// report returns the built report, with every person's messages, and the
// addresses of the people listed.
func (x *Exposure) report(ctx context.Context) (*leakscope.ExposureReport, map[string]string, error) {
	rec, _, _, err := x.reconciliation(ctx)
	if err != nil {
		return nil, nil, err
	}
	x.repMu.Lock()
	defer x.repMu.Unlock()
	leak, err := x.leakKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	key := leak + " none"
	if rec != nil {
		key = leak + " " + rec.Stamp
	}
	if x.rep != nil && x.repKey == key {
		return x.rep, x.aliases, nil
	}
	org, err := x.a.Org(ctx)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	rep, aliases, err := x.a.buildExposure(ctx, org, rec, ExposureOptions{AllMessages: true})
	if err != nil {
		return nil, nil, err
	}
	x.a.Log.Info("exposure report built", "messages", rep.LeakTotal, "people", len(rep.People), "seconds", time.Since(start).Seconds())
	x.rep, x.aliases, x.repKey = rep, aliases, key
	return rep, aliases, nil
}

// ExposureReport is the report `leakscope exposure --json` prints, its
// people without their message lists.
func (x *Exposure) ExposureReport(ctx context.Context) (*leakscope.ExposureReport, error) {
	rep, _, err := x.report(ctx)
	if err != nil {
		return nil, err
	}
	out := *rep
	out.People = slices.Clone(rep.People)
	for i := range out.People {
		out.People[i].Messages = nil
	}
	return &out, nil
}

// Person is the report's entry for the person with the address (any of
// theirs), with their messages; someone the report does not list is
// ErrNotFound.
func (x *Exposure) Person(ctx context.Context, address string) (*leakscope.PersonExposure, error) {
	n, ok := exposure.NormalizeAddress(address)
	if !ok {
		return nil, fmt.Errorf("person %q: %w", address, leakscope.ErrNotFound)
	}
	rep, aliases, err := x.report(ctx)
	if err != nil {
		return nil, err
	}
	listed, ok := aliases[n]
	if !ok {
		return nil, fmt.Errorf("no one with this address in the leak: %w", leakscope.ErrNotFound)
	}
	for i := range rep.People {
		if rep.People[i].Address == listed {
			p := rep.People[i]
			p.Messages = slices.Clone(p.Messages)
			return &p, nil
		}
	}
	return nil, fmt.Errorf("no one with this address in the leak: %w", leakscope.ErrNotFound)
}

// Batches lists the leaks and what each batch published first.
func (x *Exposure) Batches(ctx context.Context) (*api.Batches, error) {
	rep, _, err := x.report(ctx)
	if err != nil {
		return nil, err
	}
	leaks, err := x.a.Store.Leaks(ctx)
	if err != nil {
		return nil, err
	}
	return &api.Batches{Leaks: leaks, Batches: slices.Clone(rep.Batches)}, nil
}

// Reconciliation says how the leaked message id stands against the
// reference archive; nil without one.
func (x *Exposure) Reconciliation(ctx context.Context, id string) (*api.Reconciliation, error) {
	rec, byLeaked, notIn, err := x.reconciliation(ctx)
	if err != nil || rec == nil {
		return nil, err
	}
	out := &api.Reconciliation{NotInArchive: notIn[id]}
	if cp := byLeaked[id]; cp != nil {
		c := *cp
		out.Copy = &c
	}
	return out, nil
}

// EvaluateBlinded evaluates a self-check's oblivious PRF with the store's
// key.
// BatchDiff is what a batch added (App.BatchDiff, as `leakscope diff`
// says it).
func (x *Exposure) BatchDiff(ctx context.Context, leak, batch string, top int) (*leakscope.BatchDiff, error) {
	return x.a.BatchDiff(ctx, leak, batch, top)
}

func (x *Exposure) EvaluateBlinded(ctx context.Context, elements [][]byte) ([][]byte, error) {
	return x.a.Store.EvaluateBlinded(ctx, elements)
}

// IdentifierLookup answers a self-check's look-up from the store.
func (x *Exposure) IdentifierLookup(ctx context.Context, prefix string, min int) (*api.IdentifierLookup, error) {
	r, err := x.a.Store.IdentifierLookup(ctx, prefix, min)
	if err != nil {
		return nil, err
	}
	return &api.IdentifierLookup{Entries: r.Entries, Incomplete: r.Incomplete}, nil
}
