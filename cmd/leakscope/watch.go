package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

const watchHelp = `
Watch lists: saved queries checked after every "leakscope index" run, each
reporting the messages that match it and were not reported before (a new
wave that mentions the CEO, a new message flagged ssn from HR...).

  leakscope watch add NAME QUERY     save a watch (replacing one of that name)
  leakscope watch list               every watch, its query, last check and matches
  leakscope watch check [NAME...]    check now (all watches by default)
  leakscope watch remove NAME        delete a watch

Examples:
  leakscope watch add ceo 'from:amy.pascal@sonypictures.com OR to:amy.pascal@sonypictures.com'
  leakscope watch add hr-ssn 'flag:ssn custodian:hr*'
  leakscope watch check --json
`

// watchResult is the outcome of checking one watch.
type watchResult struct {
	Name    string   `json:"name"`
	Query   string   `json:"query"`
	Matches int      `json:"matches"`
	New     []string `json:"new"` // IDs of messages not reported before
}

func (m *Main) runWatch(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var c common
	fs := m.newFlags("watch", "add NAME QUERY | list | check [NAME...] | remove NAME", watchHelp, &c)
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if len(rest) < 2 {
			return usagef("watch add: want NAME QUERY")
		}
		name, text := rest[0], strings.Join(rest[1:], " ")
		if _, err := query.Parse(text); err != nil {
			return err
		}
		d, err := m.openData(ctx, &c, true)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := d.Store.PutWatch(ctx, leakscope.Watch{Name: name, Query: text, Created: time.Now().UTC()}); err != nil {
			return err
		}
		// The first check reports what already matches, so that the next
		// ingest reports only what it adds.
		res, err := checkWatches(ctx, d, []string{name})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "watch %s saved: %d messages match now; later runs of index report new matches\n", name, res[0].Matches)
		return nil
	case "list":
		d, err := m.openData(ctx, &c, false)
		if err != nil {
			return err
		}
		defer d.Close()
		ws, err := d.Store.Watches(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if ws == nil {
				ws = []leakscope.Watch{}
			}
			return m.printJSON(ws)
		}
		if len(ws) == 0 {
			fmt.Fprintln(m.stdout, "no watches (add one with: leakscope watch add NAME QUERY)")
		}
		for _, w := range ws {
			checked := "never checked"
			if !w.Checked.IsZero() {
				checked = fmt.Sprintf("%d matches at %s", w.Matches, w.Checked.Format("2006-01-02 15:04"))
			}
			fmt.Fprintf(m.stdout, "%-16s %s\n%16s (%s)\n", w.Name, w.Query, "", checked)
		}
		return nil
	case "check":
		d, err := m.openData(ctx, &c, true)
		if err != nil {
			return err
		}
		defer d.Close()
		res, err := checkWatches(ctx, d, rest)
		if err != nil {
			return err
		}
		if *asJSON {
			return m.printJSON(res)
		}
		m.printWatchResults(ctx, d, res, true)
		return nil
	case "remove":
		if len(rest) != 1 {
			return usagef("watch remove: want NAME")
		}
		d, err := m.openData(ctx, &c, true)
		if err != nil {
			return err
		}
		defer d.Close()
		return d.Store.DeleteWatch(ctx, rest[0])
	}
	return usagef("watch: want add, list, check or remove (leakscope watch --help)")
}

// checkWatches runs the watches named (all when names is empty) and
// records their matches.
func checkWatches(ctx context.Context, d *data, names []string) ([]watchResult, error) {
	ws, err := d.Store.Watches(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]leakscope.Watch{}
	for _, w := range ws {
		byName[w.Name] = w
	}
	if len(names) == 0 {
		for _, w := range ws {
			names = append(names, w.Name)
		}
	}
	out := []watchResult{}
	for _, name := range names {
		w, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("no watch %q: %w", name, leakscope.ErrNotFound)
		}
		q, err := query.Parse(w.Query)
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", name, err)
		}
		ids, err := d.Index.IDs(ctx, search.Request{Query: q})
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", name, err)
		}
		fresh, err := d.Store.RecordWatch(ctx, w, ids, time.Now())
		if err != nil {
			return nil, err
		}
		out = append(out, watchResult{Name: name, Query: w.Query, Matches: len(ids), New: fresh})
	}
	return out, nil
}

// printWatchResults lists each watch's new matches (up to ten, with date,
// sender and subject); all also mentions the watches without any.
func (m *Main) printWatchResults(ctx context.Context, d *data, res []watchResult, all bool) {
	w := m.stdout
	for _, r := range res {
		if len(r.New) == 0 {
			if all {
				fmt.Fprintf(w, "watch %s: no new matches (%d in all)\n", r.Name, r.Matches)
			}
			continue
		}
		fmt.Fprintf(w, "watch %s: %d new match%s (%d in all)\n", r.Name, len(r.New), plural(len(r.New), "", "es"), r.Matches)
		for i, id := range r.New {
			if i == 10 {
				fmt.Fprintf(w, "  ... and %d more: leakscope watch check --json %s\n", len(r.New)-10, r.Name)
				break
			}
			msg, err := d.Store.Message(ctx, id)
			if err != nil {
				fmt.Fprintf(w, "  [id %s] (unreadable: %v)\n", id, err)
				continue
			}
			date := "????-??-??"
			if !msg.Date.IsZero() {
				date = msg.Date.Format("2006-01-02")
			}
			fmt.Fprintf(w, "  %s  %s  %s  [id %s]\n", date, msg.From.String(), msg.Subject, id)
		}
	}
}
