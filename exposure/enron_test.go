package exposure

import (
	"context"
	"io"
	"io/fs"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// enronDir returns the Enron maildir of the shared corpus, skipping the
// test when it is absent (failing when LEAKSCOPE_REQUIRE_CORPUS=1).
func enronDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "enron", "maildir")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			t.Fatalf("Enron corpus not found at %s: %v", dir, err)
		}
		t.Skipf("Enron corpus not found at %s; set LEAKSCOPE_REQUIRE_CORPUS=1 to require it", dir)
	}
	return dir
}

// enronMsg is one Enron file read with net/mail, as the indexer would
// give it (single-part bodies; quoted-printable decoded).
type enronMsg struct {
	custodian string
	msg       *leakscope.Message
	text      *leakscope.Text
	// oracle identifies a message independently of the Matcher: sender,
	// Date, Subject and To headers as written (To because a mail merge
	// sends personalised messages with the same sender, date and subject).
	oracle string
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(_ string, r io.Reader) (io.Reader, error) { return r, nil }}

func readEnronFile(root, path string) (*enronMsg, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		return nil, err
	}
	var body io.Reader = m.Body
	if strings.EqualFold(strings.TrimSpace(m.Header.Get("Content-Transfer-Encoding")), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	rel, _ := filepath.Rel(root, path)
	rel = filepath.ToSlash(rel)
	msg := &leakscope.Message{ID: rel, MessageID: leakscope.NormalizeMessageID(m.Header.Get("Message-Id")),
		DateRaw: m.Header.Get("Date")}
	if d, err := mail.ParseDate(msg.DateRaw); err == nil {
		msg.Date = d.UTC()
	}
	subject, err := wordDecoder.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		subject = m.Header.Get("Subject")
	}
	msg.Subject = subject
	from := m.Header.Get("From")
	if a, err := mail.ParseAddress(from); err == nil {
		msg.From = leakscope.Address{Raw: from, Name: a.Name, Email: strings.ToLower(a.Address)}
	} else {
		msg.From = leakscope.Address{Raw: from}
	}
	msg.To = enronAddresses(m.Header.Get("To"))
	msg.Cc = enronAddresses(m.Header.Get("Cc"))
	return &enronMsg{
		custodian: strings.SplitN(rel, "/", 2)[0],
		msg:       msg,
		text:      &leakscope.Text{Body: strings.ReplaceAll(string(b), "\r\n", "\n")},
		oracle: strings.ToLower(from) + "\x00" + msg.DateRaw + "\x00" + m.Header.Get("Subject") + "\x00" +
			strings.Join(strings.Fields(strings.ToLower(m.Header.Get("To"))), " "),
	}, nil
}

// enronAddresses reads an address list leniently: what net/mail rejects
// is read address by address, and kept as written when even that fails.
func enronAddresses(h string) []leakscope.Address {
	if strings.TrimSpace(h) == "" {
		return nil
	}
	if list, err := mail.ParseAddressList(h); err == nil {
		out := make([]leakscope.Address, len(list))
		for i, a := range list {
			out[i] = leakscope.Address{Raw: a.String(), Name: a.Name, Email: strings.ToLower(a.Address)}
		}
		return out
	}
	var out []leakscope.Address
	for _, part := range strings.Split(h, ",") {
		if a, err := mail.ParseAddress(part); err == nil {
			out = append(out, leakscope.Address{Raw: part, Name: a.Name, Email: strings.ToLower(a.Address)})
		} else if p := strings.TrimSpace(part); p != "" {
			out = append(out, leakscope.Address{Raw: p})
		}
	}
	return out
}

// TestEnronCrossMailbox treats one custodian's folders as the archive
// (griffith-j, or LEAKSCOPE_ENRON_ARCHIVE) and the other twelve as the
// leak. The same mail filed in the sender's and the recipients' folders
// has a different Message-ID in each copy, so it must be found by
// content. The oracle is independent of the Matcher: same From, Date and
// Subject headers as written. The test reports how many archive messages
// have such a copy, how many the Matcher found, and checks a sample of
// what it found beyond the oracle.
func TestEnronCrossMailbox(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 34,000 files")
	}
	root := enronDir(t)
	archiveOf := os.Getenv("LEAKSCOPE_ENRON_ARCHIVE")
	if archiveOf == "" {
		archiveOf = "griffith-j"
	}
	var archive, leak []*enronMsg
	unreadable := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		em, err := readEnronFile(root, p)
		if err != nil {
			unreadable++
			return nil
		}
		if em.custodian == archiveOf {
			em.msg.Collection = leakscope.CollectionReference
			archive = append(archive, em)
		} else {
			em.msg.Collection = leakscope.CollectionLeak
			leak = append(leak, em)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(archive) == 0 {
		t.Fatalf("no messages for custodian %q", archiveOf)
	}
	m := NewMatcher(Options{})
	byOracle := map[string][]string{}
	byID := map[string]*enronMsg{}
	for _, em := range leak {
		if err := m.AddLeaked(em.msg, em.text); err != nil {
			t.Fatal(err)
		}
		byOracle[em.oracle] = append(byOracle[em.oracle], em.msg.ID)
		byID[em.msg.ID] = em
	}
	ctx := context.Background()
	kinds := map[Kind]int{}
	var expected, found, extra, foundCopies int
	var extras, sample [][2]*enronMsg
	for _, em := range archive {
		got, err := m.Match(ctx, em.msg, em.text)
		if err != nil {
			t.Fatal(err)
		}
		kinds[got.Kind]++
		want := byOracle[em.oracle]
		var copies []string
		for _, h := range got.Leaked {
			if h.Kind == KindExact || h.Kind == KindReexport {
				copies = append(copies, h.ID)
			}
		}
		foundCopies += len(copies)
		if len(want) > 0 {
			expected++
			for _, id := range copies {
				if slices.Contains(want, id) {
					found++
					if len(sample) < 5 {
						sample = append(sample, [2]*enronMsg{em, byID[id]})
					}
					break
				}
			}
		}
		for _, id := range copies {
			if !slices.Contains(want, id) {
				extra++
				extras = append(extras, [2]*enronMsg{em, byID[id]})
			}
		}
	}
	t.Logf("archive %s: %d messages; leak: %d messages from 12 custodians; %d files unreadable",
		archiveOf, len(archive), len(leak), unreadable)
	t.Logf("verdicts: exact %d, reexport %d, quoted %d, none %d",
		kinds[KindExact], kinds[KindReexport], kinds[KindQuoted], kinds[KindNone])
	t.Logf("archive messages with a cross-mailbox copy (same From, Date, Subject, To): %d; found as copies: %d (recall %.3f)",
		expected, found, ratio(found, expected))
	t.Logf("copy pairs found in all: %d; pairs outside the oracle: %d", foundCopies, extra)
	// A sample of the copies found: the same words, not only the same
	// headers.
	for _, p := range sample {
		if altered, diff := alteration(p[0].text, p[1].text); altered {
			t.Errorf("sample copy %s = %s differs:\n%s", p[0].msg.ID, p[1].msg.ID, diff)
		}
		t.Logf("sample copy: %s = %s", p[0].msg.ID, p[1].msg.ID)
	}
	// Every pair outside the oracle must still be the same message: same
	// sender, same normalised subject, dates compatible.
	for i, p := range extras {
		a, b := p[0].msg, p[1].msg
		sa, _ := leakscope.NormalizeSubject(a.Subject)
		sb, _ := leakscope.NormalizeSubject(b.Subject)
		if !senderOf(a.From).compatible(senderOf(b.From)) || sa != sb || !dateCompatible(stampOf(a), stampOf(b)) {
			t.Errorf("copy outside the oracle looks like another message: %s and %s", a.ID, b.ID)
		}
		if i < 5 {
			t.Logf("copy outside the oracle: %s = %s (dates %q / %q)", a.ID, b.ID, a.DateRaw, b.DateRaw)
		}
	}
	if expected < 50 {
		t.Errorf("only %d archive messages have a cross-mailbox copy; the oracle is broken", expected)
	}
	if r := ratio(found, expected); r < 0.95 {
		t.Errorf("found %d of %d cross-mailbox copies (%.3f), want >= 0.95", found, expected, r)
	}
}
