package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/detect"
)

// TestUI drives the web UI in headless Chromium over the server tests'
// leak (serveData): every role logs in; search, facets, the message page
// with its flags and redaction; the employee's scope; the admin's audit
// page; the pages report no script error or CSP violation.
func TestUI(t *testing.T) {
	data := serveData(t)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000, RateLimit: 1000, EvaluateRate: 1000, EvaluateDaily: 1000})
	b := newBrowser(t, ts.base)

	t.Run("login refused then accepted", func(t *testing.T) {
		tb := b.tab(t)
		tb.open("/search", "#login-form") // not logged in: sent to the login page
		if next := evalIn[string](tb, `new URLSearchParams(location.search).get('next')`); next != "/search" {
			t.Errorf("login page next = %q, want /search", next)
		}
		tb.do("log in with a wrong password",
			chromedpSendKeys("name", "ann"), chromedpSendKeys("password", "wrong"), chromedpClick("login-submit"))
		tb.wait("the login error", `!document.getElementById('login-error').hidden`)
		if msg := evalIn[string](tb, `document.getElementById('login-error').textContent`); !strings.Contains(msg, "Wrong") {
			t.Errorf("login error = %q, want it to say the credentials are wrong", msg)
		}
		tb.do("log in as ann", chromedpSendKeys("password", servePassword), chromedpClick("login-submit"))
		tb.wait("the page asked for first", `location.pathname === '/search' && document.body.dataset.user === 'ann'`)
		if path := evalIn[string](tb, `location.pathname`); path != "/search" {
			t.Errorf("after login at /search?next: at %s, want /search", path)
		}
		tb.checkNoErrors("401")
	})

	t.Run("analyst searches, refines by a facet, opens a message", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("ann", servePassword)
		tb.open("/search?q=*", "#results .hit")
		tb.wait("7 results", `document.querySelectorAll('#results .hit').length === 7`)
		if got := evalIn[string](tb, `document.getElementById('results-heading').textContent`); !strings.Contains(got, "7 messages") || !strings.Contains(got, "redacted") {
			t.Errorf("results heading = %q, want 7 messages, redacted", got)
		}
		// The flag facet lists ssn; clicking it narrows the query.
		tb.wait("the flag facet", `document.querySelector('a.facet-link[data-facet="flag"][data-value="ssn"]') !== null`)
		tb.shot("ui-search-analyst")
		tb.do("click the ssn facet", chromedpClickCSS(`a.facet-link[data-facet="flag"][data-value="ssn"]`))
		tb.wait("the ssn results", `new URLSearchParams(location.search).get('q') === '* flag:ssn' || new URLSearchParams(location.search).get('q') === 'flag:ssn'`)
		tb.wait("ssn hits", `document.querySelectorAll('#results .hit').length === 3 && document.getElementById('results-heading').textContent.startsWith('3 ')`)
		badges := evalIn[[]string](tb, `[...document.querySelectorAll('#results .hit .badges .badge')].map(b => b.textContent)`)
		if !contains(badges, "SSN") {
			t.Errorf("badges of the ssn hits = %v, want SSN among them", badges)
		}
		// No SSN in clear anywhere on the page.
		if body := evalIn[string](tb, `document.body.innerText`); strings.Contains(body, "536-22-1847") || strings.Contains(body, "536-44-1234") {
			t.Errorf("the analyst's result page shows an SSN in clear")
		}
		// Open the benefits message: its flagged spans are marked, masked.
		tb.do("open the benefits message", chromedpClickCSS(`#results .hit a.subject[href*="/messages/"]`))
		tb.open("/messages/"+messageIDOf(t, ts, "pii@example.com"), "#flags-h")
		tb.wait("the flagged spans", `document.querySelectorAll('pre.text mark.flagged').length >= 2`)
		marks := evalIn[[]string](tb, `[...document.querySelectorAll('pre.text mark.flagged')].map(m => m.dataset.flag + '=' + m.textContent)`)
		if !contains(marks, "ssn=***-**-1847") {
			t.Errorf("flagged spans = %v, want ssn=***-**-1847 (masked, last four kept)", marks)
		}
		if got := evalIn[string](tb, `document.querySelector('.badge.redacted') ? 'yes' : 'no'`); got != "yes" {
			t.Errorf("redacted badge shown: %s, want yes", got)
		}
		if got := evalIn[int](tb, `document.querySelectorAll('a[href*="/raw"]').length`); got != 0 {
			t.Errorf("the analyst sees %d raw download links, want 0", got)
		}
		tb.shot("ui-message-analyst")
		tb.checkNoErrors()
	})

	t.Run("counsel sees values and the original", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("cora", servePassword)
		tb.open("/messages/"+messageIDOf(t, ts, "pii@example.com"), "#flags-h")
		tb.wait("the flagged spans", `document.querySelectorAll('pre.text mark.flagged').length >= 2`)
		marks := evalIn[[]string](tb, `[...document.querySelectorAll('pre.text mark.flagged')].map(m => m.dataset.flag + '=' + m.textContent)`)
		if !contains(marks, "ssn=536-22-1847") {
			t.Errorf("counsel's flagged spans = %v, want ssn=536-22-1847", marks)
		}
		if got := evalIn[int](tb, `document.querySelectorAll('a[href*="/raw?copy=1"]').length`); got != 1 {
			t.Errorf("counsel sees %d raw download links, want 1", got)
		}
		tb.checkNoErrors()
	})

	t.Run("employee sees only her own messages", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("jane", servePassword)
		if path := evalIn[string](tb, `location.pathname`); path != "/me" {
			t.Errorf("the employee lands on %s, want /me", path)
		}
		nav := evalIn[[]string](tb, `[...document.querySelectorAll('header nav a')].map(a => a.textContent)`)
		if strings.Join(nav, ",") != "Search,My exposure" {
			t.Errorf("employee's navigation = %v, want Search, My exposure", nav)
		}
		tb.wait("her addresses", `document.querySelector('#mine .card.mine') !== null && !document.querySelector('#mine').textContent.includes('Loading')`)
		tb.open("/search?q=*", "#results .hit")
		subjects := evalIn[[]string](tb, `[...document.querySelectorAll('#results .hit a.subject')].map(a => a.textContent)`)
		for _, s := range subjects {
			if s == "Board pay" || s == "Lookalike" {
				t.Errorf("the employee's search shows %q, a message she is not party to", s)
			}
		}
		if len(subjects) == 0 || len(subjects) >= 7 {
			t.Errorf("the employee's search shows %d messages %v, want some but not all 7", len(subjects), subjects)
		}
		// Someone else's message by its address is not found.
		tb.open("/messages/"+messageIDOf(t, ts, "other@example.com"), "main h1")
		tb.wait("not found", `document.querySelector('main h1').textContent === 'Not found'`)
		// The staff pages are not hers.
		tb.open("/exposure", "main h1")
		if h := evalIn[string](tb, `document.querySelector('main h1').textContent`); h != "Not found" {
			t.Errorf("the employee at /exposure sees %q, want Not found", h)
		}
		tb.open("/me", "#check-form")
		tb.shot("ui-me-employee")
		tb.checkNoErrors("404")
	})

	t.Run("identifier check in the browser", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("jane", servePassword)
		tb.open("/me", "#check-form")
		// The page's normalisation equals the server's.
		cases := []struct{ kind, value string }{
			{"ssn", "536-22-1847"}, {"ssn", " 536 22 1847 "}, {"ssn", "078-05-1120"}, {"ssn", "666-12-3456"}, {"ssn", "1234"},
			{"credit_card", "4556 7375 8689 9855"}, {"credit_card", "4556 7375 8689 9856"}, {"credit_card", "12"},
			{"phone", "(713) 853-1234"}, {"phone", "+44 (0)20 7467 3667"}, {"phone", "0044 20 7467 3667"}, {"phone", "011 44 20 7467 3667"},
			{"phone", "1-713-853-1234"}, {"phone", "555-0123"}, {"phone", "12"}, {"phone", "020 7467 3667"},
			{"email", "Jane.Doe@Example.com"}, {"email", "nobody"}, {"email", "a b@c.d"},
		}
		for _, c := range cases {
			want, err := detect.NormalizeIdentifier(c.kind, c.value)
			raw := evalIn[string](tb, fmt.Sprintf(`import('/static/js/identify.js').then(m => JSON.stringify(m.normalize(%s, %s)))`, jsString(c.kind), jsString(c.value)))
			var got struct{ Value, Error string }
			if jerr := json.Unmarshal([]byte(raw), &got); jerr != nil {
				t.Fatalf("normalize(%q, %q) in the page = %s: %v", c.kind, c.value, raw, jerr)
			}
			if (err != nil) != (got.Error != "") || got.Value != want {
				t.Errorf("normalize(%q, %q): page %+v, server %q (err %v)", c.kind, c.value, got, want, err)
			}
		}
		// The page's OPRF client (noble's, in JavaScript) and the Go one
		// (circl's) get the same lookup hash from the server.
		gc := ts.client(t, "jane-go")
		gc.login("jane")
		for _, c := range []struct{ kind, value string }{{"ssn", "536221847"}, {"email", "jane.doe@example.com"}, {"phone", "+17138531234"}} {
			want, _ := selfCheck(t, gc, c.kind, c.value)
			got := evalIn[string](tb, fmt.Sprintf(`Promise.all([import('/static/js/oprf.js'), import('/static/js/lib.js')]).then(async ([o, lib]) => {
				const inp = o.input(%s, %s);
				const b = o.blind(inp);
				const ev = await lib.api('/identifiers/evaluate', { method: 'POST', body: { elements: [o.toBase64(b.element)] } });
				return o.finalize(inp, b.blind, o.fromBase64(ev.evaluated[0]));
			})`, jsString(c.kind), jsString(c.value)))
			if got != want {
				t.Errorf("lookup hash of %s %s: page %s, Go client %s", c.kind, c.value, got, want)
			}
		}
		// What the page sends: a blinded element, then a prefix of the
		// lookup hash; never the SSN, as typed or normalised, nor an
		// unkeyed hash of it.
		evalIn[bool](tb, `(() => { window.sentByPage = []; const f = window.fetch;
			window.fetch = (url, init) => { window.sentByPage.push(String(url) + ' ' + ((init && init.body) || '')); return f(url, init); };
			return true; })()`)
		// Her SSN is found; a valid SSN that is not in the leak is not.
		start := time.Now()
		tb.do("check her SSN", chromedpSetValue("kind", "ssn"), chromedpSendKeys("value", "536-22-1847"), chromedpClickCSS(`#check-form button[type=submit]`))
		tb.wait("the answer", `document.querySelector('#check-result .found, #check-result .found-none, #check-result .error') !== null`)
		took := time.Since(start)
		if got := evalIn[string](tb, `document.getElementById('check-result').textContent`); !strings.Contains(got, "is in the leak") || !strings.Contains(got, "in 1 of your messages") {
			t.Errorf("check of a leaked SSN says %q, want it found in 1 of her messages", got)
		}
		start = time.Now()
		tb.do("check another SSN", chromedpSendKeys("value", "536-22-1848"), chromedpClickCSS(`#check-form button[type=submit]`))
		tb.wait("the second answer", `document.querySelector('#check-result .found-none') !== null`)
		t.Logf("self-check in the browser: found in %v, not found in %v (typing included)", took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if took > 5*time.Second {
			t.Errorf("the browser's self-check took %v", took)
		}
		sent := evalIn[[]string](tb, `window.sentByPage`)
		if len(sent) != 4 {
			t.Errorf("the page sent %d requests for two checks, want 4: %q", len(sent), sent)
		}
		elemRE := regexp.MustCompile(`^/api/v1/identifiers/evaluate \{"elements":\["[A-Za-z0-9+/]{43}="\]\}$`)
		for _, r := range sent {
			for _, form := range []string{"536221847", "536-22-1847", "536221848", "536-22-1848", clientSHA256("ssn", "536221847")[:5], clientSHA256("ssn", "536221848")[:5]} {
				if strings.Contains(r, form) {
					t.Errorf("the page sent %q, which holds %q", r, form)
				}
			}
			if !elemRE.MatchString(r) && !regexp.MustCompile(`^/api/v1/identifiers/lookup/[0-9a-f]{5} $`).MatchString(r) {
				t.Errorf("the page sent %q: want a blinded element or a lookup prefix only", r)
			}
		}
		tb.checkNoErrors()
	})

	t.Run("admin reads the audit log", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("root", servePassword)
		tb.open("/audit", "#audit")
		tb.wait("audit entries", `document.querySelectorAll('#audit tbody tr').length > 10`)
		actions := evalIn[[]string](tb, `[...document.querySelectorAll('#audit tbody tr td:nth-child(5)')].map(td => td.textContent)`)
		for _, want := range []string{"login", "search", "message.view", "identifier.evaluate", "identifier.lookup"} {
			if !contains(actions, want) {
				t.Errorf("audit page actions lack %q: %v", want, actions)
			}
		}
		tb.do("log out", chromedpClick("logout"))
		tb.wait("the login page", `location.pathname === '/login'`)
		tb.open("/audit", "#login-form") // the session is gone
		tb.checkNoErrors()
	})
}

// messageIDOf returns our id of the message with the given Message-ID,
// asked of the API as an admin would.
func messageIDOf(t *testing.T, ts *apiServer, messageID string) string {
	t.Helper()
	c := ts.client(t, "lookup")
	c.login("root")
	var page searchPage
	c.get("/api/v1/search?q=*&limit=100", &page)
	for _, h := range page.Hits {
		if h.MessageID == messageID {
			return h.ID
		}
	}
	t.Fatalf("no message %s", messageID)
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
