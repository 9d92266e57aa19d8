package main

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope/datadir"
)

const reindexHelp = `
Rebuild the search index from the store: the store is the source of truth,
so a lost, corrupt or outdated index is recreated without the original
dumps. The new index is built beside the old one and takes its place only
once complete: an interrupted reindex leaves the old index as it was. Run
it after upgrading leakscope when the release notes say so.
`

func (m *Main) runReindex(ctx context.Context, args []string) error {
	dc, err := m.parseDatadirFlags("reindex", "[--no-progress]", reindexHelp, args, false)
	if err != nil {
		return err
	}
	rep, err := datadir.Reindex(ctx, datadir.Dir(dc.data), dc.opts)
	dc.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "reindexed %d messages\n", rep.Messages)
	if n := len(rep.TextLost); n > 0 {
		fmt.Fprintf(m.stdout, "%d of them without their text, which damage made unreadable (see leakscope verify)\n", n)
	}
	return nil
}
