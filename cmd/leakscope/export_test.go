package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/app"
)

// exportData indexes the sample leak and a small HR mailbox with personal
// data into a new data directory.
func exportData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	msgs := []struct{ id, from, to, subject, body string }{
		{"pii@hr.example.com", "Jane Doe <jane.doe@example.com>", "hr@example.com", "Benefits enrolment", "my SSN is 536-22-1847, Jane"},
		{"list@hr.example.com", "hr@example.com", "payroll@example.com", "New hires", "Please set up Bruno Brandt, SSN 536-22-1850 is on file."},
	}
	for i, m := range msgs {
		fmt.Fprintf(&b, "From hr@example.com Mon Nov 24 10:0%d:00 2014\nFrom: %s\nTo: %s\nSubject: %s\n", i, m.from, m.to, m.subject)
		fmt.Fprintf(&b, "Date: Mon, 24 Nov 2014 10:0%d:00 +0000\nMessage-ID: <%s>\n\n%s\n\n", i, m.id, m.body)
	}
	mbox := filepath.Join(dir, "hr.mbox")
	if err := os.WriteFile(mbox, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	mustRun(t, "index", "--data", data, "--leak", "sample", "--batch", "wave-1", "--published", "2014-11-24", "--no-progress",
		repoFile("testdata", "sample-leak"), mbox)
	return data
}

// datRows reads a DAT file: þ-quoted values separated by DC4, CR LF rows,
// a byte order mark and a header row.
func datRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatalf("%s: no byte order mark", path)
	}
	lines := strings.Split(strings.TrimSuffix(string(b[3:]), "\r\n"), "\r\n")
	split := func(l string) []string {
		return strings.Split(strings.TrimSuffix(strings.TrimPrefix(l, "þ"), "þ"), "þ\x14þ")
	}
	header := split(lines[0])
	var rows []map[string]string
	for _, l := range lines[1:] {
		vals := split(l)
		if len(vals) != len(header) {
			t.Fatalf("%s: row of %d values, header of %d", path, len(vals), len(header))
		}
		row := map[string]string{}
		for i, v := range vals {
			row[header[i]] = v
		}
		rows = append(rows, row)
	}
	return rows
}

type exportJSON struct {
	Messages   int    `json:"messages"`
	Documents  int    `json:"documents"`
	First      uint64 `json:"first"`
	Last       uint64 `json:"last"`
	FirstBates string `json:"first_bates"`
	LastBates  string `json:"last_bates"`
	Withheld   int    `json:"withheld"`
	Volume     string `json:"volume"`
	Manifest   string `json:"manifest"`
}

func TestProductionExportCommands(t *testing.T) {
	data := exportData(t)
	out := t.TempDir()
	mustRun(t, "production", "create", "acme", "--prefix", "ACME", "--data", data)
	if r := run(t, "production", "create", "acme", "--prefix", "X", "--data", data); r.code != exitUsage {
		t.Errorf("creating acme twice: exit %d, want %d", r.code, exitUsage)
	}
	if r := run(t, "export", "--query", "*", "--production", "nope", "--out", filepath.Join(out, "x"), "--data", data); r.code != exitNotFound {
		t.Errorf("export to an unknown production: exit %d, want %d", r.code, exitNotFound)
	}
	if r := run(t, "export", "--production", "acme", "--out", filepath.Join(out, "x"), "--data", data); r.code != exitUsage {
		t.Errorf("export without --query or --tag: exit %d, want %d", r.code, exitUsage)
	}
	mustRun(t, "tag", "add", "privileged", "--note", "advice from counsel", "--data", data, "<pii@hr.example.com>")

	// Two exports of one production: numbers continue.
	var first, second exportJSON
	vol1 := filepath.Join(out, "vol1")
	decodeJSON(t, mustRun(t, "export", "--query", "from:example.com date:..2014-02-01", "--production", "acme", "--out", vol1,
		"--json", "--no-progress", "--data", data), &first)
	vol2 := filepath.Join(out, "vol2.zip")
	decodeJSON(t, mustRun(t, "export", "--query", "*", "--production", "acme", "--out", vol2, "--privilege-log",
		"--json", "--no-progress", "--data", data), &second)
	if first.First != 1 || first.Documents == 0 || second.First != first.Last+1 || second.Withheld != 1 {
		t.Errorf("exports numbered %d..%d and %d..%d (withheld %d); want 1.., continuing, one withheld", first.First, first.Last, second.First, second.Last, second.Withheld)
	}
	if second.FirstBates != fmt.Sprintf("ACME%07d", first.Last+1) {
		t.Errorf("second export starts at %s, want ACME%07d", second.FirstBates, first.Last+1)
	}

	// Natives are what show --raw prints.
	rows := datRows(t, filepath.Join(vol1, "DATA", first.Volume+".dat"))
	if len(rows) != first.Documents {
		t.Fatalf("DAT has %d rows, summary %d documents", len(rows), first.Documents)
	}
	shown := 0
	for _, row := range rows {
		if row["PARENTID"] != "" || shown >= 15 {
			continue
		}
		shown++
		native, err := os.ReadFile(filepath.Join(vol1, filepath.FromSlash(strings.ReplaceAll(row["NATIVELINK"], `\`, "/"))))
		if err != nil {
			t.Fatal(err)
		}
		if raw := mustRun(t, "show", "--raw", "--data", data, row["MESSAGEID"]); raw != string(native) {
			t.Errorf("%s: native (%d bytes) differs from show --raw (%d bytes)", row["BEGBATES"], len(native), len(raw))
		}
	}
	if shown == 0 {
		t.Fatal("no message in the first export")
	}
	if tool, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(tool, "-c", "--quiet", "MANIFEST.sha256")
		cmd.Dir = vol1
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, b)
		}
	} else if os.Getenv("LEAKSCOPE_REQUIRE_TOOLS") == "1" {
		t.Fatal("sha256sum not found and LEAKSCOPE_REQUIRE_TOOLS=1")
	}
	if _, err := os.Stat(vol2); err != nil {
		t.Errorf("zip output: %v", err)
	}

	// --tag T is the query tag:T; a privileged message is produced when asked.
	var tagged exportJSON
	mustRun(t, "production", "create", "priv", "--prefix", "PRIV", "--data", data)
	decodeJSON(t, mustRun(t, "export", "--tag", "privileged", "--include-privileged", "--production", "priv",
		"--out", filepath.Join(t.TempDir(), "priv"), "--json", "--no-progress", "--data", data), &tagged)
	if tagged.Messages != 1 || tagged.Withheld != 0 || tagged.FirstBates != "PRIV0000001" {
		t.Errorf("export --tag privileged --include-privileged = %+v, want the one tagged message as PRIV0000001", tagged)
	}

	// The production remembers both exports; the audit log has them.
	var list struct {
		Productions []struct {
			Name    string `json:"name"`
			Next    uint64 `json:"next"`
			Exports []struct {
				User  string `json:"user"`
				First uint64 `json:"first"`
			} `json:"exports"`
		} `json:"productions"`
	}
	decodeJSON(t, mustRun(t, "production", "list", "--json", "--data", data), &list)
	if len(list.Productions) != 2 || list.Productions[0].Next != second.Last+1 || len(list.Productions[0].Exports) != 2 ||
		!strings.HasPrefix(list.Productions[0].Exports[0].User, "cli:") {
		t.Errorf("production list = %+v, want acme at %d with two exports by cli:", list, second.Last+1)
	}
	var audit []struct {
		User   string `json:"user"`
		Action string `json:"action"`
		Target string `json:"target"`
		Detail string `json:"detail"`
	}
	decodeJSON(t, mustRun(t, "audit", "--json", "--data", data), &audit)
	exports := 0
	for _, e := range audit {
		if e.Action == app.AuditExport && e.Target == "acme" && strings.HasPrefix(e.User, "cli:") {
			exports++
			if !strings.Contains(e.Detail, "ACME0000001-") && !strings.Contains(e.Detail, second.FirstBates+"-") {
				t.Errorf("audit detail %q lacks the Bates range", e.Detail)
			}
		}
	}
	if exports != 2 {
		t.Errorf("audit log has %d export entries, want 2", exports)
	}

	// A failed export leaves nothing and uses no number.
	if r := run(t, "export", "--query", "*", "--production", "acme", "--out", vol1, "--data", data); r.code != exitUsage {
		t.Errorf("export over an existing directory: exit %d, want %d", r.code, exitUsage)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("output directory holds %v, want vol1 and vol2.zip only", entries)
	}

	// The notification report names Bruno, with his Bates number.
	people := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(people, []byte("name,addresses\nBruno Brandt,bruno.brandt@example.com\nJane Doe,jane.doe@example.com\n"), 0o644)
	mustRun(t, "org", "--people", people, "--data", data)
	var rep struct {
		People []struct {
			Address    string         `json:"address"`
			Categories []string       `json:"categories"`
			Basis      map[string]int `json:"basis"`
			Bates      []string       `json:"bates"`
		} `json:"people"`
	}
	decodeJSON(t, mustRun(t, "notify", "--json", "--production", "acme", "--data", data), &rep)
	found := false
	for _, p := range rep.People {
		if p.Address == "bruno.brandt@example.com" {
			found = true
			if len(p.Categories) == 0 || p.Categories[0] != "identity" || p.Basis["named"] != 1 || len(p.Bates) == 0 {
				t.Errorf("notify lists Bruno as %+v, want identity, named, with Bates numbers", p)
			}
		}
	}
	if !found {
		t.Errorf("notify does not list bruno.brandt@example.com: %+v", rep.People)
	}
	csvPath := filepath.Join(t.TempDir(), "notify.csv")
	mustRun(t, "notify", "--csv", "--out", csvPath, "--data", data)
	if b, err := os.ReadFile(csvPath); err != nil || !strings.Contains(string(b), "bruno.brandt@example.com") {
		t.Errorf("notify --csv --out wrote %q, %v", b, err)
	}
}
