package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/mailgen"
)

var _ api.Identifiers = (*Exposure)(nil)

// writeEML writes one small message to dir.
func writeEML(t *testing.T, dir, id, from, to, subject, body string) {
	t.Helper()
	raw := fmt.Sprintf("From: %s\nTo: %s\nSubject: %s\nDate: Mon, 24 Nov 2014 10:00:00 +0000\nMessage-ID: <%s>\n\n%s\n", from, to, subject, id, body)
	if err := os.WriteFile(filepath.Join(dir, id+".eml"), []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exposureLeak is a leak in two waves: w1 Jane's mail (an SSN, a mention,
// a message of a company sender the archive lacks), w2 company mail of
// which the archive holds the originals, one leaked doctored.
type exposureLeak struct {
	a                          *App
	altered, identical, absent string // leaked message ids
}

func newExposureLeak(t *testing.T, withArchive bool) *exposureLeak {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	w1, w2, ref := filepath.Join(dir, "w1"), filepath.Join(dir, "w2"), filepath.Join(dir, "ref")
	for _, d := range []string{w1, w2, ref} {
		os.MkdirAll(d, 0o755)
	}
	writeEML(t, w1, "pii@example.com", "Jane Doe <jane.doe@example.com>", "hr@example.com", "Benefits", "Hi HR,\nmy SSN is 536-22-1847.\nJane")
	writeEML(t, w1, "mention@example.com", "carl@example.com", "dave@partner.example.org", "Budget", "Ask jane.doe@example.com about the budget.")
	writeEML(t, w1, "absent@example.com", "ceo@example.com", "board@example.com", "Board", "Not archived.")
	c := mailgen.Make(mailgen.Options{Messages: 6, Seed: 7})
	for i, m := range c.Messages {
		os.WriteFile(filepath.Join(ref, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644)
		raw := m.Raw
		if i == 1 {
			raw = bytes.Replace(raw, []byte(m.Body[:20]), []byte("We never agreed to this. "+m.Body[:20]), 1)
		}
		os.WriteFile(filepath.Join(w2, fmt.Sprintf("%d.eml", i)), raw, 0o644)
	}
	a := openExposureApp(t)
	exposureIngest(t, a, leakscope.IngestRun{Leak: "hr", Batch: "w1"}, w1)
	exposureIngest(t, a, leakscope.IngestRun{Leak: "hr", Batch: "w2"}, w2)
	people := []byte("name,addresses,department\nJane Doe,jane.doe@example.com;jane@corp.example.com,HR\nChief Executive,ceo@example.com,Board\n")
	os.WriteFile(filepath.Join(dir, "people.csv"), people, 0o644)
	list, err := ReadPeople(filepath.Join(dir, "people.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetPeople(ctx, list); err != nil {
		t.Fatal(err)
	}
	if err := a.SetDomains(ctx, []string{"example.com"}); err != nil {
		t.Fatal(err)
	}
	f := &exposureLeak{a: a}
	if !withArchive {
		return f
	}
	exposureIngest(t, a, leakscope.IngestRun{Leak: ReferenceName}, ref)
	org, err := a.Org(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := a.ReconcileReference(ctx, org.Domains, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rec.Published {
		for _, h := range p.Hits {
			switch {
			case h.Kind != p.Match:
			case h.Altered && p.Diff != "" && f.altered == "":
				f.altered = h.ID
			case !h.Altered && f.identical == "":
				f.identical = h.ID
			}
		}
	}
	if f.altered == "" || f.identical == "" || len(rec.NotInArchive) == 0 {
		t.Fatalf("reconciliation: altered copy %q, identical copy %q, not in archive %v; want one of each", f.altered, f.identical, rec.NotInArchive)
	}
	f.absent = rec.NotInArchive[0]
	return f
}

// TestExposureAnswers: the server's exposure answers are the report's,
// built once; a person is found by any of their addresses; a leaked
// message says how it stands against the archive.
func TestExposureAnswers(t *testing.T) {
	ctx := context.Background()
	f := newExposureLeak(t, true)
	x := NewExposure(f.a)
	rep, err := x.ExposureReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := x.ExposureReport(ctx)
	if err != nil || !again.Generated.Equal(rep.Generated) {
		t.Errorf("report generated at %v, then %v (%v): not cached", rep.Generated, again.Generated, err)
	}
	if rep.ReferenceTotal != 6 || len(rep.People) == 0 || len(rep.Batches) != 2 {
		t.Errorf("report: reference_total %d, %d people, batches %+v; want 6, some, w1 and w2", rep.ReferenceTotal, len(rep.People), rep.Batches)
	}
	for _, p := range rep.People {
		if p.Messages != nil {
			t.Errorf("report lists the messages of %s", p.Address)
		}
	}
	for _, addr := range []string{"jane.doe@example.com", "Jane@Corp.Example.com", "Jane.Doe+benefits@EXAMPLE.com"} {
		p, err := x.Person(ctx, addr)
		if err != nil || p.Address != "jane.doe@example.com" || p.Sent != 1 || p.Mentioned != 1 || p.Flags["ssn"] != 1 || len(p.Messages) != 2 {
			t.Errorf("Person(%s) = %+v, %v; want jane.doe@example.com: sent 1, mentioned 1, ssn 1, 2 messages", addr, p, err)
		}
	}
	for _, addr := range []string{"carl@example.com", "not-an-address", strings.Repeat("a", 400) + "@example.com"} {
		if p, err := x.Person(ctx, addr); !errors.Is(err, leakscope.ErrNotFound) {
			t.Errorf("Person(%.40s) = %+v, %v; want ErrNotFound", addr, p, err)
		}
	}
	bs, err := x.Batches(ctx)
	if err != nil || len(bs.Leaks) != 1 || bs.Leaks[0].Name != "hr" || len(bs.Batches) != 2 || bs.Batches[0].Batch != "w1" || bs.Batches[0].Messages != 3 {
		t.Errorf("Batches = %+v, %v; want hr with w1 (3 messages) and w2", bs, err)
	}
	for _, tc := range []struct {
		id, status  string // "" for no copy
		diff, notIn bool
	}{
		{f.altered, "altered", true, false},
		{f.identical, "identical", false, false},
		{f.absent, "", false, true},
	} {
		r, err := x.Reconciliation(ctx, tc.id)
		switch {
		case err != nil || r == nil:
			t.Errorf("Reconciliation(%s) = %v, %v", tc.id, r, err)
		case tc.status == "" && r.Copy != nil:
			t.Errorf("Reconciliation(%s) = %+v, want no copy", tc.id, r.Copy)
		case tc.status != "" && (r.Copy == nil || r.Copy.Status != tc.status || r.Copy.Match != "exact" || r.Copy.ReferenceID == "" || r.Copy.Score <= 0 || (r.Copy.Diff != "") != tc.diff):
			t.Errorf("Reconciliation(%s) = %+v, want %s exact, diff %v", tc.id, r.Copy, tc.status, tc.diff)
		case tc.diff && !strings.Contains(r.Copy.Diff, "We never agreed"):
			t.Errorf("diff %q lacks the doctored sentence", r.Copy.Diff)
		}
		if r != nil && r.NotInArchive != tc.notIn {
			t.Errorf("Reconciliation(%s): not in archive %v, want %v", tc.id, r.NotInArchive, tc.notIn)
		}
	}
}

// TestExposureWithoutArchive: without a reference archive the report has
// no reconciliation part and messages none.
func TestExposureWithoutArchive(t *testing.T) {
	ctx := context.Background()
	x := NewExposure(newExposureLeak(t, false).a)
	rep, err := x.ExposureReport(ctx)
	if err != nil || rep.ReferenceTotal != 0 || len(rep.Published) != 0 || rep.LeakTotal != 9 {
		t.Fatalf("report without an archive = %+v, %v; want 9 leaked messages, nothing published", rep, err)
	}
	if r, err := x.Reconciliation(ctx, "anything"); r != nil || err != nil {
		t.Errorf("Reconciliation without an archive = %+v, %v; want nil", r, err)
	}
}

// TestCheckIdentifiers: an identifier is found in the messages holding
// it, shown masked; one not in the leak is found nowhere.
func TestCheckIdentifiers(t *testing.T) {
	ctx := context.Background()
	f := newExposureLeak(t, false)
	ids := []leakscope.Identifier{
		{Kind: leakscope.IdentSSN, Value: "536 22 1847"},
		{Kind: leakscope.IdentSSN, Value: "536-22-9999"},
		{Kind: leakscope.IdentEmail, Value: "Jane.Doe@example.com"},
	}
	for i := range ids {
		v, err := detect.NormalizeIdentifier(ids[i].Kind, ids[i].Value)
		if err != nil {
			t.Fatal(err)
		}
		ids[i].Value = v
	}
	got, err := f.a.CheckIdentifiers(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("CheckIdentifiers = %+v, want 3 checks", got)
	}
	if ch := got[0]; ch.Found != 1 || ch.Value != "*****1847" || len(ch.Messages) != 1 || ch.Messages[0].Subject != "Benefits" ||
		!slices.Contains(ch.Messages[0].Flags, "ssn") || len(ch.Messages[0].Snippets) == 0 || !slices.Equal(ch.Messages[0].Leaks, []string{"hr"}) {
		t.Errorf("check of a leaked SSN = %+v, want it masked, in Benefits with an ssn snippet", ch)
	}
	if ch := got[1]; ch.Found != 0 || ch.Messages == nil {
		t.Errorf("check of an SSN not in the leak = %+v, want found 0 and an empty list", ch)
	}
	if ch := got[2]; ch.Found != 2 || ch.Value != "jane.doe@example.com" {
		t.Errorf("check of Jane's address = %+v, want it unmasked, found in 2 messages", ch)
	}
}

// TestNotify: the breach-notification report names Jane for her SSN.
func TestNotify(t *testing.T) {
	ctx := context.Background()
	f := newExposureLeak(t, false)
	rep, err := f.a.Notify(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range rep.People {
		if p.Address == "jane.doe@example.com" && p.Messages == 1 && len(p.Categories) > 0 {
			found = true
		}
	}
	if !found || rep.Flagged == 0 || rep.Messages != 9 {
		t.Errorf("Notify = %+v, want Jane with one message, of 9", rep)
	}
	if _, err := f.a.Notify(ctx, "no-such-production"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Notify(unknown production) = %v, want ErrNotFound", err)
	}
}
