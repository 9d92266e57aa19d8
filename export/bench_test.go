package export_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/leakscope/leakscope/export"
)

// BenchmarkExport exports the sample leak (about 70 messages and their
// attachments) to a directory; see bench/export for the Enron subset.
func BenchmarkExport(b *testing.B) {
	f := newFixture(b)
	dir := b.TempDir()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		if _, err := export.New(f.db, export.Options{Prefix: "B"}).Run(context.Background(), f.ids, filepath.Join(dir, strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(f.ids)*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
