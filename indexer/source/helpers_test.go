package source

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// result is everything one Walk produced.
type result struct {
	msgs  []*Message
	probs []leakscope.Problem
	err   error
}

// walkAll walks paths with opts and collects what comes out.
func walkAll(t *testing.T, opts Options, paths ...string) result {
	t.Helper()
	var r result
	r.err = New(opts).Walk(context.Background(), paths, func(m *Message) error {
		r.msgs = append(r.msgs, m)
		return nil
	}, func(p leakscope.Problem) {
		r.probs = append(r.probs, p)
	})
	return r
}

// got is the summary of one message that tests compare: location (with
// the temporary directory replaced by "$"), custodian, folder, flags, the
// From_ line and the bytes.
type got struct {
	Loc, Custodian, Folder, Flags, FromLine, Data string
}

func (g got) String() string {
	return fmt.Sprintf("{%s cust=%q folder=%q flags=%q from=%q data=%q}", g.Loc, g.Custodian, g.Folder, g.Flags, g.FromLine, g.Data)
}

// summaries turns messages into got values relative to dir.
func summaries(dir string, msgs []*Message) []got {
	out := make([]got, 0, len(msgs))
	for _, m := range msgs {
		if m.Copy.Size != int64(len(m.Data)) {
			panic(fmt.Sprintf("%s: Copy.Size %d, len(Data) %d", m.Copy.Location(), m.Copy.Size, len(m.Data)))
		}
		out = append(out, got{
			Loc:       rel(dir, m.Copy.Location()),
			Custodian: m.Copy.Custodian,
			Folder:    m.Copy.Folder,
			Flags:     m.Copy.MaildirFlags,
			FromLine:  m.FromLine,
			Data:      string(m.Data),
		})
	}
	return out
}

// problems formats problems as "severity code location" relative to dir.
func problems(dir string, probs []leakscope.Problem) []string {
	out := make([]string, 0, len(probs))
	for _, p := range probs {
		out = append(out, p.Severity+" "+p.Code+" "+rel(dir, p.Location))
	}
	return out
}

func rel(dir, loc string) string {
	if dir == "" {
		return loc
	}
	return strings.ReplaceAll(loc, dir, "$")
}

// checkMessages compares messages with want, field by field.
func checkMessages(t *testing.T, dir string, msgs []*Message, want []got) {
	t.Helper()
	gs := summaries(dir, msgs)
	if len(gs) != len(want) {
		t.Errorf("got %d messages, want %d:\n got  %v\n want %v", len(gs), len(want), gs, want)
		return
	}
	for i := range gs {
		if gs[i] != want[i] {
			t.Errorf("message %d:\n got  %v\n want %v", i, gs[i], want[i])
		}
	}
}

// checkProblems compares problems ("severity code location") with want.
func checkProblems(t *testing.T, dir string, probs []leakscope.Problem, want []string) {
	t.Helper()
	gp := problems(dir, probs)
	if !slices.Equal(gp, want) {
		var details []string
		for _, p := range probs {
			details = append(details, rel(dir, p.Location)+": "+p.Detail)
		}
		t.Errorf("problems:\n got  %q\n want %q\n details %q", gp, want, details)
	}
	for _, p := range probs {
		if p.Code == "" || p.Detail == "" || p.Location == "" || p.Severity == "" {
			t.Errorf("incomplete problem %+v", p)
		}
	}
}

// writeFile writes data to dir/name, making directories.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mail returns a small synthetic message with an LF line ending.
func mail(subject, body string) string {
	return "From: alice@example.com\nTo: bob@example.org\nSubject: " + subject + "\n\n" + body
}

// crlf turns LF line endings into CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// fromLine is a strong From_ line (without line ending).
const fromLine = "From alice@example.com Mon Jan  1 00:00:00 2001"

// mboxo joins messages as an mboxo writer does: a From_ line, the message
// with body "From " lines escaped as ">From ", one blank line.
func mboxo(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(fromLine + "\n")
		for _, line := range strings.SplitAfter(m, "\n") {
			if strings.HasPrefix(line, "From ") {
				b.WriteString(">")
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// mboxrd joins messages as an mboxrd writer does: lines matching
// ^>*From get one more '>'.
func mboxrd(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(fromLine + "\n")
		b.WriteString(rdEscape(m))
		b.WriteString("\n")
	}
	return b.String()
}

func rdEscape(m string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(m, "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
			b.WriteString(">")
		}
		b.WriteString(line)
	}
	return b.String()
}

// mboxcl2 joins messages as an mboxcl2 writer does: a Content-Length
// header field added at the end of the header, no escaping.
func mboxcl2(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(fromLine + "\n")
		b.WriteString(withContentLength(m))
		b.WriteString("\n")
	}
	return b.String()
}

// withContentLength adds a Content-Length field with the body's length at
// the end of the header of m (CRLF when its first line ends so, else LF).
func withContentLength(m string) string {
	sep, eol := "\n\n", "\n"
	if first, _, _ := strings.Cut(m, "\n"); strings.HasSuffix(first, "\r") {
		sep, eol = "\r\n\r\n", "\r\n"
	}
	i := strings.Index(m, sep)
	hdr, body := m[:i+len(eol)], m[i+len(sep):]
	return hdr + "Content-Length: " + strconv.Itoa(len(body)) + eol + eol + body
}

// mmdf joins messages between ^A^A^A^A lines.
func mmdf(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("\x01\x01\x01\x01\n" + m + "\x01\x01\x01\x01\n")
	}
	return b.String()
}

// gz compresses b with gzip.
func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bz2 compresses b with the bzip2 command, skipping the test when it is
// not installed unless LEAKSCOPE_REQUIRE_TOOLS=1.
func bz2(t *testing.T, b []byte) []byte {
	t.Helper()
	bin, err := exec.LookPath("bzip2")
	if err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_TOOLS") == "1" {
			t.Fatalf("bzip2 command not installed (LEAKSCOPE_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skip("bzip2 command not installed (apt-get install bzip2); set LEAKSCOPE_REQUIRE_TOOLS=1 to make this a failure")
	}
	cmd := exec.Command(bin, "-c")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bzip2: %v", err)
	}
	return out
}

// member is one archive member for zipOf and tarOf.
type member struct {
	name  string
	data  []byte
	store bool        // zip: stored, not deflated
	mode  os.FileMode // tar/zip: file mode bits (symlink...)
	kind  byte        // tar type flag; 0 means a regular file
}

// zipOf builds a zip archive.
func zipOf(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
		if m.store {
			h.Method = zip.Store
		}
		if m.mode != 0 {
			h.SetMode(m.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarOf builds a tar archive.
func tarOf(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if m.kind != 0 {
			h.Typeflag, h.Size = m.kind, 0
			if m.kind == tar.TypeSymlink {
				h.Linkname = "target"
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write(m.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// splitResult is what the splitter produced from one input.
type splitResult struct {
	msgs  []mboxMessage
	probs []splitProblem
	err   error
}

type splitProblem struct {
	off            int64
	severity, code string
}

func (p splitProblem) String() string {
	return fmt.Sprintf("%s %s @%d", p.severity, p.code, p.off)
}

// split runs the splitter over in.
func split(in []byte, max int64, escape int, isMMDF bool) splitResult {
	return splitSize(in, max, escape, isMMDF, bufSize)
}

// splitSize runs the splitter over in with a line buffer of size bytes
// (at least 16): lines longer than that come in pieces.
func splitSize(in []byte, max int64, escape int, isMMDF bool, size int) splitResult {
	var r splitResult
	sp := newSplitter(nil, max, escape, isMMDF)
	sp.lr = newLineReader(bytes.NewReader(in), size)
	sp.emit = func(m mboxMessage) error {
		r.msgs = append(r.msgs, m) // kept as is: a message's bytes must be its own
		return nil
	}
	sp.report = func(off int64, severity, code, _ string) {
		r.probs = append(r.probs, splitProblem{off, severity, code})
	}
	r.err = sp.run()
	return r
}
