package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/store"
)

// found is a message as the indexer hands it to the store: parsed, with
// its text, its original bytes and the copy saying where it was found.
func found(raw, source, custodian, folder string) leakscope.Ingested {
	date := time.Date(2014, 1, 6, 9, 0, 0, 0, time.UTC)
	hash := leakscope.Fingerprint("bob@example.com", date.String(), "Figures", "The figures.", nil)
	sum := sha256.Sum256([]byte(raw))
	return leakscope.Ingested{
		Message: &leakscope.Message{
			ID: leakscope.MessageKey("figures-1@example.com", hash), MessageID: "figures-1@example.com",
			ContentHash: hash, Collection: leakscope.CollectionLeak, Date: date, Subject: "Figures",
			From: leakscope.Address{Email: "bob@example.com"},
		},
		Text: &leakscope.Text{Body: "The figures."},
		Raw:  []byte(raw),
		Copy: leakscope.Copy{
			Leak: "example", Source: source, Custodian: custodian, Folder: folder,
			RawSHA256: hex.EncodeToString(sum[:]), Size: int64(len(raw)),
		},
	}
}

// A store is opened on a file (its packs of originals beside it), fed
// batches of parsed messages within an ingest run, and read back by
// message ID. Here one message is found in two mailboxes: one message,
// two copies. package indexer is what feeds it in Leakscope.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	db, err := store.Open(ctx, filepath.Join(dir, "store.db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	run := &leakscope.IngestRun{Leak: "example", Inputs: []string{"/dump"}, Started: time.Now().UTC()}
	if err := db.BeginRun(ctx, run); err != nil {
		fmt.Println(err)
		return
	}
	raw := "Message-ID: <figures-1@example.com>\nFrom: bob@example.com\nSubject: Figures\n\nThe figures.\n"
	res, err := db.Apply(ctx, run.ID, []leakscope.Ingested{
		found(raw, "/dump/alice/inbox/1.", "alice", "inbox"),
		found(raw, "/dump/bob/sent/4.", "bob", "sent"),
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("new %d, copies %d, duplicates %d\n", res.New, res.Copies, res.Duplicates)

	// The batch's messages wait for the search index; the indexer clears
	// them once it has indexed res.Documents.
	pending, _ := db.Pending(ctx)
	fmt.Println("pending:", len(pending))
	if err := db.ClearPending(ctx, res.Changed, res.Seq); err != nil {
		fmt.Println(err)
		return
	}

	id := res.Changed[0]
	m, err := db.Message(ctx, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("message:", m.MessageID, m.Subject)
	copies, err := db.Copies(ctx, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range copies {
		fmt.Println("copy:", c.Location(), c.Custodian, c.Folder)
	}
	orig, err := db.Original(ctx, copies[0].RawSHA256)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("original kept:", string(orig) == raw)

	// An unknown ID is leakscope.ErrNotFound.
	_, err = db.Message(ctx, "no-such-id")
	fmt.Println(errors.Is(err, leakscope.ErrNotFound))
	// Output:
	// new 1, copies 2, duplicates 1
	// pending: 1
	// message: figures-1@example.com Figures
	// copy: /dump/alice/inbox/1. alice inbox
	// copy: /dump/bob/sent/4. bob sent
	// original kept: true
	// true
}
