package search

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/leakscope/leakscope"
)

// BenchmarkMappingCost measures what term vectors and doc values cost, field
// by field: for each corpus (30,000 generated messages, and the Enron subset
// of ../shared/corpus when present) it builds an on-disk index per mapping
// variant in batches of 1,000, merges it to one segment, and reports the
// index size (MB), the indexing rate (msgs/s, wall and CPU) and the time of
// a facet query and a date sort over every message. The mapping of the
// product is the "default" variant. Run it alone, once:
//
//	LEAKSCOPE_MEASURE=1 go test ./search/ -run XXX -bench MappingCost -benchtime 1x -timeout 3h
func BenchmarkMappingCost(b *testing.B) {
	if os.Getenv("LEAKSCOPE_MEASURE") != "1" {
		b.Skip("set LEAKSCOPE_MEASURE=1 to run it (about an hour on 2 cores)")
	}
	names := []string{}
	for _, role := range addressRoles {
		names = append(names, role+suffixName)
	}
	facetFieldNames := []string{}
	for _, f := range facetFields {
		facetFieldNames = append(facetFieldNames, f.field)
	}
	variants := []struct {
		name  string
		tweak func(m *mapping.DocumentMapping)
	}{
		{"default", nil},
		{"no-tv-names", setTermVectors(false, names...)},
		{"no-tv-attachment", setTermVectors(false, fieldAttachment)},
		{"no-tv-names-attachment", setTermVectors(false, append([]string{fieldAttachment}, names...)...)},
		{"no-tv-at-all", setTermVectors(false, append([]string{fieldSubject, fieldBody, fieldAttachment}, names...)...)},
		{"no-dv-facets", setDocValues(false, facetFieldNames...)},
	}
	for _, f := range facetFieldNames {
		variants = append(variants, struct {
			name  string
			tweak func(m *mapping.DocumentMapping)
		}{"no-dv-" + f, setDocValues(false, f)})
	}

	corpora := []struct {
		name string
		load func(testing.TB) []leakscope.Document
	}{
		{"generated", func(testing.TB) []leakscope.Document { return newGenerator(99).docs(30_000) }},
		{"enron", loadEnron},
	}
	for _, c := range corpora {
		var docs []leakscope.Document
		b.Run(c.name, func(b *testing.B) {
			docs = c.load(b)
			for _, v := range variants {
				b.Run(v.name, func(b *testing.B) {
					for b.Loop() {
						measureBuild(b, docs, v.tweak)
					}
				})
			}
		})
	}
}

func setTermVectors(on bool, fields ...string) func(*mapping.DocumentMapping) {
	return func(m *mapping.DocumentMapping) {
		for _, f := range fields {
			m.Properties[f].Fields[0].IncludeTermVectors = on
		}
	}
}

func setDocValues(on bool, fields ...string) func(*mapping.DocumentMapping) {
	return func(m *mapping.DocumentMapping) {
		for _, f := range fields {
			m.Properties[f].Fields[0].DocValues = on
		}
	}
}

// measureBuild indexes docs on disk with the product mapping changed by
// tweak and reports size, speed and query times.
func measureBuild(b *testing.B, docs []leakscope.Document, tweak func(*mapping.DocumentMapping)) {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "index")
	im := newMapping(defaultMappingConfig)
	if tweak != nil {
		tweak(im.DefaultMapping)
	}
	idx, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := idx.SetInternal(mappingVersionKey, []byte(mappingVersion)); err != nil {
		b.Fatal(err)
	}
	ix := &Index{idx: idx, log: slog.New(slog.NewTextHandler(io.Discard, nil)), facets: newFacetCache(facetCacheSize)}

	wall, cpu := time.Now(), cpuTime()
	for i := 0; i < len(docs); i += 1000 {
		if err := ix.Put(ctx, docs[i:min(i+1000, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	putWall, putCPU := time.Since(wall), cpuTime()-cpu

	size := mergedSize(b, idx)
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()

	timeQuery := func(req Request) float64 {
		if _, err := ix.Search(ctx, req); err != nil { // warm up
			b.Fatal(err)
		}
		const n = 5
		start := time.Now()
		for range n {
			if _, err := ix.Search(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		return float64(time.Since(start).Microseconds()) / 1000 / n
	}
	facetMS := timeQuery(Request{Query: leakscope.MatchAll{}, Limit: 1, Facets: true})
	sortMS := timeQuery(Request{Query: leakscope.MatchAll{}, Sort: SortDateDesc})

	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(float64(len(docs))/putWall.Seconds(), "msgs/s")
	b.ReportMetric(float64(len(docs))/putCPU.Seconds(), "msgs/cpu-s")
	b.ReportMetric(facetMS, "facet-ms")
	b.ReportMetric(sortMS, "datesort-ms")
}

// mergedSize merges the index to one segment and returns the bytes its
// segments use on disk (files made obsolete by merges, which scorch removes
// later, are not counted).
func mergedSize(tb testing.TB, idx bleve.Index) uint64 {
	tb.Helper()
	adv, err := idx.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		tb.Fatalf("index is a %T, not scorch", adv)
	}
	// One force merge merges at most ten segments: repeat until one is left.
	for pass := 0; ; pass++ {
		if err := s.ForceMerge(context.Background(), nil); err != nil {
			tb.Fatal(err)
		}
		st := s.StatsMap()
		if st["num_root_filesegments"] == uint64(1) && st["num_root_memorysegments"] == uint64(0) {
			n, _ := st["num_bytes_used_disk_by_root"].(uint64)
			return n
		}
		if pass == 10 {
			tb.Fatalf("index not merged to one segment: %v file and %v memory segments",
				st["num_root_filesegments"], st["num_root_memorysegments"])
		}
	}
}

// corpusDir returns ../shared/corpus/sub relative to the repository root,
// skipping the test when it is absent (failing when
// LEAKSCOPE_REQUIRE_CORPUS=1).
func corpusDir(tb testing.TB, sub string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			tb.Fatalf("corpus: %v", err)
		}
		tb.Skipf("corpus %s not found (%v); see ../shared/corpus/SOURCES.md", sub, err)
	}
	return dir
}

// loadEnron reads the Enron maildir subset with net/mail: headers, the body
// as written (the subset is plain text), the custodian and folder from the
// path. Display names come from X-From (the From header holds the address
// only). Unreadable files are skipped.
func loadEnron(tb testing.TB) []leakscope.Document {
	tb.Helper()
	root := corpusDir(tb, filepath.Join("enron", "maildir"))
	var docs []leakscope.Document
	byMessageID := map[string]int{} // copies of one message share its document
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		doc, ok := enronDoc(raw, parts[0], strings.Join(parts[1:len(parts)-1], "/"), len(docs))
		if !ok {
			return nil
		}
		if i, seen := byMessageID[doc.Message.MessageID]; seen && doc.Message.MessageID != "" {
			docs[i].Copies = append(docs[i].Copies, doc.Copies...)
			return nil
		}
		byMessageID[doc.Message.MessageID] = len(docs)
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

func enronDoc(raw []byte, custodian, folder string, n int) (leakscope.Document, bool) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return leakscope.Document{}, false
	}
	body, _ := io.ReadAll(msg.Body)
	h := msg.Header
	m := &leakscope.Message{
		MessageID:  leakscope.NormalizeMessageID(h.Get("Message-Id")),
		Collection: leakscope.CollectionLeak,
		Subject:    h.Get("Subject"),
		To:         enronAddresses(h.Get("To")),
		Cc:         enronAddresses(h.Get("Cc")),
		Bcc:        enronAddresses(h.Get("Bcc")),
		Size:       int64(len(raw)),
	}
	m.ID = fmt.Sprintf("enron-%06d", n)
	if from := enronAddresses(h.Get("From")); len(from) > 0 {
		m.From = from[0]
	}
	if name, _, _ := strings.Cut(h.Get("X-From"), "<"); !strings.Contains(name, "@") {
		m.From.Name = strings.Trim(strings.TrimSpace(name), `"`)
	}
	if d, err := h.Date(); err == nil {
		m.Date, m.DateSource = d.UTC(), leakscope.DateFromHeader
	}
	copies := []leakscope.Copy{{MessageID: m.ID, Leak: "enron", Batch: "2015", Custodian: custodian, Folder: folder}}
	return leakscope.Document{Message: m, Text: &leakscope.Text{Body: string(body)}, Copies: copies}, true
}

func enronAddresses(v string) []leakscope.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var out []leakscope.Address
	if list, err := mail.ParseAddressList(v); err == nil {
		for _, a := range list {
			out = append(out, leakscope.Address{Raw: a.String(), Name: a.Name, Email: strings.ToLower(a.Address)})
		}
		return out
	}
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		a := leakscope.Address{Raw: f}
		if strings.Contains(f, "@") {
			a.Email = strings.ToLower(strings.Trim(f, "<>"))
		}
		out = append(out, a)
	}
	return out
}
