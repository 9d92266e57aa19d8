package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/mailgen"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

var messageIDHeader = regexp.MustCompile(`(?im)^Message-ID:[^\n]*\n`)

// exposureDetector runs the built-in detection rules for test ingests, as
// the command wires them (the message's own addresses are identifiers).
type exposureDetector struct{ d *detect.Detector }

func (x exposureDetector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, found := x.d.Detect(m, t)
	var ids []leakscope.Identifier
	for _, id := range found {
		ids = append(ids, leakscope.Identifier{Kind: id.Kind, Value: id.Value})
	}
	for _, a := range append(m.Recipients(), m.From) {
		if a.Email != "" {
			ids = append(ids, leakscope.Identifier{Kind: leakscope.IdentEmail, Value: strings.ToLower(a.Email)})
		}
	}
	return flags, detect.Risk(flags), ids
}

// noExposureIndex is the reference archive's search index: none.
type noExposureIndex struct{}

func (noExposureIndex) Put(context.Context, []leakscope.Document) error { return nil }
func (noExposureIndex) Optimize(context.Context) error                  { return nil }

// exposureIngest ingests paths into the leak of a (run.Leak set) or, with
// run.Leak == ReferenceName, into its reference archive.
func exposureIngest(t *testing.T, a *App, run leakscope.IngestRun, paths ...string) {
	t.Helper()
	ctx := context.Background()
	det, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := indexer.Options{Detector: exposureDetector{det}, Logger: a.Log}
	var st *store.DB = a.Store
	var ix indexer.Index = a.Index
	if run.Leak == ReferenceName {
		if st, err = a.OpenReference(ctx, true); err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ix, opts.Collection = noExposureIndex{}, leakscope.CollectionReference
	}
	run.Inputs, run.Started = paths, time.Now().UTC()
	if err := st.BeginRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(st, ix, opts).Run(ctx, &run, run.Inputs); err != nil {
		t.Fatalf("ingest %v: %v", paths, err)
	}
}

// openExposureApp opens a new data directory for writing.
func openExposureApp(t *testing.T) *App {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "data"), Options{Mode: Write, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// searchTotal counts the leaked messages matching q.
func searchTotal(t *testing.T, a *App, q string) int {
	t.Helper()
	pq, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Index.Search(context.Background(), search.Request{Query: pq, Limit: 0})
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Total)
}

// TestBuildExposure builds a company archive and a leak made from part of
// it (exact copies, copies without Message-ID, doctored copies), and
// checks the report's verdicts and people against what was done.
func TestBuildExposure(t *testing.T) {
	ctx := context.Background()
	c := mailgen.Make(mailgen.Options{Messages: 40, Seed: 21})
	dir := t.TempDir()
	refDir, leakDir := filepath.Join(dir, "archive"), filepath.Join(dir, "leak")
	os.MkdirAll(refDir, 0o755)
	os.MkdirAll(leakDir, 0o755)
	want := writeDoctoredLeak(t, c, refDir, leakDir)
	var csv strings.Builder
	csv.WriteString("name,addresses,department,vip\n")
	for i, p := range c.People {
		fmt.Fprintf(&csv, "%s,%s,Sales,%v\n", p.Name, strings.ToUpper(p.Email), i == 0)
	}
	peopleFile := filepath.Join(dir, "people.csv")
	os.WriteFile(peopleFile, []byte(csv.String()), 0o644)

	a := openExposureApp(t)
	exposureIngest(t, a, leakscope.IngestRun{Leak: "l"}, leakDir)
	if rec, err := a.ReconcileReference(ctx, nil, false); err != nil || rec != nil {
		t.Errorf("ReconcileReference without an archive = %v, %v; want nil, nil", rec, err)
	}
	exposureIngest(t, a, leakscope.IngestRun{Leak: ReferenceName}, refDir)
	people, err := ReadPeople(peopleFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetDomains(ctx, []string{"example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	org, err := a.Org(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := a.ReconcileReference(ctx, org.Domains, false)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.BuildExposure(ctx, org, rec, ExposureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, rep, want, len(c.Messages))
	if len(rep.People) != len(c.People) {
		t.Errorf("%d people in the report, want the directory's %d", len(rep.People), len(c.People))
	}
	for _, p := range rep.People {
		// Forwarded messages count too: they are leaked messages of their own.
		if want := searchTotal(t, a, "from:"+p.Address); p.Sent != want {
			t.Errorf("person %s: sent %d, want %d (from: in the leak)", p.Address, p.Sent, want)
		}
		if p.Department != "Sales" {
			t.Errorf("person %s: department %q, want the directory's", p.Address, p.Department)
		}
		if p.Messages != nil {
			t.Errorf("person %s: messages listed without Person or AllMessages", p.Address)
		}
	}
	if i := slices.IndexFunc(rep.People, func(p leakscope.PersonExposure) bool { return p.VIP }); i < 0 {
		t.Errorf("no VIP in the report; the directory has one")
	}

	who := c.People[1].Email
	one, err := a.BuildExposure(ctx, org, rec, ExposureOptions{Person: strings.ToUpper(who)})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.People) != 1 || one.People[0].Address != who || len(one.People[0].Messages) == 0 {
		t.Errorf("BuildExposure(Person %s) = %+v, want that person with their messages", who, one.People)
	}
	if none, err := a.BuildExposure(ctx, org, rec, ExposureOptions{Person: "nobody@example.org"}); err != nil || len(none.People) != 0 {
		t.Errorf("BuildExposure(Person of an unknown address) = %+v, %v; want no one", none, err)
	}
}

// writeDoctoredLeak writes the messages of c to refDir, and to leakDir
// a quarter each as they are, without Message-ID and doctored (a quarter
// is not leaked); it returns how each Message-ID was leaked.
func writeDoctoredLeak(t *testing.T, c *mailgen.Corpus, refDir, leakDir string) map[string]string {
	t.Helper()
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
	return want
}

// checkVerdicts checks the report's reconciliation part against how each
// reference message was leaked.
func checkVerdicts(t *testing.T, rep *leakscope.ExposureReport, want map[string]string, total int) {
	t.Helper()
	if rep.ReferenceTotal != total {
		t.Errorf("reference_total = %d, want %d", rep.ReferenceTotal, total)
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
}

// TestReconcileKept: a reconciliation is kept in the reference store and
// reused while neither side changed; force, or a change of the company
// domains, redoes it.
func TestReconcileKept(t *testing.T) {
	ctx := context.Background()
	c := mailgen.Make(mailgen.Options{Messages: 12, Seed: 5})
	dir := t.TempDir()
	for i, m := range c.Messages {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", i)), m.Raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := openExposureApp(t)
	exposureIngest(t, a, leakscope.IngestRun{Leak: "l"}, dir)
	exposureIngest(t, a, leakscope.IngestRun{Leak: ReferenceName}, dir)
	first, err := a.ReconcileReference(ctx, []string{"example.com"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if first.ReferenceTotal != len(c.Messages) || first.Counts[string(exposure.KindExact)] != len(c.Messages) {
		t.Fatalf("reconciliation of a leak of the whole archive = %+v, want %d exact", first.Counts, len(c.Messages))
	}
	for _, tc := range []struct {
		name    string
		domains []string
		force   bool
		reused  bool
	}{
		{"unchanged", []string{"example.com"}, false, true},
		{"forced", []string{"example.com"}, true, false},
		{"other domains", []string{"example.org"}, false, false},
	} {
		again, err := a.ReconcileReference(ctx, tc.domains, tc.force)
		if err != nil {
			t.Fatal(err)
		}
		if reused := again.Finished.Equal(first.Finished); reused != tc.reused {
			t.Errorf("%s: reconciliation finished %v, first %v: reused %v, want %v", tc.name, again.Finished, first.Finished, reused, tc.reused)
		}
	}
}
