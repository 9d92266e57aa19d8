package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/query"
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
		return m.addWatch(ctx, &c, rest[0], strings.Join(rest[1:], " "))
	case "list":
		return m.listWatches(ctx, &c, *asJSON)
	case "check":
		return m.checkWatches(ctx, &c, rest, *asJSON)
	case "remove":
		if len(rest) != 1 {
			return usagef("watch remove: want NAME")
		}
		d, err := m.openData(ctx, &c, true)
		if err != nil {
			return err
		}
		defer d.Close()
		return d.DeleteWatch(ctx, rest[0])
	}
	return usagef("watch: want add, list, check or remove (leakscope watch --help)")
}

func (m *Main) addWatch(ctx context.Context, c *common, name, text string) error {
	if _, err := query.Parse(text); err != nil {
		return err
	}
	d, err := m.openData(ctx, c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	w, err := d.AddWatch(ctx, leakscope.Watch{Name: name, Query: text, Created: time.Now().UTC()})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "watch %s saved: %d messages match now; later runs of index report new matches\n", name, w.Matches)
	return nil
}

func (m *Main) listWatches(ctx context.Context, c *common, asJSON bool) error {
	d, err := m.openData(ctx, c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	ws, err := d.Watches(ctx)
	if err != nil {
		return err
	}
	if asJSON {
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
}

func (m *Main) checkWatches(ctx context.Context, c *common, names []string, asJSON bool) error {
	d, err := m.openData(ctx, c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := d.CheckWatches(ctx, names)
	if err != nil {
		return err
	}
	if asJSON {
		return m.printJSON(res)
	}
	m.printWatchResults(ctx, d, res, true)
	return nil
}

// printWatchResults lists each watch's new matches (up to ten, with date,
// sender and subject); all also mentions the watches without any.
func (m *Main) printWatchResults(ctx context.Context, d *data, res []app.WatchResult, all bool) {
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
