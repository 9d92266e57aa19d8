package acceptance

import (
	"bytes"
	"io"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file is the independent oracle for field queries on the Enron
// maildir: a small reader of the files built on net/mail and mime.WordDecoder
// only. It shares no code with the product; where it has to make the same
// choices (how to read a malformed address), it follows the documented
// semantics (query/doc.go, `leakscope search --help`), not the product's code.

// oracleMessage is what the oracle knows about one Enron file.
type oracleMessage struct {
	path      string // relative to the maildir
	custodian string // first directory below the maildir, lower-cased
	folder    string // the other directories, joined with '/', lower-cased
	messageID string // lower-cased, without <>
	date      time.Time
	dated     bool
	from      []oracleAddr
	to        []oracleAddr
	cc        []oracleAddr
	bcc       []oracleAddr
	subject   []string // subject words, lower-cased, in order
	key       string   // messageKey: Message-ID and content
}

// oracleAddr is one address of an address list.
type oracleAddr struct {
	email string // lower-cased; "" when none could be read
	// names are the words of the display name and those of the local part
	// of the address, as two lists: a phrase does not run from one into the
	// other.
	names [][]string
}

// recipients returns To, Cc and Bcc: what to: searches.
func (m *oracleMessage) recipients() []oracleAddr {
	return append(append(append([]oracleAddr{}, m.to...), m.cc...), m.bcc...)
}

// oracle is the whole Enron maildir, read once.
type oracle struct {
	messages []*oracleMessage
	byID     map[string]*oracleMessage
	undated  int // messages whose Date could not be read
}

var enronOracle struct {
	once sync.Once
	o    *oracle
	err  error
}

// loadOracle reads every file of the Enron maildir (once per package run).
func loadOracle(t *testing.T) *oracle {
	t.Helper()
	root := filepath.Join(corpusDir(t), "enron", "maildir")
	e := &enronOracle
	e.once.Do(func() {
		start := time.Now()
		e.o, e.err = readMaildir(root)
		if e.err == nil {
			t.Logf("oracle read %d Enron files in %.1fs (%d undated)", len(e.o.messages), time.Since(start).Seconds(), e.o.undated)
		}
	})
	if e.err != nil {
		t.Fatalf("oracle: %v", e.err)
	}
	return e.o
}

func readMaildir(root string) (*oracle, error) {
	o := &oracle{byID: map[string]*oracleMessage{}}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		m := readOracleMessage(raw)
		m.path = filepath.ToSlash(rel)
		m.key = messageKey(raw)
		dirs := strings.Split(filepath.ToSlash(filepath.Dir(rel)), "/")
		m.custodian = strings.ToLower(dirs[0])
		m.folder = strings.ToLower(strings.Join(dirs[1:], "/"))
		if !m.dated {
			o.undated++
		}
		o.messages = append(o.messages, m)
		o.byID[m.messageID] = m
		return nil
	})
	return o, err
}

// readOracleMessage reads the header block of one message.
func readOracleMessage(raw []byte) *oracleMessage {
	m := &oracleMessage{}
	for _, f := range headerFields(raw) {
		switch strings.ToLower(f.name) {
		case "message-id":
			m.messageID = strings.ToLower(strings.Trim(strings.TrimSpace(f.value), "<>"))
		case "date":
			if d, err := mail.ParseDate(strings.TrimSpace(f.value)); err == nil {
				m.date, m.dated = d.UTC(), true
			}
		case "from":
			m.from = append(m.from, oracleAddresses(f.value)...)
		case "to":
			m.to = append(m.to, oracleAddresses(f.value)...)
		case "cc":
			m.cc = append(m.cc, oracleAddresses(f.value)...)
		case "bcc":
			m.bcc = append(m.bcc, oracleAddresses(f.value)...)
		case "subject":
			m.subject = words(decodeHeader(f.value))
		}
	}
	return m
}

// headerField is one unfolded header field.
type headerField struct{ name, value string }

// headerFields returns the fields of the header block (up to the first empty
// line), unfolded: a line starting with white space continues the previous
// field. Bytes that are not UTF-8 are read as Latin-1.
func headerFields(raw []byte) []headerField {
	var out []headerField
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		s := latin1IfNotUTF8(line)
		if (s[0] == ' ' || s[0] == '\t') && len(out) > 0 {
			out[len(out)-1].value += s
			continue
		}
		if i := strings.IndexByte(s, ':'); i > 0 {
			out = append(out, headerField{name: strings.TrimSpace(s[:i]), value: s[i+1:]})
		}
	}
	return out
}

func latin1IfNotUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// wordDecoder decodes RFC 2047 encoded words in any charset, reading unknown
// ones (Enron has ANSI_X3.4-1968, i.e. US-ASCII) byte by byte as Latin-1.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(_ string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(latin1IfNotUTF8(b)), nil
}}

func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// oracleAddresses reads an address list. Each item net/mail accepts is read
// by net/mail; a malformed one is read leniently, as the product promises:
// the content of its last <...> (the text before it being the name), else
// its first word holding an '@'. An item with no '@' at all has no email.
func oracleAddresses(v string) []oracleAddr {
	var out []oracleAddr
	for _, item := range splitAddressList(v) {
		var email, name string
		if a, err := addressParser.Parse(item); err == nil {
			email, name = a.Address, a.Name
		} else {
			email, name = lenientAddress(item)
		}
		email = strings.ToLower(email)
		a := oracleAddr{email: email}
		if w := words(name); len(w) > 0 {
			a.names = append(a.names, w)
		}
		if i := strings.LastIndexByte(email, '@'); i > 0 {
			if w := words(email[:i]); len(w) > 0 {
				a.names = append(a.names, w)
			}
		}
		out = append(out, a)
	}
	return out
}

// addressParser is net/mail's, decoding encoded words in any charset.
var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// splitAddressList splits an address list on commas outside quotes, <...> and
// comments.
func splitAddressList(v string) []string {
	var out []string
	depth, quoted, angle := 0, false, false
	start := 0
	emit := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case angle:
			angle = c != '>'
		case quoted:
			if c == '\\' {
				i++
			} else if c == '"' {
				quoted = false
			}
		case depth > 0:
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			}
		case c == '<':
			angle = true
		case c == '"':
			quoted = true
		case c == '(':
			depth++
		case c == ',':
			emit(v[start:i])
			start = i + 1
		}
	}
	emit(v[start:])
	return out
}

// lenientAddress finds the address and the name in a malformed item.
func lenientAddress(item string) (email, name string) {
	if l := strings.LastIndexByte(item, '<'); l >= 0 {
		inner := item[l+1:]
		if r := strings.IndexByte(inner, '>'); r >= 0 {
			inner = inner[:r]
		}
		inner = strings.Join(strings.Fields(inner), "")
		name = decodeHeader(strings.ReplaceAll(item[:l], `"`, ""))
		if strings.Contains(inner, "@") {
			return inner, name
		}
		return "", name
	}
	fields := strings.Fields(item)
	for i, w := range fields {
		if w = strings.Trim(w, `"'()[],;:<>`); strings.Contains(w, "@") {
			rest := append(append([]string{}, fields[:i]...), fields[i+1:]...)
			return w, decodeHeader(strings.Join(rest, " "))
		}
	}
	return "", decodeHeader(item)
}

// words splits text into lower-cased words as documented for the text
// analyzer (search/doc.go): runs of letters, marks and digits; an apostrophe
// between two word characters is dropped and the word goes on.
func words(s string) []string {
	var out []string
	var cur []rune
	rs := []rune(s)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }
	for i, r := range rs {
		switch {
		case isWord(r):
			cur = append(cur, unicode.ToLower(r))
		case (r == '\'' || r == '\u2019') && len(cur) > 0 && i+1 < len(rs) && isWord(rs[i+1]):
			// "don't" is one word, "dont"
		default:
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
