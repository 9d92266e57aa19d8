package main

import (
	"context"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
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
	ref, err := d.OpenReference(ctx, true)
	if err != nil {
		return err
	}
	defer ref.Close()
	run := &leakscope.IngestRun{Leak: app.ReferenceName, Inputs: abs, Started: time.Now().UTC()}
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

// noIndex is the search index of the reference archive: there is none.
type noIndex struct{}

func (noIndex) Put(context.Context, []leakscope.Document) error { return nil }
func (noIndex) Optimize(context.Context) error                  { return nil }
