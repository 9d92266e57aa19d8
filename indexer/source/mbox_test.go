package source

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// wantMsg is one message the splitter should produce.
type wantMsg struct {
	off  int64
	from string
	data string
}

const fromArgs = "alice@example.com Mon Jan  1 00:00:00 2001" // fromLine without "From "

func TestSplitter(t *testing.T) {
	m1 := mail("one", "first body\n") // 69 bytes
	m2 := mail("two", "From here on, mboxo escapes.\n>From quoted stays.\n")
	m2o := mail("two", ">From here on, mboxo escapes.\n>From quoted stays.\n") // m2 as an mboxo writer stores it
	m3 := mail("three", "From alice@example.com Tue Jan  2 00:00:00 2001\nFrom: looks like a header\n\nFrom - \n")
	rd := mail("rd", "From a\n>From b\n>>From c\nx>From d\n")
	multi := "From: alice@example.com\nSubject: multi\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n" +
		"--b1\nContent-Type: text/plain\n\nattached mbox:\n\n" + fromLine + "\nFrom: x@example.com\n\ninner\n\n--b1--\n"
	open := "From: alice@example.com\nSubject: open\nContent-Type: multipart/mixed; boundary=\"b2\"\n\n--b2\n\nnever closed\n"
	n1 := int64(len(fromLine) + 1 + len(m1) + 1) // 118
	cl := func(m string) int64 { return int64(len(fromLine) + 1 + len(withContentLength(m)) + 1) }
	long := strings.Repeat("X", 64) + strings.Repeat("From alice@example.com Mon Jan  1 00:00:00 2001                  ", 3*bufSize/64) // 64-byte units: every line piece starts "From "
	mlong := mail("long", long+"\nend\n")

	cases := []struct {
		name   string
		in     string
		escape int
		mmdf   bool
		max    int64
		want   []wantMsg
		probs  []string
	}{
		{
			name: "mboxo keeps >From lines",
			in:   mboxo(m1, m2, m1),
			want: []wantMsg{{0, fromArgs, m1}, {n1, fromArgs, m2o}, {n1 + int64(len(fromLine)+1+len(m2o)+1), fromArgs, m1}},
		},
		{
			name:   "mboxrd unescapes one level",
			in:     mboxrd(m1, rd),
			escape: escapeRD,
			want:   []wantMsg{{0, fromArgs, m1}, {n1, fromArgs, rd}},
		},
		{
			name:   "per message: only a message with >>From is mboxrd",
			in:     mboxrd(rd) + mboxo(m2),
			escape: escapePerMessage,
			want:   []wantMsg{{0, fromArgs, rd}, {int64(len(fromLine) + 1 + len(rdEscape(rd)) + 1), fromArgs, m2o}},
		},
		{
			name: "mboxcl2 Content-Length protects From lines in the body",
			in:   mboxcl2(m3, m1),
			want: []wantMsg{{0, fromArgs, withContentLength(m3)}, {cl(m3), fromArgs, withContentLength(m1)}},
		},
		{
			name: "mboxcl: Content-Length and escaped >From kept",
			in:   fromLine + "\n" + withContentLength(m2o) + "\n" + fromLine + "\n" + withContentLength(m1) + "\n",
			want: []wantMsg{{0, fromArgs, withContentLength(m2o)}, {cl(m2o), fromArgs, withContentLength(m1)}},
		},
		{
			name:  "Content-Length that does not fit: split at From_ lines",
			in:    fromLine + "\nSubject: a\nContent-Length: 3\n\nbody\n\n" + fromLine + "\nSubject: b\n\nb\n",
			want:  []wantMsg{{0, fromArgs, "Subject: a\nContent-Length: 3\n\nbody\n"}, {84, fromArgs, "Subject: b\n\nb\n"}},
			probs: []string{"warning mbox @0"},
		},
		{
			name:  "Content-Length past the end",
			in:    fromLine + "\nSubject: a\nContent-Length: 300\n\nbody\n",
			want:  []wantMsg{{0, fromArgs, "Subject: a\nContent-Length: 300\n\nbody\n"}},
			probs: []string{"warning mbox @0"},
		},
		{
			name:  "Content-Length 0 then a From line",
			in:    fromLine + "\nSubject: a\nContent-Length: 0\n\n\n" + fromLine + "\nSubject: b\n\n",
			want:  []wantMsg{{0, fromArgs, "Subject: a\nContent-Length: 0\n\n"}, {79, fromArgs, "Subject: b\n"}},
			probs: nil,
		},
		{
			name: "MMDF: From lines never separate",
			in:   mmdf(m3, m1),
			mmdf: true,
			want: []wantMsg{{0, "", m3}, {int64(10 + len(m3)), "", m1}},
		},
		{
			name: "CRLF mboxo",
			in:   crlf(mboxo(m1, m2)),
			want: []wantMsg{{0, fromArgs, crlf(m1)}, {n1 + int64(strings.Count(mboxo(m1), "\n")), fromArgs, crlf(m2o)}},
		},
		{
			name: "CRLF mboxcl2",
			in:   fromLine + "\r\n" + withContentLength(crlf(m3)) + "\r\n" + fromLine + "\r\n" + withContentLength(crlf(m1)) + "\r\n",
			want: []wantMsg{{0, fromArgs, withContentLength(crlf(m3))}, {int64(len(fromLine) + 4 + len(withContentLength(crlf(m3)))), fromArgs, withContentLength(crlf(m1))}},
		},
		{
			name: "CRLF MMDF",
			in:   crlf(mmdf(m1, m3)),
			mmdf: true,
			want: []wantMsg{{0, "", crlf(m1)}, {int64(12 + len(crlf(m1))), "", crlf(m3)}},
		},
		{
			name: "weak From_ line separates only after a blank line",
			in:   "From a@example.com\nSubject: a\n\nx\nFrom b@example.com\ny\n\nFrom time to time\n\nFrom c@example.com\nSubject: c\n\nz\n",
			want: []wantMsg{
				{0, "a@example.com", "Subject: a\n\nx\nFrom b@example.com\ny\n\nFrom time to time\n"},
				{74, "c@example.com", "Subject: c\n\nz\n"},
			},
		},
		{
			name: "Netscape From - lines are strong",
			in:   "From - \nSubject: a\n\nx\nFrom - \nSubject: b\n\ny\n",
			want: []wantMsg{{0, "- ", "Subject: a\n\nx\n"}, {22, "- ", "Subject: b\n\ny\n"}},
		},
		{
			name: "From_ line inside a multipart before its closing boundary",
			in:   fromLine + "\n" + multi + "\n" + fromLine + "\n" + m1,
			want: []wantMsg{{0, fromArgs, multi}, {int64(len(fromLine) + 2 + len(multi)), fromArgs, m1}},
		},
		{
			name: "multipart never closed: the From_ line separates",
			in:   fromLine + "\n" + open + "\n" + fromLine + "\n" + m1,
			want: []wantMsg{{0, fromArgs, open}, {int64(len(fromLine) + 2 + len(open)), fromArgs, m1}},
		},
		{
			name:  "unclosed multipart at the end without newline, then a Content-Length past the end",
			in:    fromLine + "\n" + open + "\n" + fromLine + "\nSubject: x\nContent-Length: 99\n\nend",
			want:  []wantMsg{{0, fromArgs, open}, {int64(len(fromLine) + 2 + len(open)), fromArgs, "Subject: x\nContent-Length: 99\n\nend"}},
			probs: []string{"warning mbox @" + strconv.Itoa(len(fromLine)+2+len(open))},
		},
		{
			name:  "text before the first From_ line",
			in:    "Subject: stray\n\nstray text\n\n" + mboxo(m1),
			want:  []wantMsg{{0, "", "Subject: stray\n\nstray text\n"}, {28, fromArgs, m1}},
			probs: []string{"warning mbox @0"},
		},
		{
			name:  "message too large",
			in:    mboxo(m1, m2, m1),
			max:   int64(len(m1)) + 1,
			want:  []wantMsg{{0, fromArgs, m1}, {n1 + int64(len(fromLine)+1+len(m2o)+1), fromArgs, m1}},
			probs: []string{"failure too_large @118"},
		},
		{
			name:  "empty message",
			in:    fromLine + "\n\n" + mboxo(m1),
			want:  []wantMsg{{49, fromArgs, m1}},
			probs: []string{"skipped empty @0"},
		},
		{
			name: "BOM and leading blank lines",
			in:   "\xef\xbb\xbf\n\r\n" + mboxo(m1),
			want: []wantMsg{{6, fromArgs, m1}},
		},
		{
			name:  "malformed first From_ line",
			in:    "From \nSubject: a\n\nx\n",
			want:  []wantMsg{{0, "", "Subject: a\n\nx\n"}},
			probs: []string{"warning mbox @0"},
		},
		{
			name: "no final newline",
			in:   fromLine + "\nSubject: a\n\nx",
			want: []wantMsg{{0, fromArgs, "Subject: a\n\nx"}},
		},
		{
			name: "a From_ line longer than 1 KiB is content",
			in:   mboxo(m1) + "From " + strings.Repeat("a", 1100) + "@example.com Mon Jan  1 00:00:00 2001\nx\n",
			want: []wantMsg{{0, fromArgs, m1 + "\nFrom " + strings.Repeat("a", 1100) + "@example.com Mon Jan  1 00:00:00 2001\nx\n"}},
		},
		{
			name: "From at the start of pieces of a long line",
			in:   mboxo(mlong, m1),
			want: []wantMsg{{0, fromArgs, mlong}, {int64(len(fromLine) + 2 + len(mlong)), fromArgs, m1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			max := tc.max
			if max == 0 {
				max = DefaultMaxMessageBytes
			}
			r := split([]byte(tc.in), max, tc.escape, tc.mmdf)
			if r.err != nil {
				t.Fatalf("split: %v", r.err)
			}
			checkSplit(t, r, tc.want, tc.probs)
		})
	}
}

func checkSplit(t *testing.T, r splitResult, want []wantMsg, probs []string) {
	t.Helper()
	var gotProbs []string
	for _, p := range r.probs {
		gotProbs = append(gotProbs, p.String())
	}
	if !slices.Equal(gotProbs, probs) {
		t.Errorf("problems = %q, want %q", gotProbs, probs)
	}
	if len(r.msgs) != len(want) {
		for _, m := range r.msgs {
			t.Logf("got @%d %q", m.offset, short(string(m.data)))
		}
		t.Fatalf("got %d messages, want %d", len(r.msgs), len(want))
	}
	for i, m := range r.msgs {
		w := want[i]
		if m.offset != w.off || m.fromLine != w.from || string(m.data) != w.data {
			t.Errorf("message %d = @%d from %q data %q\nwant @%d from %q data %q", i, m.offset, m.fromLine, short(string(m.data)), w.off, w.from, short(w.data))
		}
	}
}

// short shortens s for messages.
func short(s string) string {
	if len(s) > 300 {
		return s[:150] + "..." + s[len(s)-150:]
	}
	return s
}

func TestUnescapeRD(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"nothing", "a\nb\n", "a\nb\n"},
		{"one level", ">From a\n", "From a\n"},
		{"two levels", ">>From a\n>>>From b\n", ">From a\n>>From b\n"},
		{"not at line start", "x>From a\n", "x>From a\n"},
		{"no space", ">Fromage\n", ">Fromage\n"},
		{"CRLF", ">From a\r\n>>From b\r\n", "From a\r\n>From b\r\n"},
		{"last line without newline", "x\n>From a", "x\nFrom a"},
	}
	for _, tc := range cases {
		if got := string(unescapeRD([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: unescapeRD(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestVariantOf(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want int
	}{
		{"mboxo", mboxo(mail("a", "From x\n>From y\n")), escapeNone},
		{"mboxrd", mboxrd(mail("a", ">From y\n")), escapeRD},
		{">>From inside a line", mboxo(mail("a", "a >>From y\n")), escapeNone},
		{">>From after a long line", mboxo(mail("a", strings.Repeat("x", 2*bufSize)+">>From y\n")), escapeNone},
		{"empty", "", escapeNone},
	}
	for _, tc := range cases {
		if got := variantOf(strings.NewReader(tc.in)); got != tc.want {
			t.Errorf("%s: variantOf = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestFromLineKind(t *testing.T) {
	cases := []struct {
		line string
		want int
	}{
		{"From alice@example.com Mon Jan  1 00:00:00 2001", fromStrong},
		{"From MAILER-DAEMON Mon Jan  1 00:00:00 2001", fromStrong},
		{"From - Sun Jul 21 17:02:55 1996", fromStrong},
		{"From -", fromStrong},
		{"From - ", fromStrong},
		{"From mboxrd@git Thu Jan  1 00:00:00 1970", fromStrong},
		{"From alice Sun, 21 Jul 1996 17:02:55 -0800", fromStrong},
		{"From 1844347792267117879@xxx Mon Jan 01 10:00:00 +0000 2001", fromStrong},
		{"From 1844347792267117879@xxx", fromWeak},
		{"From MAILER-DAEMON", fromWeak},
		{"From - extra", fromWeak},
		{"From time to time", fromNone},
		{"From Monday on", fromNone},
		{"From  ", fromNone},
		{"From: alice", fromNone},
		{"From the meeting at 10:30", fromNone},
	}
	for _, tc := range cases {
		if got := fromLineKind([]byte(tc.line)); got != tc.want {
			t.Errorf("fromLineKind(%q) = %d, want %d", tc.line, got, tc.want)
		}
	}
}

func TestLineReaderUnread(t *testing.T) {
	lr := newLineReader(strings.NewReader("ab\ncd\nef"), 16)
	var lines []string
	for {
		chunk, complete, err := lr.next()
		if err != nil {
			break
		}
		if !complete {
			t.Fatalf("next() = %q, incomplete", chunk)
		}
		lines = append(lines, string(chunk))
		if len(lines) == 3 {
			lr.unread([]byte("cd\nef"))
			if lr.off != 3 {
				t.Fatalf("off after unread = %d, want 3", lr.off)
			}
			b, err := lr.readN(nil, 10)
			if string(b) != "cd\nef" || err == nil || !bytes.Equal(lr.peek(4), nil) {
				t.Fatalf("readN after unread at EOF = %q, %v; want \"cd\\nef\", io.ErrUnexpectedEOF", b, err)
			}
		}
	}
	if want := []string{"ab\n", "cd\n", "ef"}; !slices.Equal(lines, want) {
		t.Errorf("lines = %q, want %q", lines, want)
	}
}
