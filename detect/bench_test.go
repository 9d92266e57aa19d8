package detect

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// benchMessages returns up to n messages of Enron-like text: Enron bodies
// when the corpus is present, else the synthetic evaluation set.
func benchMessages(b *testing.B, n int) (out []*leakscope.Text, subjects []string) {
	b.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "enron", "maildir")
	if _, err := os.Stat(dir); err == nil {
		// Every 10th file, so that all mailboxes are represented.
		i := 0
		filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || len(out) >= n {
				return nil
			}
			if i++; i%10 != 0 {
				return nil
			}
			if subject, body, err := enronMessage(path); err == nil {
				out = append(out, &leakscope.Text{Body: body})
				subjects = append(subjects, subject)
			}
			return nil
		})
	}
	if len(out) == 0 {
		for _, c := range syntheticCases() {
			out = append(out, c.text)
			subjects = append(subjects, c.msg.Subject)
		}
	}
	return out, subjects
}

// BenchmarkScan measures detection per message over Enron-like text
// (budget: about 100-140 µs per average 1.9 KB message).
func BenchmarkScan(b *testing.B) {
	d, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	msgs, subjects := benchMessages(b, 3500)
	bytes := 0
	for _, m := range msgs {
		bytes += len(m.Body)
	}
	b.ReportAllocs()
	b.SetBytes(int64(bytes / len(msgs)))
	i := 0
	for b.Loop() {
		d.Scan(&leakscope.Message{Subject: subjects[i%len(msgs)]}, msgs[i%len(msgs)])
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/msg")
	b.ReportMetric(float64(bytes)/float64(len(msgs)), "bytes/msg")
}

// BenchmarkScanWorstCase scans a megabyte built to be expensive: numbers,
// keywords and context words everywhere, many look-alikes per rule. The
// limits (MaxScanBytes, MaxMatchesPerRule, the candidate cap) keep it
// bounded.
func BenchmarkScanWorstCase(b *testing.B) {
	d, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "phone %03d-853-%04d SSN 123-45-%04d password: pw%d, salary $%d,000 bonus; cancer surgery my wife, %d,%d,%d\n",
			200+i%700, i%10000, i%10000, i, i%300, i, i+1, i+2)
	}
	text := &leakscope.Text{Body: sb.String()}
	b.SetBytes(int64(len(text.Body)))
	b.ReportAllocs()
	for b.Loop() {
		d.Scan(nil, text)
	}
}

// BenchmarkNew measures start-up: copying and compiling the built-in pack
// and building the lexicon automaton.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
