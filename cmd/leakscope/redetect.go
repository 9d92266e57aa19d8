package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/store"
)

const redetectHelp = `
Re-run sensitive-content detection over every stored message, from the
texts kept in the data directory (the original dumps are not needed), and
update flags, risk scores, identifiers for "exposure check" and the search
index. Run it after changing rules (--rules, --builtin-rules) or counsel
(--counsel), or after an upgrade that improves the built-in rules.
Interrupted, it is simply run again.

Examples:
  leakscope redetect --rules ours.toml
  leakscope redetect --counsel legal@example.com,outsidecounsel.com
  leakscope redetect --json
`

// redetectSummary is the outcome of a redetect run (redetect --json).
type redetectSummary struct {
	Messages       int            `json:"messages"`
	Changed        int            `json:"changed"`
	Flagged        int            `json:"flagged"`
	TextLost       int            `json:"text_lost,omitempty"` // skipped: their text is unreadable (see verify), their flags kept
	Categories     map[string]int `json:"categories"`          // messages per flag category
	ElapsedSeconds float64        `json:"elapsed_seconds"`
}

func (m *Main) runRedetect(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("redetect", "[--rules FILE] [--counsel LIST]", redetectHelp, &c)
	df := addDetectFlags(fs)
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := m.openData(ctx, &c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	det, err := loadDetector(ctx, d.Store, *df)
	if err != nil {
		return err
	}
	start := time.Now()
	sum := redetectSummary{Categories: map[string]int{}}
	err = d.Store.MessageIDs(ctx, 500, func(ids []string) error {
		docs, err := d.Store.Documents(ctx, ids)
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
			for _, name := range flagNames(flags) {
				sum.Categories[name]++
			}
		}
		n, err := d.Store.SetDetections(ctx, ds)
		sum.Messages += len(ds)
		sum.Changed += n
		return err
	})
	if err != nil {
		return fmt.Errorf("redetect: %w", err)
	}
	// Recover indexes the messages whose flags changed, then merges the
	// index.
	if err := indexer.New(d.Store, d.Index, indexer.Options{Logger: d.Log}).Recover(ctx); err != nil {
		return fmt.Errorf("redetect: update the index: %w", err)
	}
	sum.ElapsedSeconds = time.Since(start).Seconds()
	if *asJSON {
		return m.printJSON(sum)
	}
	w := m.stdout
	fmt.Fprintf(w, "scanned %d messages in %.1fs: %d flagged, %d changed\n", sum.Messages, sum.ElapsedSeconds, sum.Flagged, sum.Changed)
	if sum.TextLost > 0 {
		fmt.Fprintf(w, "skipped %d messages whose text is unreadable (their flags are kept; see leakscope verify)\n", sum.TextLost)
	}
	for _, name := range slices.Sorted(maps.Keys(sum.Categories)) {
		fmt.Fprintf(w, "  %-16s %d messages\n", name, sum.Categories[name])
	}
	return nil
}

// textLost reports whether the store could not read m's text (damage).
func textLost(m *leakscope.Message) bool {
	return slices.ContainsFunc(m.Warnings, func(w leakscope.Warning) bool { return w.Code == leakscope.WarnTextLost })
}
