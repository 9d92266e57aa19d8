package indexer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// An ingest is a run recorded in the store (BeginRun), then Run over the
// inputs: here the small dump of testdata/dump, two mailboxes, an mbox
// and a zip, with a few malformed inputs that end up as problems.
func ExampleIndexer_Run() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "indexer-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "store.db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{Keyer: st})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	run := &leakscope.IngestRun{Leak: "example", Inputs: []string{"testdata/dump"}, Started: time.Now().UTC()}
	if err := st.BeginRun(ctx, run); err != nil {
		fmt.Println(err)
		return
	}
	if err := indexer.New(st, ix, indexer.Options{}).Run(ctx, run, run.Inputs); err != nil {
		fmt.Println(err)
		return
	}
	c := run.Counts
	fmt.Printf("%s: %d messages read, %d new, %d duplicates, %d with warnings, %d failed, %d skipped\n",
		run.Status, c.Messages, c.New, c.Duplicates, c.Warnings, c.Failures, c.Skipped)
	n, _ := ix.Count(ctx)
	fmt.Println("indexed:", n)
	probs, _ := st.Problems(ctx, run.ID)
	codes := map[string]int{}
	for _, p := range probs {
		codes[p.Severity+" "+p.Code]++
	}
	fmt.Println("problems:", codes)
	// Output:
	// done: 8 messages read, 6 new, 2 duplicates, 2 with warnings, 1 failed, 2 skipped
	// indexed: 6
	// problems: map[failure parse:1 skipped empty:1 skipped not_mail:1 warning charset:1 warning date:2 warning encoding:2 warning mbox:1]
}
