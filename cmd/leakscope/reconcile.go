package main

import (
	"context"
	"encoding/json"
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

// reconciliation is the outcome of matching the reference archive against
// the leak, kept in the reference store (settingReconciliation) so that
// reports do not redo it while neither side changed.
type reconciliation struct {
	// Stamp says what was matched: the message counts of both sides and
	// the company domains. A report recomputes when it differs.
	Stamp          string         `json:"stamp"`
	Finished       time.Time      `json:"finished"`
	ReferenceTotal int            `json:"reference_total"`
	Published      []publishedMsg `json:"published"`
	NotInArchive   []string       `json:"not_in_archive"`
	Counts         map[string]int `json:"counts"` // reference messages per match kind (none included)
}

// publishedMsg is one reference message found in the leak.
type publishedMsg = leakscope.PublishedMessage

const settingReconciliation = "reconciliation"

// storeTexts gives the Matcher leaked texts back from the store.
type storeTexts struct{ st *store.DB }

func (s storeTexts) Text(ctx context.Context, id string) (*leakscope.Text, error) {
	return s.st.Text(ctx, id)
}

// reconcile returns the reconciliation of ref against the leak in d,
// reusing the stored one when nothing changed (force: always recompute).
func reconcile(ctx context.Context, d *data, ref *store.DB, domains []string, force bool) (*reconciliation, error) {
	leakStats, err := d.Store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	refStats, err := ref.Stats(ctx)
	if err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("leak %d/%d reference %d/%d domains %s", leakStats.Messages, leakStats.Copies,
		refStats.Messages, refStats.Copies, strings.Join(domains, ","))
	if !force {
		if v, err := ref.Setting(ctx, settingReconciliation); err == nil && len(v) > 0 {
			var r reconciliation
			if json.Unmarshal(v, &r) == nil && r.Stamp == stamp {
				return &r, nil
			}
		}
	}
	start := time.Now()
	m := exposure.NewMatcher(exposure.Options{Texts: storeTexts{d.Store}, Logger: d.Log})
	err = d.Store.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := d.Store.Documents(ctx, ids)
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
	r := &reconciliation{Stamp: stamp, Published: []publishedMsg{}, Counts: map[string]int{}}
	var mu sync.Mutex
	err = ref.MessageIDs(ctx, 200, func(ids []string) error {
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
					doc := docs[i]
					match, err := m.Match(ctx, doc.Message, doc.Text)
					if err != nil {
						errs[i] = err
						continue
					}
					mu.Lock()
					r.ReferenceTotal++
					r.Counts[string(match.Kind)]++
					if match.Kind != exposure.KindNone {
						r.Published = append(r.Published, publishedMsg{
							ID: doc.Message.ID, MessageID: doc.Message.MessageID, Match: string(match.Kind), Score: match.Score,
							Leaked: match.IDs(), Hits: matchHits(match.Leaked), Altered: match.Altered, Diff: match.Diff,
						})
					}
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
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	slices.SortFunc(r.Published, func(a, b publishedMsg) int { return strings.Compare(a.ID, b.ID) })
	r.NotInArchive = m.NotInArchive(domains)
	if r.NotInArchive == nil {
		r.NotInArchive = []string{}
	}
	r.Finished = time.Now().UTC()
	d.Log.Info("reconciled", "reference", r.ReferenceTotal, "leaked", m.Len(), "published", len(r.Published), "seconds", time.Since(start).Seconds())
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if err := ref.PutSetting(ctx, settingReconciliation, data); err != nil {
		return nil, err
	}
	return r, nil
}

// matchHits converts the matcher's hits to the report's.
func matchHits(hits []exposure.Hit) []leakscope.MatchHit {
	var out []leakscope.MatchHit
	for _, h := range hits {
		out = append(out, leakscope.MatchHit{ID: h.ID, Kind: string(h.Kind), Score: h.Score, Altered: h.Altered})
	}
	return out
}
