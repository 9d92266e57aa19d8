package main

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope/app"
)

const statsHelp = `
Print the totals of the data directory: messages, copies, originals, their
size, the size of the store and the index, the leaks and their batches, and
the largest custodians, sender domains and months.
`

func (m *Main) runStats(ctx context.Context, args []string) error {
	var c common
	flags := m.newFlags("stats", "[--json]", statsHelp, &c)
	asJSON := flags.Bool("json", false, "print one JSON object")
	if _, err := parseFlags(flags, args); err != nil {
		return err
	}
	d, err := m.openData(ctx, &c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	t, err := d.Totals(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(t)
	}
	m.printStats(t)
	return nil
}

// printStats prints the totals for a reader.
func (m *Main) printStats(s *app.Totals) {
	w := m.stdout
	fmt.Fprintf(w, "messages    %d (%d in the search index, %d pending)\n", s.Store.Messages, s.Indexed, s.Store.Pending)
	fmt.Fprintf(w, "copies      %d\n", s.Store.Copies)
	fmt.Fprintf(w, "originals   %d, %s raw\n", s.Store.Originals, mb(s.Store.RawBytes))
	fmt.Fprintf(w, "data        %s (store %s, packs %s, index %s)\n", mb(s.DataBytes), mb(s.Store.FileBytes), mb(s.Store.PackBytes), mb(s.IndexBytes))
	fmt.Fprintf(w, "runs        %d, problems listed: %d\n", s.Store.Runs, s.Store.Problems)
	for _, l := range s.Leaks {
		fmt.Fprintf(w, "leak        %s", l.Name)
		if !l.Published.IsZero() {
			fmt.Fprintf(w, ", published %s", l.Published.Format("2006-01-02"))
		}
		if len(l.Batches) > 0 {
			fmt.Fprintf(w, ", batches %v", l.Batches)
		}
		fmt.Fprintln(w)
	}
	printFacets(w, s.Facets)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
