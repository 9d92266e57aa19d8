package app_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

// A data directory is made by a writer (Write), which ingests a dump into
// it; readers then open it ReadOnly to search it and read messages.
// Opening a directory that does not exist for reading is an ErrNotFound
// error naming the command that makes one.
func ExampleOpen() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "app-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "data")
	quiet := slog.New(slog.DiscardHandler)

	_, err = app.Open(ctx, dir, app.Options{Mode: app.ReadOnly, Logger: quiet})
	fmt.Println("before any ingest:", errors.Is(err, leakscope.ErrNotFound))

	// A dump of one mailbox with one message.
	dump := filepath.Join(tmp, "dump", "alice", "inbox")
	if err := os.MkdirAll(dump, 0o755); err != nil {
		fmt.Println(err)
		return
	}
	msg := "From: bob@example.com\nTo: alice@example.com\nSubject: Quarterly figures\n" +
		"Date: Mon, 6 Jan 2014 09:00:00 +0000\nMessage-ID: <figures-1@example.com>\n\nThe figures are in.\n"
	if err := os.WriteFile(filepath.Join(dump, "1."), []byte(msg), 0o644); err != nil {
		fmt.Println(err)
		return
	}

	w, err := app.Open(ctx, dir, app.Options{Mode: app.Write, Logger: quiet})
	if err != nil {
		fmt.Println(err)
		return
	}
	run := &leakscope.IngestRun{Leak: "example", Inputs: []string{filepath.Join(tmp, "dump")}, Started: time.Now().UTC()}
	err = w.Store.BeginRun(ctx, run)
	if err == nil {
		err = indexer.New(w.Store, w.Index, indexer.Options{}).Run(ctx, run, run.Inputs)
	}
	fmt.Println("ingest:", run.Status, run.Counts.New, "new", err)
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	r, err := app.Open(ctx, dir, app.Options{Mode: app.ReadOnly, Logger: quiet})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	q, _ := query.Parse("figures custodian:alice")
	res, err := r.Index.Search(ctx, search.Request{Query: q})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range res.Hits {
		m, err := r.Store.Message(ctx, h.ID)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("hit:", m.From.Email, m.Subject)
	}
	// Output:
	// before any ingest: true
	// ingest: done 1 new <nil>
	// hit: bob@example.com Quarterly figures
}
