package main

import (
	"context"
	"fmt"
	"io"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/datadir"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/store"
)

const repairHelp = `
Mend a damaged data directory, then check it again (as "leakscope verify"),
and say exactly what could not be mended.

  - A store (store.db) that is missing, empty, cut short or damaged is
    moved aside (store.db.damaged-TIME, kept) and rebuilt from the packs,
    which hold every original, every copy's place, the settings, runs,
    users, tags, productions, watch lists and the audit trail. Users log in
    again (sessions are not kept). The search index is rebuilt after it.
  - A damaged blob in a pack costs the message whose original (or text) it
    held: that original is listed as lost, with the place its copy was
    found, and the message keeps its metadata, copies, flags and search
    document. A text is extracted again when its original is readable.
    Indexing the same dump again stores the lost originals again.
  - A damaged index is rebuilt from the store beside the old one and
    swapped in when complete.

Packs are never rewritten. Stop every other leakscope process using the
directory first. Exit status 0 when the directory is sound afterwards
(losses listed), 1 when damage remains.

Examples:
  leakscope repair
  leakscope repair --json > repair.json
`

func (m *Main) runRepair(ctx context.Context, args []string) error {
	dc, err := m.parseDatadirFlags("repair", "[--json]", repairHelp, args, true)
	if err != nil {
		return err
	}
	opts := dc.opts
	// A store rebuilt from its packs flags its messages with the data
	// directory's own rules and counsel (kept in the store's settings).
	opts.Detector = func(ctx context.Context, st *store.DB) (indexer.Detector, error) {
		return loadDetector(ctx, st, detectFlags{})
	}
	rep, err := datadir.Repair(ctx, datadir.Dir(dc.data), opts)
	dc.done()
	if rep != nil {
		if dc.asJSON {
			if perr := m.printJSON(rep); perr != nil && err == nil {
				err = perr
			}
		} else {
			printRepair(m.stdout, rep)
		}
	}
	if err != nil {
		return fmt.Errorf("repair: %w", err)
	}
	if rep.After.Damaged() {
		return fmt.Errorf("repair: damage remains (see above): %w", leakscope.ErrDamaged)
	}
	return nil
}

// printRepair prints a repair report for people.
func printRepair(w io.Writer, r *datadir.RepairReport) {
	for _, part := range []*datadir.RepairReport{r, r.Reference} {
		if part == nil {
			continue
		}
		name := "data directory"
		if part != r {
			name = "reference archive"
		}
		if len(part.Actions) == 0 {
			fmt.Fprintf(w, "%s: nothing to mend\n", name)
		}
		for _, a := range part.Actions {
			fmt.Fprintf(w, "%s: %s\n", name, a)
		}
		for _, l := range part.Lost {
			printLost(w, l)
		}
	}
	if r.After != nil {
		fmt.Fprintln(w, "\nafter the repair:")
		printVerify(w, r.After)
	}
}
