package indexer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The fixture is a small synthetic dump (testdata/dump, described in
// testdata/README.md): two custodians' maildir, Enron-style folders and an
// mbox, a zip, a forwarded message holding a message found elsewhere too,
// and malformed input of each kind the pipeline reports.
const dumpDir = "testdata/dump"

// recordingStore is the real store; it records what each Apply stores and
// may stop the run after a given batch, as a kill would.
type recordingStore struct {
	*store.DB
	batches []batchView
	// stopAfter, when not 0, calls stop once batch number stopAfter (from
	// 1) is stored.
	stopAfter int
	stop      func()
	root      string
}

func (s *recordingStore) Apply(ctx context.Context, run uint64, items []leakscope.Ingested, problems []leakscope.Problem) (leakscope.BatchResult, error) {
	res, err := s.DB.Apply(ctx, run, items, problems)
	if err != nil {
		return res, err
	}
	// Problems are left out: those of the walker (a file that is not
	// mail) race the parse workers' results into the batch writer, so
	// which batch holds them varies; the state lists them all.
	if len(items) > 0 {
		b := batchView{New: res.New, Copies: res.Copies, Known: res.Known, Duplicates: res.Duplicates, Changed: len(res.Changed)}
		for _, it := range items {
			b.Items = append(b.Items, relative(s.root, it.Copy.Location()))
		}
		s.batches = append(s.batches, b)
	}
	if s.stopAfter != 0 && len(s.batches) == s.stopAfter {
		s.stop()
	}
	return res, nil
}

// failingIndex is the real index; its Put fails from call number failAt
// on (from 1), as a process killed between storing a batch and indexing
// it leaves the batch pending.
type failingIndex struct {
	*search.Index
	puts, failAt int
}

var errIndexKilled = errors.New("index writer killed")

func (x *failingIndex) Put(ctx context.Context, docs []leakscope.Document) error {
	x.puts++
	if x.failAt != 0 && x.puts >= x.failAt {
		return errIndexKilled
	}
	return x.Index.Put(ctx, docs)
}

// keywordDetector flags the messages whose body says "figures", so that
// the golden state shows that every item, attached messages included,
// goes through the detector.
type keywordDetector struct{}

func (keywordDetector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	if i := strings.Index(t.Body, "figures"); i >= 0 {
		return []leakscope.Flag{{Category: "financial", Rule: "figures", Severity: "medium", Confidence: 1, Where: "body", Start: i, End: i + len("figures"), Snippet: "figures"}}, 40, nil
	}
	return nil, 0, nil
}

// batchView is what the golden file shows of one stored batch.
type batchView struct {
	Items      []string `json:"items"` // locations of the items, in order
	New        int      `json:"new"`
	Copies     int      `json:"copies"`
	Known      int      `json:"known"`
	Duplicates int      `json:"duplicates"`
	Changed    int      `json:"changed"`
}

// runView is what the golden file shows of a run.
type runView struct {
	Status  string              `json:"status"`
	Error   string              `json:"error,omitempty"`
	Resumes uint64              `json:"resumes,omitempty"`
	Counts  leakscope.RunCounts `json:"counts"`
	Batches []batchView         `json:"batches"`
}

// stateView is what the golden file shows of the store and the index
// after an ingest: the same whatever the number of workers, the batch
// size, and whether the ingest was interrupted and resumed.
type stateView struct {
	Messages []messageView `json:"messages"`
	Problems []problemView `json:"problems"`
	Pending  int           `json:"pending"`
	Index    indexView     `json:"index"`
}

type messageView struct {
	ID         string              `json:"id"`
	MessageID  string              `json:"message_id,omitempty"`
	Subject    string              `json:"subject"`
	From       string              `json:"from"`
	Date       time.Time           `json:"date"`
	DateSource string              `json:"date_source,omitempty"`
	ThreadID   string              `json:"thread_id,omitempty"`
	ParentID   string              `json:"parent_id,omitempty"`
	Size       int64               `json:"size"`
	Warnings   []leakscope.Warning `json:"warnings,omitempty"`
	Flags      []string            `json:"flags,omitempty"`
	Risk       float64             `json:"risk,omitempty"`
	Copies     []copyView          `json:"copies"`
}

type copyView struct {
	Location     string `json:"location"`
	Leak         string `json:"leak"`
	Batch        string `json:"batch,omitempty"`
	Custodian    string `json:"custodian"`
	Folder       string `json:"folder"`
	MaildirFlags string `json:"maildir_flags,omitempty"`
	Size         int64  `json:"size"`
	RawSHA256    string `json:"raw_sha256"`
}

type problemView struct {
	Severity string `json:"severity"`
	Location string `json:"location"`
	Code     string `json:"code"`
	Detail   string `json:"detail"`
	Message  string `json:"message,omitempty"`
	Kept     bool   `json:"kept,omitempty"` // the bytes are stored
}

type indexView struct {
	Total      uint64              `json:"total"`
	Custodians []search.FacetValue `json:"custodians"`
	Queries    map[string][]string `json:"queries"` // query: IDs of its hits, oldest first
}

// goldenQueries are searched after each ingest.
var goldenQueries = []string{"board pack", "custodian:bob", "figures", "budget"}

// relative replaces the absolute path of the fixture in s with "dump".
func relative(root, s string) string {
	return strings.ReplaceAll(s, root, "dump")
}

// ingestDump runs one ingest of the fixture into st and ix.
func ingestDump(ctx context.Context, t *testing.T, st indexer.Store, db *store.DB, ix indexer.Index, root string, opts indexer.Options) (*leakscope.IngestRun, error) {
	t.Helper()
	run := &leakscope.IngestRun{Leak: "fixture", Batch: "wave-1", Inputs: []string{root}, Started: time.Now().UTC()}
	if err := db.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	opts.Detector = keywordDetector{}
	return run, indexer.New(st, ix, opts).Run(ctx, run, run.Inputs)
}

// fixtureRoot is the absolute path of the fixture.
func fixtureRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(dumpDir)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// state reads back what an ingest left in the store and the index.
func state(ctx context.Context, t *testing.T, db *store.DB, ix *search.Index, root string) stateView {
	t.Helper()
	var s stateView
	err := db.MessageIDs(ctx, 100, func(ids []string) error {
		for _, id := range ids {
			m, err := db.Message(ctx, id)
			if err != nil {
				return err
			}
			copies, err := db.Copies(ctx, id)
			if err != nil {
				return err
			}
			v := messageView{
				ID: m.ID, MessageID: m.MessageID, Subject: m.Subject, From: m.From.Email,
				Date: m.Date, DateSource: m.DateSource, ThreadID: m.ThreadID, ParentID: m.ParentID,
				Size: m.Size, Warnings: m.Warnings, Risk: m.Risk,
			}
			for _, f := range m.Flags {
				v.Flags = append(v.Flags, f.Category+"/"+f.Rule+"@"+f.Where)
			}
			for _, c := range copies {
				if c.MessageID != id {
					return fmt.Errorf("copy %s of %s is a copy of %s", c.Location(), id, c.MessageID)
				}
				v.Copies = append(v.Copies, copyView{
					Location: relative(root, c.Location()), Leak: c.Leak, Batch: c.Batch,
					Custodian: c.Custodian, Folder: c.Folder, MaildirFlags: c.MaildirFlags,
					Size: c.Size, RawSHA256: c.RawSHA256,
				})
			}
			slices.SortFunc(v.Copies, func(a, b copyView) int { return strings.Compare(a.Location, b.Location) })
			s.Messages = append(s.Messages, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	probs, err := db.Problems(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		s.Problems = append(s.Problems, problemView{
			Severity: p.Severity, Location: relative(root, p.Location), Code: p.Code,
			Detail: relative(root, p.Detail), Message: p.Message, Kept: p.RawSHA256 != "",
		})
	}
	slices.SortFunc(s.Problems, func(a, b problemView) int {
		return strings.Compare(a.Location+"\x00"+a.Code, b.Location+"\x00"+b.Code)
	})
	pending, err := db.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Pending = len(pending)

	all, _ := query.Parse("*")
	res, err := ix.Search(ctx, search.Request{Query: all, Facets: true, Limit: search.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	s.Index.Total = res.Total
	for _, f := range res.Facets {
		if f.Name == search.FacetCustodian {
			s.Index.Custodians = f.Values
		}
	}
	s.Index.Queries = map[string][]string{}
	for _, qs := range goldenQueries {
		q, err := query.Parse(qs)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, search.Request{Query: q, Sort: search.SortDateAsc})
		if err != nil {
			t.Fatalf("Search(%q): %v", qs, err)
		}
		ids := []string{}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		s.Index.Queries[qs] = ids
	}
	return s
}

func viewRun(run *leakscope.IngestRun, batches []batchView) runView {
	return runView{Status: run.Status, Error: run.Error, Resumes: run.Resumes, Counts: run.Counts, Batches: batches}
}

// compareGolden compares got, marshalled, with the golden file name in
// testdata/golden; -update rewrites the file.
func compareGolden(t *testing.T, name string, got any) {
	t.Helper()
	golden(t, name, got, *update)
}

// matchGolden is compareGolden that never rewrites the file: the tests
// that check that another way to the same state gives the golden state
// of TestGoldenIngest.
func matchGolden(t *testing.T, name string, got any) {
	t.Helper()
	golden(t, name, got, false)
}

func golden(t *testing.T, name string, got any, update bool) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "golden", name)
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, lineDiff(string(want), string(b)))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			out = append(out, fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, wl, gl))
		}
	}
	return strings.Join(out, "\n")
}

// TestGoldenIngest ingests the fixture with one parse worker (so that the
// order of the items is the walk's) and batches cut by size, and compares
// the run (counters, the items of each batch, in order) and the state it
// leaves (messages, their copies, problems, the index) with the golden
// files. A second run over the same input finds every copy known, skipped
// before parsing, and changes nothing.
func TestGoldenIngest(t *testing.T) {
	ctx := context.Background()
	root := fixtureRoot(t)
	db, ix := openData(t)
	rs := &recordingStore{DB: db, root: root}
	opts := indexer.Options{Workers: 1, BatchSize: 100, BatchBytes: 600}
	run, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	compareGolden(t, "run.json", viewRun(run, rs.batches))
	want := state(ctx, t, db, ix, root)
	compareGolden(t, "state.json", want)

	rs.batches = nil
	again, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if err != nil {
		t.Fatalf("second Run = %v", err)
	}
	compareGolden(t, "rerun.json", viewRun(again, rs.batches))
	if got := state(ctx, t, db, ix, root); !equalJSON(t, got, want) {
		t.Errorf("a second run over the same input changed the state")
	}
}

// TestIngestSameStateAnyBatching: other batch sizes give the same state,
// and so do more workers but for what a message's record takes from the
// copy stored first (see firstCopyFree); batches hold at most BatchSize items but for the
// attached messages of the item that filled it, and in one worker's run
// the items come in the walk's order, however they are cut.
func TestIngestSameStateAnyBatching(t *testing.T) {
	ctx := context.Background()
	root := fixtureRoot(t)
	var walkOrder []string
	for _, tc := range []struct {
		name string
		opts indexer.Options
	}{
		{"one worker, batches of 1", indexer.Options{Workers: 1, BatchSize: 1}},
		{"one worker, batches of 3", indexer.Options{Workers: 1, BatchSize: 3}},
		{"one worker, one batch", indexer.Options{Workers: 1}},
		{"four workers, batches of 2", indexer.Options{Workers: 4, BatchSize: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, ix := openData(t)
			rs := &recordingStore{DB: db, root: root}
			run, err := ingestDump(ctx, t, rs, db, ix, root, tc.opts)
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
			if run.Status != leakscope.RunDone {
				t.Errorf("status %s, want done", run.Status)
			}
			var items []string
			for i, b := range rs.batches {
				// An item brings its attached messages along: the
				// forwarded message in the fixture holds one.
				if tc.opts.BatchSize > 0 && len(b.Items) > tc.opts.BatchSize+1 {
					t.Errorf("batch %d holds %d items, want at most %d", i+1, len(b.Items), tc.opts.BatchSize+1)
				}
				items = append(items, b.Items...)
			}
			if tc.opts.BatchSize == 0 && len(rs.batches) != 1 {
				t.Errorf("%d batches, want 1 with the default batch size", len(rs.batches))
			}
			if tc.opts.Workers == 1 {
				if walkOrder == nil {
					walkOrder = items
				} else if !slices.Equal(items, walkOrder) {
					t.Errorf("items stored in the order %q, want the walk's %q", items, walkOrder)
				}
			}
			got := state(ctx, t, db, ix, root)
			if tc.opts.Workers == 1 {
				matchGolden(t, "state.json", got)
				return
			}
			// With several workers the copies of a message are stored
			// in any order, and its record is the first one's: its size
			// and, for a message found attached as well as alone, its
			// parent. The rest is the same.
			var want stateView
			b, err := os.ReadFile(filepath.Join("testdata", "golden", "state.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if !equalJSON(t, firstCopyFree(got), firstCopyFree(want)) {
				t.Errorf("state differs from testdata/golden/state.json beyond the first copy's size and parent:\n%s", lineDiff(indent(t, firstCopyFree(want)), indent(t, firstCopyFree(got))))
			}
		})
	}
}

// TestIngestResumes: a run stopped after its first batch is stored is
// recorded as interrupted; the next run over the same inputs says it
// resumes it, skips the copies it stored before parsing them, and ends in
// the state of an uninterrupted run.
func TestIngestResumes(t *testing.T) {
	root := fixtureRoot(t)
	db, ix := openData(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rs := &recordingStore{DB: db, root: root, stopAfter: 1, stop: cancel}
	opts := indexer.Options{Workers: 1, BatchSize: 2}
	first, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped Run = %v, want context.Canceled", err)
	}
	if first.Status != leakscope.RunInterrupted || first.Error != "interrupted" {
		t.Errorf("stopped run: status %q, error %q; want interrupted", first.Status, first.Error)
	}
	if len(rs.batches) != 1 {
		t.Fatalf("stopped run stored %d batches, want 1", len(rs.batches))
	}
	// A copy known is skipped before parsing, with the messages attached
	// to it: only the copies of files and mbox stretches count.
	storedItems := rs.batches[0].Items
	stored := 0
	for _, it := range storedItems {
		if !strings.Contains(it, "#") {
			stored++
		}
	}

	ctx = context.Background()
	rs.batches, rs.stopAfter = nil, 0
	second, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if err != nil {
		t.Fatalf("resumed Run = %v", err)
	}
	if second.Resumes != first.ID || second.Status != leakscope.RunDone {
		t.Errorf("resumed run: resumes %d, status %s; want %d, done", second.Resumes, second.Status, first.ID)
	}
	if second.Counts.Known != stored {
		t.Errorf("resumed run: %d copies known, want the %d the stopped run stored (attached messages aside)", second.Counts.Known, stored)
	}
	for _, b := range rs.batches {
		for _, it := range b.Items {
			if slices.Contains(storedItems, it) {
				t.Errorf("resumed run stored %s again", it)
			}
		}
	}
	matchGolden(t, "state.json", state(ctx, t, db, ix, root))
}

// TestIngestIndexKilled: when the index fails after a batch is stored
// (a process killed between the two), the batch stays pending; the next
// run indexes it first (Recover) and ends in the state of an
// uninterrupted run, though it finds every copy known.
func TestIngestIndexKilled(t *testing.T) {
	ctx := context.Background()
	root := fixtureRoot(t)
	db, six := openData(t)
	ix := &failingIndex{Index: six, failAt: 2}
	rs := &recordingStore{DB: db, root: root}
	opts := indexer.Options{Workers: 1, BatchSize: 3}
	first, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if !errors.Is(err, errIndexKilled) || first.Status != leakscope.RunInterrupted {
		t.Fatalf("Run with a failing index = %v, status %s; want %v, interrupted", err, first.Status, errIndexKilled)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) == 0 {
		t.Fatal("nothing pending after the index failed")
	}

	ix.failAt = 0
	rs.batches = nil
	second, err := ingestDump(ctx, t, rs, db, ix, root, opts)
	if err != nil {
		t.Fatalf("next Run = %v", err)
	}
	if second.Status != leakscope.RunDone {
		t.Errorf("next run: status %s, want done", second.Status)
	}
	matchGolden(t, "state.json", state(ctx, t, db, ix.Index, root))
}

// firstCopyFree returns s without what a message's record takes from
// whichever of its copies was stored first: its size and parent.
func firstCopyFree(s stateView) stateView {
	msgs := slices.Clone(s.Messages)
	for i := range msgs {
		if len(msgs[i].Copies) > 1 {
			msgs[i].Size, msgs[i].ParentID = 0, ""
		}
	}
	s.Messages = msgs
	return s
}

func indent(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}
