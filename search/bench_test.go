package search

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/leakscope/leakscope"
)

// renumber returns shallow copies of docs with fresh IDs (prefix + index),
// so that a benchmark adds new messages instead of replacing old ones.
func renumber(docs []leakscope.Document, prefix string) []leakscope.Document {
	out := make([]leakscope.Document, len(docs))
	for i, d := range docs {
		m := *d.Message
		m.ID = fmt.Sprintf("%s-%d", prefix, i)
		d.Message = &m
		out[i] = d
	}
	return out
}

func reportRate(b *testing.B, perOp int) {
	b.ReportMetric(float64(b.N*perOp)/b.Elapsed().Seconds(), "msgs/s")
}

// cpuPerOp starts counting the process's CPU time; the function it returns
// reports it per op. On the shared test machines wall time depends on the
// other load; CPU time much less.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

// BenchmarkPut indexes batches of 1,000 generated messages: into a fresh
// index in memory, and into one index on disk that grows with every batch
// (Put returns once the batch is persisted).
func BenchmarkPut(b *testing.B) {
	docs := newGenerator(1).docs(1000)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Message.Subject) + len(d.Text.Body))
		for _, a := range d.Text.Attachments {
			bytes += int64(len(a.Text))
		}
	}
	ctx := context.Background()
	b.Run("memory", func(b *testing.B) {
		b.SetBytes(bytes)
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			ix, err := Open("", Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := ix.Put(ctx, docs); err != nil {
				b.Fatal(err)
			}
			ix.Close()
		}
		reportRate(b, len(docs))
	})
	b.Run("disk", func(b *testing.B) {
		ix, err := Open(filepath.Join(b.TempDir(), "index"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		b.SetBytes(bytes)
		b.ReportAllocs()
		defer cpuPerOp(b)()
		n := 0
		for b.Loop() {
			n++
			if err := ix.Put(ctx, renumber(docs, fmt.Sprint(n))); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, len(docs))
	})
}

// benchDocs is the size of the index the query benchmarks search.
const benchDocs = 10_000

// benchSeed seeds the generator of the query benchmarks' index; the
// queries take words and people from a generator with the same seed.
const benchSeed = 42

var benchIndex = sync.OnceValues(func() (*Index, error) {
	ix, err := Open("", Options{})
	if err != nil {
		return nil, err
	}
	g := newGenerator(benchSeed)
	for range benchDocs / 1000 {
		if err := ix.Put(context.Background(), g.docs(1000)); err != nil {
			return nil, err
		}
	}
	return ix, nil
})

// BenchmarkSearch runs typical queries on 10,000 generated messages (built
// once per process; the first run pays for it before its timer starts).
// Each reports the number of hits it matched.
func BenchmarkSearch(b *testing.B) {
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	g := newGenerator(benchSeed)
	rare, mid := g.vocab[5000], g.vocab[500]
	person := g.people[3]
	cases := []struct {
		name   string
		query  string
		sort   string
		facets bool
	}{
		{"term-rare", rare, SortRelevance, false},
		{"term-rare-date", rare, SortDateDesc, false},
		{"term-mid", mid, SortRelevance, false},
		{"term-mid-date", mid, SortDateDesc, false},
		{"term-common", "the", SortRelevance, false},
		{"term-common-date", "the", SortDateDesc, false},
		{"phrase-rare", `"meeting schedule"`, SortDateDesc, false},
		{"phrase-quoted-reply", `"original message"`, SortDateDesc, false},
		{"phrase-common", `"of the"`, SortDateDesc, false},
		{"address", "from:" + person.Email, SortDateDesc, false},
		{"name", fmt.Sprintf("from:%q", person.Name), SortDateDesc, false},
		{"domain", "to:sony.com", SortDateDesc, false},
		{"prefix", "bud*", SortDateDesc, false},
		{"boolean", "(deal OR contract) -from:enron.com has:attachment", SortDateDesc, false},
		{"date-range", "date:2000..2001", SortDateDesc, false},
		{"date-sort-all", "*", SortDateDesc, false},
		{"facets-all", "*", SortDateDesc, true},
		{"facets-term", "the", SortDateDesc, true},
	}
	for _, c := range cases {
		q := mustParse(b, c.query)
		req := Request{Query: q, Sort: c.sort, Facets: c.facets}
		res, err := ix.Search(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, err := ix.Search(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Total), "hits")
		})
	}
}

// BenchmarkDeepPage fetches 20 hits 5,000 deep, with a cursor and with an
// offset, in date and relevance order.
func BenchmarkDeepPage(b *testing.B) {
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const depth = 5000
	for _, c := range []struct{ name, query, sort string }{
		{"date", "*", SortDateDesc},
		{"relevance", "the OR deal", SortRelevance},
	} {
		q := mustParse(b, c.query)
		before, err := ix.Search(ctx, Request{Query: q, Sort: c.sort, Limit: depth})
		if err != nil || before.Next == "" {
			b.Fatalf("Search(%q) = %v hits, %v; want more than %d", c.query, before.Total, err, depth)
		}
		b.Run(c.name+"-after", func(b *testing.B) {
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, err := ix.Search(ctx, Request{Query: q, Sort: c.sort, After: before.Next}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"-offset", func(b *testing.B) {
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, err := ix.Search(ctx, Request{Query: q, Sort: c.sort, Offset: depth}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// longBody joins generated bodies into about 4 KB of text.
func longBody(seed uint64) string {
	g := newGenerator(seed)
	var body string
	for len(body) < 4000 {
		body += g.doc().Text.Body
	}
	return body
}

// BenchmarkSnippet cuts a snippet of 200 bytes from 4 KB of generated text.
func BenchmarkSnippet(b *testing.B) {
	body := longBody(5)
	q := mustParse(b, `budget OR "let us know" OR repor*`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Snippet(q, body, 200)
	}
}

// BenchmarkAnalyze runs the text analyzer over 4 KB of generated text.
func BenchmarkAnalyze(b *testing.B) {
	body := longBody(6)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		textAnalyzer.Analyze([]byte(body))
	}
}
