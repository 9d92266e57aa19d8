package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/mailgen"
	"github.com/leakscope/leakscope/search"
)

// Issue 13, item 1: the search index is no oracle. An analyst or an
// employee who sees a value masked (***-**-1847) must not confirm or
// rebuild it with queries, and the index's files must not hold it; counsel
// finds each value by typing it.

// oracleDemoOptions build the small demo the attacks run on.
var oracleDemoOptions = demoOptions{Seed: 1, Threads: 60}

// maskedCategories are the flag categories whose values the redaction
// masks (all but the markers legal_privilege and confidential).
var maskedCategories = []string{leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagIBAN, leakscope.FlagBankAccount,
	leakscope.FlagPhone, leakscope.FlagDateOfBirth, leakscope.FlagPassport, leakscope.FlagCredential, leakscope.FlagSecretKey,
	leakscope.FlagCompensation, leakscope.FlagMedical, leakscope.FlagOffensive}

// plantedValue is one flagged value of a planted message, read from
// counsel's unredacted view.
type plantedValue struct {
	id, messageID string // our id and the Message-ID
	category      string
	where         string // the part: subject, body, attachment_name, attachment
	value         string // as written in the message
}

// messageView is the part of GET /messages/{id} the attacks read.
type messageView struct {
	Message  leakscope.Message `json:"message"`
	Text     leakscope.Text    `json:"text"`
	Redacted bool              `json:"redacted"`
}

// TestIndexIsNoOracle builds a small demo, finds every planted value
// through counsel's eyes, then attacks the index as the issue did: as
// analyst and as the demo employee, through the real HTTP API, it walks
// prefixes of every value restricted to its message (id:X 0*, id:X 08*,
// ...), confirms it with phrases, bare words, separators left out, value
// fields and the fuzzy, regular expression and range syntaxes of other
// engines; nothing may match beyond what the mask shows. As counsel, typing
// each value finds its message. Then it greps a copy of index/ for every
// value.
func TestIndexIsNoOracle(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "demo")
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard)
	m.getenv = func(string) string { return "" }
	res, err := m.buildDemo(ctx, dir, oracleDemoOptions)
	if err != nil {
		t.Fatalf("buildDemo: %v", err)
	}
	// The planted list of the same company (the same seed writes the same
	// mail).
	leak, err := mailgen.NewCompany(mailgen.CompanyOptions{Seed: oracleDemoOptions.Seed, Threads: oracleDemoOptions.Threads}).Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	indexCopy := filepath.Join(t.TempDir(), "index")
	copyTree(t, filepath.Join(dir, "index"), indexCopy)

	// The attack walks some thousands of requests: the limits are raised
	// to run it in seconds (the walk of 245 requests ran within the
	// default ones).
	ts := startAPIServer(t, dir, api.Options{RateLimit: 1e6, RateBurst: 1e6, LoginRate: 1000})
	clients := map[string]*apiClient{}
	for _, u := range res.Users {
		c := ts.client(t, u.Name)
		c.loginWith(u.Name, u.Password)
		clients[u.Role] = c
	}
	counsel, analyst, employee := clients["counsel"], clients["analyst"], clients["employee"]

	values := plantedValues(t, counsel, leak.Planted)
	t.Logf("%d planted values in %d planted messages", len(values), len(leak.Planted))

	t.Run("analyst", func(t *testing.T) { attackValues(t, analyst, values) })
	t.Run("employee", func(t *testing.T) {
		var mine []plantedValue
		for _, v := range values {
			if resp, _ := employee.do("GET", "/api/v1/messages/"+v.id, nil); resp.StatusCode == http.StatusOK {
				mine = append(mine, v)
			}
		}
		if len(mine) == 0 {
			t.Fatal("the demo employee sees no planted value: nothing to attack")
		}
		t.Logf("the employee sees %d planted values", len(mine))
		attackValues(t, employee, mine)
	})
	t.Run("counsel finds each value", func(t *testing.T) { counselFindsValues(t, counsel, values) })
	t.Run("index files", func(t *testing.T) {
		grepIndex(t, indexCopy, values)
		indexTerms(t, indexCopy, values, vocabulary(t, analyst))
	})
}

// loginWith logs in with a password, keeping the CSRF token.
func (c *apiClient) loginWith(name, password string) {
	c.t.Helper()
	resp, b := c.do("POST", "/api/v1/login", map[string]string{"name": name, "password": password})
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("login %s = %d %s", name, resp.StatusCode, b)
	}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(b, &s); err != nil || s.CSRF == "" {
		c.t.Fatalf("login %s: no csrf_token in %s", name, b)
	}
	c.csrf = s.CSRF
}

// search runs q and returns the status and, on 200, the page.
func (c *apiClient) search(q string, limit int) (int, searchPage) {
	c.t.Helper()
	resp, b := c.do("GET", "/api/v1/search?limit="+strconv.Itoa(limit)+"&q="+url.QueryEscape(q), nil)
	var p searchPage
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &p); err != nil {
			c.t.Fatalf("%s: search %q: %v", c.name, q, err)
		}
	}
	return resp.StatusCode, p
}

// plantedValues finds, as counsel, the message of every planted value of
// a masked category and reads its flagged values. Every planted value
// must have been flagged: one that was not is in the clear everywhere.
func plantedValues(t *testing.T, counsel *apiClient, planted []mailgen.Plant) []plantedValue {
	t.Helper()
	var out []plantedValue
	seen := map[string]bool{}
	for _, p := range planted {
		if !slices.Contains(maskedCategories, p.Category) {
			continue
		}
		code, page := counsel.search("id:"+quoteQuery(p.MessageID), 5)
		if code != http.StatusOK || len(page.Hits) != 1 {
			t.Fatalf("counsel: search id:%s = %d, %d hits; want the planted message", p.MessageID, code, len(page.Hits))
		}
		id := page.Hits[0].ID
		var v messageView
		counsel.get("/api/v1/messages/"+id, &v)
		found := false
		for _, f := range v.Message.Flags {
			if !slices.Contains(maskedCategories, f.Category) {
				continue
			}
			part := flagPart(&v.Message, &v.Text, f)
			if f.Start < 0 || f.End > len(part) || f.Start >= f.End {
				t.Errorf("flag %+v of %s points outside its part", f, p.MessageID)
				continue
			}
			found = found || f.Category == p.Category
			pv := plantedValue{id: id, messageID: p.MessageID, category: f.Category, where: f.Where, value: part[f.Start:f.End]}
			if key := id + "\x00" + pv.category + "\x00" + pv.value; !seen[key] {
				seen[key] = true
				out = append(out, pv)
			}
		}
		if !found {
			t.Errorf("planted %s in %s (%s) was not flagged: it is in the clear", p.Category, p.MessageID, p.Where)
		}
	}
	if len(out) == 0 {
		t.Fatal("no planted value found")
	}
	return out
}

// flagPart returns the text a flag's offsets point into.
func flagPart(m *leakscope.Message, text *leakscope.Text, f leakscope.Flag) string {
	switch f.Where {
	case "subject":
		return m.Subject
	case "body":
		return text.Body
	case "attachment_name":
		return f.Attachment
	case "attachment":
		for _, a := range text.Attachments {
			if a.Name == f.Attachment {
				return a.Text
			}
		}
	}
	return ""
}

// visible is what a redacted view of one message shows: the words of each
// part, lower-cased, as the text analyzer splits them (runs of letters and
// digits; '*' separates).
type visible [][]string

func viewWords(v *messageView) visible {
	parts := []string{v.Message.Subject, v.Text.Body}
	for _, a := range v.Message.Attachments {
		parts = append(parts, a.Name)
	}
	for _, a := range v.Text.Attachments {
		parts = append(parts, a.Name, a.Text)
	}
	var out visible
	for _, p := range parts {
		out = append(out, words(p))
	}
	return out
}

// words splits s into lower-cased words: runs of letters, marks and
// digits, apostrophes inside words dropped.
func words(s string) []string {
	var out []string
	var cur []rune
	rs := []rune(s)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }
	for i, r := range rs {
		switch {
		case isWord(r):
			cur = append(cur, unicode.ToLower(r))
		case (r == '\'' || r == '\u2019') && len(cur) > 0 && i+1 < len(rs) && isWord(rs[i+1]):
		default:
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// hasPrefix reports whether a visible word starts with p.
func (v visible) hasPrefix(p string) bool {
	for _, part := range v {
		for _, w := range part {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// hasPhrase reports whether the words ws are visible next to each other in
// one part.
func (v visible) hasPhrase(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	for _, part := range v {
		for i := 0; i+len(ws) <= len(part); i++ {
			if slices.Equal(part[i:i+len(ws)], ws) {
				return true
			}
		}
	}
	return false
}

// attackValues tries, as c, to confirm or rebuild every value. A query
// restricted to the value's message may match it only when what c sees of
// the message explains the match; no hit may show the value.
func attackValues(t *testing.T, c *apiClient, values []plantedValue) {
	views := map[string]visible{}
	requests, walked := 0, 0
	check := func(v plantedValue, q string, explained bool) {
		t.Helper()
		requests++
		code, page := c.search(q, 5)
		if code != http.StatusOK {
			return // refused: nothing learnt
		}
		for _, h := range page.Hits {
			if strings.Contains(h.Snippet, v.value) {
				t.Errorf("%s: search %q: the snippet %q shows the %s value", c.name, q, h.Snippet, v.category)
			}
		}
		if page.Total > 0 && !explained {
			t.Errorf("%s: search %q = %d: it matches the masked %s value %q of %s", c.name, q, page.Total, v.category, v.value, v.messageID)
		}
	}
	firstOfCategory := map[string]bool{}
	for _, v := range values {
		vis, ok := views[v.id]
		if !ok {
			var mv messageView
			c.get("/api/v1/messages/"+v.id, &mv)
			if !mv.Redacted {
				t.Fatalf("%s sees %s unredacted", c.name, v.id)
			}
			vis = viewWords(&mv)
			views[v.id] = vis
		}
		in := "id:" + v.id + " "
		ws := words(v.value)
		phraseSeen := vis.hasPhrase(ws)
		alnum := strings.Join(ws, "")
		// Confirmation: the value as a phrase, as a bare word, without its
		// separators, in a value field.
		check(v, in+quoteQuery(v.value), phraseSeen)
		if bare(v.value) {
			check(v, in+v.value, phraseSeen)
		}
		if len(ws) > 1 {
			check(v, in+alnum, vis.hasPhrase([]string{alnum}))
		}
		check(v, in+v.category+":"+quoteQuery(v.value), false)
		// Other engines' syntaxes: fuzzy, regular expressions, ranges.
		if len(ws) > 0 {
			first := ws[0]
			for _, q := range []string{first + "~1", first + "~2", "body:/" + first[:1] + ".*/", "/" + first + "/",
				"body:[" + first + " TO " + first + "]", "body:{0 TO " + first + "}", "body:>" + first, "body:>=" + first} {
				check(v, in+q, vis.hasPhrase([]string{first}))
			}
		}
		// The prefix walk, one character at a time: each prefix of each
		// word of the value, in the free text and in the value's part.
		field := map[string]string{"subject": "subject:", "body": "body:", "attachment": "attachment:", "attachment_name": "attachment:"}[v.where]
		for _, w := range ws {
			for k := 1; k <= len(w); k++ {
				p := w[:k]
				walked++
				requests++
				q := in + p + "*"
				code, page := c.search(q, 5)
				if code != http.StatusOK || page.Total == 0 {
					break // the walk stops here: no longer prefix matches
				}
				if !vis.hasPrefix(p) {
					t.Errorf("%s: search %q = %d: the prefix walk reads %q of the masked %s value %q of %s", c.name, q, page.Total, p, v.category, v.value, v.messageID)
					break
				}
				if !firstOfCategory[v.category] && field != "" {
					check(v, in+field+p+"*", true)
				}
			}
		}
		firstOfCategory[v.category] = true
	}
	t.Logf("%s: %d requests, %d prefixes walked, over %d values", c.name, requests, walked, len(values))
}

// counselFindsValues: counsel types each value (as a phrase, a bare word,
// in its value field, without separators for identifiers) and finds its
// message, with the value in the clear in the hit's snippet.
func counselFindsValues(t *testing.T, counsel *apiClient, values []plantedValue) {
	find := func(v plantedValue, q string) {
		t.Helper()
		code, page := counsel.search("id:"+v.id+" "+q, 5)
		if code != http.StatusOK || page.Total != 1 {
			t.Errorf("counsel: search %q = %d, total %d; want the message holding the %s value", "id:"+v.id+" "+q, code, page.Total, v.category)
		}
	}
	for _, v := range values {
		find(v, quoteQuery(v.value))
		if bare(v.value) {
			find(v, v.value)
		}
		find(v, v.category+":"+quoteQuery(v.value))
		switch v.category {
		case leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagBankAccount, leakscope.FlagIBAN, leakscope.FlagPhone, leakscope.FlagPassport:
			find(v, strings.Join(words(v.value), ""))
		}
		// Not restricted to the message: the value finds it among its hits.
		code, page := counsel.search(quoteQuery(v.value), 100)
		if code != http.StatusOK || page.Total == 0 {
			t.Errorf("counsel: search %q = %d, total %d; want hits", quoteQuery(v.value), code, page.Total)
			continue
		}
		ids := map[string]bool{}
		for _, h := range page.Hits {
			ids[h.ID] = true
		}
		if page.Total <= 100 && !ids[v.id] {
			t.Errorf("counsel: search %q (%d hits) does not find %s", quoteQuery(v.value), page.Total, v.messageID)
		}
	}
}

// grepIndex reads every file of a copied index/ for every value long
// enough to be told from other text (six letters or digits), as written
// and with its separators left out, in its case and lower-cased.
func grepIndex(t *testing.T, dir string, values []plantedValue) {
	var files []string
	var contents [][]byte
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files, contents = append(files, p), append(contents, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, v := range values {
		if v.category == leakscope.FlagMedical || v.category == leakscope.FlagOffensive {
			continue // words, found in other mail as ordinary words
		}
		alnum := strings.Join(strings.FieldsFunc(v.value, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), "")
		if len(alnum) < 6 {
			continue
		}
		checked++
		for _, form := range []string{v.value, alnum, strings.ToLower(v.value), strings.ToLower(alnum)} {
			for i, b := range contents {
				if bytes.Contains(b, []byte(form)) {
					t.Errorf("%s holds the %s value %q (as %q)", files[i], v.category, v.value, form)
				}
			}
		}
	}
	t.Logf("grepped %d files for %d values", len(files), checked)
}

// vocabulary returns every word c sees in any message (lower-cased, see
// words).
func vocabulary(t *testing.T, c *apiClient) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	after := ""
	for {
		var page searchPage
		c.get("/api/v1/search?limit=100&q=*&after="+url.QueryEscape(after), &page)
		for _, h := range page.Hits {
			var v messageView
			c.get("/api/v1/messages/"+h.ID, &v)
			for _, part := range viewWords(&v) {
				for _, w := range part {
					out[w] = true
				}
			}
		}
		if page.Next == "" {
			return out
		}
		after = page.Next
	}
}

// indexTerms reads the term dictionaries of a copied index/, which a grep
// does not show whole: no term may be a word of a value, nor a value with
// its separators left out, that an analyst sees in no message. (Words of
// letters are compared as they are: the index holds stems, which catches
// most words, all the random ones of passwords and keys.)
func indexTerms(t *testing.T, dir string, values []plantedValue, seen map[string]bool) {
	ix, err := search.Open(dir, search.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hidden := map[string][]plantedValue{}
	for _, v := range values {
		ws := words(v.value)
		forms := slices.Clone(ws)
		if len(ws) > 1 {
			forms = append(forms, strings.Join(ws, ""))
		}
		for _, w := range forms {
			if !seen[w] {
				hidden[w] = append(hidden[w], v)
			}
		}
	}
	terms := 0
	err = ix.Terms(context.Background(), func(field, term string) error {
		terms++
		for _, v := range hidden[term] {
			t.Errorf("the index's field %s holds the term %q of the %s value %q of %s, which no analyst sees", field, term, v.category, v.value, v.messageID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read %d terms; %d words of values are seen by no analyst", terms, len(hidden))
}

// copyTree copies the directory src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// quoteQuery writes v as a quoted phrase of the query language.
func quoteQuery(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// bare reports whether v can be typed as one bare word of the query
// language, meaning itself.
func bare(v string) bool {
	if v == "" || strings.ContainsAny(v, " \t\n\r()\"*") || v[0] == '-' {
		return false
	}
	if i := strings.IndexByte(v, ':'); i > 0 && !strings.HasPrefix(v[i+1:], "//") {
		return false
	}
	switch strings.ToLower(v) {
	case "and", "or", "not":
		return false
	}
	return true
}
