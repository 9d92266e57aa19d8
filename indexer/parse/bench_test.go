package parse

import (
	"os"
	"path/filepath"
	"testing"
)

// enronSample reads up to n Enron messages into memory, spread over the
// mailboxes (every k-th file).
func enronSample(b *testing.B, n int) [][]byte {
	b.Helper()
	files := corpusFiles(b, corpusDir(b, "enron/maildir"))
	step := max(len(files)/n, 1)
	var out [][]byte
	for i := 0; i < len(files) && len(out) < n; i += step {
		raw, err := os.ReadFile(files[i])
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

// BenchmarkParseEnron parses a sample of ~2,000 Enron messages held in
// memory; one op is one message.
func BenchmarkParseEnron(b *testing.B) {
	msgs := enronSample(b, 2000)
	var bytes int64
	for _, m := range msgs {
		bytes += int64(len(m))
	}
	b.SetBytes(bytes / int64(len(msgs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Parse(msgs[i%len(msgs)], "", Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkParseFixtures parses the MIME-heavy testdata/messages fixtures
// (nested attached messages, broken multiparts, HTML); one op parses them
// all.
func BenchmarkParseFixtures(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "messages", "*.eml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	var msgs [][]byte
	var size int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
		size += int64(len(raw))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			if _, err := Parse(m, "", Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
