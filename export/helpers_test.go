package export_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/store"
)

// fixture is a store holding the generated sample leak of
// testdata/sample-leak (mailgen output: threads, forwards carrying
// message/rfc822 attachments, CSV attachments) and an HR mailbox with
// personal data, ingested with detection as `leakscope index` does.
type fixture struct {
	db  *store.DB
	ids []string // every message, oldest first
}

// sampleLeak is the shared synthetic fixture, relative to this package.
var sampleLeak = filepath.Join("..", "testdata", "sample-leak")

// hrMessages are the HR mailbox: identifiers next to names, a password,
// an attachment listing SSNs, and a harmless message.
var hrMessages = []struct{ id, from, to, subject, body, attachment string }{
	{"pii@hr.example.com", "Jane Doe <jane.doe@example.com>", "hr@example.com", "Benefits enrolment",
		"Hi HR,\nmy SSN is 536-22-1847 and the card for the deposit is 4556 7375 8689 9855.\nJane", ""},
	{"list@hr.example.com", "hr@example.com", "payroll@example.com", "New hires",
		"Payroll,\nplease set up Bruno Brandt, SSN 536-22-1850 is on file.\nThanks", ""},
	{"pwd@hr.example.com", "it@example.com", "alice.abbott@example.com", "VPN access",
		"Your account is ready.\nUsername: aabbott\nPassword: Tr0ub4dor&3\nPlease change it after logging in.", ""},
	{"sheet@hr.example.com", "hr@example.com", "chen.castillo@example.com", "Records",
		"See the attached sheet.", "name,ssn\r\nChen Castillo,078-05-1121\r\nDana Dumont,000-12-3456\r\n"},
	{"plain@hr.example.com", "hr@example.com", "dana.dumont@example.com", "Lunch", "See you at noon.", ""},
}

// hrMbox writes the HR mailbox as an mbox file.
func hrMbox(t testing.TB, path string) {
	t.Helper()
	var b strings.Builder
	for i, m := range hrMessages {
		fmt.Fprintf(&b, "From hr@example.com Mon Nov 24 10:0%d:00 2014\n", i)
		fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: Mon, 24 Nov 2014 10:0%d:00 +0000\nMessage-ID: <%s>\n", m.from, m.to, m.subject, i, m.id)
		if m.attachment == "" {
			fmt.Fprintf(&b, "\n%s\n\n", m.body)
			continue
		}
		fmt.Fprintf(&b, "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\n%s\n--b1\n", m.body)
		fmt.Fprintf(&b, "Content-Type: text/csv; name=\"staff.csv\"\nContent-Disposition: attachment; filename=\"staff.csv\"\n\n%s\n--b1--\n\n", m.attachment)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// nopIndex stands in for the search index, which exports do not read.
type nopIndex struct{}

func (nopIndex) Put(context.Context, []leakscope.Document) error { return nil }
func (nopIndex) Optimize(context.Context) error                  { return nil }

// detector adapts detect.Detector to the indexer, as cmd/leakscope does.
type detector struct{ d *detect.Detector }

func (a detector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, _ := a.d.Detect(m, t)
	return flags, detect.Risk(flags), nil
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sample, err := filepath.Abs(sampleLeak)
	if err != nil {
		t.Fatal(err)
	}
	hr := filepath.Join(dir, "hr", "hr.mbox")
	hrMbox(t, hr)
	db, err := store.Open(ctx, filepath.Join(dir, "store.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	run := &leakscope.IngestRun{Leak: "sample", Batch: "wave-1", Inputs: []string{sample, hr}, Started: time.Now().UTC(), Published: pub}
	if err := db.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(db, nopIndex{}, indexer.Options{Detector: detector{d}}).Run(ctx, run, run.Inputs); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db}
	var msgs []*leakscope.Message
	err = db.MessageIDs(ctx, 500, func(ids []string) error {
		ms, err := db.Messages(ctx, ids)
		msgs = append(msgs, ms...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(msgs, func(a, b *leakscope.Message) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, m := range msgs {
		f.ids = append(f.ids, m.ID)
	}
	if len(f.ids) < 50 {
		t.Fatalf("fixture holds %d messages, want the sample leak's", len(f.ids))
	}
	return f
}

// idOf returns our ID of the message with Message-ID mid.
func (f *fixture) idOf(t testing.TB, mid string) string {
	t.Helper()
	ids, err := f.db.ByMessageID(context.Background(), mid)
	if err != nil || len(ids) != 1 {
		t.Fatalf("ByMessageID(%q) = %v, %v; want one", mid, ids, err)
	}
	return ids[0]
}

// fakeTags tags messages in memory.
type fakeTags map[string][]leakscope.Tag

func (f fakeTags) MessageTags(_ context.Context, id string) ([]leakscope.Tag, error) {
	return f[id], nil
}

func fixedNow() time.Time { return time.Date(2015, 1, 2, 3, 4, 5, 0, time.UTC) }

// zipFiles reads every entry of a zip file.
func zipFiles(t testing.TB, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		out[zf.Name] = b
	}
	return out
}

func storeProduction(name, prefix string) store.Production {
	return store.Production{Name: name, Prefix: prefix}
}

// recordInto records an export in production name, as the CLI does.
func recordInto(f *fixture, name string) func(context.Context, *export.Summary) error {
	return func(ctx context.Context, s *export.Summary) error {
		docs := make([]store.BatesAssignment, len(s.Assigned))
		for i, a := range s.Assigned {
			docs[i] = store.BatesAssignment{ID: a.ID, Begin: a.Begin, End: a.End}
		}
		_, err := f.db.RecordExport(ctx, name, store.ProductionExport{Messages: s.Messages, Documents: s.Documents,
			Withheld: s.Withheld, First: s.First, Last: s.Last, Manifest: s.Manifest}, docs)
		return err
	}
}
