// Package acceptance checks Leakscope end to end against the real test corpus
// (../shared/corpus, see its SOURCES.md), driving the leakscope binary exactly
// as a user would: it builds ../cmd/leakscope once, indexes the Enron maildir once
// into a temporary data directory shared by the tests, runs `leakscope search
// --json` and `leakscope report --json`, and compares the totals with
//
//   - an independent oracle (enron_oracle_test.go): a small reader of the
//     Enron files built on net/mail and mime.WordDecoder only, for field
//     queries (addresses and domains, custodian, folder, dates, subject
//     words and phrases, id, boolean combinations), where totals must be
//     equal;
//   - notmuch (notmuch_test.go), for free text, within a few percent;
//   - an own count of the messages in every file of the corpus
//     (corpus_test.go), which must be accounted for exactly.
//
// The package holds tests only and imports none of the project's packages:
// it is a user of the command, not of the code.
//
// Without the corpus (a fresh clone) every test skips, unless
// LEAKSCOPE_REQUIRE_CORPUS=1, in which case they fail. Without notmuch the
// notmuch comparison skips, unless LEAKSCOPE_REQUIRE_TOOLS=1.
// LEAKSCOPE_BIN=/path/to/leakscope tests that binary instead of building
// ../cmd/leakscope (a release build, or while the tree does not compile).
package acceptance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	// workDir is the temporary directory of the whole run: the binary and
	// the shared data directories live in it.
	workDir string

	// build is the leakscope binary, built once by the first test that
	// needs it (so that a clone without the corpus, where every test
	// skips, builds nothing).
	build struct {
		once sync.Once
		path string
		err  error
	}
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "leakscope-acceptance-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "acceptance: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	workDir = dir
	return m.Run()
}

// buildBinary builds ../cmd/leakscope into dir.
func buildBinary(dir string) (string, error) {
	out := filepath.Join(dir, "leakscope")
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	// go test puts its own go first in PATH.
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find the go command: %w", err)
	}
	cmd := exec.Command(goTool, "build", "-o", out, "../cmd/leakscope")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ../cmd/leakscope: %v\n%s", err, b)
	}
	return out, nil
}

// corpusDir returns ../shared/corpus (relative to the repository root) or
// skips the test when it is absent, failing instead when
// LEAKSCOPE_REQUIRE_CORPUS=1.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("test corpus not found at %s (LEAKSCOPE_REQUIRE_CORPUS=1): %v", dir, err)
		}
		t.Skipf("test corpus not found at %s (a fresh clone has none; set LEAKSCOPE_REQUIRE_CORPUS=1 to make this a failure)", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("Abs(%q): %v", dir, err)
	}
	return abs
}

// leakscopeBinary returns the leakscope binary: $LEAKSCOPE_BIN when set,
// else ../cmd/leakscope built once. It fails the test when the build fails.
func leakscopeBinary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		if bin := os.Getenv("LEAKSCOPE_BIN"); bin != "" {
			build.path = bin
			return
		}
		build.path, build.err = buildBinary(workDir)
	})
	if build.err != nil {
		t.Fatalf("no leakscope binary: %v", build.err)
	}
	return build.path
}

// requireTool returns the path of an external tool, or skips the test when it
// is not installed (failing instead when LEAKSCOPE_REQUIRE_TOOLS=1).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is not installed (LEAKSCOPE_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s is not installed (apt-get install %s; set LEAKSCOPE_REQUIRE_TOOLS=1 to make this a failure)", name, name)
	}
	return p
}
