package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/api"
)

// TestUIReview drives counsel's review in headless Chromium over the
// server tests' leak (serveData): counsel tags every result of a query
// from the search page, finds them again with tag:, sees and adds tags on
// a message, creates a production, exports the tagged messages, follows
// the job, downloads the zip and sees the breach-notification report. An
// analyst and an employee reach none of it, in the UI or the API.
func TestUIReview(t *testing.T) {
	data := serveData(t)
	ts := startAPIServer(t, data, api.Options{LoginRate: 1000, RateBurst: 1000, RateLimit: 1000})
	b := newBrowser(t, ts.base)
	const q = "to:hr@example.com"
	const note = "asked for in the DOJ subpoena"
	// to:hr@ selects these two; pii@ is then marked privileged and
	// withheld, so that the export holds attach@ and its 3 attachments.
	wantTagged := []string{messageIDOf(t, ts, "pii@example.com"), messageIDOf(t, ts, "attach@example.com")}
	slices.Sort(wantTagged)
	const wantDocs, wantBates = 4, "ACME0000001-ACME0000004"

	t.Run("counsel tags, exports and downloads", func(t *testing.T) {
		tb := b.tab(t)
		tb.login("cora", servePassword)
		if nav := evalIn[[]string](tb, `[...document.querySelectorAll('header nav a')].map(a => a.textContent)`); !contains(nav, "Productions") {
			t.Errorf("counsel's navigation = %v, want Productions in it", nav)
		}

		// No result: nothing to tag, no form shown.
		tb.open("/search?q=zyxwvut", "#results .empty")
		if shown := evalIn[bool](tb, `document.getElementById('tag-all').offsetParent !== null`); shown {
			t.Error("the tag-all form is shown for a search without results")
		}

		// Tag every result of the query from the search page.
		tb.open("/search?q="+q, "#results .hit")
		tb.wait("the hits and the tag form", `document.querySelectorAll('#results .hit').length === 2 && !document.getElementById('tag-all').hidden`)
		if got := evalIn[string](tb, `document.getElementById('tag-all-submit').textContent`); got != "Tag all 2 results" {
			t.Errorf("tag-all button = %q, want %q", got, "Tag all 2 results")
		}
		tb.do("tag all results responsive",
			chromedpSetValue("tag-all-name", "responsive"), chromedpSendKeys("tag-all-note", note), chromedpClick("tag-all-submit"))
		tb.wait("the tagging's answer", `document.getElementById('status').textContent.startsWith('Tagged')`)
		if got := evalIn[string](tb, `document.getElementById('status').textContent`); got != "Tagged 2 messages responsive (2 changed)." {
			t.Errorf("status after tagging = %q, want %q", got, "Tagged 2 messages responsive (2 changed).")
		}
		tb.wait("the tag badges on the hits", `document.querySelectorAll('#results .hit .badge.tag[data-tag="responsive"]').length === 2`)

		// tag:responsive finds exactly those, at once; the tag facet counts them.
		tb.open("/search?q=tag:responsive", "#results .hit")
		tb.wait("the facets", `document.querySelector('section.facet[data-facet="tag"]') !== null`)
		got := evalIn[[]string](tb, `[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id)`)
		slices.Sort(got)
		if !slices.Equal(got, wantTagged) {
			t.Errorf("tag:responsive shows %v, want %v", got, wantTagged)
		}
		if facet := evalIn[string](tb, `document.querySelector('a.facet-link[data-facet="tag"][data-value="responsive"] .count').textContent`); facet != "2" {
			t.Errorf("tag facet responsive = %q, want 2", facet)
		}
		tb.shot("ui-review-search-tags")

		// The message page shows the tag with its note; counsel adds privileged.
		tb.open("/messages/"+messageIDOf(t, ts, "pii@example.com"), "#tags")
		tb.wait("the tag list", `document.querySelector('#tags li[data-tag="responsive"]') !== null`)
		if got := evalIn[string](tb, `document.querySelector('#tags li[data-tag="responsive"]').textContent`); !strings.Contains(got, note) || !strings.Contains(got, "by cora") {
			t.Errorf("responsive tag on the message page = %q, want the note %q and by cora", got, note)
		}
		tb.do("add privileged", chromedpSetValue("tag-add-name", "privileged"), chromedpSendKeys("tag-add-note", "advice of counsel"), chromedpClick("tag-add-submit"))
		tb.wait("the privileged tag", `document.querySelector('#tags li[data-tag="privileged"]') !== null`)
		if got := evalIn[string](tb, `document.querySelector('#tags li[data-tag="privileged"]').textContent`); !strings.Contains(got, "advice of counsel") {
			t.Errorf("privileged tag = %q, want its note", got)
		}

		// A production, an export of tag:responsive, its job followed to the end.
		tb.open("/productions", "#create-form")
		tb.wait("the empty list", `document.querySelector('#productions tbody td') !== null && document.getElementById('create').open`)
		tb.do("create a production", chromedpSendKeys("create-name", "acme-vol1"), chromedpSendKeys("create-prefix", "ACME"), chromedpClick("create-submit"))
		tb.wait("the production", `document.querySelector('#productions tbody tr[data-name="acme-vol1"]') !== null && document.getElementById('production').value === 'acme-vol1'`)
		if next := evalIn[string](tb, `document.querySelector('#productions tbody tr[data-name="acme-vol1"] td:nth-child(3)').textContent`); next != "ACME0000001" {
			t.Errorf("next number of the new production = %q, want ACME0000001", next)
		}
		tb.do("export tag:responsive", chromedpSetValue("export-tag", "responsive"), chromedpClick("export-submit"))
		tb.wait("the finished export", `document.querySelector('#exports tr.job[data-status="done"] a.download') !== null`)
		if bates := evalIn[string](tb, `document.querySelector('#exports tr.job[data-status="done"] td.bates').textContent`); bates != wantBates {
			t.Errorf("Bates range of the export = %q, want %q", bates, wantBates)
		}
		row := evalIn[[]string](tb, `[...document.querySelector('#exports tr.job[data-status="done"]').children].map(td => td.textContent)`)
		if len(row) != 10 || row[0] != "1" || row[2] != "tag:responsive" || row[3] != "cora" || row[5] != "1" || row[6] != "4" || row[7] != "1" {
			t.Errorf("export row = %q, want #1, tag:responsive by cora, 1 message, 4 documents, 1 withheld", row)
		}
		tb.wait("the next number moved on", `document.querySelector('#productions tbody tr[data-name="acme-vol1"] td:nth-child(3)').textContent === 'ACME0000005'`)

		// Download it from the page: a zip whose DAT lists the documents.
		raw := evalIn[string](tb, `(async () => {
			const a = document.querySelector('#exports tr.job[data-status="done"] a.download');
			const r = await fetch(a.href, {credentials: 'same-origin'});
			const b = new Uint8Array(await r.arrayBuffer());
			let s = '';
			for (const c of b) s += String.fromCharCode(c);
			return r.status + ' ' + (r.headers.get('Content-Disposition') || '') + '\n' + btoa(s);
		})()`)
		head, b64, _ := strings.Cut(raw, "\n")
		if !strings.HasPrefix(head, "200 attachment") {
			t.Fatalf("download = %q, want 200 and an attachment", head)
		}
		zb, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || !bytes.HasPrefix(zb, []byte("PK")) {
			t.Fatalf("download: %d bytes starting %q (%v), want a zip", len(zb), zb[:min(len(zb), 4)], err)
		}
		if n := datDocuments(t, zb); n != wantDocs {
			t.Errorf("the production's DAT lists %d documents, want %d", n, wantDocs)
		}

		// The breach-notification report, with the production's numbers.
		tb.wait("the notification table", `document.querySelectorAll('#notify tbody tr td.num').length > 0`)
		if bates := evalIn[string](tb, `[...document.querySelectorAll('#notify tbody tr td:nth-child(5)')].map(td => td.textContent).join(' ')`); !strings.Contains(bates, "ACME") {
			t.Errorf("notification table Bates column = %q, want numbers of acme-vol1", bates)
		}
		if href := evalIn[string](tb, `document.getElementById('notify-csv').getAttribute('href')`); href != "/api/v1/notify?production=acme-vol1&format=csv" {
			t.Errorf("notification CSV link = %q", href)
		}
		tb.shot("ui-review-productions")
		tb.checkNoErrors()
	})

	for _, u := range []struct{ name, home string }{{"ann", "/exposure"}, {"jane", "/me"}} {
		t.Run(u.name+" reaches no tags or productions", func(t *testing.T) {
			tb := b.tab(t)
			tb.login(u.name, servePassword)
			if nav := evalIn[[]string](tb, `[...document.querySelectorAll('header nav a')].map(a => a.textContent)`); contains(nav, "Productions") {
				t.Errorf("%s's navigation = %v: has Productions", u.name, nav)
			}
			tb.open("/productions", "main h1")
			if h := evalIn[string](tb, `document.querySelector('main h1').textContent`); h != "Not found" {
				t.Errorf("%s at /productions sees %q, want Not found", u.name, h)
			}
			tb.open("/messages/"+messageIDOf(t, ts, "pii@example.com"), "#flags-h")
			if n := evalIn[int](tb, `document.querySelectorAll('#tags, .badge.tag').length`); n != 0 {
				t.Errorf("%s's message page shows %d tag elements, want none", u.name, n)
			}
			tb.open("/search?q=*", "#results .hit")
			tb.wait("the facets", `document.querySelector('section.facet') !== null`)
			if n := evalIn[int](tb, `document.querySelectorAll('section.facet[data-facet="tag"], #tag-all, .badge.tag').length`); n != 0 {
				t.Errorf("%s's search page shows %d tag elements (facet, form, badges), want none", u.name, n)
			}
			for _, call := range []string{
				`fetch('/api/v1/tags')`,
				`fetch('/api/v1/productions')`,
				`fetch('/api/v1/notify')`,
				`fetch('/api/v1/tags/x/add', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content}, body: JSON.stringify({query: '*'})})`,
				`fetch('/api/v1/productions/acme-vol1/exports/1/download')`,
			} {
				if got := evalIn[int](tb, call+`.then(r => r.status)`); got != 403 {
					t.Errorf("%s: %s = %d, want 403", u.name, call, got)
				}
			}
			// The not-found page and the refused calls, expected.
			tb.checkNoErrors("404", "403 (Forbidden)")
		})
	}
}

// datDocuments returns the number of documents the Concordance DAT file
// of a zipped production lists (its rows but the header).
func datDocuments(t *testing.T, zb []byte) int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatalf("read the production zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if path.Ext(f.Name) != ".dat" || !strings.Contains(f.Name, "DATA/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
		if len(rows) < 1 || !strings.Contains(rows[0], "BEGBATES") {
			t.Fatalf("%s: no header row in %q", f.Name, fmt.Sprintf("%.200s", b))
		}
		return len(rows) - 1
	}
	t.Fatalf("no DATA/*.dat in the zip: %v", names)
	return 0
}
