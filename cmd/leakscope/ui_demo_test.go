package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/api"
)

// TestUIDemo drives the web UI over the demo company (two waves, a
// reference archive, planted sensitive content): the exposure dashboard
// and its charts, a wave's bar leading to its messages, a person page,
// the exposed employee's own view. Its screenshots of the dashboard and
// of a search are the README's.
func TestUIDemo(t *testing.T) {
	findChromium(t) // skip before the build when there is no browser
	dir := t.TempDir()
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard)
	m.getenv = func(string) string { return "" }
	var log bytes.Buffer
	res, err := m.buildDemo(context.Background(), dir, demoOptions{Seed: 1, Log: &log})
	if err != nil {
		t.Fatalf("buildDemo: %v\n%s", err, log.String())
	}
	pass := map[string]string{}
	for _, u := range res.Users {
		pass[u.Role] = u.Password
		pass[u.Role+"-name"] = u.Name
	}
	ts := startAPIServer(t, dir, api.Options{LoginRate: 1000, RateBurst: 1000, RateLimit: 1000})
	b := newBrowser(t, ts.base)

	t.Run("analyst's dashboard", func(t *testing.T) {
		tb := b.tab(t)
		tb.login(pass["analyst-name"], pass["analyst"])
		if path := evalIn[string](tb, `location.pathname`); path != "/exposure" {
			t.Fatalf("the analyst lands on %s, want /exposure", path)
		}
		tb.wait("the dashboard", `document.getElementById('dashboard').getAttribute('aria-busy') === null`)
		totals := evalIn[[]string](tb, `[...document.querySelectorAll('#totals .total')].map(t => t.textContent)`)
		if len(totals) != 5 || !strings.Contains(totals[0], strconv.Itoa(res.Messages)) && !strings.Contains(totals[0], commaNumber(res.Messages)) {
			t.Errorf("totals = %q, want 5 boxes, the first with %d messages", totals, res.Messages)
		}
		months := evalIn[int](tb, `document.querySelectorAll('#chart-months svg rect.bar').length`)
		waves := evalIn[[]string](tb, `[...document.querySelectorAll('#chart-waves svg a')].map(a => a.getAttribute('href'))`)
		flags := evalIn[int](tb, `document.querySelectorAll('#chart-flags svg rect.bar').length`)
		people := evalIn[int](tb, `document.querySelectorAll('#people tbody tr').length`)
		risky := evalIn[int](tb, `document.querySelectorAll('#risky li').length`)
		if months < 6 || len(waves) != 2 || flags < 10 || people < 10 || risky < 5 {
			t.Errorf("dashboard: %d month bars, waves %v, %d flag bars, %d people, %d risky messages; want >= 6, 2, >= 10, >= 10, >= 5",
				months, waves, flags, people, risky)
		}
		recon := evalIn[string](tb, `document.getElementById('reconciliation').textContent`)
		if !strings.Contains(recon, "Altered copies") || !strings.Contains(recon, strconv.Itoa(res.NotInArchive)) {
			t.Errorf("reconciliation box = %q, want altered copies and %d not in the archive", recon, res.NotInArchive)
		}
		tb.shot("dashboard")
		tb.viewShot("readme-dashboard")
		// A wave's bar leads to its messages.
		tb.do("click wave 2", chromedpClickCSS(`#chart-waves svg a[href*="wave-2"] rect`))
		tb.wait("wave 2's messages", `location.pathname === '/search' && document.querySelectorAll('#results .hit').length > 0`)
		if q := evalIn[string](tb, `new URLSearchParams(location.search).get('q')`); q != "batch:wave-2" {
			t.Errorf("wave bar leads to q=%q, want batch:wave-2", q)
		}
		tb.checkNoErrors()
	})

	t.Run("analyst's search", func(t *testing.T) {
		tb := b.tab(t)
		tb.login(pass["analyst-name"], pass["analyst"])
		tb.open("/search?"+url.Values{"q": {"flag:ssn OR flag:medical"}, "sort": {"risk"}}.Encode(), "#results .hit")
		tb.wait("facets", `document.querySelector('#facets .facet') !== null`)
		if got := evalIn[string](tb, `document.getElementById('sort').value`); got != "risk" {
			t.Errorf("sort select = %q, want risk", got)
		}
		risks := evalIn[[]float64](tb, `[...document.querySelectorAll('#results .hit .risk')].map(r => parseFloat(r.textContent.replace('risk ', '')))`)
		for i := 1; i < len(risks); i++ {
			if risks[i] > risks[i-1] {
				t.Errorf("hits sorted by risk: %v", risks)
				break
			}
		}
		tb.shot("search")
		tb.viewShot("readme-search")
		tb.checkNoErrors()
	})

	t.Run("person page", func(t *testing.T) {
		tb := b.tab(t)
		tb.login(pass["counsel-name"], pass["counsel"])
		addr := res.Employee.Addresses[0]
		tb.open("/people/"+url.PathEscape(addr), "#person dl.pairs")
		tb.wait("her messages", `document.querySelectorAll('#person .hit').length > 0`)
		badges := evalIn[[]string](tb, `[...document.querySelectorAll('#person .flag-counts .badge')].map(b => b.textContent)`)
		if !contains(badges, "SSN") || !contains(badges, "Medical") {
			t.Errorf("person page flags = %v, want SSN and Medical", badges)
		}
		tb.checkNoErrors()
	})

	t.Run("exposed employee", func(t *testing.T) {
		tb := b.tab(t)
		tb.login(pass["employee-name"], pass["employee"])
		tb.wait("her addresses", `document.querySelectorAll('#mine .card.mine').length === `+strconv.Itoa(len(res.Employee.Addresses))+
			` && document.querySelectorAll('#mine .card.mine dl.pairs').length > 0`)
		badges := evalIn[[]string](tb, `[...document.querySelectorAll('#mine .flag-counts .badge')].map(b => b.textContent)`)
		if !contains(badges, "SSN") || !contains(badges, "Medical") {
			t.Errorf("My exposure flags = %v, want SSN and Medical", badges)
		}
		tb.shot("my-exposure")
		// Her search holds her messages only: fewer than the analyst's.
		tb.open("/search?q=*", "#results .hit")
		heading := evalIn[string](tb, `document.getElementById('results-heading').textContent`)
		n, _ := strconv.Atoi(strings.ReplaceAll(strings.Fields(heading)[0], ",", ""))
		if n == 0 || n >= res.Messages {
			t.Errorf("the employee's search * finds %q, want some but fewer than %d", heading, res.Messages)
		}

		// The self-check: her SSN (as counsel reads it in her benefits
		// form) is found, a made-up one is not.
		ssn := demoEmployeeSSN(t, ts, pass["counsel-name"], pass["counsel"])
		tb.open("/me", "#check-form")
		// As a person would, after the page has shown her messages.
		tb.wait("her addresses again", `document.querySelectorAll('#mine .card.mine dl.pairs').length > 0`)
		for _, c := range []struct {
			value, want string
		}{{ssn, "#check-result .found"}, {"772-71-0001", "#check-result .found-none"}} {
			start := time.Now()
			tb.do("check an SSN", chromedpSetValue("kind", "ssn"), chromedpSendKeys("value", c.value), chromedpClickCSS(`#check-form button[type=submit]`))
			tb.wait("the answer", `document.querySelector('#check-result .found, #check-result .found-none, #check-result .error') !== null && !document.getElementById('check-result').textContent.startsWith('Checking')`)
			took := time.Since(start)
			if got := evalIn[bool](tb, `document.querySelector(`+jsString(c.want)+`) !== null`); !got {
				t.Errorf("self-check of %s: %q, want %s", c.value, evalIn[string](tb, `document.getElementById('check-result').textContent`), c.want)
			}
			t.Logf("self-check in the browser, %s: %v (typing included)", c.want, took.Round(time.Millisecond))
			if took > 5*time.Second {
				t.Errorf("the browser's self-check took %v", took)
			}
		}
		timing := evalIn[string](tb, `Promise.all([import('/static/js/oprf.js'), import('/static/js/lib.js')]).then(async ([o, lib]) => {
			const t = [performance.now()];
			const inp = o.input('ssn', '536221847');
			const b = o.blind(inp); t.push(performance.now());
			const ev = await lib.api('/identifiers/evaluate', { method: 'POST', body: { elements: [o.toBase64(b.element)] } }); t.push(performance.now());
			const h = o.finalize(inp, b.blind, o.fromBase64(ev.evaluated[0])); t.push(performance.now());
			await lib.api('/identifiers/lookup/' + h.slice(0, 5)); t.push(performance.now());
			return t.slice(1).map((x, i) => (x - t[i]).toFixed(1)).join(' ');
		})`)
		// Where the time goes, warm.
		t.Logf("in-page self-check, ms: blind, evaluate, finalize, lookup = %s", timing)
		tb.shot("my-exposure-check")
		tb.checkNoErrors()
	})
}

// demoEmployeeSSN returns the exposed employee's SSN as it is written in
// her benefits form, read by counsel through the API.
func demoEmployeeSSN(t *testing.T, ts *apiServer, name, password string) string {
	t.Helper()
	c := ts.client(t, "counsel")
	resp, b := c.do("POST", "/api/v1/login", map[string]string{"name": name, "password": password})
	if resp.StatusCode != 200 {
		t.Fatalf("counsel login = %d %s", resp.StatusCode, b)
	}
	var page searchPage
	c.get("/api/v1/search?"+url.Values{"q": {`subject:"Benefits enrollment form"`}}.Encode(), &page)
	re := regexp.MustCompile(`Social Security Number: (\d{3}-\d{2}-\d{4})`)
	for _, h := range page.Hits {
		_, b := c.do("GET", "/api/v1/messages/"+h.ID, nil)
		if m := re.FindSubmatch(b); m != nil {
			return string(m[1])
		}
	}
	t.Fatalf("no benefits form with an SSN among %d hits", len(page.Hits))
	return ""
}

// commaNumber formats n with thousands separators, as the page does in
// an English locale.
func commaNumber(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
