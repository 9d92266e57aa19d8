package parse

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/leakscope/leakscope"
)

// fuzzLimits are small so that the fuzzer reaches every limit.
var fuzzLimits = Limits{MaxHeaderBytes: 2048, MaxParts: 40, MaxDepth: 6, MaxPartBytes: 1 << 16, MaxTextBytes: 1 << 14}

// fuzzSeeds are nasty messages added to the testdata/messages fixtures.
var fuzzSeeds = []string{
	"",
	"From: a@example.com\r\n\r\nbody",
	" continuation first\r\nSubject: x\r\n\r\nbody",
	"Subject: =?utf-8?q?caf=C3?= =?utf-8?q?=A9?= =?bogus?B?AAAA?=\r\nFrom: houston <.ward@enron.com>, h..foster@enron.com\r\n\r\n",
	"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nx\r\n--a--\r\n",
	"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\ny",
	"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n----\r\n",
	"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogaW5uZXIKCmJvZHk=",
	"Content-Type: text/plain; charset*0*=utf-16''%FF%FE; charset*1=x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=FF=FEa=00=\r\n",
	"Content-Type: text/html\r\n\r\n<script><style><p>&#xFFFFFF;&#0;&bogus;<pre>\x00\r",
	"Content-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBBQAAAAIAA==",
	"Date: Mon, 31 Feb 99 25:61:61 +9999\r\nReceived: x; 1 Jan 1600 00:00 GMT+99\r\n\r\n",
	"From a Mon Jan  2 15:04:05 2006\nContent-Type: multipart/digest; boundary=d\n\n--d\n\nFrom: x\n\n--d\n--d--\n",
}

// FuzzParse checks the properties every Parse result has, whatever the
// input: it is deterministic; all its strings are valid UTF-8 and its texts
// hold no NUL or CR; attachments have a SHA-256 and at most MaxPartBytes
// bytes; every attached message has its Raw, is listed among its parent's
// attachments with the size and SHA-256 of that Raw and names its parent in
// ParentID; the ID is MessageKey(MessageID, ContentHash); parts, depth and
// text stay within the limits; and an error is always
// leakscope.ErrInvalidInput.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "messages", "*.eml"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := Parse(raw, "", Options{Limits: fuzzLimits})
		if err != nil {
			if !errors.Is(err, leakscope.ErrInvalidInput) || p != nil {
				t.Fatalf("Parse = %v, %v, want nil and an error wrapping ErrInvalidInput", p, err)
			}
			return
		}
		if err := checkProperties(p, fuzzLimits); err != nil {
			t.Fatalf("Parse(%q): %v", raw, err)
		}
		again, err := Parse(raw, "", Options{Limits: fuzzLimits})
		if err != nil {
			t.Fatalf("second Parse: %v", err)
		}
		if !sameParsed(p, again) {
			t.Fatalf("Parse(%q) is not deterministic: %+v then %+v", raw, p.Message, again.Message)
		}
		if want := leakscope.MessageKey(p.Message.MessageID, p.Message.ContentHash); p.Message.ID != want {
			t.Fatalf("ID %q, want MessageKey(MessageID, ContentHash) = %q", p.Message.ID, want)
		}
	})
}

// sameParsed compares two results, attached messages included.
func sameParsed(a, b *Parsed) bool {
	if !reflect.DeepEqual(a.Message, b.Message) || !reflect.DeepEqual(a.Text, b.Text) ||
		a.Part != b.Part || string(a.Raw) != string(b.Raw) || len(a.Attached) != len(b.Attached) {
		return false
	}
	for i := range a.Attached {
		if !sameParsed(a.Attached[i], b.Attached[i]) {
			return false
		}
	}
	return true
}
