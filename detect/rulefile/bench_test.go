package rulefile

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoad measures reading and checking the example rule files.
func BenchmarkLoad(b *testing.B) {
	for _, name := range []string{"example_rules.toml", "example_rules.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Ext(name)[1:], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
