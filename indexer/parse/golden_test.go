package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakscope/leakscope"
)

// goldenView is what a golden file shows of a Parsed message.
type goldenView struct {
	Part      string            `json:"part,omitempty"`
	RawSize   int               `json:"raw_size"`
	RawSHA256 string            `json:"raw_sha256"`
	Message   leakscope.Message `json:"message"`
	Text      leakscope.Text    `json:"text"`
	Attached  []goldenView      `json:"attached,omitempty"`
}

func viewOf(p *Parsed) goldenView {
	sum := sha256.Sum256(p.Raw)
	v := goldenView{Part: p.Part, RawSize: len(p.Raw), RawSHA256: hex.EncodeToString(sum[:]), Message: p.Message, Text: p.Text}
	for _, c := range p.Attached {
		v.Attached = append(v.Attached, viewOf(c))
	}
	return v
}

// TestGolden parses each testdata/messages/*.eml and compares the result
// with the .golden file beside it; -update rewrites the golden files.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "messages", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/messages/*.eml")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(raw, "", Options{})
			if err != nil {
				t.Fatalf("Parse(%s): %v", f, err)
			}
			if err := checkProperties(p, Limits{}.withDefaults()); err != nil {
				t.Errorf("Parse(%s): %v", f, err)
			}
			got, err := json.MarshalIndent(viewOf(p), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.TrimSuffix(f, ".eml")+".golden", string(got)+"\n")
		})
	}
}

// TestParseConcurrent parses the fixtures from several goroutines at once,
// as the indexer's parse workers do (run it with -race).
func TestParseConcurrent(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "messages", "*.eml"))
	var raws [][]byte
	var want []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(raw, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		raws, want = append(raws, raw), append(want, p.Message.ID)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 20; i++ {
				for k, raw := range raws {
					p, err := Parse(raw, "", Options{})
					if err != nil || p.Message.ID != want[k] {
						t.Errorf("concurrent Parse(%s) = %v, %v, want ID %s", files[k], p, err, want[k])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
