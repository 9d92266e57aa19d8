package source

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// readpst returns the path of readpst, skipping the test when it is not
// installed unless LEAKSCOPE_REQUIRE_TOOLS=1.
func readpst(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("readpst")
	if err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_TOOLS") == "1" {
			t.Fatalf("readpst not installed (LEAKSCOPE_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skip("readpst not installed (apt-get install pst-utils); set LEAKSCOPE_REQUIRE_TOOLS=1 to make this a failure")
	}
	return p
}

func TestWalkPST(t *testing.T) {
	readpst(t)
	dir := corpus(t, "pst")
	pst, err := os.ReadFile(filepath.Join(dir, "outlook.pst"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	inZip := writeFile(t, tmp, "in/export.zip", zipOf(t, member{name: "jane/outlook.pst", data: pst}))
	cases := []struct {
		name string
		path string
		base string // location of the PST
		want [][3]string
	}{
		{"given directly", filepath.Join(dir, "outlook.pst"), filepath.Join(dir, "outlook.pst"), [][3]string{
			{"!Personal Folders/Inbox/1.eml", "outlook", "Personal Folders/Inbox"},
			{"!Personal Folders/Recovered_Group2/2.eml", "outlook", "Personal Folders/Recovered_Group2"},
		}},
		{"inside a zip in a tree", filepath.Join(tmp, "in"), inZip + "!jane/outlook.pst", [][3]string{
			{"!Personal Folders/Inbox/1.eml", "export", "jane/outlook/Personal Folders/Inbox"},
			{"!Personal Folders/Recovered_Group2/2.eml", "export", "jane/outlook/Personal Folders/Recovered_Group2"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spool := t.TempDir()
			r := walkAll(t, Options{TempDir: spool}, tc.path)
			if r.err != nil {
				t.Fatal(r.err)
			}
			checkProblems(t, "", r.probs, nil)
			if len(r.msgs) != len(tc.want) {
				t.Fatalf("got %d messages, want %d", len(r.msgs), len(tc.want))
			}
			for i, m := range r.msgs {
				w := tc.want[i]
				if m.Copy.Location() != tc.base+w[0] || m.Copy.Custodian != w[1] || m.Copy.Folder != w[2] {
					t.Errorf("message %d: %s custodian %q folder %q; want %s, %q, %q", i, m.Copy.Location(), m.Copy.Custodian, m.Copy.Folder, tc.base+w[0], w[1], w[2])
				}
				if !looksLikeMessage(m.Data) || !bytes.Contains(m.Data, []byte("\n\n")) && !bytes.Contains(m.Data, []byte("\r\n\r\n")) {
					t.Errorf("message %d does not look like a message: %q", i, short(string(m.Data)))
				}
			}
			if left, _ := os.ReadDir(spool); len(left) != 0 {
				t.Errorf("%d entries left in TempDir after the walk, want none", len(left))
			}
		})
	}
}

func TestWalkPSTProblems(t *testing.T) {
	dir := t.TempDir()
	fake := writeFile(t, dir, "broken.pst", append([]byte("!BDN"), make([]byte, 600)...))
	t.Run("missing readpst", func(t *testing.T) {
		t.Setenv("PATH", "")
		r := walkAll(t, Options{}, fake)
		checkProblems(t, dir, r.probs, []string{"failure pst $/broken.pst"})
		if len(r.probs) == 1 && r.probs[0].Detail != `readpst not found: install it with "apt-get install pst-utils"` {
			t.Errorf("detail = %q", r.probs[0].Detail)
		}
	})
	t.Run("readpst path that does not exist", func(t *testing.T) {
		r := walkAll(t, Options{Readpst: filepath.Join(dir, "nope", "readpst")}, fake)
		checkProblems(t, dir, r.probs, []string{"failure pst $/broken.pst"})
		want := `readpst not found: install it with "apt-get install pst-utils" (` + filepath.Join(dir, "nope", "readpst") + ": "
		if len(r.probs) == 1 && !bytes.HasPrefix([]byte(r.probs[0].Detail), []byte(want)) {
			t.Errorf("detail = %q, want it to start with %q", r.probs[0].Detail, want)
		}
	})
	t.Run("corrupt PST", func(t *testing.T) {
		readpst(t)
		spool := t.TempDir()
		r := walkAll(t, Options{TempDir: spool}, fake)
		checkProblems(t, dir, r.probs, []string{"failure pst $/broken.pst"})
		if len(r.probs) == 1 && !bytes.HasPrefix([]byte(r.probs[0].Detail), []byte("readpst failed (exit status")) {
			t.Errorf("detail = %q", r.probs[0].Detail)
		}
		if left, _ := os.ReadDir(spool); len(left) != 0 {
			t.Errorf("%d entries left in TempDir after the walk, want none", len(left))
		}
	})
}
