package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	sum, err := d.Redetect(ctx, df.settings())
	if err != nil {
		return err
	}
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
