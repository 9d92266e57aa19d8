package source

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// genMbox writes an mboxo mailbox of about size bytes to w: messages of
// varied sizes (a few hundred bytes to ~20 KB), some with escaped >From
// lines and multipart bodies, like a real mailbox. It returns the number
// of messages.
func genMbox(w io.Writer, size int64) int {
	bw := bufio.NewWriterSize(w, 1<<20)
	defer bw.Flush()
	para := "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n" +
		"incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\n"
	var written int64
	n := 0
	for written < size {
		var b strings.Builder
		b.WriteString("From sender" + strconv.Itoa(n%97) + "@example.com Mon Jan  1 00:00:00 2001\n")
		b.WriteString("Message-ID: <" + strconv.Itoa(n) + "@example.com>\nFrom: sender@example.com\nTo: r@example.org\nSubject: message " + strconv.Itoa(n) + "\n")
		if n%5 == 0 {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"b" + strconv.Itoa(n) + "\"\n\n--b" + strconv.Itoa(n) + "\nContent-Type: text/plain\n\n")
		} else {
			b.WriteString("\n")
		}
		for i := range 2 + (n*7919)%250 {
			b.WriteString(para)
			if i%40 == 39 {
				b.WriteString(">From the archives\n")
			}
		}
		if n%5 == 0 {
			b.WriteString("--b" + strconv.Itoa(n) + "--\n")
		}
		b.WriteString("\n")
		m, _ := bw.WriteString(b.String())
		written += int64(m)
		n++
	}
	return n
}

func BenchmarkSplit(b *testing.B) {
	var buf bytes.Buffer
	n := genMbox(&buf, 32<<20)
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		got := 0
		sp := newSplitter(bytes.NewReader(in), DefaultMaxMessageBytes, escapePerMessage, false)
		sp.emit = func(mboxMessage) error { got++; return nil }
		sp.report = func(int64, string, string, string) {}
		if err := sp.run(); err != nil || got != n {
			b.Fatalf("split: %d messages, %v; want %d", got, err, n)
		}
	}
}

// BenchmarkSplitUnclosedMultiparts splits a mailbox whose multipart
// messages never close: every From_ line makes the splitter look ahead.
func BenchmarkSplitUnclosedMultiparts(b *testing.B) {
	open := "From: a@example.com\nSubject: open\nContent-Type: multipart/mixed; boundary=\"b2\"\n\n--b2\n\n" + strings.Repeat("never closed\n", 70)
	var ms []string
	for range 8000 {
		ms = append(ms, open)
	}
	in := []byte(mboxo(ms...))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := split(in, DefaultMaxMessageBytes, escapeNone, false)
		if len(r.msgs) != len(ms) {
			b.Fatalf("%d messages, want %d", len(r.msgs), len(ms))
		}
	}
}

// BenchmarkWalkMbox walks an mbox file on disk: variant detection, the
// split, and a Message for each.
func BenchmarkWalkMbox(b *testing.B) {
	p := filepath.Join(b.TempDir(), "big.mbox")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	n := genMbox(f, 32<<20)
	fi, _ := f.Stat()
	f.Close()
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	w := New(Options{})
	for b.Loop() {
		got := 0
		err := w.Walk(context.Background(), []string{p}, func(*Message) error { got++; return nil }, nil)
		if err != nil || got != n {
			b.Fatalf("walk: %d messages, %v; want %d", got, err, n)
		}
	}
}

// TestWalkMemoryBounded walks a ~200 MB mbox and checks that the heap
// stays far below the file size: messages are streamed, one at a time.
func TestWalkMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 200 MB file")
	}
	p := filepath.Join(t.TempDir(), "big.mbox")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	n := genMbox(f, 200<<20)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	got := 0
	err = New(Options{}).Walk(context.Background(), []string{p}, func(m *Message) error {
		got++
		if got%512 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	}, func(p leakscope.Problem) { t.Errorf("problem %+v", p) })
	if err != nil || got != n {
		t.Fatalf("walk: %d messages, %v; want %d", got, err, n)
	}
	runtime.ReadMemStats(&ms)
	t.Logf("%d messages; heap %.1f MB before, peak %.1f MB; %.1f MB allocated in all", n, mb(base), mb(peak), mb(ms.TotalAlloc))
	if peak-base > 32<<20 {
		t.Errorf("peak heap grew by %.1f MB walking a 200 MB mbox, want < 32 MB", mb(peak-base))
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
