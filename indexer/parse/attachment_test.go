package parse

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// zipOf builds a zip archive of the given files, in order.
func zipOf(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contentTypes(main string) [2]string {
	return [2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Override PartName="/main.xml" ContentType="application/vnd.openxmlformats-officedocument.` + main + `"/></Types>`}
}

// b64 encodes data as a base64 body in lines of 76 characters.
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(s) > 76 {
		lines, s = append(lines, s[:76]), s[76:]
	}
	return strings.Join(append(lines, s), "\r\n")
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestAttachmentText(t *testing.T) {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	docx := zipOf(t, contentTypes("wordprocessingml.document.main+xml"),
		[2]string{"word/document.xml", `<w:document ` + w + `><w:body><w:p><w:r><w:t>Hello</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">World &amp; co</w:t></w:r></w:p>` +
			`<w:p><w:r><w:t>Second</w:t><w:br/><w:t>line</w:t></w:r></w:p></w:body></w:document>`})
	xlsx := zipOf(t, contentTypes("spreadsheetml.sheet.main+xml"),
		[2]string{"xl/sharedStrings.xml", `<sst><si><t>Name</t></si><si><r><t>Amo</t></r><r><t>unt</t></r></si></sst>`},
		[2]string{"xl/worksheets/sheet2.xml", `<worksheet><sheetData><row><c><v>2</v></c></row></sheetData></worksheet>`},
		[2]string{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>` +
			`<row><c t="inlineStr"><is><t>Bob</t></is></c><c><v>42</v></c><c t="s"><v>99</v></c></row></sheetData></worksheet>`})
	pptx := zipOf(t, contentTypes("presentationml.presentation.main+xml"),
		[2]string{"ppt/slides/slide10.xml", `<p:sld><a:p><a:r><a:t>Tenth</a:t></a:r></a:p></p:sld>`},
		[2]string{"ppt/slides/slide2.xml", `<p:sld><a:p><a:r><a:t>Second</a:t></a:r></a:p></p:sld>`},
		[2]string{"ppt/slides/slide1.xml", `<p:sld><a:p><a:r><a:t>Title</a:t></a:r><a:r><a:t> slide</a:t></a:r></a:p></p:sld>`})
	plainZip := zipOf(t, [2]string{"notes.txt", "not an office document"})
	tests := []struct {
		name   string
		ctype  string
		fname  string
		data   []byte
		text   string // "" when no text is wanted
		warned bool   // an "extract" warning is wanted
	}{
		{"csv", "text/csv", "list.csv", []byte("name,amount\r\nBob,42\r\n"), "name,amount\nBob,42", false},
		{"calendar", "text/calendar; charset=utf-8", "invite.ics", []byte("BEGIN:VCALENDAR\r\nSUMMARY:Board meeting\r\nEND:VCALENDAR\r\n"), "BEGIN:VCALENDAR\nSUMMARY:Board meeting\nEND:VCALENDAR", false},
		{"vcard", "text/x-vcard", "bob.vcf", []byte("BEGIN:VCARD\r\nFN:Bob Example\r\nEND:VCARD"), "BEGIN:VCARD\nFN:Bob Example\nEND:VCARD", false},
		{"attached text in latin-1", "text/plain; charset=iso-8859-1", "notes.txt", []byte("caf\xe9"), "café", false},
		{"attached html", "text/html", "page.html", []byte("<p>Hello <b>there</b></p><script>x</script>"), "Hello there", false},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "memo.docx", docx, "Hello\tWorld & co\nSecond\nline", false},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "sheet.xlsx", xlsx, "Name\tAmount\nBob\t42\t99\n2", false},
		{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "deck.pptx", pptx, "Title slide\n\nSecond\n\nTenth", false},
		{"docx sent as octet-stream", "application/octet-stream", "memo.bin", docx, "Hello\tWorld & co\nSecond\nline", false},
		{"docx without document.xml", "application/octet-stream", "broken.docx", zipOf(t, contentTypes("wordprocessingml.document.main+xml")), "", true},
		{"zip that is not a document", "application/zip", "a.zip", plainZip, "", false},
		{"text file sent as octet-stream", "application/octet-stream", "readme.txt", []byte("plain words"), "plain words", false},
		{"binary with a text name", "application/octet-stream", "data.txt", []byte("a\x00b"), "", false},
		{"pdf", "application/pdf", "a.pdf", []byte("%PDF-1.4 binary"), "", false},
		{"image", "image/png", "a.png", []byte("\x89PNG\r\n"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, multipart(part(b64(tt.data), "Content-Type: "+tt.ctype,
				"Content-Disposition: attachment; filename="+tt.fname, "Content-Transfer-Encoding: base64")))
			if len(p.Message.Attachments) != 1 {
				t.Fatalf("%d attachments, want 1", len(p.Message.Attachments))
			}
			a := p.Message.Attachments[0]
			mt, _, _ := strings.Cut(tt.ctype, ";")
			want := leakscope.Attachment{Name: tt.fname, ContentType: mt, Size: int64(len(tt.data)), SHA256: sha(tt.data), HasText: tt.text != ""}
			if a != want {
				t.Errorf("attachment = %+v, want %+v", a, want)
			}
			var texts []leakscope.AttachmentText
			if tt.text != "" {
				texts = []leakscope.AttachmentText{{Name: tt.fname, Text: tt.text}}
			}
			if len(p.Text.Attachments) != len(texts) || len(texts) > 0 && p.Text.Attachments[0] != texts[0] {
				t.Errorf("attachment text = %q, want %q", p.Text.Attachments, texts)
			}
			if p.Text.Body != "see attached" {
				t.Errorf("body = %q, want %q", p.Text.Body, "see attached")
			}
			if _, warned := warning(p, leakscope.WarnExtract, ""); warned != tt.warned {
				t.Errorf("extract warning = %v, want %v (%v)", warned, tt.warned, p.Message.Warnings)
			}
		})
	}
}

func TestAttachmentKinds(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake")
	raw := multipart(
		part(b64(png), "Content-Type: image/png", "Content-ID: <logo@example.com>", "Content-Transfer-Encoding: base64"),
		part("inline text", "Content-Type: text/plain", "Content-Disposition: inline; filename=note.txt"),
		part("%PDF", "Content-Type: application/pdf"),
		part("quoted", "Content-Type: text/plain", "Content-Disposition: attachment"),
	)
	p := mustParse(t, raw)
	want := []leakscope.Attachment{
		{ContentType: "image/png", Size: int64(len(png)), SHA256: sha(png), Inline: true},
		{Name: "note.txt", ContentType: "text/plain", Size: 11, SHA256: sha([]byte("inline text")), Inline: true, HasText: true},
		{ContentType: "application/pdf", Size: 4, SHA256: sha([]byte("%PDF"))},
		{ContentType: "text/plain", Size: 6, SHA256: sha([]byte("quoted")), HasText: true},
	}
	if len(p.Message.Attachments) != len(want) {
		t.Fatalf("attachments = %+v, want %+v", p.Message.Attachments, want)
	}
	for i := range want {
		if p.Message.Attachments[i] != want[i] {
			t.Errorf("attachment %d = %+v, want %+v", i, p.Message.Attachments[i], want[i])
		}
	}
	if p.Text.Body != "see attached" {
		t.Errorf("body = %q, want only the first part", p.Text.Body)
	}
}

func TestAttachmentsInContentHash(t *testing.T) {
	a := mustParse(t, multipart(part("one", "Content-Type: application/pdf")))
	b := mustParse(t, multipart(part("two", "Content-Type: application/pdf")))
	if a.Message.ContentHash == b.Message.ContentHash {
		t.Errorf("messages differing only in an attachment have the same ContentHash %s", a.Message.ContentHash)
	}
}

// TestAttachmentNameControls: control characters in a file name (a fuzz
// input had filename=NUL) are removed with a warning; the name goes into
// the indexed text, which holds no NUL.
func TestAttachmentNameControls(t *testing.T) {
	p := mustParse(t, multipart(part(b64([]byte("hello")), "Content-Type: text/plain",
		"Content-Disposition: attachment; filename=\"re\x00port\x01.txt\"", "Content-Transfer-Encoding: base64")))
	if len(p.Message.Attachments) != 1 || p.Message.Attachments[0].Name != "report.txt" {
		t.Fatalf("attachments = %+v, want one named report.txt", p.Message.Attachments)
	}
	if len(p.Text.Attachments) != 1 || p.Text.Attachments[0].Name != "report.txt" {
		t.Errorf("attachment texts = %q, want report.txt's", p.Text.Attachments)
	}
	if _, warned := warning(p, leakscope.WarnHeader, "control characters"); !warned {
		t.Errorf("no header warning about the control characters: %v", p.Message.Warnings)
	}
}
