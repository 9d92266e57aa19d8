package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

// TestExposureReport runs `exposure` over a leak of part of a company
// archive: the note without an archive, --json, --person, the text and
// HTML reports and the exit codes. The report itself is tested in package
// app (TestBuildExposure).
func TestExposureReport(t *testing.T) {
	c := mailgen.Make(mailgen.Options{Messages: 40, Seed: 21})
	dir := t.TempDir()
	refDir, leakDir := filepath.Join(dir, "archive"), filepath.Join(dir, "leak")
	os.MkdirAll(refDir, 0o755)
	os.MkdirAll(leakDir, 0o755)
	for i, m := range c.Messages {
		if err := os.WriteFile(filepath.Join(refDir, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := os.WriteFile(filepath.Join(leakDir, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644); err != nil {
				t.Fatal(err)
			}
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
	if rep.ReferenceTotal != len(c.Messages) || len(rep.Published) == 0 || len(rep.People) != len(c.People) {
		t.Errorf("exposure --json: reference_total %d, %d published, %d people; want %d, some, the directory's %d",
			rep.ReferenceTotal, len(rep.Published), len(rep.People), len(c.Messages), len(c.People))
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
