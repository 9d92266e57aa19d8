package acceptance

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// topFolders are the top folders of ../shared/corpus.
var topFolders = []string{"enron", "mbox", "mime-oddities", "mu", "notmuch", "pst"}

// TestCorpusFoldersAlone indexes each top folder of the corpus alone into
// a new data directory, then all of them in one run into another new one:
// every run must exit 0 without a panic, contained or not (a "panic"
// problem in the report), and the run of all of them must read what the
// runs of each read, in total (files, messages, warnings, failures,
// skips). A new data directory matters: its first
// batch trains the compression dictionaries on the folder's own mail,
// which made the mime-oddities folder alone crash while the grouping of
// TestCorpusIngest (every folder after Enron, into Enron's data) passed.
//
// Enron alone is the package's shared index of enron/maildir (enronData,
// so that Enron, ~16 s, is indexed once more only, with all the others)
// plus a run of its other file, folder-counts.txt. Without readpst the pst
// folder alone skips (unless LEAKSCOPE_REQUIRE_TOOLS=1); in the run of all
// folders the PST is then a listed failure.
func TestCorpusFoldersAlone(t *testing.T) {
	corpus := corpusDir(t)
	_, err := exec.LookPath("readpst")
	readpst := err == nil
	var sum runCounts
	add := func(c runCounts) {
		sum.Inputs += c.Inputs
		sum.Messages += c.Messages
		sum.Warnings += c.Warnings
		sum.Failures += c.Failures
		sum.Skipped += c.Skipped
		// Not Bytes: readpst writes each message with a MIME boundary
		// made of a random number, whose length varies from run to run.
	}
	for _, f := range topFolders {
		t.Run(f, func(t *testing.T) {
			if f == "pst" && !readpst {
				requireTool(t, "readpst")
			}
			if f == "enron" {
				data, s := enronData(t)
				checkRun(t, data, s)
				add(s.Counts)
				data = filepath.Join(workDir, "alone-enron-rest")
				s, _ = index(t, data, "enron-rest", filepath.Join(corpus, "enron", "folder-counts.txt"))
				checkRun(t, data, s)
				add(s.Counts)
				return
			}
			data := filepath.Join(workDir, "alone-"+f)
			s, _ := index(t, data, f, filepath.Join(corpus, f))
			checkRun(t, data, s)
			if s.Counts.Messages == 0 {
				t.Errorf("%s alone: no message read (%+v)", f, s.Counts)
			}
			add(s.Counts)
		})
	}
	if t.Failed() || !readpst {
		return // the sums are of runs that did not all happen
	}
	paths := make([]string, len(topFolders))
	for i, f := range topFolders {
		paths[i] = filepath.Join(corpus, f)
	}
	data := filepath.Join(workDir, "all-folders")
	s, _ := index(t, data, "all", paths...)
	checkRun(t, data, s)
	got := s.Counts
	got.New, got.Copies, got.Known, got.Duplicates, got.Bytes = 0, 0, 0, 0, 0
	if got != sum {
		t.Errorf("all folders in one run read %+v, want the sum of the folders alone %+v", got, sum)
	}
	if n := searchTotal(t, data, "*"); n != s.Counts.New {
		t.Errorf("search '*' in the data of all folders = %d, want the run's new messages %d", n, s.Counts.New)
	}
	t.Logf("all folders in one run: %+v", s.Counts)
}

// checkRun checks that the index run s into data finished and that its
// report lists no panic, not even one contained as a failure.
func checkRun(t *testing.T, data string, s *indexSummary) {
	t.Helper()
	if s.Status != "done" {
		t.Errorf("run %d of %s: status %q, want done", s.Run, s.Leak, s.Status)
	}
	for _, p := range getReport(t, data).Problems {
		if p.Run == s.Run && p.Code == "panic" {
			t.Errorf("run %d of %s: %s %s: %s", s.Run, s.Leak, p.Severity, p.Location, p.Detail)
		}
	}
}
