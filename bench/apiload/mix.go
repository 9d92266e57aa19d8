package main

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Query is one request of the mix: a query in Leakscope's language and the
// other URL parameters of GET /search.
type Query struct {
	Q string `json:"q"`
	// Params are extra URL parameters ("sort=relevance&facets=true");
	// limit=20 is added unless they set a limit.
	Params string `json:"params,omitempty"`
	// Notmuch is the nearest `notmuch search` query, for bench/api/run's
	// side-by-side figures; empty when notmuch has no equivalent (flag:,
	// cc:).
	Notmuch string `json:"-"`
}

// builtinMix is what an analyst's session looks like on the Enron subset,
// in the spirit of bench/run's mix: words and phrases, addresses and
// domains, date ranges, boolean queries, flags; newest first (the API's
// default), oldest first, by relevance or by risk; some with facets, the
// way the web UI's first page asks for them. Totals on the Enron subset
// range from 5 (flag:credit_card) to every message (*).
var builtinMix = []Query{
	{Q: "california", Notmuch: "california"},
	{Q: `"power plant"`, Params: "sort=relevance", Notmuch: `"power plant"`},
	{Q: "from:enron.com gas", Notmuch: "from:enron.com gas"},
	{Q: "to:jeff.dasovich@enron.com", Params: "sort=date", Notmuch: "to:jeff.dasovich@enron.com"},
	{Q: "subject:meeting", Params: "facets=true", Notmuch: "subject:meeting"},
	{Q: "energy AND (price OR prices) NOT california", Params: "sort=relevance",
		Notmuch: "energy AND (price OR prices) NOT california"},
	{Q: "date:2001-05-01..2001-05-31", Params: "sort=date", Notmuch: "date:2001-05-01..2001-05-31"},
	{Q: "from:kenneth.lay@enron.com date:2001", Notmuch: "from:kenneth.lay@enron.com date:2001"},
	{Q: "flag:confidential", Params: "sort=risk"},
	{Q: "cc:enron.com", Params: "facets=true"}, // notmuch has no cc: (its to: is To and Cc)
	{Q: `subject:"conference call"`, Notmuch: `subject:"conference call"`},
	{Q: "gas OR power", Params: "sort=relevance", Notmuch: "gas OR power"},
	{Q: "flag:ssn OR flag:credit_card"},
	{Q: "after:2001-10-01 before:2001-12-31", Params: "sort=date&facets=true", Notmuch: "date:2001-10-01..2001-12-31"},
	{Q: "body:contract NOT subject:contract", Notmuch: "body:contract NOT subject:contract"},
	{Q: "mailbox:lay-k", Params: "facets=true", Notmuch: "path:lay-k/**"},
	{Q: "enron*", Params: "sort=relevance", Notmuch: "enron*"},
	{Q: "flag:legal_privilege", Params: "facets=true"},
	{Q: "to:enron.com meeting", Notmuch: "to:enron.com meeting"},
	{Q: "*", Notmuch: "*"},
	{Q: "flag:compensation OR flag:credential", Params: "sort=risk&facets=true"},
	{Q: "*", Params: "facets=true"},
}

// readQueries reads a query mix: one query per line, optionally followed
// by a tab and extra URL parameters (`california<TAB>sort=relevance`).
// Blank lines and lines starting with # are skipped.
func readQueries(r io.Reader) ([]Query, error) {
	var out []Query
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, params, _ := strings.Cut(line, "\t")
		if strings.TrimSpace(q) == "" {
			return nil, fmt.Errorf("line %d: no query before the tab", n)
		}
		if _, err := url.ParseQuery(params); err != nil {
			return nil, fmt.Errorf("line %d: parameters %q: %w", n, params, err)
		}
		out = append(out, Query{Q: q, Params: params})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries")
	}
	return out, nil
}

// apiBase turns what the user gave as -url into the API's base URL, ending
// in /api/v1/: "http://host:port", ".../api/v1" and ".../api/v1/" (what
// `leakscope serve` prints) all work.
func apiBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("want an http:// or https:// URL, got %q", raw)
	}
	p := strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(p, "/api/v1") {
		p += "/api/v1"
	}
	u.Path, u.RawQuery, u.Fragment = p+"/", "", ""
	return u, nil
}

// searchURL is the URL of one request of the mix.
func searchURL(base *url.URL, q Query) string {
	v, _ := url.ParseQuery(q.Params) // checked when read
	v.Set("q", q.Q)
	if !v.Has("limit") {
		v.Set("limit", "20")
	}
	u := *base
	u.Path += "search"
	u.RawQuery = v.Encode()
	return u.String()
}

// notmuchSort is the `notmuch search --sort` nearest to the query's sort
// (notmuch sorts only by date; relevance and risk fall back to newest
// first, the API's default).
func notmuchSort(q Query) string {
	v, _ := url.ParseQuery(q.Params)
	if v.Get("sort") == "date" {
		return "oldest-first"
	}
	return "newest-first"
}

// writeMix prints the mix for scripts, one query a line, tab-separated:
// query, URL parameters, notmuch query ("-" when none) and notmuch sort.
func writeMix(w io.Writer, mix []Query) error {
	for _, q := range mix {
		nm := q.Notmuch
		if nm == "" {
			nm = "-"
		}
		params := q.Params
		if params == "" {
			params = "-"
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", q.Q, params, nm, notmuchSort(q)); err != nil {
			return err
		}
	}
	return nil
}
