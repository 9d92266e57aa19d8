package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// emlx wraps a message as Apple Mail stores it: its byte count, the
// message, a property list.
func emlx(m string) string {
	return strconv.Itoa(len(m)) + "       \n" + m + "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>\n"
}

// buildTree writes a leak with one custodian per layout and returns its root.
func buildTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	w := func(name, data string) { writeFile(t, root, name, []byte(data)) }
	// alice: a maildir with Maildir++ folders.
	w("alice/cur/1000.M1.host:2,SR", mail("a1", "x\n"))
	w("alice/new/1001.M2.host", mail("a2", "x\n"))
	w("alice/tmp/1002.M3.host", mail("a3", "being delivered\n"))
	w("alice/.Sent/cur/2000.host:2,S", mail("a4", "x\n"))
	w("alice/.Lists.go/new/3000.host!2,FS", mail("a5", "x\n"))
	w("alice/dovecot-uidlist", "3 V1 N1\n")
	// bob: an MH folder.
	w("bob/inbox/1", mail("b1", "x\n"))
	w("bob/inbox/2", mail("b2", "x\n"))
	w("bob/inbox/.mh_sequences", "unseen: 2\n")
	// carol: the Enron layout user/folder/N.
	w("carol/_sent_mail/1.", mail("c1", "x\n"))
	w("carol/projects/x/2.", mail("c2", "x\n"))
	// dave: an mbox per folder; erin: a compressed one.
	w("dave/Inbox.mbox", mboxo(mail("d1", "x\n"), mail("d2", "x\n")))
	writeFile(t, root, "erin/archive.mbox.gz", gz(t, []byte(mboxo(mail("e1", "x\n")))))
	// frank: Apple Mail.
	w("frank/Mailboxes/INBOX.mbox/Messages/42.emlx", emlx(mail("f1", "x\n")))
	// Files that are or are not mail whatever their names say.
	w("loose/mail.pdf", mail("g1", "x\n"))
	w("loose/notes.eml", "Just notes, no header.\n")
	w("loose/empty.eml", "")
	w("loose/garbage.bin", "\x00\x9f\x92\x96garbage\x01\x02")
	w("loose/blank.eml", "\n\r\n  \n")
	w("loose/data.xz", "\xfd7zXZ\x00\x00\x04")
	if err := os.Symlink(filepath.Join(root, "bob"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestWalkTree(t *testing.T) {
	root := buildTree(t)
	r := walkAll(t, Options{}, root)
	if r.err != nil {
		t.Fatalf("Walk: %v", r.err)
	}
	e1 := len(fromLine) + 1
	want := []got{
		{"$/alice/.Lists.go/new/3000.host!2,FS", "alice", "Lists/go", "FS", "", mail("a5", "x\n")},
		{"$/alice/.Sent/cur/2000.host:2,S", "alice", "Sent", "S", "", mail("a4", "x\n")},
		{"$/alice/cur/1000.M1.host:2,SR", "alice", "", "RS", "", mail("a1", "x\n")},
		{"$/alice/new/1001.M2.host", "alice", "", "", "", mail("a2", "x\n")},
		{"$/bob/inbox/1", "bob", "inbox", "", "", mail("b1", "x\n")},
		{"$/bob/inbox/2", "bob", "inbox", "", "", mail("b2", "x\n")},
		{"$/carol/_sent_mail/1.", "carol", "_sent_mail", "", "", mail("c1", "x\n")},
		{"$/carol/projects/x/2.", "carol", "projects/x", "", "", mail("c2", "x\n")},
		{"$/dave/Inbox.mbox", "dave", "Inbox", "", fromArgs, mail("d1", "x\n")},
		{"$/dave/Inbox.mbox@" + strconv.Itoa(e1+len(mail("d1", "x\n"))+1), "dave", "Inbox", "", fromArgs, mail("d2", "x\n")},
		{"$/erin/archive.mbox.gz", "erin", "archive", "", fromArgs, mail("e1", "x\n")},
		{"$/frank/Mailboxes/INBOX.mbox/Messages/42.emlx@" + strconv.Itoa(len(strconv.Itoa(len(mail("f1", "x\n"))))+8), "frank", "Mailboxes/INBOX.mbox/Messages", "", "", mail("f1", "x\n")},
		{"$/loose/mail.pdf", "loose", "", "", "", mail("g1", "x\n")},
	}
	checkMessages(t, root, r.msgs, want)
	checkProblems(t, root, r.probs, []string{
		"skipped not_mail $/alice/dovecot-uidlist",
		"skipped unsupported $/alice/tmp",
		"skipped not_mail $/bob/inbox/.mh_sequences",
		"skipped unsupported $/link",
		"skipped not_mail $/loose/blank.eml",
		"skipped unsupported $/loose/data.xz",
		"skipped empty $/loose/empty.eml",
		"skipped not_mail $/loose/garbage.bin",
		"skipped not_mail $/loose/notes.eml",
	})
	details := map[string]string{}
	for _, p := range r.probs {
		details[rel(root, p.Location)] = p.Detail
	}
	for loc, want := range map[string]string{
		"$/alice/dovecot-uidlist":   "maildir metadata (dovecot-uidlist)",
		"$/alice/tmp":               "maildir tmp/ directory (messages being delivered) not read: 1 files",
		"$/bob/inbox/.mh_sequences": "MH folder metadata (.mh_sequences)",
		"$/link":                    "symbolic link, not followed",
		"$/loose/garbage.bin":       "binary data",
		"$/loose/notes.eml":         "text without mail headers",
		"$/loose/blank.eml":         "only white space",
		"$/loose/data.xz":           "xz compressed data (decompress it first, e.g. with unxz)",
	} {
		if details[loc] != want {
			t.Errorf("problem detail at %s = %q, want %q", loc, details[loc], want)
		}
	}
}

func TestWalkCustodian(t *testing.T) {
	root := buildTree(t)
	cases := []struct {
		name      string
		opts      Options
		path      string
		custodian []string // of each message
		folder    []string
	}{
		{
			name:      "a maildir given directly is its own custodian",
			path:      filepath.Join(root, "alice"),
			custodian: []string{"alice", "alice", "alice", "alice"},
			folder:    []string{"Lists/go", "Sent", "", ""},
		},
		{
			name:      "a directory given: the first component below it",
			path:      filepath.Join(root, "carol"),
			custodian: []string{"_sent_mail", "projects"},
			folder:    []string{"", "x"},
		},
		{
			name:      "override keeps every component in the folder",
			opts:      Options{Custodian: "Alice Example"},
			path:      filepath.Join(root, "carol"),
			custodian: []string{"Alice Example", "Alice Example"},
			folder:    []string{"_sent_mail", "projects/x"},
		},
		{
			name:      "override on a tree",
			opts:      Options{Custodian: "x"},
			path:      filepath.Join(root, "dave"),
			custodian: []string{"x", "x"},
			folder:    []string{"Inbox", "Inbox"},
		},
		{
			name:      "an mbox given directly is its own custodian",
			path:      filepath.Join(root, "dave", "Inbox.mbox"),
			custodian: []string{"Inbox", "Inbox"},
			folder:    []string{"", ""},
		},
		{
			name:      "a message given directly has none",
			path:      filepath.Join(root, "bob", "inbox", "1"),
			custodian: []string{""},
			folder:    []string{""},
		},
		{
			name:      "override on a message given directly",
			opts:      Options{Custodian: "bob"},
			path:      filepath.Join(root, "bob", "inbox", "1"),
			custodian: []string{"bob"},
			folder:    []string{""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := walkAll(t, tc.opts, tc.path)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.msgs) != len(tc.custodian) {
				t.Fatalf("got %d messages, want %d", len(r.msgs), len(tc.custodian))
			}
			for i, m := range r.msgs {
				if m.Copy.Custodian != tc.custodian[i] || m.Copy.Folder != tc.folder[i] {
					t.Errorf("%s: custodian, folder = %q, %q; want %q, %q", rel(root, m.Copy.Location()), m.Copy.Custodian, m.Copy.Folder, tc.custodian[i], tc.folder[i])
				}
			}
		})
	}
}

func TestCustodianFolder(t *testing.T) {
	cases := []struct {
		comps             []string
		override          string
		custodian, folder string
	}{
		{nil, "", "", ""},
		{[]string{"alice"}, "", "alice", ""},
		{[]string{"alice", "inbox", "2024"}, "", "alice", "inbox/2024"},
		{[]string{"alice", "alice", "", "inbox", "inbox"}, "", "alice", "inbox"},
		{[]string{"alice", "inbox"}, "Alice", "Alice", "alice/inbox"},
		{nil, "Alice", "Alice", ""},
	}
	for _, tc := range cases {
		c, f := custodianFolder(tc.comps, tc.override)
		if c != tc.custodian || f != tc.folder {
			t.Errorf("custodianFolder(%q, %q) = %q, %q; want %q, %q", tc.comps, tc.override, c, f, tc.custodian, tc.folder)
		}
	}
}

func TestFlagsFromName(t *testing.T) {
	cases := []struct{ name, want string }{
		{"1000.M1.host:2,SR", "RS"},
		{"1000.M1.host:2,", ""},
		{"1000.M1.host", ""},
		{"1000.host!2,FS", "FS"},
		{"1000.host:2,Sabc", "S"},  // Dovecot keywords dropped
		{"1000.host:2,SSRR", "RS"}, // repeats dropped
		{"1000.host:2,DFPRST", "DFPRST"},
		{"1000.host:1,S", ""},   // experimental info: no flags
		{"1000.host:2,S-x", ""}, // not an info part
		{"mail:2,T.eml", ""},
	}
	for _, tc := range cases {
		if got := flagsFromName(tc.name); got != tc.want {
			t.Errorf("flagsFromName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestStripExtensions(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Inbox.mbox", "Inbox"},
		{"archive.mbox.gz", "archive"},
		{"x.TAR.GZ", "x"},
		{"x.tgz", "x"},
		{"backup.zip", "backup"},
		{"outlook.pst", "outlook"},
		{".mbox", ".mbox"},
		{"Sent Items", "Sent Items"},
		{"notes.txt", "notes"},
		{"1.", "1."},
	}
	for _, tc := range cases {
		if got := stripExtensions(tc.in); got != tc.want {
			t.Errorf("stripExtensions(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWalkEmlx(t *testing.T) {
	dir := t.TempDir()
	m := mail("f1", "x\n")
	cases := []struct {
		name  string
		data  string
		want  []got
		probs []string
	}{
		{"emlx", emlx(m), []got{{"$/x.emlx@" + strconv.Itoa(len(strconv.Itoa(len(m)))+8), "x.emlx", "", "", "", m}}, nil},
		{"CRLF count line", strconv.Itoa(len(crlf(m))) + "\r\n" + crlf(m) + "<plist/>", []got{{"$/x.emlx@" + strconv.Itoa(len(strconv.Itoa(len(crlf(m))))+2), "x.emlx", "", "", "", crlf(m)}}, nil},
		{"truncated", strconv.Itoa(len(m)+100) + "\n" + m, []got{{"$/x.emlx@4", "x.emlx", "", "", "", m}}, []string{"warning archive $/x.emlx@4"}},
		{"too large", "99999999999\n" + m, nil, []string{"failure too_large $/x.emlx"}},
		{"empty message", "0\nFrom: a@example.com\n", nil, []string{"skipped empty $/x.emlx"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "x.emlx", []byte(tc.data))
			r := walkAll(t, Options{Limits: Limits{MaxMessageBytes: 1 << 20}}, p)
			for i := range tc.want {
				tc.want[i].Custodian = "" // a message given directly has no custodian
			}
			checkMessages(t, dir, r.msgs, tc.want)
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

func TestWalkSingle(t *testing.T) {
	dir := t.TempDir()
	m := mail("s", "body\n")
	cases := []struct {
		name  string
		data  string
		max   int64
		want  []got
		probs []string
	}{
		{"message", m, 0, []got{{"$/m", "", "", "", "", m}}, nil},
		{"BOM and blank lines", "\xef\xbb\xbf\r\n\n" + crlf(m), 0, []got{{"$/m@6", "", "", "", "", crlf(m)}}, nil},
		{"mbox of one message", mboxo(m), 0, []got{{"$/m", "m", "", "", fromArgs, m}}, nil},
		{"too large", m, 10, nil, []string{"failure too_large $/m"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "m", []byte(tc.data))
			r := walkAll(t, Options{Limits: Limits{MaxMessageBytes: tc.max}}, p)
			checkMessages(t, dir, r.msgs, tc.want)
			checkProblems(t, dir, r.probs, tc.probs)
		})
	}
}

func TestWalkMissingPath(t *testing.T) {
	dir := t.TempDir()
	r := walkAll(t, Options{}, filepath.Join(dir, "nope"), filepath.Join(dir, "also-nope"))
	if r.err != nil {
		t.Fatalf("Walk = %v, want nil (problems are reported)", r.err)
	}
	checkProblems(t, dir, r.probs, []string{"failure read $/nope", "failure read $/also-nope"})
}

func TestWalkUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions are not enforced")
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "a/m", []byte(mail("s", "x\n")))
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	r := walkAll(t, Options{}, dir)
	checkProblems(t, dir, r.probs, []string{"failure read $/a/m"})
}

func TestWalkStops(t *testing.T) {
	root := buildTree(t)
	stop := errors.New("enough")
	n := 0
	err := New(Options{}).Walk(context.Background(), []string{root}, func(*Message) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	}, nil)
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Walk with fn failing at message 3 = %v after %d messages, want %v after 3", err, n, stop)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = New(Options{}).Walk(ctx, []string{root}, func(*Message) error {
		n++
		if n == 2 {
			cancel()
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("Walk cancelled at message 2 = %v after %d messages, want context.Canceled after 2", err, n)
	}
}

func TestSizeMatchesOnRead(t *testing.T) {
	root := buildTree(t)
	writeFile(t, root, "zz/x.zip", zipOf(t, member{name: "a/m", data: []byte(mail("z", "x\n"))}))
	writeFile(t, root, "zz/big.mbox", []byte(strings.Repeat(mboxo(mail("big", strings.Repeat("line\n", 1000))), 300))) // > smallInput: streamed
	size := Size([]string{root})
	var read int64
	r := walkAll(t, Options{OnRead: func(n int64) { read += n }}, root)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if read != size {
		t.Errorf("OnRead added up to %d, Size = %d", read, size)
	}
	var want int64
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if fi.Mode().IsRegular() && !strings.Contains(rel(root, p), "/tmp/") {
			want += fi.Size()
		}
		return nil
	})
	if size != want {
		t.Errorf("Size = %d, want %d (regular files outside maildir tmp/)", size, want)
	}
	if n := Size([]string{filepath.Join(root, "nope"), root}); n != size {
		t.Errorf("Size of a missing path and the tree = %d, want the tree's %d", n, size)
	}
}

func TestWalkSpecialFile(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	r := walkAll(t, Options{}, "/dev/null")
	checkProblems(t, "", r.probs, []string{leakscope.ProblemSkipped + " unsupported /dev/null"})
}
