package main

import (
	"context"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
)

// exposureServer is the server's exposure part (app.Exposure) with the
// batch diff of `leakscope diff`.
type exposureServer struct {
	*app.Exposure
	d *data
}

// BatchDiff is what `leakscope diff` says of a batch.
func (x exposureServer) BatchDiff(ctx context.Context, leak, label string, top int) (*leakscope.BatchDiff, error) {
	return batchDiff(ctx, x.d, leak, label, top)
}
