package app

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/store"
)

// TestExport: two exports of one production continue its numbers, are
// recorded with it and in the audit log under the user given; an unknown
// production names the command that creates one; a failed export uses no
// number.
func TestExport(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 30, 3)
	if _, err := a.PlanExport(ctx, "nope", "*", mustParse(t, "*")); !errors.Is(err, leakscope.ErrNotFound) || !strings.Contains(err.Error(), "leakscope production create nope") {
		t.Errorf("PlanExport(unknown production) = %v, want ErrNotFound naming `leakscope production create`", err)
	}
	if _, err := a.Store.CreateProduction(ctx, store.Production{Name: "acme", Prefix: "ACME", Digits: 7, Next: 1}); err != nil {
		t.Fatal(err)
	}
	who := leakscope.AuditEntry{User: "cora", Role: "counsel", Remote: "10.0.0.1"}
	out := t.TempDir()
	var sums []*export.Summary
	for _, text := range []string{"date:..2014-01-08", "*"} {
		plan, err := a.PlanExport(ctx, "acme", text, mustParse(t, text))
		if err != nil {
			t.Fatal(err)
		}
		if want := hits(t, a, text); len(plan.IDs) != len(want) || plan.Query != text || plan.Production.Name != "acme" {
			t.Fatalf("PlanExport(%q) = %d ids, query %q, want %d", text, len(plan.IDs), plan.Query, len(want))
		}
		progressed := 0
		sum, err := a.Export(ctx, plan, filepath.Join(out, "vol"+text[:1]), ExportSettings{Who: who, ToolVersion: "leakscope test",
			Progress: func(export.Progress) { progressed++ }})
		if err != nil {
			t.Fatalf("Export(%q) = %v", text, err)
		}
		if progressed == 0 {
			t.Errorf("Export(%q) reported no progress", text)
		}
		sums = append(sums, sum)
	}
	if sums[0].First != 1 || sums[0].Documents == 0 || sums[1].First != sums[0].Last+1 {
		t.Errorf("exports numbered %d..%d and %d..%d, want 1.., continuing", sums[0].First, sums[0].Last, sums[1].First, sums[1].Last)
	}
	p, err := a.Store.Production(ctx, "acme")
	if err != nil || len(p.Exports) != 2 || p.Next != sums[1].Last+1 || p.Exports[1].User != "cora" || p.Exports[1].Query != "*" {
		t.Fatalf("production after two exports = %+v, %v, want two by cora, next %d", p, err, sums[1].Last+1)
	}
	entries, err := a.Store.AuditEntries(ctx, 0, 100)
	n := 0
	for _, e := range entries {
		if e.Action == AuditExport {
			n++
			if e.Target != "acme" || e.User != "cora" || e.Role != "counsel" || e.Remote != "10.0.0.1" || !strings.Contains(e.Detail, "ACME0000001-") && !strings.Contains(e.Detail, "; query *;") {
				t.Errorf("audit entry %+v, want acme by cora with its Bates range and query", e)
			}
		}
	}
	if err != nil || n != 2 {
		t.Errorf("audit log has %d export entries (%v), want 2", n, err)
	}

	plan, err := a.PlanExport(ctx, "acme", "*", mustParse(t, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Export(ctx, plan, filepath.Join(out, "vol*"), ExportSettings{Who: who}); err == nil {
		t.Error("Export over an existing directory succeeded")
	}
	if p, err := a.Store.Production(ctx, "acme"); err != nil || len(p.Exports) != 2 || p.Next != sums[1].Last+1 {
		t.Errorf("production after a failed export = %+v, %v, want it unchanged", p, err)
	}
}

// TestReviewExportJob: the server's export runs in the background to a
// zip file in the data directory, is listed with its production,
// downloads; a command-line export elsewhere is listed but not served;
// once stopped, no export starts.
func TestReviewExportJob(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 20, 9)
	r := a.NewReview(ctx, ReviewOptions{ToolVersion: "leakscope test"})
	defer r.Stop()
	prod, err := r.CreateProduction(ctx, api.ProductionSpec{Name: "vol1", Prefix: "HOT", Digits: 4, Start: 1})
	if err != nil || prod.Next != "HOT0001" {
		t.Fatalf("CreateProduction = %+v, %v, want next HOT0001", prod, err)
	}
	if _, err := r.StartExport(ctx, api.ExportRequest{Production: "nope", Query: "*"}); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("StartExport(unknown production) = %v, want ErrNotFound", err)
	}
	started, err := r.StartExport(ctx, api.ExportRequest{Production: "vol1", Query: "*", PrivilegeLog: true, Who: leakscope.AuditEntry{User: "cora"}})
	if err != nil || started.Status != api.ExportRunning || started.Job == "" {
		t.Fatalf("StartExport = %+v, %v, want a running job", started, err)
	}
	job := waitExport(t, r, "vol1")
	all := hits(t, a, "*")
	if job.Status != api.ExportDone || job.Seq != 1 || job.Job != started.Job || job.Messages == 0 || job.Messages > len(all) || job.Total != len(all) ||
		job.User != "cora" || !job.PrivilegeLog || !job.Downloadable || !strings.HasPrefix(job.Bates, "HOT0001-") {
		t.Fatalf("finished export = %+v, want done #1 of the %d messages from HOT0001, by cora, downloadable", job, len(all))
	}
	f, err := r.ExportFile(ctx, "vol1", 1)
	if err != nil || f.Name != "HOT0001.zip" {
		t.Fatalf("ExportFile = %+v, %v, want HOT0001.zip", f, err)
	}
	b, err := io.ReadAll(f.Content)
	f.Content.Close()
	if _, zerr := zip.NewReader(strings.NewReader(string(b)), int64(len(b))); err != nil || zerr != nil {
		t.Errorf("download is no zip: %v, %v", err, zerr)
	}
	if _, err := os.Stat(filepath.Join(a.Dir(), ProductionsDir, "vol1", "HOT0001.zip")); err != nil {
		t.Errorf("the export is not kept in the data directory: %v", err)
	}
	prods, err := r.Productions(ctx)
	if err != nil || len(prods) != 1 || prods[0].Exports != 1 || prods[0].Docs != job.Documents {
		t.Errorf("Productions = %+v, %v, want vol1 with 1 export of %d documents", prods, err, job.Documents)
	}

	// An export of the command line, written elsewhere: listed, not served.
	plan, err := a.PlanExport(ctx, "vol1", "*", mustParse(t, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Export(ctx, plan, filepath.Join(t.TempDir(), "cli.zip"), ExportSettings{Who: leakscope.AuditEntry{User: "cli:me"}}); err != nil {
		t.Fatal(err)
	}
	list, err := r.Exports(ctx, "vol1")
	if err != nil || len(list) != 2 || list[1].Seq != 2 || list[1].User != "cli:me" || list[1].Downloadable {
		t.Errorf("Exports = %+v, %v, want the command line's #2, not downloadable", list, err)
	}
	if _, err := r.ExportFile(ctx, "vol1", 2); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("ExportFile(command line's) = %v, want ErrNotFound", err)
	}
	if rep, err := r.Notify(ctx, "vol1"); err != nil || rep == nil {
		t.Errorf("Notify(vol1) = %v, %v, want the report of vol1", rep, err)
	}
	r.Stop()
	if _, err := r.StartExport(ctx, api.ExportRequest{Production: "vol1", Query: "*"}); !errors.Is(err, context.Canceled) {
		t.Errorf("StartExport after Stop = %v, want context.Canceled", err)
	}
}

// waitExport waits for the one export job of production to end.
func waitExport(t *testing.T, r *Review, production string) api.ExportJob {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		list, err := r.Exports(context.Background(), production)
		if err != nil || len(list) != 1 {
			t.Fatalf("Exports = %+v, %v, want the one job", list, err)
		}
		if list[0].Status != api.ExportRunning || time.Now().After(deadline) {
			return list[0]
		}
	}
}

// TestReviewStopCancelsExport: Stop cancels a running export and waits
// for it: the job ends canceled, leaving no file and using no number (or,
// when it was quicker than Stop, done and recorded).
func TestReviewStopCancelsExport(t *testing.T) {
	ctx := context.Background()
	a, _ := generated(t, 300, 13)
	r := a.NewReview(ctx, ReviewOptions{})
	if _, err := r.CreateProduction(ctx, api.ProductionSpec{Name: "vol1", Prefix: "X", Digits: 7, Start: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StartExport(ctx, api.ExportRequest{Production: "vol1", Query: "*"}); err != nil {
		t.Fatal(err)
	}
	r.Stop()
	list, err := r.Exports(ctx, "vol1")
	if err != nil || len(list) != 1 {
		t.Fatalf("Exports after Stop = %+v, %v, want the one job", list, err)
	}
	files, _ := os.ReadDir(filepath.Join(a.Dir(), ProductionsDir, "vol1"))
	p, err := a.Store.Production(ctx, "vol1")
	if err != nil {
		t.Fatal(err)
	}
	switch j := list[0]; j.Status {
	case api.ExportFailed:
		if j.Error != "canceled: the server stopped" || len(files) != 0 || len(p.Exports) != 0 || p.Next != 1 {
			t.Errorf("canceled export = %+v, files %v, production %+v; want canceled, no file, no number used", j, files, p)
		}
	case api.ExportDone:
		if len(files) != 1 || len(p.Exports) != 1 {
			t.Errorf("export done before Stop: files %v, production %+v, want one of each", files, p)
		}
	default:
		t.Errorf("export after Stop = %+v, want it ended", j)
	}
}
