package source

import (
	"bytes"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tarHead := tarOf(t, member{name: "a", data: []byte("x")})
	v7 := bytes.Clone(tarHead[:512])
	copy(v7[257:], make([]byte, 8)) // no ustar magic: the checksum decides
	sum := 0
	for i, c := range v7 {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int(c)
	}
	copy(v7[148:156], []byte(strings.Repeat("0", 1)+octal(sum, 6)+"\x00 "))
	badV7 := bytes.Clone(v7)
	badV7[0] = 'b'
	cases := []struct {
		name string
		head string
		want kind
		desc string
	}{
		{"empty", "", kindEmpty, ""},
		{"gzip", "\x1f\x8b\x08\x00rest", kindGzip, ""},
		{"bzip2", "BZh91AY&SYrest", kindBzip2, ""},
		{"bzip2 empty stream", "BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00", kindBzip2, ""},
		{"BZh text is not bzip2", "BZh9 is what I typed\n", kindNotMail, "text without mail headers"},
		{"zip", "PK\x03\x04rest", kindZip, ""},
		{"empty zip", "PK\x05\x06" + strings.Repeat("\x00", 18), kindZip, ""},
		{"tar ustar", string(tarHead), kindTar, ""},
		{"tar v7 checksum", string(v7), kindTar, ""},
		{"tar v7 bad checksum", string(badV7), kindNotMail, "binary data"},
		{"pst", "!BDN\x00\x00", kindPST, ""},
		{"xz", "\xfd7zXZ\x00\x00", kindUnsupported, "xz compressed data (decompress it first, e.g. with unxz)"},
		{"7z", "7z\xbc\xaf\x27\x1c\x00", kindUnsupported, "7-Zip archive (extract it first, e.g. with 7z x)"},
		{"rar", "Rar!\x1a\x07\x00", kindUnsupported, "RAR archive (extract it first, e.g. with unrar)"},
		{"zstd", "\x28\xb5\x2f\xfd\x00", kindUnsupported, "zstd compressed data (decompress it first, e.g. with unzstd)"},
		{"msg", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", kindUnsupported, "OLE2 compound file (an Outlook .msg item or an Office document)"},
		{"mmdf", "\x01\x01\x01\x01\nFrom: a@example.com\n", kindMMDF, ""},
		{"mmdf CRLF after BOM", "\xef\xbb\xbf\x01\x01\x01\x01\r\n", kindMMDF, ""},
		{"mbox", fromLine + "\nSubject: x\n", kindMbox, ""},
		{"mbox after BOM and blank lines", "\xef\xbb\xbf\n\r\n" + fromLine + "\n", kindMbox, ""},
		{"mbox weak From_ line then header", "From a@example.com\nSubject: x\n", kindMbox, ""},
		{"mbox From - ", "From - \nSubject: x\n", kindMbox, ""},
		{"mbox malformed From_ line then header", "From \nSubject: x\n", kindMbox, ""},
		{"From line without header", "From time to time we write\nprose.\n", kindNotMail, "text without mail headers"},
		{"emlx", "  123\nFrom: a@example.com\n\nx", kindEmlx, ""},
		{"number then text", "123\nhello\n", kindNotMail, "text without mail headers"},
		{"message", "From: a@example.com\nSubject: x\n\nbody\n", kindMessage, ""},
		{"message by a later field", "X-Custom: 1\nX-Other: 2\nSubject: x\n\nbody\n", kindMessage, ""},
		{"message with CRLF and leading blanks", "\r\n Received: from x\r\n", kindMessage, ""},
		{"key-value text", "Key: value\nOther: thing\n\nSubject: late\n", kindNotMail, "text without mail headers"},
		{"mh_sequences", "unseen: 1-3\ncur: 2\n", kindNotMail, "text without mail headers"},
		{"pdf", "%PDF-1.4\n", kindNotMail, "PDF document"},
		{"png", "\x89PNG\r\n\x1a\n", kindNotMail, "PNG image"},
		{"elf", "\x7fELF\x02", kindNotMail, "ELF executable"},
		{"binary", "\x00\x01\x02\x03garbage", kindNotMail, "binary data"},
		{"invalid utf-8", "abc\xff\xfe", kindNotMail, "binary data"},
		{"cut rune at end", "plain text \xe2\x82", kindNotMail, "text without mail headers"},
		{"white space", " \n\t\n", kindNotMail, "only white space"},
		{"html", "\n<html><body>x</body></html>", kindNotMail, "XML or HTML document"},
		{"json", "{\"a\": 1}", kindNotMail, "JSON or other structured text"},
		{"vcard", "BEGIN:VCARD\nVERSION:3.0\n", kindNotMail, "vCard contact"},
		{"ical", "BEGIN:VCALENDAR\n", kindNotMail, "iCalendar data"},
	}
	for _, tc := range cases {
		k, desc := sniff([]byte(tc.head))
		if k != tc.want || desc != tc.desc {
			t.Errorf("%s: sniff(%q) = %v, %q; want %v, %q", tc.name, short(tc.head), k, desc, tc.want, tc.desc)
		}
	}
}

// octal formats n in base 8 with width digits.
func octal(n, width int) string {
	s := ""
	for ; n > 0; n /= 8 {
		s = string(rune('0'+n%8)) + s
	}
	return strings.Repeat("0", max(width-len(s), 0)) + s
}
