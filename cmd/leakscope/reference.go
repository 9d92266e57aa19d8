package main

import (
	"context"

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
	return m.ingest(f, func(opts app.IngestOptions) (*app.IngestSummary, error) {
		return d.IngestReference(ctx, abs, opts)
	})
}
