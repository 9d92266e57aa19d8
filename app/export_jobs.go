package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/store"
)

// ProductionsDir is where the server writes the exports it runs, below
// the data directory: productions/NAME/FIRSTBATES.zip.
const ProductionsDir = "productions"

// exportJob is an export this server runs or ran.
type exportJob struct {
	production string
	out        string
	api.ExportJob
}

// StartExport starts exporting to productions/NAME/FIRSTBATES.zip in the
// data directory, through the export command's code path, unless an
// export runs already.
func (r *Review) StartExport(ctx context.Context, req api.ExportRequest) (*api.ExportJob, error) {
	q, err := query.Parse(req.Query)
	if err != nil {
		return nil, err
	}
	if _, err := r.app.Store.Production(ctx, req.Production); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return nil, fmt.Errorf("export: the server is stopping: %w", r.ctx.Err())
	}
	for _, j := range r.jobs {
		if j.Status == api.ExportRunning {
			return nil, api.ErrExportRunning
		}
	}
	r.lastJob++
	j := &exportJob{production: req.Production, ExportJob: api.ExportJob{
		Job: strconv.Itoa(r.lastJob), Status: api.ExportRunning, Query: req.Query, User: req.Who.User,
		Redact: req.Redact, IncludePrivileged: req.IncludePrivileged, PrivilegeLog: req.PrivilegeLog,
		Started: time.Now().UTC(),
	}}
	r.jobs = append(r.jobs, j)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		seq, err := r.runExport(j, req, q)
		r.finish(j, seq, err)
	}()
	out := j.ExportJob
	return &out, nil
}

// runExport runs job j and returns the export's number in its production.
func (r *Review) runExport(j *exportJob, req api.ExportRequest, q leakscope.Query) (int, error) {
	ctx := r.ctx
	plan, err := r.app.PlanExport(ctx, req.Production, req.Query, q)
	if err != nil {
		return 0, err
	}
	out, err := r.exportPath(plan.Production)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	j.out, j.Total = out, len(plan.IDs)
	r.mu.Unlock()
	set := ExportSettings{Redact: req.Redact, IncludePrivileged: req.IncludePrivileged, PrivilegeLog: req.PrivilegeLog, Who: req.Who,
		ToolVersion: r.opts.ToolVersion,
		Progress: func(pr export.Progress) {
			r.mu.Lock()
			j.Handled, j.Documents = pr.Messages, pr.Documents
			r.mu.Unlock()
		}}
	if _, err := r.app.Export(ctx, plan, out, set); err != nil {
		return 0, err
	}
	p, err := r.app.Store.Production(context.WithoutCancel(ctx), plan.Production.Name)
	if err != nil {
		return 0, err
	}
	for _, e := range p.Exports {
		if e.Output == out {
			return e.Seq, nil
		}
	}
	return 0, fmt.Errorf("export to %s: not recorded with production %s", out, p.Name)
}

// exportPath picks a new zip file for the next export of p.
func (r *Review) exportPath(p *store.Production) (string, error) {
	dir, err := filepath.Abs(filepath.Join(r.app.Dir(), ProductionsDir, p.Name))
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	base := export.FormatBates(p.Prefix, p.Digits, p.Next)
	for n := 1; ; n++ {
		name := base + ".zip"
		if n > 1 {
			name = base + "-" + strconv.Itoa(n) + ".zip"
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
	}
}

// finish records how job j ended. The client sees why it failed in
// words; the error itself goes to the log.
func (r *Review) finish(j *exportJob, seq int, err error) {
	now := time.Now().UTC()
	r.mu.Lock()
	defer r.mu.Unlock()
	j.Finished = &now
	switch {
	case err == nil:
		j.Status, j.Seq = api.ExportDone, seq
		return
	case errors.Is(err, context.Canceled):
		j.Error = "canceled: the server stopped"
	case errors.Is(err, store.ErrBatesMoved):
		j.Error = "another export of this production was recorded meanwhile; start this one again"
	case errors.Is(err, leakscope.ErrNotFound):
		j.Error = "the production or a message is gone"
	default:
		j.Error = "the export failed; the server log says why"
	}
	j.Status = api.ExportFailed
	r.app.Log.Error("export failed", "production", j.production, "job", j.Job, "err", err)
}

// Exports lists the exports of a production: those recorded (by this
// server or the command line), and this server's running and failed jobs.
func (r *Review) Exports(ctx context.Context, production string) ([]api.ExportJob, error) {
	p, err := r.app.Store.Production(ctx, production)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []api.ExportJob
	shown := map[*exportJob]bool{}
	for _, e := range p.Exports {
		j := r.recordedJob(p, e, shown)
		j.Downloadable = j.Status == api.ExportDone && r.keptZip(e.Output)
		out = append(out, j)
	}
	for _, x := range r.jobs {
		if x.production == p.Name && !shown[x] {
			out = append(out, x.ExportJob)
		}
	}
	slices.SortStableFunc(out, func(a, b api.ExportJob) int { return a.Started.Compare(b.Started) })
	return out, nil
}

// recordedJob is export e of production p as a job: this server's job,
// marked in shown, when it ran it, else the record alone. r.mu is held.
func (r *Review) recordedJob(p *store.Production, e store.ProductionExport, shown map[*exportJob]bool) api.ExportJob {
	t := e.Time.UTC()
	j := api.ExportJob{Seq: e.Seq, Status: api.ExportDone, Query: e.Query, User: e.User, Started: t, Finished: &t}
	// A job of this server: recorded, and done once its file is in place
	// (it shows as running until then).
	i := slices.IndexFunc(r.jobs, func(x *exportJob) bool {
		return x.production == p.Name && ((x.Seq != 0 && x.Seq == e.Seq) || (x.out != "" && x.out == e.Output))
	})
	if i >= 0 {
		shown[r.jobs[i]] = true
		j = r.jobs[i].ExportJob
		j.Seq = e.Seq
	}
	j.Messages, j.Documents, j.Withheld = e.Messages, e.Documents, e.Withheld
	if e.Documents > 0 {
		j.Bates = export.FormatBatesRange(p.Prefix, p.Digits, e.First, e.Last)
	}
	return j
}

// keptZip reports whether path is a zip file this server wrote in the
// data directory (exports the command line wrote elsewhere are not
// served).
func (r *Review) keptZip(path string) bool {
	dir, err := filepath.Abs(filepath.Join(r.app.Dir(), ProductionsDir))
	if err != nil || !strings.HasSuffix(path, ".zip") {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || !filepath.IsLocal(rel) {
		return false
	}
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().IsRegular()
}

// ExportFile opens the zip file of export seq of production.
func (r *Review) ExportFile(ctx context.Context, production string, seq int) (*api.ExportFile, error) {
	p, err := r.app.Store.Production(ctx, production)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(p.Exports, func(e store.ProductionExport) bool { return e.Seq == seq })
	if i < 0 || !r.keptZip(p.Exports[i].Output) {
		return nil, fmt.Errorf("production %s has no export %d to download: %w", production, seq, leakscope.ErrNotFound)
	}
	f, err := os.Open(p.Exports[i].Output)
	if err != nil {
		return nil, fmt.Errorf("open export %d of %s: %w", seq, production, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open export %d of %s: %w", seq, production, err)
	}
	return &api.ExportFile{Name: filepath.Base(p.Exports[i].Output), ModTime: fi.ModTime(), Content: f}, nil
}
