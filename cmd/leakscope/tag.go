package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/store"
)

const tagHelp = `
Review tags for counsel: put a tag (with a note) on messages, one by one or
every hit of a query, and find them again with the query tag:NAME. Tags are
counsel's work product: they are never shown to employees.

  leakscope tag add TAG [--note TEXT] (--query Q | ID...)   tag messages
  leakscope tag remove TAG (--query Q | ID...)              untag them
  leakscope tag list [--json]                               tags in use, with counts
  leakscope tag show [--json] ID                            a message's tags: note, who, when

Built-in tags: responsive, privileged, hot, redact. Any other name of
lower-case letters, digits, '_' and '-' (up to 64, starting with a letter or
digit) is a custom tag. An ID is the id printed by search, or a Message-ID.
--query tags every hit of the query (as "leakscope search" finds them, all
pages). Adding a tag a message has already changes it only when --note
gives a new note. Every add and remove is recorded in the audit log (user
"cli:" and your OS user name, the tag, the number of messages, the query or
the IDs), and the messages are re-indexed at once.

Examples:
  leakscope tag add privileged --note 'advice on the merger' --query 'from:counsel@sonypictures.com'
  leakscope tag add hot 3f2a9c0d1e4b5a6f7081 '<20582259.1075855379239.JavaMail.evans@thyme>'
  leakscope tag remove responsive --query 'tag:responsive date:..2013'
  leakscope search 'tag:privileged -tag:redact'
  leakscope tag show --json 3f2a9c0d1e4b5a6f7081
`

// tagCount is one line of tag list.
type tagCount struct {
	Name    string `json:"name"`
	Count   int    `json:"count"`
	Builtin bool   `json:"builtin,omitempty"`
}

// tagChangeOutput is what tag add --json and tag remove --json print.
type tagChangeOutput struct {
	Tag      string `json:"tag"`
	Action   string `json:"action"`   // add or remove
	Messages int    `json:"messages"` // messages named or matching
	Changed  int    `json:"changed"`  // messages whose tags changed
}

// tagShowOutput is what tag show --json prints.
type tagShowOutput struct {
	ID   string          `json:"id"`
	Tags []leakscope.Tag `json:"tags"`
}

func (m *Main) runTag(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var c common
	fs := m.newFlags("tag", "add TAG [--note TEXT] (--query Q | ID...) | remove TAG (--query Q | ID...) | list | show ID", tagHelp, &c)
	note := fs.String("note", "", "with add: `TEXT` saying why, in your words (shown with the tag, not in the audit log)")
	text := fs.String("query", "", "with add or remove: every message matching `Q`")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "add", "remove":
		if len(rest) == 0 {
			return usagef("tag %s: want TAG and --query Q or IDs", sub)
		}
		name, err := leakscope.ParseTagName(rest[0])
		if err != nil {
			return err
		}
		if *note != "" && sub == "remove" {
			return usagef("tag remove: --note goes with add")
		}
		return m.changeTag(ctx, &c, sub == "add", leakscope.Tag{Name: name, Note: *note}, *text, rest[1:], *asJSON)
	case "list":
		if len(rest) > 0 {
			return usagef("tag list: unexpected argument %q", rest[0])
		}
		return m.withStore(ctx, &c, false, func(st *store.DB) error { return m.listTags(ctx, st, *asJSON) })
	case "show":
		if len(rest) != 1 {
			return usagef("tag show: want exactly one ID")
		}
		return m.withStore(ctx, &c, false, func(st *store.DB) error { return m.showTags(ctx, st, rest[0], *asJSON) })
	}
	return usagef("tag: want add, remove, list or show (leakscope tag --help)")
}

// changeTag adds or removes tag t on the messages named by args or
// matching the query text, records the change in the audit log and
// re-indexes the messages that changed (app.ChangeTag).
func (m *Main) changeTag(ctx context.Context, c *common, add bool, t leakscope.Tag, text string, args []string, asJSON bool) error {
	verb := map[bool]string{true: "add", false: "remove"}[add]
	switch {
	case text == "" && len(args) == 0:
		return usagef("tag %s: want --query Q or message IDs", verb)
	case text != "" && len(args) > 0:
		return usagef("tag %s: --query and IDs together (give one or the other)", verb)
	}
	ch := api.TagChange{Add: add, Tag: t}
	if text != "" {
		var err error
		if ch.Query, err = query.Parse(text); err != nil {
			return err
		}
	}
	// Tags go on messages already indexed: never create a data directory.
	if _, err := os.Stat(filepath.Join(c.data, "store.db")); err != nil {
		return fmt.Errorf("no data directory at %q (run `leakscope index` first, or pass --data): %w", c.data, leakscope.ErrNotFound)
	}
	d, err := m.openData(ctx, c, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if ch.Query == nil {
		if ch.IDs, err = resolveIDs(ctx, d.Store, args); err != nil {
			return err
		}
	}
	ch.Tag.User = cliUser()
	action := map[bool]string{true: leakscope.AuditTagAdd, false: leakscope.AuditTagRemove}[add]
	ch.Record = func(ctx context.Context, matched, changed int) error {
		entry := leakscope.AuditEntry{User: ch.Tag.User, Action: action, Target: t.Name, Detail: leakscope.TagChangeDetail(matched, changed, text, args), Remote: "local"}
		_, err := d.Store.AppendAudit(context.WithoutCancel(ctx), entry)
		return err
	}
	res, err := d.ChangeTag(ctx, ch)
	if err != nil {
		return err
	}
	if asJSON {
		return m.printJSON(tagChangeOutput{Tag: t.Name, Action: verb, Messages: res.Matched, Changed: res.Changed})
	}
	if add {
		fmt.Fprintf(m.stdout, "%s: %d message%s tagged (%d changed)\n", t.Name, res.Matched, plural(res.Matched, "", "s"), res.Changed)
	} else {
		fmt.Fprintf(m.stdout, "%s: removed from %d message%s (of %d given)\n", t.Name, res.Changed, plural(res.Changed, "", "s"), res.Matched)
	}
	return nil
}

// resolveIDs maps each argument (our ID or a Message-ID) to a message ID,
// each message once.
func resolveIDs(ctx context.Context, st *store.DB, args []string) ([]string, error) {
	ids := make([]string, 0, len(args))
	for _, a := range args {
		id, err := app.ResolveID(ctx, st, a)
		if err != nil {
			return nil, err
		}
		ids = appendUnique(ids, id)
	}
	return ids, nil
}

func (m *Main) listTags(ctx context.Context, st *store.DB, asJSON bool) error {
	counts, err := app.TagCounts(ctx, st)
	if err != nil {
		return err
	}
	out := make([]tagCount, len(counts))
	for i, tc := range counts {
		out[i] = tagCount(tc)
	}
	if asJSON {
		return m.printJSON(out)
	}
	for _, tc := range out {
		kind := ""
		if !tc.Builtin {
			kind = "  (custom)"
		}
		fmt.Fprintf(m.stdout, "%8d  %s%s\n", tc.Count, tc.Name, kind)
	}
	return nil
}

func (m *Main) showTags(ctx context.Context, st *store.DB, arg string, asJSON bool) error {
	id, err := app.ResolveID(ctx, st, arg)
	if err != nil {
		return err
	}
	tags, err := st.MessageTags(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		if tags == nil {
			tags = []leakscope.Tag{}
		}
		return m.printJSON(tagShowOutput{ID: id, Tags: tags})
	}
	if len(tags) == 0 {
		fmt.Fprintf(m.stdout, "message %s has no tags\n", id)
		return nil
	}
	for _, t := range tags {
		fmt.Fprintf(m.stdout, "%-16s %s  %s\n", t.Name, t.Time.Format("2006-01-02 15:04"), t.User)
		if t.Note != "" {
			fmt.Fprintf(m.stdout, "%16s %s\n", "", t.Note)
		}
	}
	return nil
}
