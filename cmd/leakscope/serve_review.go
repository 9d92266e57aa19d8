package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/store"
)

// productionsDir is where the server writes the exports it runs, below
// the data directory: productions/NAME/FIRSTBATES.zip.
const productionsDir = "productions"

// reviewBackend implements the server's tag and production interfaces
// over the store and the index, as the tag, production, export and notify
// commands do.
type reviewBackend struct {
	d      *data
	ctx    context.Context // bounds the exports run in the background
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// tagMu makes tag changes one at a time, from the store's change to
	// the index's: two re-indexings of one message could otherwise end
	// with the older document in the index.
	tagMu sync.Mutex

	mu      sync.Mutex // guards jobs and lastJob
	jobs    []*exportJob
	lastJob int
}

// exportJob is an export this server runs or ran.
type exportJob struct {
	production string
	out        string
	api.ExportJob
}

func newReviewBackend(ctx context.Context, d *data) *reviewBackend {
	ctx, cancel := context.WithCancel(ctx)
	return &reviewBackend{d: d, ctx: ctx, cancel: cancel}
}

// stop cancels a running export and waits until it has cleaned up.
func (r *reviewBackend) stop() {
	r.cancel()
	r.wg.Wait()
}

// TagCounts lists the built-in tags, then the custom ones in use, with
// their counts (as `tag list`).
func (r *reviewBackend) TagCounts(ctx context.Context) ([]api.TagCount, error) {
	counts, err := r.d.Store.TagCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.TagCount{}
	for _, name := range leakscope.BuiltinTags {
		out = append(out, api.TagCount{Name: name, Count: counts[name], Builtin: true})
	}
	var custom []api.TagCount
	for name, n := range counts {
		if !slices.Contains(leakscope.BuiltinTags, name) {
			custom = append(custom, api.TagCount{Name: name, Count: n})
		}
	}
	slices.SortFunc(custom, func(a, b api.TagCount) int { return cmp.Compare(a.Name, b.Name) })
	return append(out, custom...), nil
}

// ChangeTag adds or removes a tag as `tag add` and `tag remove` do: the
// store's change, the audit entry (ch.Record), then the re-indexing of
// the changed messages (and of any left pending before).
func (r *reviewBackend) ChangeTag(ctx context.Context, ch api.TagChange) (*api.TagChangeResult, error) {
	r.tagMu.Lock()
	defer r.tagMu.Unlock()
	ids := ch.IDs
	if ch.Query != nil {
		var err error
		if ids, err = queryIDs(ctx, r.d, ch.Query); err != nil {
			return nil, err
		}
	}
	var up store.TagUpdate
	var err error
	if ch.Add {
		up, err = r.d.Store.AddTag(ctx, ids, leakscope.Tag{Name: ch.Tag.Name, Note: ch.Tag.Note, User: ch.Tag.User})
	} else {
		up, err = r.d.Store.RemoveTag(ctx, ids, ch.Tag.Name)
	}
	if err != nil {
		return nil, err
	}
	res := &api.TagChangeResult{Matched: len(ids), Changed: len(up.Changed)}
	var recErr error
	if ch.Record != nil {
		recErr = ch.Record(ctx, res.Matched, res.Changed)
	}
	if err := reindexChanged(ctx, r.d, up); err != nil {
		return nil, fmt.Errorf("tag %s: re-index: %w", ch.Tag.Name, err)
	}
	if recErr != nil {
		return nil, recErr
	}
	return res, nil
}

// Productions lists the productions.
func (r *reviewBackend) Productions(ctx context.Context) ([]api.Production, error) {
	ps, err := r.d.Store.Productions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Production, 0, len(ps))
	for _, p := range ps {
		out = append(out, apiProduction(&p))
	}
	return out, nil
}

func apiProduction(p *store.Production) api.Production {
	out := api.Production{Name: p.Name, Prefix: p.Prefix, Digits: p.Digits, Next: export.FormatBates(p.Prefix, p.Digits, p.Next),
		Created: p.Created, Exports: len(p.Exports)}
	for _, e := range p.Exports {
		out.Docs += e.Documents
	}
	return out
}

// CreateProduction records a new production (as `production create`).
func (r *reviewBackend) CreateProduction(ctx context.Context, spec api.ProductionSpec) (*api.Production, error) {
	p, err := r.d.Store.CreateProduction(ctx, store.Production{Name: spec.Name, Prefix: spec.Prefix, Digits: spec.Digits, Next: spec.Start})
	if err != nil {
		return nil, err
	}
	out := apiProduction(p)
	return &out, nil
}

// StartExport starts exporting to productions/NAME/FIRSTBATES.zip in the
// data directory, through the export command's code path, unless an
// export runs already.
func (r *reviewBackend) StartExport(ctx context.Context, req api.ExportRequest) (*api.ExportJob, error) {
	q, err := query.Parse(req.Query)
	if err != nil {
		return nil, err
	}
	if _, err := r.d.Store.Production(ctx, req.Production); err != nil {
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
func (r *reviewBackend) runExport(j *exportJob, req api.ExportRequest, q leakscope.Query) (int, error) {
	ctx := r.ctx
	plan, err := planExport(ctx, r.d, req.Production, req.Query, q)
	if err != nil {
		return 0, err
	}
	out, err := r.exportPath(plan.prod)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	j.out, j.Total = out, len(plan.ids)
	r.mu.Unlock()
	set := exportSettings{redact: req.Redact, includePrivileged: req.IncludePrivileged, privilegeLog: req.PrivilegeLog, who: req.Who,
		progress: func(pr export.Progress) {
			r.mu.Lock()
			j.Handled, j.Documents = pr.Messages, pr.Documents
			r.mu.Unlock()
		}}
	if _, err := plan.run(ctx, r.d, out, set); err != nil {
		return 0, err
	}
	p, err := r.d.Store.Production(context.WithoutCancel(ctx), plan.prod.Name)
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
func (r *reviewBackend) exportPath(p *store.Production) (string, error) {
	dir, err := filepath.Abs(filepath.Join(r.d.Dir(), productionsDir, p.Name))
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
func (r *reviewBackend) finish(j *exportJob, seq int, err error) {
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
	r.d.Log.Error("export failed", "production", j.production, "job", j.Job, "err", err)
}

// Exports lists the exports of a production: those recorded (by this
// server or the command line), and this server's running and failed jobs.
func (r *reviewBackend) Exports(ctx context.Context, production string) ([]api.ExportJob, error) {
	p, err := r.d.Store.Production(ctx, production)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []api.ExportJob
	shown := map[*exportJob]bool{}
	for _, e := range p.Exports {
		t := e.Time.UTC()
		j := api.ExportJob{Seq: e.Seq, Status: api.ExportDone, Query: e.Query, User: e.User, Started: t, Finished: &t}
		// A job of this server: recorded, and done once its file is in
		// place (it shows as running until then).
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

// keptZip reports whether path is a zip file this server wrote in the
// data directory (exports the command line wrote elsewhere are not
// served).
func (r *reviewBackend) keptZip(path string) bool {
	dir, err := filepath.Abs(filepath.Join(r.d.Dir(), productionsDir))
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
func (r *reviewBackend) ExportFile(ctx context.Context, production string, seq int) (*api.ExportFile, error) {
	p, err := r.d.Store.Production(ctx, production)
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

// Notify builds the breach-notification report, as `leakscope notify`
// does, with the Bates numbers of production when it is not empty.
func (r *reviewBackend) Notify(ctx context.Context, production string) (*export.NotifyReport, error) {
	return r.d.Notify(ctx, production)
}
