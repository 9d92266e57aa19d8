package acceptance

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// This file counts the messages of the corpus independently of the product:
// which files are mail at all, how many messages an mbox holds, and how many
// attached messages (message/rfc822 parts) each message carries, which the
// product indexes as messages of their own.

// fileKind is what a file of the corpus is, to a simple reader.
type fileKind int

const (
	kindEmpty   fileKind = iota // no bytes, or white space only
	kindNotMail                 // text or data without mail headers
	kindMessage                 // one RFC 5322 message
	kindMbox                    // From_ separated messages
	kindMMDF                    // ^A^A^A^A separated messages
	kindPST                     // an Outlook PST (read by readpst)
)

func (k fileKind) String() string {
	return [...]string{"empty", "not mail", "message", "mbox", "MMDF", "PST"}[k]
}

// headerLine matches the first line of a message: a field name made of
// printable ASCII other than ':' and space, then ':', possibly after white
// space (RFC 5322's obsolete syntax, "From  : John Doe").
var headerLine = regexp.MustCompile(`^[!-9;-~]+[ \t]*:`)

// classify tells what kind of file b is.
func classify(b []byte) fileKind {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return kindEmpty
	case bytes.HasPrefix(b, []byte("!BDN")):
		return kindPST
	case bytes.HasPrefix(b, []byte("\x01\x01\x01\x01")):
		return kindMMDF
	}
	// The first line, leading white space ignored: enmime's
	// bad-header-start.raw starts " From: ...", and readers take it.
	first := bytes.TrimLeft(b, " \t\r\n")
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	switch {
	case isFromLine(bytes.TrimRight(first, "\r")):
		return kindMbox
	case headerLine.Match(first):
		return kindMessage
	}
	return kindNotMail
}

// fromLineTime matches the time of day of a From_ line's date.
var fromLineTime = regexp.MustCompile(`\d\d?:\d\d`)

// isFromLine reports whether line starts a new message of an mbox: "From "
// and a sender that is an address, "-" or MAILER-DAEMON, or a date with a
// time of day. Body lines such as "From time to time" or "From Russia with
// love" that mboxo writers left unescaped do not qualify. Netscape-era
// mboxes put no empty line before a From_ line, so none is required.
func isFromLine(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	f := strings.Fields(string(line[5:]))
	if len(f) == 0 {
		return true // "From " alone: Netscape's "From - " trimmed
	}
	return strings.Contains(f[0], "@") || f[0] == "-" || f[0] == "MAILER-DAEMON" || fromLineTime.Match(line)
}

// splitMbox returns the messages of an mbox, without their From_ lines. A
// From_ line inside the top-level multipart of a message, before its closing
// boundary, belongs to the message (a git patch attached to a mail starts
// "From <sha1> Mon Sep 17 00:00:00 2001"). Content-Length is not read: the
// corpus's mboxcl file splits right without it.
func splitMbox(b []byte) [][]byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var out [][]byte
	start := -1
	inHeader := false
	closing := "" // closing boundary of the message's multipart, until seen
	for off := 0; off < len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		next := len(b)
		if end >= 0 {
			next = off + end + 1
		}
		line := bytes.TrimRight(b[off:next], "\r\n")
		switch {
		case closing == "" && isFromLine(line):
			if start >= 0 {
				out = append(out, b[start:off])
			}
			start, inHeader = next, true
		case inHeader && len(line) == 0:
			inHeader = false
			header, _ := splitEntity(b[start:next])
			ctype, params := contentType(header, "text/plain")
			// Only when the closing boundary comes later: gmime's
			// substring.mbox has messages that never close theirs.
			if c := "--" + params["boundary"] + "--"; strings.HasPrefix(ctype, "multipart/") &&
				params["boundary"] != "" && hasLine(b[next:], c) {
				closing = c
			}
		case closing != "" && string(bytes.TrimRight(line, " \t")) == closing:
			closing = ""
		}
		off = next
	}
	if start >= 0 {
		out = append(out, b[start:])
	}
	return nonEmpty(out)
}

// hasLine reports whether b holds a line that is s (trailing white space
// ignored).
func hasLine(b []byte, s string) bool {
	for len(b) > 0 {
		i := bytes.Index(b, []byte(s))
		if i < 0 {
			return false
		}
		atStart := i == 0 || b[i-1] == '\n'
		rest := b[i+len(s):]
		eol := bytes.IndexByte(rest, '\n')
		if eol < 0 {
			eol = len(rest)
		}
		if atStart && len(bytes.TrimSpace(rest[:eol])) == 0 {
			return true
		}
		b = b[i+1:]
	}
	return false
}

// splitMMDF returns the messages between ^A^A^A^A lines.
func splitMMDF(b []byte) [][]byte {
	return nonEmpty(bytes.Split(b, []byte("\x01\x01\x01\x01\n")))
}

func nonEmpty(msgs [][]byte) [][]byte {
	var out [][]byte
	for _, m := range msgs {
		if len(bytes.TrimSpace(m)) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// maxNesting bounds the recursion of attachedMessages; the deepest message
// of the corpus (mimekit's stack-overflow.txt) is far deeper than any mail
// client writes.
const maxNesting = 100

// attachedMessages returns the message/rfc822 parts of a message, at any
// depth (attached messages of attached messages included), decoded.
func attachedMessages(msg []byte) [][]byte {
	var out [][]byte
	collectAttached(msg, "text/plain", 0, &out)
	return out
}

func collectAttached(entity []byte, defaultType string, depth int, out *[][]byte) {
	if depth > maxNesting {
		return
	}
	header, body := splitEntity(entity)
	ctype, params := contentType(header, defaultType)
	switch {
	case strings.HasPrefix(ctype, "multipart/"):
		child := "text/plain"
		if ctype == "multipart/digest" {
			child = "message/rfc822"
		}
		for _, part := range multipartParts(body, params["boundary"]) {
			collectAttached(part, child, depth+1, out)
		}
	case ctype == "message/rfc822" || ctype == "message/global":
		inner := decodeBody(header, body)
		*out = append(*out, inner)
		collectAttached(inner, "text/plain", depth+1, out)
	}
}

// splitEntity splits an entity at the first empty line.
func splitEntity(b []byte) (header []headerField, body []byte) {
	off := 0
	for off < len(b) {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			return headerFields(b), nil
		}
		line := bytes.TrimRight(b[off:off+end], "\r")
		off += end + 1
		if len(line) == 0 {
			return headerFields(b[:off]), b[off:]
		}
	}
	return headerFields(b), nil
}

// boundaryParam finds a boundary in a Content-Type that mime.ParseMediaType
// rejects.
var boundaryParam = regexp.MustCompile(`(?i)boundary\s*=\s*"?([^";]+)"?`)

// contentType returns the lower-cased media type of an entity and its
// parameters, reading malformed values leniently.
func contentType(header []headerField, defaultType string) (string, map[string]string) {
	for _, f := range header {
		if !strings.EqualFold(f.name, "Content-Type") {
			continue
		}
		v := strings.TrimSpace(f.value)
		if t, params, err := mime.ParseMediaType(v); err == nil {
			return t, params
		}
		t := strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		params := map[string]string{}
		if m := boundaryParam.FindStringSubmatch(v); m != nil {
			params["boundary"] = strings.TrimSpace(m[1])
		}
		if !strings.Contains(t, "/") {
			return defaultType, params
		}
		return t, params
	}
	return defaultType, nil
}

// multipartParts splits a multipart body on its delimiter lines: "--" and the
// boundary, then only white space; "--boundary--" closes it.
func multipartParts(body []byte, boundary string) [][]byte {
	if boundary == "" {
		return nil
	}
	delim := []byte("--" + boundary)
	var parts [][]byte
	start := -1
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		next := len(body)
		if end >= 0 {
			next = off + end + 1
		}
		line := bytes.TrimRight(body[off:next], "\r\n")
		if bytes.HasPrefix(line, delim) {
			rest := line[len(delim):]
			closing := bytes.HasPrefix(rest, []byte("--"))
			if closing {
				rest = rest[2:]
			}
			if len(bytes.TrimSpace(rest)) == 0 {
				if start >= 0 {
					parts = append(parts, body[start:off])
				}
				if closing {
					return parts
				}
				start = next
			}
		}
		off = next
	}
	if start >= 0 {
		parts = append(parts, body[start:]) // unterminated: the last part runs to the end
	}
	return parts
}

// decodeBody undoes a base64 or quoted-printable transfer encoding (which
// RFC 2046 forbids on message/rfc822 but mailers use).
func decodeBody(header []headerField, body []byte) []byte {
	for _, f := range header {
		if !strings.EqualFold(f.name, "Content-Transfer-Encoding") {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(f.value)) {
		case "base64":
			clean := bytes.Map(func(r rune) rune {
				if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
					return -1
				}
				return r
			}, body)
			out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
			n, _ := base64.StdEncoding.Decode(out, clean)
			return out[:n]
		case "quoted-printable":
			out, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
			return out
		}
	}
	return body
}

// TestCountingReader checks the counting reader itself against the figures
// of SOURCES.md and the expected outputs shipped with the corpus.
func TestCountingReader(t *testing.T) {
	corpus := corpusDir(t)
	tests := []struct {
		file     string
		kind     fileKind
		messages int
		attached int // -1: not checked
	}{
		{"mbox/enron-mboxo/allen-p._sent_mail.mbox", kindMbox, 602, 0},
		{"mbox/enron-mboxo/keavey-p.deleted_items.mbox", kindMbox, 316, 0},
		// content-length-summary.txt lists 29 messages and 15
		// message/rfc822 parts.
		{"mbox/mimekit/content-length.mbox.txt", kindMbox, 29, 15},
		{"mbox/mimekit/unmunged.mbox.txt", kindMbox, 2, 0},
		{"mbox/mimekit/issue1189.mbox.txt", kindMbox, 4, 0},
		{"mbox/mimekit/simple.mbox.txt", kindMbox, 3, -1},
		{"mbox/gmime/substring.mbox", kindMbox, 3, -1},
		{"mbox/cpython/mailbox_01.mbox", kindMbox, 1, 0},
		{"mbox/neomutt-detect/apple.mbox", kindEmpty, 0, 0},
		{"mbox/neomutt-detect/banana.mbox", kindMbox, 1, 0},
		{"mbox/neomutt-detect/cherry.mbox", kindNotMail, 0, 0},
		{"mbox/neomutt-detect/endive.mbox", kindNotMail, 0, 0},
		{"mbox/neomutt-detect/fig.mbox", kindMMDF, 0, 0},
		// A git patch attached to a mail: its "From <sha1> Mon Sep 17
		// 00:00:00 2001" line is inside the multipart.
		{"notmuch/corpora/insert/mbox-attachment.eml", kindMbox, 1, 0},
		// An empty message/rfc822 part is still an attached message.
		{"notmuch/corpora/broken/empty-part", kindMessage, 1, 1},
		// White space before the first field, and before a colon.
		{"mime-oddities/enmime/testdata/low-quality/bad-header-start.raw", kindMessage, 1, 0},
		{"mime-oddities/ruby-mail/rfc2822/example13.eml", kindMessage, 1, 0},
		{"mime-oddities/enmime/testdata/mail/erroneous.raw", kindNotMail, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			f := readCorpusFile(b)
			if f.kind != tt.kind || len(f.messages) != tt.messages || tt.attached >= 0 && f.attached != tt.attached {
				t.Errorf("%s: %s of %d messages with %d attached, want %s of %d with %d",
					tt.file, f.kind, len(f.messages), f.attached, tt.kind, tt.messages, tt.attached)
			}
		})
	}
	// b4's 19 mboxes hold 70 messages.
	n := 0
	files, _ := filepath.Glob(filepath.Join(corpus, "mbox", "b4-mboxrd", "*.mbox"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n += len(readCorpusFile(b).messages)
	}
	if len(files) != 19 || n != 70 {
		t.Errorf("b4-mboxrd: %d messages in %d files, want 70 in 19", n, len(files))
	}
}

// readCorpusFile classifies b and counts its messages.
func readCorpusFile(b []byte) *corpusFile {
	f := &corpusFile{kind: classify(b)}
	switch f.kind {
	case kindMessage:
		f.messages = [][]byte{b}
	case kindMbox:
		f.messages = splitMbox(b)
	case kindMMDF:
		f.messages = splitMMDF(b)
	}
	for _, m := range f.messages {
		f.attached += len(attachedMessages(m))
	}
	return f
}
