package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/store"
)

// Reconciliation is the outcome of matching the reference archive against
// the leak, kept in the reference store (settingReconciliation) so that
// reports do not redo it while neither side changed.
type Reconciliation struct {
	// Stamp says what was matched: the message counts of both sides and
	// the company domains. A report recomputes when it differs.
	Stamp          string                       `json:"stamp"`
	Finished       time.Time                    `json:"finished"`
	ReferenceTotal int                          `json:"reference_total"`
	Published      []leakscope.PublishedMessage `json:"published"`
	NotInArchive   []string                     `json:"not_in_archive"`
	Counts         map[string]int               `json:"counts"` // reference messages per match kind (none included)
}

const settingReconciliation = "reconciliation"

// storeTexts gives the Matcher leaked texts back from the store.
type storeTexts struct{ st *store.DB }

func (s storeTexts) Text(ctx context.Context, id string) (*leakscope.Text, error) {
	return s.st.Text(ctx, id)
}

// ReconcileReference reconciles the reference archive, when there is
// one, with the leak (see Reconcile); without one it returns nil.
func (a *App) ReconcileReference(ctx context.Context, domains []string, force bool) (*Reconciliation, error) {
	ref, err := a.OpenReference(ctx, false)
	if errors.Is(err, leakscope.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec, err := a.Reconcile(ctx, ref, domains, force)
	if cerr := ref.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// Reconcile returns the reconciliation of the reference archive ref
// against the leak, reusing the one stored in ref when nothing changed
// (force: always recompute), and stores a new one there.
func (a *App) Reconcile(ctx context.Context, ref *store.DB, domains []string, force bool) (*Reconciliation, error) {
	stamp, err := a.reconcileStamp(ctx, ref, domains)
	if err != nil {
		return nil, err
	}
	if !force {
		if v, err := ref.Setting(ctx, settingReconciliation); err == nil && len(v) > 0 {
			var r Reconciliation
			if json.Unmarshal(v, &r) == nil && r.Stamp == stamp {
				return &r, nil
			}
		}
	}
	start := time.Now()
	m, err := a.leakMatcher(ctx)
	if err != nil {
		return nil, err
	}
	r := &Reconciliation{Stamp: stamp, Published: []leakscope.PublishedMessage{}, Counts: map[string]int{}}
	if err := matchReference(ctx, m, ref, r); err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	slices.SortFunc(r.Published, func(a, b leakscope.PublishedMessage) int { return strings.Compare(a.ID, b.ID) })
	r.NotInArchive = m.NotInArchive(domains)
	if r.NotInArchive == nil {
		r.NotInArchive = []string{}
	}
	r.Finished = time.Now().UTC()
	a.Log.Info("reconciled", "reference", r.ReferenceTotal, "leaked", m.Len(), "published", len(r.Published), "seconds", time.Since(start).Seconds())
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if err := ref.PutSetting(ctx, settingReconciliation, data); err != nil {
		return nil, err
	}
	return r, nil
}

// reconcileStamp says what a reconciliation matches: the message and
// copy counts of both sides and the company domains.
func (a *App) reconcileStamp(ctx context.Context, ref *store.DB, domains []string) (string, error) {
	leakStats, err := a.Store.Stats(ctx)
	if err != nil {
		return "", err
	}
	refStats, err := ref.Stats(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("leak %d/%d reference %d/%d domains %s", leakStats.Messages, leakStats.Copies,
		refStats.Messages, refStats.Copies, strings.Join(domains, ",")), nil
}

// leakMatcher returns a matcher holding every leaked message.
func (a *App) leakMatcher(ctx context.Context) (*exposure.Matcher, error) {
	m := exposure.NewMatcher(exposure.Options{Texts: storeTexts{a.Store}, Logger: a.Log})
	err := a.Store.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := a.Store.Documents(ctx, ids)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			if err := m.AddLeaked(doc.Message, doc.Text); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reconcile: read the leak: %w", err)
	}
	return m, nil
}

// matchReference matches every reference message against the leak, a
// batch at a time, one batch's messages in parallel, adding to r.
func matchReference(ctx context.Context, m *exposure.Matcher, ref *store.DB, r *Reconciliation) error {
	var mu sync.Mutex
	return ref.MessageIDs(ctx, 200, func(ids []string) error {
		docs, err := ref.Documents(ctx, ids)
		if err != nil {
			return err
		}
		errs := make([]error, len(docs))
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					match, err := m.Match(ctx, docs[i].Message, docs[i].Text)
					if err != nil {
						errs[i] = err
						continue
					}
					mu.Lock()
					r.add(docs[i].Message, match)
					mu.Unlock()
				}
			}()
		}
		for i := range docs {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// add counts the match of one reference message.
func (r *Reconciliation) add(msg *leakscope.Message, match exposure.Match) {
	r.ReferenceTotal++
	r.Counts[string(match.Kind)]++
	if match.Kind != exposure.KindNone {
		r.Published = append(r.Published, leakscope.PublishedMessage{
			ID: msg.ID, MessageID: msg.MessageID, Match: string(match.Kind), Score: match.Score,
			Leaked: match.IDs(), Hits: matchHits(match.Leaked), Altered: match.Altered, Diff: match.Diff,
		})
	}
}

// matchHits converts the matcher's hits to the report's.
func matchHits(hits []exposure.Hit) []leakscope.MatchHit {
	var out []leakscope.MatchHit
	for _, h := range hits {
		out = append(out, leakscope.MatchHit{ID: h.ID, Kind: string(h.Kind), Score: h.Score, Altered: h.Altered})
	}
	return out
}
