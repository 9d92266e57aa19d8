package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/store"
)

// RedetectSummary is the outcome of Redetect (redetect --json prints it).
type RedetectSummary struct {
	Messages       int            `json:"messages"`
	Changed        int            `json:"changed"`
	Flagged        int            `json:"flagged"`
	TextLost       int            `json:"text_lost,omitempty"` // skipped: their text is unreadable (see verify), their flags kept
	Categories     map[string]int `json:"categories"`          // messages per flag category
	ElapsedSeconds float64        `json:"elapsed_seconds"`
}

// Redetect re-runs sensitive-content detection over every stored
// message, from the texts the store keeps (the dumps are not needed), with
// the detection settings s (LoadDetector), and updates flags, risk
// scores, identifiers and the search index. A message whose text damage
// made unreadable keeps its flags. Interrupted, it is simply run again.
func (a *App) Redetect(ctx context.Context, s DetectSettings) (*RedetectSummary, error) {
	det, err := a.Detector(ctx, s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sum := &RedetectSummary{Categories: map[string]int{}}
	err = a.Store.MessageIDs(ctx, 500, func(ids []string) error {
		return a.redetect(ctx, det, ids, sum)
	})
	if err != nil {
		return nil, fmt.Errorf("redetect: %w", err)
	}
	// Recover indexes the messages whose flags changed (they are pending),
	// then merges the index.
	if err := a.indexer(indexer.Options{}).Recover(ctx); err != nil {
		return nil, fmt.Errorf("redetect: update the index: %w", err)
	}
	sum.ElapsedSeconds = time.Since(start).Seconds()
	return sum, nil
}

// redetect re-runs detection on the messages ids and counts them in sum.
func (a *App) redetect(ctx context.Context, det *Detector, ids []string, sum *RedetectSummary) error {
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return err
	}
	ds := make([]store.Detection, 0, len(docs))
	for _, doc := range docs {
		if textLost(doc.Message) {
			sum.TextLost++ // its flags stay as they were
			continue
		}
		flags, risk, idents := det.Detect(doc.Message, doc.Text)
		ds = append(ds, store.Detection{ID: doc.Message.ID, Flags: flags, Risk: risk, Identifiers: idents})
		if len(flags) > 0 {
			sum.Flagged++
		}
		for _, name := range categories(flags) {
			sum.Categories[name]++
		}
	}
	n, err := a.Store.SetDetections(ctx, ds)
	sum.Messages += len(ds)
	sum.Changed += n
	return err
}

// textLost reports whether the store could not read m's text (damage).
func textLost(m *leakscope.Message) bool {
	return slices.ContainsFunc(m.Warnings, func(w leakscope.Warning) bool { return w.Code == leakscope.WarnTextLost })
}
