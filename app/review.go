package app

import (
	"context"
	"sync"

	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/store"
)

// Review is counsel's review as the server runs it: tags, productions,
// exports run in the background to zip files kept in the data directory,
// their downloads and the breach-notification report. It implements
// api.Tags and api.Productions over the App, through the same use cases
// as the tag, production, export and notify commands.
type Review struct {
	app  *App
	opts ReviewOptions

	ctx    context.Context // bounds the exports run in the background
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// tagMu makes tag changes one at a time, from the store's change to
	// the index's: two re-indexings of one message could otherwise end
	// with the older document in the index.
	tagMu sync.Mutex

	mu      sync.Mutex // guards jobs and lastJob
	jobs    []*exportJob
	lastJob int
}

var (
	_ api.Tags        = (*Review)(nil)
	_ api.Productions = (*Review)(nil)
)

// ReviewOptions configure NewReview.
type ReviewOptions struct {
	// ToolVersion is recorded in the chain of custody of every export
	// ("leakscope 1.2.0"); default: export's.
	ToolVersion string
}

// NewReview returns the review of a. ctx bounds the exports it runs in
// the background; Stop cancels them.
func (a *App) NewReview(ctx context.Context, opts ReviewOptions) *Review {
	ctx, cancel := context.WithCancel(ctx)
	return &Review{app: a, opts: opts, ctx: ctx, cancel: cancel}
}

// Stop cancels a running export and waits until it has cleaned up.
func (r *Review) Stop() {
	r.cancel()
	r.wg.Wait()
}

// TagCounts lists the built-in tags, then the custom ones in use, with
// their counts (as `tag list`).
func (r *Review) TagCounts(ctx context.Context) ([]api.TagCount, error) {
	return TagCounts(ctx, r.app.Store)
}

// ChangeTag adds or removes a tag as `tag add` and `tag remove` do (see
// App.ChangeTag), one change at a time.
func (r *Review) ChangeTag(ctx context.Context, ch api.TagChange) (*api.TagChangeResult, error) {
	r.tagMu.Lock()
	defer r.tagMu.Unlock()
	return r.app.ChangeTag(ctx, ch)
}

// Productions lists the productions.
func (r *Review) Productions(ctx context.Context) ([]api.Production, error) {
	ps, err := r.app.Store.Productions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Production, 0, len(ps))
	for _, p := range ps {
		out = append(out, apiProduction(&p))
	}
	return out, nil
}

func apiProduction(p *store.Production) api.Production {
	out := api.Production{Name: p.Name, Prefix: p.Prefix, Digits: p.Digits, Next: export.FormatBates(p.Prefix, p.Digits, p.Next),
		Created: p.Created, Exports: len(p.Exports)}
	for _, e := range p.Exports {
		out.Docs += e.Documents
	}
	return out
}

// CreateProduction records a new production (as `production create`).
func (r *Review) CreateProduction(ctx context.Context, spec api.ProductionSpec) (*api.Production, error) {
	p, err := r.app.Store.CreateProduction(ctx, store.Production{Name: spec.Name, Prefix: spec.Prefix, Digits: spec.Digits, Next: spec.Start})
	if err != nil {
		return nil, err
	}
	out := apiProduction(p)
	return &out, nil
}

// Notify builds the breach-notification report, as `leakscope notify`
// does, with the Bates numbers of production when it is not empty.
func (r *Review) Notify(ctx context.Context, production string) (*export.NotifyReport, error) {
	return r.app.Notify(ctx, production)
}
