package source

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// fuzzMax is MaxMessageBytes in the fuzz targets: small, so that the
// too-large path is reached.
const fuzzMax = 4 << 10

// mboxSeeds are inputs for FuzzMbox and FuzzWalk.
func mboxSeeds() []string {
	m1 := mail("one", "first body\n")
	m2 := mail("two", "From here on\n>From quoted\n>>From twice\n")
	multi := "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n" + fromLine + "\n--b--\n"
	return []string{
		mboxo(m1, m2),
		mboxrd(m1, m2),
		mboxcl2(m1, m2),
		crlf(mboxo(m1, m2)),
		mmdf(m1, m2),
		crlf(mmdf(m1)),
		mboxo(multi, m1),
		fromLine + "\n" + "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n" + fromLine + "\nx",
		fromLine + "\nSubject: a\nContent-Length: 3\n\nbody\n\n" + fromLine + "\nSubject: b\n\nb\n",
		fromLine + "\nSubject: a\nContent-Length: 99\n\nbody",
		"From a@example.com\nSubject: a\n\nx\nFrom b@example.com\ny\n\nFrom c@example.com\n\n",
		"\xef\xbb\xbf\n" + mboxo(m1),
		"stray text\n\n" + mboxo(m1),
		fromLine + "\n\n" + fromLine + "\n",
		mboxo(mail("big", strings.Repeat("x", fuzzMax)+"\n"), m1),
		"From - \nSubject: a\n\nx\nFrom - \nSubject: b\n\ny\n",
		"\x01\x01\x01\x01\n\x01\x01\x01\x01\nstray\n\x01\x01\x01\x01\r\n",
		"",
		"From ",
		"\n\n\n",
	}
}

func FuzzMbox(f *testing.F) {
	for _, s := range mboxSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkArbitrary(t, in)
		checkJoined(t, in)
	})
}

// checkArbitrary splits arbitrary input in every variant and checks what
// must hold whatever the input.
func checkArbitrary(t *testing.T, in []byte) {
	for _, isMMDF := range []bool{false, true} {
		// A small line buffer reads lines in pieces: it must change
		// nothing about where messages are.
		small := splitSize(in, fuzzMax, escapeNone, isMMDF, 16)
		if small.err != nil {
			t.Fatalf("split(mmdf=%v, buffer 16) = %v", isMMDF, small.err)
		}
		checkLayout(t, in, small, isMMDF)
		plain := split(in, fuzzMax, escapeNone, isMMDF)
		if plain.err != nil {
			t.Fatalf("split(mmdf=%v) = %v", isMMDF, plain.err)
		}
		checkLayout(t, in, plain, isMMDF)
		if isMMDF {
			continue
		}
		// The variant changes the bytes of messages, never where they are.
		rd := split(in, fuzzMax, escapeRD, false)
		per := split(in, fuzzMax, escapePerMessage, false)
		if len(rd.msgs) != len(plain.msgs) || len(per.msgs) != len(plain.msgs) {
			t.Fatalf("%d messages as mboxo, %d as mboxrd, %d per message", len(plain.msgs), len(rd.msgs), len(per.msgs))
		}
		for i, m := range plain.msgs {
			want := string(unescapeRD(bytes.Clone(m.data)))
			if rd.msgs[i].offset != m.offset || string(rd.msgs[i].data) != want {
				t.Fatalf("message %d as mboxrd = @%d %q, want @%d %q", i, rd.msgs[i].offset, rd.msgs[i].data, m.offset, want)
			}
			if p := string(per.msgs[i].data); per.msgs[i].offset != m.offset || (p != want && p != string(m.data)) {
				t.Fatalf("message %d per message = @%d %q, want @%d and either form", i, per.msgs[i].offset, p, m.offset)
			}
		}
	}
}

// checkLayout checks the messages cut from in without unescaping: they
// come in increasing offset order, each message's bytes are in the input
// at its offset (after its From_ line or MMDF separator), they do not
// overlap, and every byte between them is a blank line, a separator, or
// part of something reported at the start of the gap.
func checkLayout(t *testing.T, in []byte, r splitResult, isMMDF bool) {
	t.Helper()
	reported := map[int64]bool{}
	for _, p := range r.probs {
		if p.off < 0 || p.off > int64(len(in)) || p.code == "" {
			t.Fatalf("problem %v outside the input of %d bytes", p, len(in))
		}
		reported[p.off] = true
	}
	pos := int64(0)
	for i, m := range r.msgs {
		if m.offset < pos {
			t.Fatalf("message %d at %d starts before the end of the one before (%d)", i, m.offset, pos)
		}
		if len(m.data) > fuzzMax || len(bytes.TrimSpace(m.data)) == 0 {
			t.Fatalf("message %d at %d has %d bytes (max %d, empty ones are reported)", i, m.offset, len(m.data), fuzzMax)
		}
		start := m.offset
		if line := firstLineOf(in[m.offset:]); isSeparator(line, isMMDF) {
			if !isMMDF && m.fromLine != string(trimEOL(line))[len("From "):] {
				t.Fatalf("message %d: fromLine %q, line at its offset %q", i, m.fromLine, line)
			}
			start += int64(len(line))
		}
		if !bytes.HasPrefix(in[start:], m.data) {
			t.Fatalf("message %d: its bytes are not at %d", i, start)
		}
		checkGap(t, in, pos, m.offset, reported)
		pos = start + int64(len(m.data))
	}
	checkGap(t, in, pos, int64(len(in)), reported)
}

// isSeparator reports whether line (with its line ending) opens a
// message: a From_ line (no longer than fromLineMax: a longer one is
// text), or an MMDF separator.
func isSeparator(line []byte, isMMDF bool) bool {
	if isMMDF {
		return string(trimEOL(line)) == "\x01\x01\x01\x01"
	}
	return bytes.HasPrefix(line, []byte("From ")) && len(trimEOL(line)) <= fromLineMax
}

func firstLineOf(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1]
	}
	return b
}

// checkGap checks that in[from:to], bytes that belong to no message, are
// blank lines, MMDF separators and a leading BOM up to a problem reported
// where the first other line starts (the rest is what it reports on).
func checkGap(t *testing.T, in []byte, from, to int64, reported map[int64]bool) {
	t.Helper()
	pos := from
	if from == 0 && bytes.HasPrefix(in[:to], bom) {
		pos += int64(len(bom))
	}
	for pos < to {
		if reported[pos] {
			return
		}
		line := firstLineOf(in[pos:to])
		if l := string(trimEOL(line)); l != "" && l != "\x01\x01\x01\x01" {
			t.Fatalf("bytes %d-%d belong to no message and nothing was reported at %d: %q", from, to, pos, in[from:to])
		}
		pos += int64(len(line))
	}
}

// checkJoined builds mailboxes of messages made from in with a known
// writer and checks that every message comes back as written.
func checkJoined(t *testing.T, in []byte) {
	var msgs []string
	for i, body := range bytes.SplitN(in, []byte{0}, 20) {
		b := string(body)
		if !strings.HasSuffix(b, "\n") {
			b += "\n"
		}
		msgs = append(msgs, "From: a@example.com\nSubject: "+strconv.Itoa(i)+"\n\n"+b)
	}
	noA := func(s string) string { return strings.ReplaceAll(s, "\x01", "") }
	cases := []struct {
		name   string
		escape int
		mmdf   bool
		join   func(m []string) string
		want   func(m string) string
	}{
		{"mboxo", escapeNone, false, func(m []string) string { return mboxo(m...) }, mboxoEscape},
		{"mboxrd", escapeRD, false, func(m []string) string { return mboxrd(m...) }, func(m string) string { return m }},
		{"mboxrd multipart", escapeRD, false, func(ms []string) string {
			var b strings.Builder
			for _, m := range ms {
				b.WriteString(fromLine + "\n" + rdEscape(multipart(m)) + "\n")
			}
			return b.String()
		}, multipart},
		{"mboxcl2", escapeNone, false, func(m []string) string { return mboxcl2(m...) }, withContentLength},
		{"mboxo CRLF", escapeNone, false, func(ms []string) string {
			var b strings.Builder
			for _, m := range ms {
				b.WriteString(fromLine + "\r\n" + mboxoEscape(m) + "\r\n")
			}
			return b.String()
		}, mboxoEscape},
		{"mboxcl2 CRLF", escapeNone, false, func(ms []string) string {
			var b strings.Builder
			for _, m := range ms {
				b.WriteString(fromLine + "\r\n" + withContentLength(m) + "\r\n")
			}
			return b.String()
		}, withContentLength},
		{"mmdf", escapeNone, true, func(ms []string) string {
			var clean []string
			for _, m := range ms {
				clean = append(clean, noA(m))
			}
			return mmdf(clean...)
		}, noA},
	}
	for _, tc := range cases {
		box := tc.join(msgs)
		// 64 bytes holds every From_ line and header line written here.
		for _, size := range []int{64, bufSize} {
			r := splitSize([]byte(box), DefaultMaxMessageBytes, tc.escape, tc.mmdf, size)
			if r.err != nil || len(r.probs) > 0 || len(r.msgs) != len(msgs) {
				t.Fatalf("%s of %d messages (buffer %d): got %d, problems %v, error %v\ninput %q", tc.name, len(msgs), size, len(r.msgs), r.probs, r.err, box)
			}
			for i, m := range r.msgs {
				if want := tc.want(msgs[i]); string(m.data) != want {
					t.Fatalf("%s message %d (buffer %d) = %q, want %q", tc.name, i, size, m.data, want)
				}
			}
		}
	}
}

// multipart turns m into a multipart message with one part, its body,
// closed by its boundary.
func multipart(m string) string {
	hdr, body, _ := strings.Cut(m, "\n\n")
	return hdr + "\nContent-Type: multipart/mixed; boundary=\"=b\"\n\n--=b\n\n" + body + "\n--=b--\n"
}

// mboxoEscape escapes "From " at the start of lines as an mboxo writer does.
func mboxoEscape(m string) string {
	box := mboxo(m)
	return box[len(fromLine)+1 : len(box)-1]
}

// FuzzWalk reads arbitrary bytes as an input file (sniffed) and as a zip
// archive: the walk never fails or panics, every problem is complete and
// located in the input, every message is within the limits, and a second
// walk gives the same result.
func FuzzWalk(f *testing.F) {
	m := []byte(mail("z", "x\n"))
	f.Add(zipOf(f, member{name: "a/cur/1:2,S", data: m}, member{name: "../x.mbox", data: []byte(mboxo(string(m)))}))
	f.Add(zipOf(f, member{name: "a.zip", data: zipOf(f, member{name: "b.gz", data: gz(f, m)})}))
	f.Add(tarOf(f, member{name: "a/b.eml", data: m}))
	f.Add(gz(f, tarOf(f, member{name: "a/b.eml", data: m})))
	f.Add(gz(f, []byte(mboxo(string(m), string(m)))))
	f.Add([]byte(emlx(string(m))))
	f.Add([]byte("!BDN not really a PST"))
	if b, err := os.ReadFile(filepath.Join("testdata", "two.mbox.bz2")); err == nil {
		f.Add(b)
	}
	for _, s := range mboxSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, asZip := range []bool{false, true} {
			first := fuzzWalk(t, data, asZip)
			if second := fuzzWalk(t, data, asZip); !slices.Equal(first, second) {
				t.Fatalf("two walks differ:\n%q\n%q", first, second)
			}
		}
	})
}

// fuzzWalk reads data as a file (or, asZip, as a zip archive) and returns
// a description of what came out.
func fuzzWalk(t *testing.T, data []byte, asZip bool) []string {
	const src = "/fuzz/input"
	w := New(Options{Readpst: "/nonexistent/readpst", Limits: Limits{MaxMessageBytes: 1 << 20, MaxArchiveBytes: 32 << 20, MaxBufferedBytes: 4 << 20}})
	var out []string
	s := &walk{Walker: w, ctx: context.Background(),
		fn: func(m *Message) error {
			c := m.Copy
			if c.Source != src || c.Offset < 0 || c.Size != int64(len(m.Data)) || len(bytes.TrimSpace(m.Data)) == 0 || c.Size > 1<<20 {
				t.Fatalf("bad message %+v (%d bytes)", c, len(m.Data))
			}
			out = append(out, fmt.Sprintf("%s %s %s %s %d", c.Location(), c.Custodian, c.Folder, c.MaildirFlags, c.Size))
			return nil
		},
		problem: func(p leakscope.Problem) {
			if p.Code == "" || p.Detail == "" || !strings.HasPrefix(p.Location, src) ||
				(p.Severity != leakscope.ProblemFailure && p.Severity != leakscope.ProblemWarning && p.Severity != leakscope.ProblemSkipped) {
				t.Fatalf("bad problem %+v", p)
			}
			out = append(out, p.Severity+" "+p.Code+" "+p.Location)
		},
	}
	it := &item{source: src, comps: []string{"input"}, name: "input", direct: true, budget: &budget{max: w.limits.MaxArchiveBytes}}
	st := &stream{r: bytes.NewReader(data), head: data[:min(len(data), sniffLen)], data: data, size: int64(len(data))}
	var err error
	if asZip {
		err = s.zip(it, st)
	} else {
		err = s.dispatch(it, st)
	}
	if err != nil {
		t.Fatalf("walk = %v", err)
	}
	return out
}
