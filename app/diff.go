package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/search"
)

// BatchDiff says what batch (of leak, when not empty) added: the
// messages first published in it (whose first copy was ingested by one of
// its runs), the addresses on them and on no message of an earlier batch
// (batches are ordered by their first run), and its top riskiest new
// messages. An unknown batch is leakscope.ErrNotFound.
//
// Its queries are built as trees (leakscope.Term, And, Or), never as
// text, so that every address is looked up, whatever it holds.
func (a *App) BatchDiff(ctx context.Context, leak, batch string, top int) (*leakscope.BatchDiff, error) {
	start := time.Now()
	runs, err := a.Store.Runs(ctx)
	if err != nil {
		return nil, err
	}
	inBatch, earlier := batchRuns(runs, leak, batch)
	if len(inBatch) == 0 {
		return nil, fmt.Errorf("no batch %q: %w", batch, leakscope.ErrNotFound)
	}
	out := &leakscope.BatchDiff{Leak: leak, Batch: batch, Earlier: append([]string{}, earlier...), Flags: map[string]int{},
		NewPeople: []leakscope.ExposedAddress{}, HighestRisk: []leakscope.RiskyMessage{}}
	scope := inLeak(leak, leakscope.Term{Field: leakscope.FieldBatch, Value: batch})
	ids, err := a.Index.IDs(ctx, search.Request{Query: scope})
	if err != nil {
		return nil, err
	}
	fresh, addrs, err := a.firstPublished(ctx, ids, inBatch, out)
	if err != nil {
		return nil, err
	}
	out.Messages = len(fresh)
	if out.NewPeople, err = a.newlyExposed(ctx, addrs, leak, earlier); err != nil {
		return nil, err
	}
	out.HighestRisk = highestRisk(fresh, top)
	out.ElapsedSeconds = time.Since(start).Seconds()
	return out, nil
}

// batchRuns returns the runs of batch (of leak, when not empty) and the
// batches that began before it, sorted.
func batchRuns(runs []leakscope.IngestRun, leak, batch string) (map[uint64]bool, []string) {
	inBatch := map[uint64]bool{}
	first := map[string]uint64{}
	batchFirst := uint64(0)
	for _, r := range runs {
		if leak != "" && !strings.EqualFold(r.Leak, leak) {
			continue
		}
		if strings.EqualFold(r.Batch, batch) {
			inBatch[r.ID] = true
			if batchFirst == 0 || r.ID < batchFirst {
				batchFirst = r.ID
			}
		}
		if _, ok := first[r.Batch]; !ok {
			first[r.Batch] = r.ID
		}
	}
	var earlier []string
	for b, id := range first {
		if b != "" && id < batchFirst && !strings.EqualFold(b, batch) {
			earlier = append(earlier, b)
		}
	}
	slices.Sort(earlier)
	return inBatch, earlier
}

// inLeak restricts q to the leak named, when there is one.
func inLeak(leak string, q leakscope.Query) leakscope.Query {
	if leak == "" {
		return q
	}
	return leakscope.And{Clauses: []leakscope.Query{q, leakscope.Term{Field: leakscope.FieldLeak, Value: leak}}}
}

// firstPublished reads the messages ids of the batch: those whose first
// copy came from one of its runs are returned, with the number of them
// each address is on, and counted in out's flags; the others are counted
// as republished.
func (a *App) firstPublished(ctx context.Context, ids []string, inBatch map[uint64]bool, out *leakscope.BatchDiff) ([]*leakscope.Message, map[string]int, error) {
	var fresh []*leakscope.Message
	addrs := map[string]int{}
	for _, id := range ids {
		e, err := a.Store.Entry(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		firstRun := uint64(0)
		for _, cp := range e.Copies {
			if firstRun == 0 || cp.Run < firstRun {
				firstRun = cp.Run
			}
		}
		if !inBatch[firstRun] {
			out.Republished++
			continue
		}
		msg := e.Message
		fresh = append(fresh, msg)
		for _, name := range categories(msg.Flags) {
			out.Flags[name]++
		}
		seen := map[string]bool{}
		for _, ad := range append(msg.Recipients(), msg.From) {
			if email := strings.ToLower(ad.Email); email != "" && !seen[email] {
				seen[email] = true
				addrs[email]++
			}
		}
	}
	return fresh, addrs, nil
}

// newlyExposed returns the addresses of addrs on no message of the
// earlier batches (of leak, when not empty), most messages first.
func (a *App) newlyExposed(ctx context.Context, addrs map[string]int, leak string, earlier []string) ([]leakscope.ExposedAddress, error) {
	var before leakscope.Query
	if len(earlier) > 0 {
		batches := make([]leakscope.Query, len(earlier))
		for i, b := range earlier {
			batches[i] = leakscope.Term{Field: leakscope.FieldBatch, Value: b}
		}
		before = inLeak(leak, leakscope.Or{Clauses: batches})
	}
	out := []leakscope.ExposedAddress{}
	for addr, n := range addrs {
		if before != nil {
			on := leakscope.Or{Clauses: []leakscope.Query{
				leakscope.Term{Field: leakscope.FieldFrom, Value: addr},
				leakscope.Term{Field: leakscope.FieldTo, Value: addr},
			}}
			res, err := a.Index.Search(ctx, search.Request{Query: leakscope.And{Clauses: []leakscope.Query{on, before}}, Limit: 1})
			if err != nil {
				return nil, err
			}
			if res.Total > 0 {
				continue
			}
		}
		out = append(out, leakscope.ExposedAddress{Address: addr, Messages: n})
	}
	slices.SortFunc(out, func(a, b leakscope.ExposedAddress) int {
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Address, b.Address)
	})
	return out, nil
}

// highestRisk lists the top riskiest of msgs that have any risk, riskiest
// first (then by ID).
func highestRisk(msgs []*leakscope.Message, top int) []leakscope.RiskyMessage {
	msgs = slices.Clone(msgs)
	slices.SortStableFunc(msgs, func(a, b *leakscope.Message) int {
		switch {
		case a.Risk > b.Risk:
			return -1
		case a.Risk < b.Risk:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := []leakscope.RiskyMessage{}
	for _, msg := range msgs[:min(max(top, 0), len(msgs))] {
		if msg.Risk == 0 {
			break
		}
		r := leakscope.RiskyMessage{ID: msg.ID, From: msg.From, Subject: msg.Subject, Risk: msg.Risk, Flags: categories(msg.Flags)}
		if !msg.Date.IsZero() {
			r.Date = &msg.Date
		}
		out = append(out, r)
	}
	return out
}

// categories returns the flag categories of flags, each once, in order.
func categories(flags []leakscope.Flag) []string {
	out := []string{}
	for _, f := range flags {
		if f.Category != "" && !slices.Contains(out, f.Category) {
			out = append(out, f.Category)
		}
	}
	return out
}
