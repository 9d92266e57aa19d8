package source

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// archiveMembers is the content put in each archive format below.
func archiveMembers(t *testing.T) []member {
	return []member{
		{name: "alice/cur/1:2,S", data: []byte(mail("a1", "x\n"))},
		{name: "alice/.Sent/new/2", data: []byte(mail("a2", "x\n"))},
		{name: "bob/inbox.mbox", data: []byte(mboxo(mail("b1", "x\n"), mail("b2", "x\n")))},
		{name: "bob/readme.txt", data: []byte("not mail\n")},
		{name: "carol/old.mbox.gz", data: gz(t, []byte(mboxo(mail("c1", "x\n"))))},
	}
}

// archiveWant is what reading archiveMembers gives, for an archive at loc
// whose logical path adds nothing (given directly).
func archiveWant(loc string) []got {
	second := strconv.Itoa(len(fromLine) + 1 + len(mail("b1", "x\n")) + 1)
	return []got{
		{loc + "!alice/cur/1:2,S", "alice", "", "S", "", mail("a1", "x\n")},
		{loc + "!alice/.Sent/new/2", "alice", "Sent", "", "", mail("a2", "x\n")},
		{loc + "!bob/inbox.mbox", "bob", "inbox", "", fromArgs, mail("b1", "x\n")},
		{loc + "!bob/inbox.mbox@" + second, "bob", "inbox", "", fromArgs, mail("b2", "x\n")},
		{loc + "!carol/old.mbox.gz", "carol", "old", "", fromArgs, mail("c1", "x\n")},
	}
}

func TestWalkArchives(t *testing.T) {
	dir := t.TempDir()
	ms := archiveMembers(t)
	zipMembers := []member{ms[2], ms[0], ms[4], ms[3], ms[1]} // zip members are read in name order
	cases := []struct {
		name string
		file string
		data []byte
	}{
		{"zip", "x.zip", zipOf(t, zipMembers...)},
		{"zip stored", "x.zip", zipOf(t, storeAll(zipMembers)...)},
		{"tar", "x.tar", tarOf(t, ms[0], ms[1], ms[2], ms[3], ms[4])},
		{"tar.gz", "x.tar.gz", gz(t, tarOf(t, ms[0], ms[1], ms[2], ms[3], ms[4]))},
		{"tgz misnamed", "x.dat", gz(t, tarOf(t, ms[0], ms[1], ms[2], ms[3], ms[4]))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.data)
			r := walkAll(t, Options{}, p)
			if r.err != nil {
				t.Fatal(r.err)
			}
			want := archiveWant("$/" + tc.file)
			if tc.name == "zip" || tc.name == "zip stored" { // name order: alice/.Sent < alice/cur
				want[0], want[1] = want[1], want[0]
			}
			checkMessages(t, dir, r.msgs, want)
			checkProblems(t, dir, r.probs, []string{"skipped not_mail $/" + tc.file + "!bob/readme.txt"})
		})
	}
}

func storeAll(ms []member) []member {
	out := make([]member, len(ms))
	for i, m := range ms {
		m.store = true
		out[i] = m
	}
	return out
}

func TestWalkArchiveInTree(t *testing.T) {
	dir := t.TempDir()
	inner := zipOf(t, member{name: "Inbox/1.eml", data: []byte(mail("i", "x\n"))})
	writeFile(t, dir, "leak/dana/backup.tar.gz", gz(t, tarOf(t, member{name: "mail/export.zip", data: inner})))
	r := walkAll(t, Options{}, dir)
	checkMessages(t, dir, r.msgs, []got{
		{"$/leak/dana/backup.tar.gz!mail/export.zip!Inbox/1.eml", "leak", "dana/backup/mail/export/Inbox", "", "", mail("i", "x\n")},
	})
	checkProblems(t, dir, r.probs, nil)

	r = walkAll(t, Options{Custodian: "Dana"}, dir+"/leak/dana")
	checkMessages(t, dir, r.msgs, []got{
		{"$/leak/dana/backup.tar.gz!mail/export.zip!Inbox/1.eml", "Dana", "backup/mail/export/Inbox", "", "", mail("i", "x\n")},
	})
}

// nestZips wraps data (named name) in n zip archives: level0.zip holds
// level1.zip ... holds name.
func nestZips(t *testing.T, n int, name string, data []byte) []byte {
	for i := n - 1; i >= 0; i-- {
		data = zipOf(t, member{name: name, data: data})
		name = "level" + strconv.Itoa(i) + ".zip"
	}
	return data
}

func TestWalkDepth(t *testing.T) {
	dir := t.TempDir()
	m := mail("deep", "x\n")
	inner := func(n int) string {
		var b strings.Builder
		for i := 1; i < n; i++ {
			b.WriteString("!level" + strconv.Itoa(i) + ".zip")
		}
		return b.String()
	}
	cases := []struct {
		name  string
		opts  Options
		data  []byte
		want  []got
		probs []string
	}{
		{
			name: "4 zips: default limit",
			data: nestZips(t, 4, "m.eml", []byte(m)),
			want: []got{{"$/level0.zip" + inner(4) + "!m.eml", "level1", "level2/level3", "", "", m}},
		},
		{
			name:  "5 zips: one too many",
			data:  nestZips(t, 5, "m.eml", []byte(m)),
			probs: []string{"failure depth $/level0.zip" + inner(5)},
		},
		{
			name:  "tar.gz counts two",
			opts:  Options{Limits: Limits{MaxArchiveDepth: 1}},
			data:  gz(t, tarOf(t, member{name: "m.eml", data: []byte(m)})),
			probs: []string{"failure depth $/level0.zip"},
		},
		{
			name:  "gzip in gzip",
			opts:  Options{Limits: Limits{MaxArchiveDepth: 1}},
			data:  gz(t, gz(t, []byte(m))),
			probs: []string{"failure depth $/level0.zip"},
		},
		{
			name: "gzip alone within a limit of 1",
			opts: Options{Limits: Limits{MaxArchiveDepth: 1}},
			data: gz(t, []byte(m)),
			want: []got{{"$/level0.zip", "", "", "", "", m}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "level0.zip", tc.data)
			r := walkAll(t, tc.opts, p)
			checkMessages(t, dir, r.msgs, tc.want)
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

func TestWalkBombs(t *testing.T) {
	dir := t.TempDir()
	zeros := make([]byte, 8<<20)
	bomb := []byte(mboxo(mail("bomb", strings.Repeat("x", 8<<20)+"\n")))
	m := []byte(mboxo(mail("kept", "x\n")))
	cases := []struct {
		name   string
		opts   Options
		file   string
		data   []byte
		msgs   int
		probs  []string
		detail string
	}{
		{
			name:   "zip member ratio",
			file:   "bomb.zip",
			data:   zipOf(t, member{name: "a.mbox", data: m}, member{name: "b.mbox", data: bomb}, member{name: "c.mbox", data: m}),
			msgs:   2,
			probs:  []string{"failure bomb $/bomb.zip!b.mbox"},
			detail: "zip member: decompressed/compressed ratio above 200",
		},
		{
			name:   "gzip ratio",
			file:   "bomb.gz",
			data:   gz(t, bomb),
			probs:  []string{"failure bomb $/bomb.gz"},
			detail: "gzip stream: decompressed/compressed ratio above 200",
		},
		{
			name:   "gzip ratio in tar",
			file:   "bomb.tar",
			data:   tarOf(t, member{name: "a.gz", data: gz(t, bomb)}, member{name: "b.mbox", data: m}),
			msgs:   1,
			probs:  []string{"failure bomb $/bomb.tar!a.gz"},
			detail: "gzip stream: decompressed/compressed ratio above 200",
		},
		{
			name:   "a bomb that is not mail is only sniffed",
			file:   "zeros.gz",
			data:   gz(t, zeros),
			probs:  []string{"skipped not_mail $/zeros.gz"},
			detail: "binary data",
		},
		{
			name: "ratio limit raised",
			opts: Options{Limits: Limits{MaxRatio: 1 << 20}},
			file: "bomb.gz",
			data: gz(t, bomb),
			msgs: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.data)
			r := walkAll(t, tc.opts, p)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.msgs) != tc.msgs {
				t.Errorf("got %d messages, want %d", len(r.msgs), tc.msgs)
			}
			checkProblems(t, dir, r.probs, tc.probs)
			if len(r.probs) > 0 && !strings.HasPrefix(r.probs[0].Detail, tc.detail) {
				t.Errorf("detail = %q, want it to start with %q", r.probs[0].Detail, tc.detail)
			}
		})
	}
}

// TestWalkBudgetOverLayers checks that MaxArchiveBytes counts the bytes
// of every decompression layer, and that the messages before the limit are
// kept: the failure is reported at the offset that follows the last one.
func TestWalkBudget(t *testing.T) {
	dir := t.TempDir()
	// Mail text compresses about 3:1: not a bomb, but it counts.
	var text bytes.Buffer
	for i := 0; text.Len() < 600<<10; i++ {
		text.WriteString(mboxo(mail("m"+strconv.Itoa(i), strings.Repeat(strconv.Itoa(i*7919)+" words of text\n", 20))))
	}
	inner := gz(t, text.Bytes())
	total := strings.Count(text.String(), "\nFrom alice") + 1
	cases := []struct {
		name  string
		file  string
		data  []byte
		limit int64
		at    string // location of the failure, without offset
		what  string
		min   int // messages read at least
	}{
		{
			name:  "over members",
			file:  "big.zip",
			data:  zipOf(t, member{name: "a.mbox", data: text.Bytes()}, member{name: "b.mbox", data: text.Bytes()}),
			limit: 1 << 20,
			at:    "$/big.zip!b.mbox",
			what:  "zip member",
			min:   total + 1,
		},
		{
			// The inner stream alone fits; with the tar bytes around it, it does not.
			name:  "over layers",
			file:  "big.tgz",
			data:  gz(t, tarOf(t, member{name: "a.mbox.gz", data: inner})),
			limit: int64(text.Len() + len(inner)/2),
			at:    "$/big.tgz!a.mbox.gz",
			what:  "gzip stream",
			min:   1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.data)
			r := walkAll(t, Options{Limits: Limits{MaxArchiveBytes: tc.limit}}, p)
			if len(r.msgs) < tc.min || len(r.msgs) >= 2*total {
				t.Fatalf("got %d messages, want at least %d and fewer than %d", len(r.msgs), tc.min, 2*total)
			}
			// The failure is reported where the first message not read starts.
			last := r.msgs[len(r.msgs)-1]
			next := last.Copy.Offset + int64(len("From "+last.FromLine+"\n")+len(last.Data)+1)
			checkProblems(t, dir, r.probs, []string{"failure bomb " + tc.at + "@" + strconv.FormatInt(next, 10)})
			if want := tc.what + ": more than " + strconv.FormatInt(tc.limit, 10) + " bytes decompressed from one input (MaxArchiveBytes)"; len(r.probs) > 0 && r.probs[0].Detail != want {
				t.Errorf("detail = %q, want %q", r.probs[0].Detail, want)
			}
			r = walkAll(t, Options{Limits: Limits{MaxArchiveBytes: 2 * int64(text.Len()+len(tc.data))}}, p)
			if n := len(r.msgs); (n != total && n != 2*total) || len(r.probs) != 0 {
				t.Errorf("with a higher limit: %d messages, problems %v; want all, none", len(r.msgs), r.probs)
			}
		})
	}
}

// lastFromBefore returns the offset of the last From_ line of mbox that
// starts before off.
func lastFromBefore(mbox string, off int) int {
	return strings.LastIndex(mbox[:off], "\nFrom alice") + 1
}

func TestWalkTraversal(t *testing.T) {
	m := []byte(mail("t", "x\n"))
	names := []struct{ name, read string }{
		{"../../etc/x", "etc/x"},
		{"/abs/y", "abs/y"},
		{"a/../../b/z", "a/b/z"},
		{"C:\\Windows\\w", "Windows/w"},
		{"..", "unnamed"},
	}
	for _, format := range []string{"zip", "tar"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			var ms []member
			for _, n := range names {
				ms = append(ms, member{name: n.name, data: m})
			}
			data := zipOf(t, ms...)
			if format == "tar" {
				data = tarOf(t, ms...)
			}
			p := writeFile(t, dir, "x."+format, data)
			r := walkAll(t, Options{}, p)
			var wantProbs []string
			var want []got
			order := names
			if format == "zip" { // name order
				order = []struct{ name, read string }{names[4], names[0], names[1], names[3], names[2]}
			}
			for _, n := range order {
				cust, folder := custodianFolder(strings.Split(n.read, "/")[:strings.Count(n.read, "/")], "")
				wantProbs = append(wantProbs, "warning path_traversal $/x."+format+"!"+n.read)
				want = append(want, got{"$/x." + format + "!" + n.read, cust, folder, "", "", string(m)})
			}
			checkMessages(t, dir, r.msgs, want)
			checkProblems(t, dir, r.probs, wantProbs)
			if len(r.probs) > 0 && !strings.Contains(r.probs[0].Detail, "leaves the archive") {
				t.Errorf("detail = %q", r.probs[0].Detail)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("%d entries in %s after the walk, want only the archive: nothing is extracted", len(entries), dir)
			}
		})
	}
}

func TestWalkBrokenArchives(t *testing.T) {
	dir := t.TempDir()
	m := mail("b", "x\n")
	big := []byte(strings.Repeat(mboxo(mail("big", strings.Repeat("some line of text\n", 40))), 2000)) // > smallInput
	mbox := []byte(mboxo(m, m, m))
	tarred := tarOf(t, member{name: "a.eml", data: []byte(m)}, member{name: "b.mbox", data: big})
	zipped := zipOf(t, member{name: "a.eml", data: []byte(m)}, member{name: "b.eml", data: []byte(m)})
	corrupt := bytes.Clone(zipped)
	// Flip a byte of the first member's deflated data: CRC or flate error.
	corrupt[30+len("a.eml")+3] ^= 0xff
	encrypted := zipOf(t, member{name: "a.eml", data: []byte(m)})
	setZipFlag(encrypted, 0x1)
	bz := rawZip(t, "a.eml", 12, []byte("BZh9..."))
	symlinkZip := zipOf(t, member{name: "link", data: []byte("target"), mode: os.ModeSymlink | 0o777}, member{name: "b.eml", data: []byte(m)})
	specialTar := tarOf(t, member{name: "link", kind: tar.TypeSymlink}, member{name: "dev", kind: tar.TypeChar}, member{name: "d/", kind: tar.TypeDir}, member{name: "b.eml", data: []byte(m)})
	gzMbox := gz(t, mbox)
	cut := len(fromLine) + 1 + len(m) + 1 + len(fromLine) + 10 // in the second message
	gzCut := gz(t, mbox)
	cases := []struct {
		name  string
		file  string
		data  []byte
		msgs  int
		probs []string
	}{
		{"truncated zip", "x.zip", zipped[:len(zipped)/2], 0, []string{"failure archive $/x.zip"}},
		{"zip with a corrupt member", "x.zip", corrupt, 1, []string{"failure archive $/x.zip!a.eml"}},
		{"encrypted zip member", "x.zip", encrypted, 0, []string{"failure archive $/x.zip!a.eml"}},
		{"unsupported zip method", "x.zip", bz, 0, []string{"failure archive $/x.zip!a.eml"}},
		{"zip symlink", "x.zip", symlinkZip, 1, []string{"skipped unsupported $/x.zip!link"}},
		{"tar links and devices", "x.tar", specialTar, 1, []string{"skipped unsupported $/x.tar!link", "skipped unsupported $/x.tar!dev"}},
		{"truncated tar header", "x.tar", tarred[:512+512+100], 1, []string{"failure archive $/x.tar"}},
		{"truncated tar member (streamed)", "x.tar", tarred[:len(tarred)/2], 1 + strings.Count(string(tarred[1536:len(tarred)/2]), "\n"+fromLine) - 0, []string{"failure archive $/x.tar!b.mbox@" + strconv.Itoa(lastFromBefore(string(big), len(tarred)/2-1536))}},
		{"truncated tar in a small member", "x.tar", tarOf(t, member{name: "a.mbox", data: mbox})[:512+len(mbox)-10], 2, []string{"failure archive $/x.tar!a.mbox@" + strconv.Itoa(2*(len(fromLine)+2+len(m)))}},
		{"truncated gzip trailer", "x.mbox.gz", gzMbox[:len(gzMbox)-4], 2, []string{"failure archive $/x.mbox.gz@" + strconv.Itoa(2*(len(fromLine)+2+len(m)))}},
		{"truncated gzip in the middle", "x.mbox.gz", gzCutAt(t, mbox, cut), 1, []string{"failure archive $/x.mbox.gz@" + strconv.Itoa(len(fromLine)+1+len(m)+1)}},
		{"gzip header only", "x.gz", gzCut[:10], 0, []string{"failure archive $/x.gz"}},
		{"gzip with trailing garbage", "x.gz", append(bytes.Clone(gzMbox), "garbage"...), 3, []string{"warning archive $/x.gz"}},
		{"gzip padded with zeros", "x.gz", append(bytes.Clone(gzMbox), make([]byte, 512)...), 3, []string{"warning archive $/x.gz"}},
		{"two gzip members", "x.gz", append(gz(t, mbox[:len(mbox)/2]), gz(t, mbox[len(mbox)/2:])...), 3, nil},
		{"gzip member then a truncated one", "x.gz", append(bytes.Clone(gzMbox), gzMbox[:20]...), 2, []string{"failure archive $/x.gz@" + strconv.Itoa(2*(len(fromLine)+2+len(m)))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.data)
			r := walkAll(t, Options{}, p)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.msgs) != tc.msgs {
				t.Errorf("got %d messages, want %d", len(r.msgs), tc.msgs)
			}
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

// gzCutAt returns the gzip compression of data cut so that it
// decompresses to exactly data[:n] before failing.
func gzCutAt(t *testing.T, data []byte, n int) []byte {
	z := gz(t, data[:n])
	return z[:len(z)-8] // no trailer: io.ErrUnexpectedEOF after data[:n]
}

// setZipFlag sets a general purpose flag on every header of a zip archive
// made by zipOf.
func setZipFlag(z []byte, flag uint16) {
	for _, sig := range []string{"PK\x03\x04", "PK\x01\x02"} {
		off := 6
		if sig == "PK\x01\x02" {
			off = 8
		}
		for i := 0; ; {
			j := bytes.Index(z[i:], []byte(sig))
			if j < 0 {
				break
			}
			z[i+j+off] |= byte(flag)
			i += j + 4
		}
	}
}

// rawZip builds a zip with one member stored with any method number.
func rawZip(t *testing.T, name string, method uint16, data []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CompressedSize64: uint64(len(data)), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	zw.Close()
	return buf.Bytes()
}

func TestWalkExtensionsDoNotCount(t *testing.T) {
	dir := t.TempDir()
	m := mail("e", "x\n")
	cases := []struct {
		name  string
		file  string
		data  []byte
		want  []got
		probs []string
	}{
		{"mbox named .zip", "x.zip", []byte(mboxo(m)), []got{{"$/x.zip", "x", "", "", fromArgs, m}}, nil},
		{"zip named .mbox", "x.mbox", zipOf(t, member{name: "u/m", data: []byte(m)}), []got{{"$/x.mbox!u/m", "u", "", "", "", m}}, nil},
		{"gzip named .eml", "x.eml", gz(t, []byte(m)), []got{{"$/x.eml", "", "", "", "", m}}, nil},
		{"text named .eml", "x.eml", []byte("Dear diary,\n"), nil, []string{"skipped not_mail $/x.eml"}},
		{"garbage named .mbox", "x.mbox", []byte{0xde, 0xad, 0xbe, 0xef, 0, 1, 2}, nil, []string{"skipped not_mail $/x.mbox"}},
		{"garbage named .tar.gz", "x.tar.gz", []byte("\x1f\x8bgarbage"), nil, []string{"failure archive $/x.tar.gz"}},
		{"garbage named .pst", "x.pst", []byte("garbage"), nil, []string{"skipped not_mail $/x.pst"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.data)
			r := walkAll(t, Options{}, p)
			checkMessages(t, dir, r.msgs, tc.want)
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

func TestWalkBzip2(t *testing.T) {
	dir := t.TempDir()
	m1, m2 := mail("one", "x\n"), mail("two", "From here\n")
	committed, err := os.ReadFile("testdata/two.mbox.bz2")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"committed fixture", func(*testing.T) []byte { return committed }},
		{"bzip2 command", func(t *testing.T) []byte { return bz2(t, []byte(mboxo(m1, m2))) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "two.mbox.bz2", tc.data(t))
			r := walkAll(t, Options{}, p)
			checkMessages(t, dir, r.msgs, []got{
				{"$/two.mbox.bz2", "two", "", "", fromArgs, m1},
				{"$/two.mbox.bz2@" + strconv.Itoa(len(fromLine)+2+len(m1)), "two", "", "", fromArgs, mail("two", ">From here\n")},
			})
			checkProblems(t, dir, r.probs, nil)
		})
	}
	t.Run("truncated", func(t *testing.T) {
		p := writeFile(t, dir, "cut.bz2", committed[:len(committed)-20])
		r := walkAll(t, Options{}, p)
		if len(r.msgs) != 0 {
			t.Errorf("got %d messages from a truncated bzip2 stream of 2 small messages, want 0", len(r.msgs))
		}
		checkProblems(t, dir, r.probs, []string{"failure archive $/cut.bz2"})
	})
}

// TestWalkGzipOffsets checks that offsets point into the decompressed
// container: the message bytes sit right after the From_ line there.
func TestWalkGzipOffsets(t *testing.T) {
	dir := t.TempDir()
	var msgs []string
	for i := range 50 {
		msgs = append(msgs, mail("m"+strconv.Itoa(i), strings.Repeat("line "+strconv.Itoa(i)+"\n", i*40)))
	}
	plain := mboxo(msgs...)
	for _, name := range []string{"m.mbox", "m.mbox.gz", "m.zip", "m.tgz"} {
		t.Run(name, func(t *testing.T) {
			var data []byte
			switch name {
			case "m.mbox":
				data = []byte(plain)
			case "m.mbox.gz":
				data = gz(t, []byte(plain))
			case "m.zip":
				data = zipOf(t, member{name: "in/m.mbox", data: []byte(plain)})
			case "m.tgz":
				data = gz(t, tarOf(t, member{name: "in/m.mbox", data: []byte(plain)}))
			}
			p := writeFile(t, dir, name, data)
			r := walkAll(t, Options{}, p)
			if len(r.msgs) != len(msgs) {
				t.Fatalf("got %d messages, want %d", len(r.msgs), len(msgs))
			}
			for i, m := range r.msgs {
				off := m.Copy.Offset
				if !strings.HasPrefix(plain[off:], "From "+m.FromLine+"\n"+string(m.Data)) || string(m.Data) != msgs[i] {
					t.Errorf("message %d at offset %d does not match the container", i, off)
				}
			}
		})
	}
}

// TestWalkBufferedZip checks MaxBufferedBytes: a zip inside a stream
// (here a tar member too big to be read at once) is held in memory only up
// to that size.
func TestWalkBufferedZip(t *testing.T) {
	dir := t.TempDir()
	filler := make([]byte, 3<<20) // stored, so that the inner zip is big
	for i := range filler {
		filler[i] = byte('a' + i%26)
	}
	inner := zipOf(t, member{name: "filler.txt", data: filler, store: true}, member{name: "m.eml", data: []byte(mail("z", "x\n"))})
	p := writeFile(t, dir, "x.tar", tarOf(t, member{name: "inner.zip", data: inner}))
	cases := []struct {
		name  string
		max   int64
		msgs  int
		probs []string
	}{
		{"under the limit", 0, 1, []string{"skipped not_mail $/x.tar!inner.zip!filler.txt"}},
		{"over the limit", 2 << 20, 0, []string{"failure too_large $/x.tar!inner.zip"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := walkAll(t, Options{Limits: Limits{MaxBufferedBytes: tc.max}}, p)
			if len(r.msgs) != tc.msgs {
				t.Errorf("got %d messages, want %d", len(r.msgs), tc.msgs)
			}
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

// TestWalkStopsInsideArchives checks that an error from fn stops the walk
// from inside an mbox in a compressed tar, and is returned as it is.
func TestWalkStopsInsideArchives(t *testing.T) {
	dir := t.TempDir()
	m := mail("s", "x\n")
	p := writeFile(t, dir, "x.tgz", gz(t, tarOf(t, member{name: "a.mbox", data: []byte(mboxo(m, m, m))}, member{name: "b.eml", data: []byte(m)})))
	stop := errors.New("stop")
	n := 0
	var probs []leakscope.Problem
	err := New(Options{}).Walk(context.Background(), []string{p}, func(*Message) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	}, func(p leakscope.Problem) { probs = append(probs, p) })
	if err != stop || n != 2 || len(probs) != 0 {
		t.Errorf("Walk = %v after %d messages, problems %v; want %v after 2, none", err, n, probs, stop)
	}
}
