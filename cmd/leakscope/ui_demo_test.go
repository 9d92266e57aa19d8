package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
		tb.checkNoErrors()
	})
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
