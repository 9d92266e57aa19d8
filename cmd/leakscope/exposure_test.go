package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

var messageIDHeader = regexp.MustCompile(`(?im)^Message-ID:[^\n]*\n`)

// TestExposureReport builds a company archive and a leak made from part of
// it (exact copies, copies without Message-ID, doctored copies), and checks
// the report's verdicts and people against what was done.
func TestExposureReport(t *testing.T) {
	c := mailgen.Make(mailgen.Options{Messages: 40, Seed: 21})
	dir := t.TempDir()
	refDir, leakDir := filepath.Join(dir, "archive"), filepath.Join(dir, "leak")
	os.MkdirAll(refDir, 0o755)
	os.MkdirAll(leakDir, 0o755)
	want := map[string]string{} // Message-ID -> how it was leaked
	for i, m := range c.Messages {
		if err := os.WriteFile(filepath.Join(refDir, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644); err != nil {
			t.Fatal(err)
		}
		raw := m.Raw
		switch i % 4 {
		case 0:
			want[m.MessageID] = "exact"
		case 1:
			want[m.MessageID] = "noid"
			raw = messageIDHeader.ReplaceAll(raw, nil)
		case 2:
			want[m.MessageID] = "none"
			continue
		case 3:
			want[m.MessageID] = "altered"
			if !bytes.Contains(raw, []byte(m.Body[:20])) {
				t.Fatalf("message %d: its body is not in its raw form as written", i)
			}
			raw = bytes.Replace(raw, []byte(m.Body[:20]), []byte("We never agreed to this. "+m.Body[:20]), 1)
		}
		if err := os.WriteFile(filepath.Join(leakDir, fmt.Sprintf("%d.eml", i)), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var csv strings.Builder
	csv.WriteString("name,addresses,department,vip\n")
	for i, p := range c.People {
		fmt.Fprintf(&csv, "%s,%s,Sales,%v\n", p.Name, strings.ToUpper(p.Email), i == 0)
	}
	people := filepath.Join(dir, "people.csv")
	os.WriteFile(people, []byte(csv.String()), 0o644)

	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "l", "--no-progress", leakDir)
	if r := run(t, "exposure", "--data", data); r.code != 0 || !strings.Contains(r.stderr, "no reference archive") {
		t.Errorf("exposure without an archive: exit %d, stderr %q; want 0 and a note", r.code, r.stderr)
	}
	mustRun(t, "reference", "--data", data, "--no-progress", refDir)
	mustRun(t, "org", "--data", data, "--domains", "example.com", "--people", people)

	var rep leakscope.ExposureReport
	decodeJSON(t, mustRun(t, "exposure", "--data", data, "--json"), &rep)
	if rep.ReferenceTotal != len(c.Messages) {
		t.Errorf("reference_total = %d, want %d", rep.ReferenceTotal, len(c.Messages))
	}
	byMsgID := map[string]leakscope.PublishedMessage{}
	for _, p := range rep.Published {
		byMsgID[p.MessageID] = p
	}
	for id, how := range want {
		p, published := byMsgID[id]
		switch how {
		case "exact", "noid":
			if !published || p.Match != "exact" || len(p.Leaked) == 0 || p.Altered {
				t.Errorf("%s (%s): published %v as %+v; want an exact, unaltered match", id, how, published, p)
			}
		case "altered":
			if !published || p.Match != "exact" || !p.Altered || !strings.Contains(p.Diff, "We never agreed") {
				t.Errorf("%s (altered): published %v as %+v; want exact, altered, with a diff", id, published, p)
			}
		case "none":
			if published && p.Match != "quoted" {
				t.Errorf("%s (not leaked): published as %+v; at most quoted by a leaked reply", id, p)
			}
		}
	}
	if len(rep.NotInArchive) != 0 {
		t.Errorf("not_in_archive = %v, want none: every leaked message is in the archive", rep.NotInArchive)
	}
	if len(rep.People) != len(c.People) {
		t.Errorf("%d people in the report, want the directory's %d", len(rep.People), len(c.People))
	}
	for _, p := range rep.People {
		// Forwarded messages count too: they are leaked messages of their own.
		if want := total(t, data, "from:"+p.Address); p.Sent != want {
			t.Errorf("person %s: sent %d, want %d (from: in the leak)", p.Address, p.Sent, want)
		}
		if p.Department != "Sales" {
			t.Errorf("person %s: department %q, want the directory's", p.Address, p.Department)
		}
	}
	if i := slices.IndexFunc(rep.People, func(p leakscope.PersonExposure) bool { return p.VIP }); i < 0 {
		t.Errorf("no VIP in the report; the directory has one")
	}

	// --person, the text report and the HTML report.
	who := c.People[1].Email
	var one leakscope.ExposureReport
	decodeJSON(t, mustRun(t, "exposure", "--data", data, "--json", "--person", strings.ToUpper(who)), &one)
	if len(one.People) != 1 || one.People[0].Address != who || len(one.People[0].Messages) == 0 {
		t.Errorf("exposure --person %s = %+v, want that person with their messages", who, one.People)
	}
	html := filepath.Join(dir, "report.html")
	text := mustRun(t, "exposure", "--data", data, "--html", html)
	if !strings.Contains(text, fmt.Sprintf("reference archive: %d messages", len(c.Messages))) {
		t.Errorf("text report:\n%s", text)
	}
	page, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(page, []byte("<svg")) || !bytes.Contains(page, []byte(c.People[0].Name)) || bytes.Contains(page, []byte("<script")) {
		t.Errorf("HTML report (%v): want SVG charts and the people, no script", err)
	}
	if r := run(t, "exposure", "--data", data, "--person", "nobody@example.org"); r.code != exitNotFound {
		t.Errorf("exposure --person of an unknown address: exit %d, want %d", r.code, exitNotFound)
	}
	if r := run(t, "org", "--data", data, "--domains", "not a domain"); r.code != 2 {
		t.Errorf("org with a bad domain: exit %d, want 2", r.code)
	}
}
