package source

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// kind is what an input is, decided from its first bytes.
type kind int

const (
	kindNotMail     kind = iota // not mail: skipped with a description
	kindEmpty                   // zero bytes
	kindUnsupported             // a format recognised and not read (xz, 7z, rar...)
	kindGzip
	kindBzip2
	kindZip
	kindTar
	kindPST
	kindMMDF
	kindMbox
	kindEmlx
	kindMessage // one RFC 5322 message
)

var kindNames = [...]string{"not mail", "empty", "unsupported", "gzip", "bzip2", "zip", "tar", "pst", "mmdf", "mbox", "emlx", "message"}

func (k kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// sniffLen is how many leading bytes sniff looks at.
const sniffLen = 8 << 10

var bom = []byte("\xef\xbb\xbf")

// sniff decides what head, the first bytes of an input (up to sniffLen;
// fewer means the input is that short), holds. For kindNotMail and
// kindUnsupported it also says what the input looks like. Only content
// counts, never the name.
func sniff(head []byte) (kind, string) {
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	if len(head) == 0 {
		return kindEmpty, ""
	}
	if k, desc := sniffMagic(head); k != kindNotMail {
		return k, desc
	}
	text := bytes.TrimPrefix(head, bom)
	if isMMDFSeparator(text) {
		return kindMMDF, ""
	}
	text = skipBlankLines(text)
	first, rest := cutLine(text)
	if bytes.HasPrefix(first, []byte("From ")) && !isHeaderField(first) {
		if fromLineKind(first) != fromNone || isHeaderField(firstLine(rest)) {
			return kindMbox, ""
		}
	}
	if isEmlxCount(first) && looksLikeMessage(skipBlankLines(rest)) {
		return kindEmlx, ""
	}
	if looksLikeMessage(text) {
		return kindMessage, ""
	}
	return kindNotMail, describe(head)
}

// sniffMagic recognises binary formats by their magic bytes.
func sniffMagic(b []byte) (kind, string) {
	switch {
	case bytes.HasPrefix(b, []byte("!BDN")):
		return kindPST, ""
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return kindGzip, ""
	case isBzip2(b):
		return kindBzip2, ""
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")), bytes.HasPrefix(b, []byte("PK\x07\x08")):
		return kindZip, ""
	case bytes.HasPrefix(b, []byte("\xfd7zXZ\x00")):
		return kindUnsupported, "xz compressed data (decompress it first, e.g. with unxz)"
	case bytes.HasPrefix(b, []byte("7z\xbc\xaf\x27\x1c")):
		return kindUnsupported, "7-Zip archive (extract it first, e.g. with 7z x)"
	case bytes.HasPrefix(b, []byte("Rar!\x1a\x07")):
		return kindUnsupported, "RAR archive (extract it first, e.g. with unrar)"
	case bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return kindUnsupported, "zstd compressed data (decompress it first, e.g. with unzstd)"
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return kindUnsupported, "OLE2 compound file (an Outlook .msg item or an Office document)"
	case isTarHeader(b):
		return kindTar, ""
	}
	return kindNotMail, ""
}

// isBzip2 reports whether b starts a bzip2 stream: "BZh", a block size
// digit, then a block or end-of-stream magic.
func isBzip2(b []byte) bool {
	if len(b) < 10 || !bytes.HasPrefix(b, []byte("BZh")) || b[3] < '1' || b[3] > '9' {
		return false
	}
	return bytes.HasPrefix(b[4:], []byte("1AY&SY")) || bytes.HasPrefix(b[4:], []byte("\x17\x72\x45\x38\x50\x90"))
}

// isTarHeader reports whether b starts with a tar header block: the ustar
// magic, or (old V7 archives) a valid header checksum.
func isTarHeader(b []byte) bool {
	if len(b) < 512 {
		return false
	}
	if bytes.HasPrefix(b[257:], []byte("ustar")) {
		return true
	}
	if b[0] == 0 {
		return false // no name
	}
	field := bytes.Trim(b[148:156], " \x00")
	want, err := strconv.ParseInt(string(field), 8, 64)
	if err != nil || len(field) == 0 {
		return false
	}
	var sum int64
	for i, c := range b[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

// isMMDFSeparator reports whether b starts with an MMDF message separator,
// a line of four ^A characters.
func isMMDFSeparator(b []byte) bool {
	if !bytes.HasPrefix(b, []byte("\x01\x01\x01\x01")) {
		return false
	}
	rest := b[4:]
	return len(rest) == 0 || rest[0] == '\n' || bytes.HasPrefix(rest, []byte("\r\n"))
}

// isEmlxCount reports whether line is the first line of an Apple .emlx
// file: the byte count of the message, possibly padded with spaces.
func isEmlxCount(line []byte) bool {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || len(line) > 18 {
		return false
	}
	for _, c := range line {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// skipBlankLines drops leading empty lines (LF or CRLF).
func skipBlankLines(b []byte) []byte {
	for {
		switch {
		case bytes.HasPrefix(b, []byte("\n")):
			b = b[1:]
		case bytes.HasPrefix(b, []byte("\r\n")):
			b = b[2:]
		default:
			return b
		}
	}
}

// cutLine splits b after its first line; the line is returned without its
// line ending.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	return trimEOL(b[:i+1]), b[i+1:]
}

// firstLine returns the first line of b without its line ending.
func firstLine(b []byte) []byte {
	line, _ := cutLine(b)
	return line
}

// trimEOL removes a trailing "\n" or "\r\n".
func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// describe says what a file that is not mail looks like, from its content.
func describe(b []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(b, []byte(m.prefix)) {
			return m.desc
		}
	}
	t := bytes.TrimPrefix(b, bom)
	if isText(t) {
		trimmed := bytes.TrimLeft(t, " \t\r\n")
		switch {
		case len(trimmed) == 0:
			return "only white space"
		case bytes.HasPrefix(trimmed, []byte("<")):
			return "XML or HTML document"
		case bytes.HasPrefix(trimmed, []byte("{")) || bytes.HasPrefix(trimmed, []byte("[")):
			return "JSON or other structured text"
		case bytes.HasPrefix(trimmed, []byte("BEGIN:VCARD")):
			return "vCard contact"
		case bytes.HasPrefix(trimmed, []byte("BEGIN:VCALENDAR")):
			return "iCalendar data"
		}
		return "text without mail headers"
	}
	return "binary data"
}

var magics = []struct{ prefix, desc string }{
	{"%PDF", "PDF document"},
	{"\x89PNG", "PNG image"},
	{"GIF8", "GIF image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"\x00\x00\x00\x01Bud1", "macOS Finder metadata (.DS_Store)"},
	{"\x7fELF", "ELF executable"},
	{"MZ", "Windows executable"},
	{"SQLite format 3\x00", "SQLite database"},
	{"%!PS", "PostScript document"},
	{"{\\rtf", "RTF document"},
}

// isText reports whether b looks like text: valid UTF-8 (a cut rune at the
// end is allowed) without control characters other than white space.
func isText(b []byte) bool {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				return true
			}
			return false
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
		i += n
	}
	return true
}
