package mailgen

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite ../testdata/sample-leak")

// sampleLeak is the small synthetic leak of the README's quick start.
const sampleLeak = "../testdata/sample-leak"

var sampleOptions = Options{Messages: 60, Seed: 2014, Domain: "example.com"}

// TestSampleLeak keeps testdata/sample-leak equal to what Generate writes
// (run with -update to rewrite it).
func TestSampleLeak(t *testing.T) {
	if *update {
		os.RemoveAll(sampleLeak)
		if _, err := Generate(sampleLeak, sampleOptions); err != nil {
			t.Fatal(err)
		}
	}
	want := t.TempDir()
	c, err := Generate(want, sampleOptions)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(want, p)
		got, err := os.ReadFile(filepath.Join(sampleLeak, rel))
		if err != nil {
			t.Errorf("%s: %v (run go test ./mailgen -update)", rel, err)
			return nil
		}
		if w, _ := os.ReadFile(p); !bytes.Equal(got, w) {
			t.Errorf("%s differs from what Generate writes (run go test ./mailgen -update)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, m := range c.Messages {
		copies += len(m.Folders)
	}
	if files != copies || len(c.Messages) != 60 {
		t.Errorf("Generate wrote %d files for %d messages with %d copies", files, len(c.Messages), copies)
	}
}

func TestMakeIsDeterministicAndThreaded(t *testing.T) {
	a, b := Make(Options{Messages: 200, Seed: 3}), Make(Options{Messages: 200, Seed: 3})
	replies, forwards := 0, 0
	ids := map[string]bool{}
	for i, m := range a.Messages {
		if !bytes.Equal(m.Raw, b.Messages[i].Raw) {
			t.Fatalf("message %d differs between two runs with the same seed", i)
		}
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s used twice", m.MessageID)
		}
		ids[m.MessageID] = true
		if m.Parent != "" {
			if !ids[m.Parent] {
				t.Errorf("message %s refers to %s, which comes later or not at all", m.MessageID, m.Parent)
			}
			if m.Forward {
				forwards++
				if !bytes.Contains(m.Raw, []byte("message/rfc822")) {
					t.Errorf("forward %s has no message/rfc822 part", m.MessageID)
				}
			} else {
				replies++
				if !strings.HasPrefix(m.Subject, "Re: ") || !bytes.Contains(m.Raw, []byte("In-Reply-To: <"+m.Parent+">")) {
					t.Errorf("reply %s: subject %q, no In-Reply-To", m.MessageID, m.Subject)
				}
			}
		}
		if len(m.Folders) == 0 {
			t.Errorf("message %s filed nowhere", m.MessageID)
		}
	}
	if replies < 20 || forwards < 5 {
		t.Errorf("%d replies and %d forwards in 200 messages, want a realistic mix", replies, forwards)
	}
	if c := Make(Options{Messages: 5, Seed: 4}); bytes.Equal(c.Messages[0].Raw, a.Messages[0].Raw) {
		t.Error("different seeds gave the same first message")
	}
}
