package search

import (
	"context"
	"fmt"
	"slices"
)

// Terms calls fn with every term of every field of the index, field by
// field in name order and, within a field, in byte order: the term
// dictionaries, which someone holding a copy of the index's files can read
// as well (bleve stores them in finite-state transducers, which a grep of
// the files does not show whole). It is meant for audits and tests of what
// the index holds (see Document masking in the package documentation).
// An error from fn stops the walk and is returned.
func (ix *Index) Terms(ctx context.Context, fn func(field, term string) error) error {
	var fields []string
	err := ix.guard("listing its fields", func() (err error) { fields, err = ix.idx.Fields(); return err })
	if err != nil {
		return fmt.Errorf("index terms: %w", err)
	}
	slices.Sort(fields)
	for _, f := range fields {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("index terms: %w", err)
		}
		err := ix.guard("reading the terms of "+f, func() error {
			d, err := ix.idx.FieldDict(f)
			if err != nil {
				return err
			}
			defer d.Close()
			for {
				e, err := d.Next()
				if err != nil || e == nil {
					return err
				}
				if err := fn(f, e.Term); err != nil {
					return err
				}
			}
		})
		if err != nil {
			return fmt.Errorf("index terms of %s: %w", f, err)
		}
	}
	return nil
}
