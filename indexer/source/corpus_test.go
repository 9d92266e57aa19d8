package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// corpus returns the directory of the shared test corpus (../shared/corpus
// from the repository root), skipping the test when it is absent unless
// LEAKSCOPE_REQUIRE_CORPUS=1.
func corpus(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", filepath.FromSlash(sub))
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("corpus %s missing (LEAKSCOPE_REQUIRE_CORPUS=1): %v", dir, err)
		}
		t.Skipf("corpus %s not found (it lives in ../shared/corpus next to the repository); set LEAKSCOPE_REQUIRE_CORPUS=1 to make this a failure", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestCorpusMbox checks the message counts of SOURCES.md, section mbox/,
// and the problems reported for each file.
func TestCorpusMbox(t *testing.T) {
	dir := corpus(t, "mbox")
	cases := []struct {
		file  string
		n     int
		probs []string
	}{
		{"enron-mboxo/allen-p._sent_mail.mbox", 602, nil},
		{"enron-mboxo/keavey-p.deleted_items.mbox", 316, nil},
		{"mimekit/content-length.mbox.txt", 29, []string{ // its Content-Length values are wrong for 4 messages
			"warning mbox $/mimekit/content-length.mbox.txt",
			"warning mbox $/mimekit/content-length.mbox.txt@1889",
			"warning mbox $/mimekit/content-length.mbox.txt@8123",
			"warning mbox $/mimekit/content-length.mbox.txt@22486",
		}},
		{"mimekit/unmunged.mbox.txt", 2, nil},
		{"mimekit/issue1189.mbox.txt", 4, nil},
		{"mimekit/simple.mbox.txt", 3, nil},
		{"gmime/substring.mbox", 3, nil},
		{"cpython/mailbox_01.mbox", 1, nil},
		{"neomutt-detect/apple.mbox", 0, []string{"skipped empty $/neomutt-detect/apple.mbox"}},
		{"neomutt-detect/banana.mbox", 1, nil},
		{"neomutt-detect/cherry.mbox", 0, []string{"skipped not_mail $/neomutt-detect/cherry.mbox"}},
		{"neomutt-detect/endive.mbox", 0, []string{"skipped not_mail $/neomutt-detect/endive.mbox"}},
		{"neomutt-detect/fig.mbox", 0, []string{"skipped empty $/neomutt-detect/fig.mbox"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := walkAll(t, Options{}, filepath.Join(dir, tc.file))
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.msgs) != tc.n {
				t.Errorf("%s: %d messages, want %d", tc.file, len(r.msgs), tc.n)
			}
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
	t.Run("b4-mboxrd", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(dir, "b4-mboxrd", "*.mbox"))
		r := walkAll(t, Options{}, files...)
		if len(files) != 19 || len(r.msgs) != 70 {
			t.Errorf("b4-mboxrd: %d messages in %d files, want 70 in 19", len(r.msgs), len(files))
		}
		// b4 writes Content-Length values that do not fit these files.
		for _, p := range r.probs {
			if p.Code != "mbox" || !strings.Contains(p.Location, "shazam-git1-with-link.mbox") {
				t.Errorf("unexpected problem %+v", p)
			}
		}
	})
}

// TestCorpusEnronMboxo checks the two Enron mboxo files: ">From " lines
// stay as written, and allen-p's messages are byte for byte the files of
// the maildir subset made from the same mbox (SOURCES.md: split on the
// From_ lines, dropping the From_ line and the one blank line after each
// message).
func TestCorpusEnronMboxo(t *testing.T) {
	dir := corpus(t, "mbox/enron-mboxo")
	for _, tc := range []struct {
		file      string
		escaped   int // ">From " lines in the file
		custodian string
	}{
		{"allen-p._sent_mail.mbox", 3, "allen-p._sent_mail"},
		{"keavey-p.deleted_items.mbox", 303, "keavey-p.deleted_items"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := walkAll(t, Options{}, filepath.Join(dir, tc.file))
			escaped := 0
			for _, m := range r.msgs {
				escaped += bytes.Count(m.Data, []byte("\n>From "))
				if !strings.HasPrefix(m.FromLine, "MAILER-DAEMON ") || m.Copy.Custodian != tc.custodian || m.Copy.Folder != "" {
					t.Fatalf("%s: from %q custodian %q folder %q", m.Copy.Location(), m.FromLine, m.Copy.Custodian, m.Copy.Folder)
				}
			}
			if escaped != tc.escaped {
				t.Errorf(">From lines kept = %d, want %d", escaped, tc.escaped)
			}
		})
	}
	maildir := corpus(t, "enron/maildir/allen-p/_sent_mail")
	r := walkAll(t, Options{}, filepath.Join(dir, "allen-p._sent_mail.mbox"))
	for i, m := range r.msgs {
		want, err := os.ReadFile(filepath.Join(maildir, strconv.Itoa(i+1)+"."))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.Data, want) {
			t.Fatalf("message %d at %d differs from the maildir file %d.", i, m.Copy.Offset, i+1)
		}
	}
}

// offsets is the part of MimeKit's *.unix-offsets.json this test reads.
type offsets struct {
	Marker int `json:"mboxMarkerOffset"`
	Begin  int `json:"beginOffset"`
	End    int `json:"endOffset"`
}

// TestCorpusMimekitOffsets compares offsets and message bytes with the
// expected outputs of MimeKit's parser, for LF and CRLF copies. Where the
// Content-Length fits, both read exactly that many body bytes. Where it does
// not, MimeKit still counts the line ending before the next From_ line as
// part of the separator; the splitter keeps the last line ending of a
// message and drops only a blank line.
func TestCorpusMimekitOffsets(t *testing.T) {
	dir := corpus(t, "mbox/mimekit")
	tmp := t.TempDir()
	for _, name := range []string{"content-length", "issue1189"} {
		for _, eol := range []string{"unix", "dos"} {
			t.Run(name+"/"+eol, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join(dir, name+".mbox.txt"))
				if err != nil {
					t.Fatal(err)
				}
				nl := "\n"
				path := filepath.Join(dir, name+".mbox.txt")
				if eol == "dos" {
					nl = "\r\n"
					data = []byte(crlf(string(data)))
					path = writeFile(t, tmp, name+".mbox.txt", data)
				}
				var want []offsets
				js, err := os.ReadFile(filepath.Join(dir, name+"."+eol+"-offsets.json"))
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(js, &want); err != nil {
					t.Fatal(err)
				}
				r := walkAll(t, Options{}, path)
				if len(r.msgs) != len(want) {
					t.Fatalf("%d messages, want %d", len(r.msgs), len(want))
				}
				badLength := map[string]bool{}
				for _, p := range r.probs {
					if p.Code != "mbox" || !strings.Contains(p.Detail, "Content-Length") {
						t.Errorf("unexpected problem %+v", p)
					}
					badLength[p.Location] = true
				}
				for i, m := range r.msgs {
					w := want[i]
					end := w.End
					if badLength[m.Copy.Location()] && !bytes.HasSuffix(data[:end], []byte("\n")) && end < len(data) {
						end += len(nl) // split at the From_ line, not by Content-Length: the line ending stays
					}
					if m.Copy.Offset != int64(w.Marker) || !bytes.Equal(m.Data, data[w.Begin:end]) {
						t.Errorf("message %d: offset %d, %d bytes; want offset %d, bytes %d-%d", i, m.Copy.Offset, len(m.Data), w.Marker, w.Begin, end)
					}
				}
			})
		}
	}
}

// summary is one message of a MimeKit or GMime expected summary.
type summary struct {
	from, subject string
}

// readSummaries reads blocks that start with a From_ line and hold a
// Subject line.
func readSummaries(t *testing.T, path string) []summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []summary
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "From "):
			out = append(out, summary{from: strings.TrimPrefix(line, "From ")})
		case strings.HasPrefix(line, "Subject: ") && len(out) > 0:
			out[len(out)-1].subject = strings.TrimPrefix(line, "Subject: ")
		}
	}
	return out
}

// subjectOf returns the Subject of a raw message, unfolded (line endings
// before white space removed).
func subjectOf(data []byte) string {
	hdr, _, _ := bytes.Cut(data, []byte("\n\n"))
	lines := strings.Split(string(hdr), "\n")
	for i, line := range lines {
		v, ok := strings.CutPrefix(line, "Subject:")
		if !ok {
			continue
		}
		for _, next := range lines[i+1:] {
			if next == "" || (next[0] != ' ' && next[0] != '\t') {
				break
			}
			v += next
		}
		return strings.TrimSpace(v)
	}
	return ""
}

// TestCorpusSummaries checks each message's From_ line and Subject with
// the expected summaries of MimeKit and GMime, and GMime's message offsets.
func TestCorpusSummaries(t *testing.T) {
	dir := corpus(t, "mbox")
	for _, tc := range []struct{ mbox, summary string }{
		{"mimekit/content-length.mbox.txt", "mimekit/content-length-summary.txt"},
		{"mimekit/issue1189.mbox.txt", "mimekit/issue1189-summary.txt"},
		{"gmime/substring.mbox", "gmime/substring.expected-summary.txt"},
	} {
		t.Run(tc.mbox, func(t *testing.T) {
			want := readSummaries(t, filepath.Join(dir, tc.summary))
			r := walkAll(t, Options{}, filepath.Join(dir, tc.mbox))
			if len(r.msgs) != len(want) {
				t.Fatalf("%d messages, want %d", len(r.msgs), len(want))
			}
			for i, m := range r.msgs {
				if strings.TrimSpace(m.FromLine) != strings.TrimSpace(want[i].from) || subjectOf(m.Data) != want[i].subject {
					t.Errorf("message %d: From_ %q, Subject %q; want %q, %q", i, m.FromLine, subjectOf(m.Data), want[i].from, want[i].subject)
				}
			}
		})
	}
	t.Run("gmime offsets", func(t *testing.T) {
		exp, err := os.ReadFile(filepath.Join(dir, "gmime/substring.expected-summary.txt"))
		if err != nil {
			t.Fatal(err)
		}
		var starts, ends []int64
		for _, m := range regexp.MustCompile(`message offsets: (\d+), (\d+)`).FindAllStringSubmatch(string(exp), -1) {
			s, _ := strconv.ParseInt(m[1], 10, 64)
			e, _ := strconv.ParseInt(m[2], 10, 64)
			starts, ends = append(starts, s), append(ends, e)
		}
		data, err := os.ReadFile(filepath.Join(dir, "gmime/substring.mbox"))
		if err != nil {
			t.Fatal(err)
		}
		r := walkAll(t, Options{}, filepath.Join(dir, "gmime/substring.mbox"))
		var gotStarts, gotEnds []int64
		for _, m := range r.msgs {
			gotStarts = append(gotStarts, m.Copy.Offset)
			end := m.Copy.Offset + int64(len("From "+m.FromLine+"\n")+len(m.Data))
			if end < int64(len(data)) && data[end] == '\n' {
				end++ // the blank line before the next From_ line
			}
			gotEnds = append(gotEnds, end)
		}
		if !slices.Equal(gotStarts, starts) || !slices.Equal(gotEnds, ends) {
			t.Errorf("messages span %v-%v, want %v-%v", gotStarts, gotEnds, starts, ends)
		}
	})
}

// TestCorpusEnronMaildir walks the Enron subset: 34,496 messages, the
// custodian is the user directory and the folder the rest of the path,
// with the counts of enron/folder-counts.txt.
func TestCorpusEnronMaildir(t *testing.T) {
	dir := corpus(t, "enron/maildir")
	counts, err := os.ReadFile(filepath.Join(dir, "..", "folder-counts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	total := 0
	for _, line := range strings.Split(string(counts), "\n") {
		n, path, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		c, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("folder-counts.txt: %q", line)
		}
		want[path] = c
		total += c
	}
	got := map[string]int{}
	var bytesRead int64
	r := walkAll(t, Options{OnRead: func(n int64) { bytesRead += n }}, dir)
	for _, m := range r.msgs {
		if m.Copy.Custodian == "" || m.Copy.Folder == "" || m.Copy.Offset != 0 || m.FromLine != "" {
			t.Fatalf("%s: custodian %q folder %q offset %d", m.Copy.Location(), m.Copy.Custodian, m.Copy.Folder, m.Copy.Offset)
		}
		got[m.Copy.Custodian+"/"+m.Copy.Folder]++
	}
	if len(r.msgs) != 34496 || total != 34496 {
		t.Errorf("%d messages (folder-counts.txt: %d), want 34,496", len(r.msgs), total)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d messages, want %d", k, got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d folders, want %d", len(got), len(want))
	}
	checkProblems(t, dir, r.probs, nil)
	if bytesRead != 64409038 {
		t.Errorf("OnRead added up to %d bytes, want 64,409,038 (SOURCES.md)", bytesRead)
	}
}
