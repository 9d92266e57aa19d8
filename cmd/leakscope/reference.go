package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/store"
)

const referenceHelp = `
Ingest the company's own copy of its mail (a journal export, mailboxes,
PSTs: the same formats as index) as the reference archive. Reconciliation
("leakscope exposure") compares it with the leak to say which of the
company's messages were published, identical or altered.

The reference archive is kept apart from the leak, in the "reference"
folder of the data directory: it never appears in search results and is
never shown to employees. Like index, re-running adds nothing and an
interrupted run resumes.

Examples:
  leakscope reference ./journal-export
  leakscope reference --custodian amy.pascal pascal-archive.pst
`

func (m *Main) runReference(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("reference", "[flags] PATH...", referenceHelp, &c)
	f := addIngestFlags(fs)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	abs, err := inputPaths("reference", paths)
	if err != nil {
		return err
	}
	d, err := m.openData(ctx, &c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	ref, err := openReference(ctx, d, true)
	if err != nil {
		return err
	}
	defer ref.Close()
	run := &leakscope.IngestRun{Leak: referenceName, Inputs: abs, Started: time.Now().UTC()}
	if err := ref.BeginRun(ctx, run); err != nil {
		return err
	}
	opts, err := m.ingestOptions(ctx, d, f)
	if err != nil {
		return err
	}
	opts.Collection = leakscope.CollectionReference
	return m.ingest(ctx, ref, noIndex{}, run, opts, f, nil)
}

// referenceName is the leak name recorded on the reference archive's copies.
const referenceName = "reference"

// openReference opens the reference archive's store in the data directory.
// Unless create is set, a missing archive is ErrNotFound with the command
// that makes one.
func openReference(ctx context.Context, d *data, create bool) (*store.DB, error) {
	dir := filepath.Join(d.dir, "reference")
	path := filepath.Join(dir, "store.db")
	if !create {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no reference archive in %q (run `leakscope reference PATH...` first): %w", d.dir, leakscope.ErrNotFound)
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create reference directory: %w", err)
	}
	// Writable even for reports: they keep the reconciliation in it.
	return store.Open(ctx, path, store.Options{Logger: d.log})
}

// noIndex is the search index of the reference archive: there is none.
type noIndex struct{}

func (noIndex) Put(context.Context, []leakscope.Document) error { return nil }
func (noIndex) Optimize(context.Context) error                  { return nil }
