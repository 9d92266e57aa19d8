package app

import (
	"context"

	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/store"
)

// Notify builds the breach-notification report (`leakscope notify`, GET
// /api/v1/notify) over the people directory and company domains in st,
// with the Bates numbers of production when it is not empty. It reads the
// store only, so that it runs on a store opened alone.
func Notify(ctx context.Context, st *store.DB, production string) (*export.NotifyReport, error) {
	org, err := loadOrg(ctx, st)
	if err != nil {
		return nil, err
	}
	opts := export.NotifyOptions{People: org.People, Domains: org.Domains}
	if production != "" {
		p, err := st.Production(ctx, production)
		if err != nil {
			return nil, err
		}
		ranges, err := st.ProductionBates(ctx, p.Name)
		if err != nil {
			return nil, err
		}
		opts.Bates = func(id string) []string {
			var out []string
			for _, r := range ranges[id] {
				out = append(out, export.FormatBatesRange(p.Prefix, p.Digits, r.Begin, r.End))
			}
			return out
		}
	}
	rep, err := export.Notify(ctx, st, opts)
	if err != nil {
		return nil, err
	}
	rep.Production = production
	return rep, nil
}

// Notify is the breach-notification report over the store of a (see the
// function Notify).
func (a *App) Notify(ctx context.Context, production string) (*export.NotifyReport, error) {
	return Notify(ctx, a.Store, production)
}
