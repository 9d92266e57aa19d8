package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

const searchHelp = `
Search the leak. Every message is one hit, however many copies of it were
found. The query language (case-insensitive, like Gmail and notmuch):

  word "a phrase" word*       subject, body and attachment text (stemmed: report finds reports)
  from:ADDR to:ADDR           address (amy@sony.com), domain with subdomains (sony.com, @sony.com)
  cc:ADDR bcc:ADDR            or words of the name (from:pascal, from:"amy pascal"); to: is any recipient
  subject: body: attachment:  words, phrases or prefixes in one part (attachment: names and text)
  id:MESSAGE-ID thread:ID     exact Message-ID; every message of a thread
  leak: batch:                leak name, batch (wave) label
  custodian: (mailbox:) folder:   whose mailbox, which folder (as recorded at ingest; folder:inbox*)
  flag:ssn severity:high tag: sensitive-content category, at least this severity, review tag
  has:attachment
  ssn:536-22-1847 credit_card: iban: bank_account: phone: date_of_birth: passport:
  credential: secret_key: compensation: medical: offensive:
                              a flagged value typed whole, in any usual form; "536-22-1847"
                              and 536221847 find it too (the index holds values masked and
                              keyed: the API looks values up for admins and counsel only)
  date:2001-05 date:2001-05-01..2001-06-30 date:..1999-12-31 date:2001..
                              inclusive days in UTC; after:D (from D on), before:D (before D)
  a b                         both (AND is implicit);  a OR b;  NOT a, -a;  ( )  groups
  *                           every message

Put -- before a query that starts with '-' (leakscope search -- -from:bob).
Sorting: --sort -date (newest first, the default), date, relevance, risk.
--limit is at most 10000; walk further with --after.
Deep pages: --after CURSOR with the "next" cursor printed by the previous page
(fast at any depth); --offset N also works.

Examples:
  leakscope search 'from:amy.pascal@sonypictures.com obama'
  leakscope search --json --limit 100 'to:enron.com date:2001-05 "gas prices"'
  leakscope search --facets 'has:attachment -custodian:lay-k'
`

func (m *Main) runSearch(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("search", "[flags] QUERY", searchHelp, &c)
	asJSON := fs.Bool("json", false, "print one JSON object: total, hits, facets, next")
	limit := fs.Int("limit", 20, "at most `N` hits (0: only the total and facets)")
	offset := fs.Int("offset", 0, "skip the first `N` hits")
	after := fs.String("after", "", "the page after `CURSOR` (the next cursor of the previous page)")
	sort := fs.String("sort", "-date", "`ORDER`: -date, date, relevance or risk (highest risk first)")
	facets := fs.Bool("facets", false, "count hits by sender domain, custodian, month, leak, attachment, flag and tag")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return usagef("search: no query given (use * for every message)")
	}
	q, err := query.Parse(strings.Join(args, " "))
	if err != nil {
		return err
	}
	d, err := m.openData(ctx, &c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if *limit < 0 || *limit > search.MaxLimit {
		return usagef("search: --limit %d out of range 0..%d", *limit, search.MaxLimit)
	}
	page, err := d.SearchHits(ctx, search.Request{Query: q, Sort: *sort, Limit: *limit, Offset: *offset, After: *after,
		Facets: *facets, TagFacet: *facets, Values: true})
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(page)
	}
	m.printHits(page)
	return nil
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// printHits prints a page of hits for a reader: one paragraph each.
func (m *Main) printHits(page *app.HitPage) {
	w := m.stdout
	tty := m.isTerminal(w)
	fmt.Fprintf(w, "%d messages\n", page.Total)
	for _, h := range page.Hits {
		date := "????-??-??      "
		if h.Date != nil {
			date = h.Date.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "\n%s  %s\n", date, h.From.String())
		subject := h.Subject
		if subject == "" {
			subject = "(no subject)"
		}
		fmt.Fprintf(w, "  %s\n", subject)
		where := fmt.Sprintf("%d cop%s in %s", h.Copies, plural(h.Copies, "y", "ies"), strings.Join(h.Custodians, ", "))
		if h.Duplicates > 0 {
			where += fmt.Sprintf("; %d duplicate%s", h.Duplicates, plural(h.Duplicates, "", "s"))
		}
		if len(h.Flags) > 0 {
			where += fmt.Sprintf("; risk %.0f: %s", h.Risk, strings.Join(h.Flags, ", "))
		}
		if len(h.Tags) > 0 {
			where += "; tags: " + strings.Join(h.Tags, ", ")
		}
		fmt.Fprintf(w, "  %s  [id %s]\n", where, h.ID)
		if h.Snippet != "" {
			fmt.Fprintf(w, "  %s\n", highlight(h.Snippet, h.Highlights, tty))
		}
	}
	if page.Next != "" {
		fmt.Fprintf(w, "\nnext page: --after %s\n", page.Next)
	}
	printFacets(w, page.Facets)
}

// printFacets lists each facet's values with their counts.
func printFacets(w io.Writer, facets []search.Facet) {
	for _, f := range facets {
		if len(f.Values) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", f.Name)
		for _, v := range f.Values {
			fmt.Fprintf(w, "  %8d  %s\n", v.Count, v.Value)
		}
		if f.Other > 0 {
			fmt.Fprintf(w, "  %8d  (other)\n", f.Other)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// highlight marks spans with bold on a terminal and [brackets] elsewhere,
// and puts the snippet on one line.
func highlight(s string, spans [][2]int, tty bool) string {
	open, close := "[", "]"
	if tty {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp[0] < last || sp[1] > len(s) || sp[0] > sp[1] {
			continue
		}
		b.WriteString(s[last:sp[0]])
		b.WriteString(open + s[sp[0]:sp[1]] + close)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}
