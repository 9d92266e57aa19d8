package parse

import (
	"maps"
	"testing"
)

func TestAttachmentName(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   string
	}{
		{"filename", []string{`Content-Disposition: attachment; filename="report.pdf"`}, "report.pdf"},
		{"unquoted filename", []string{`Content-Disposition: attachment; filename=report.pdf`}, "report.pdf"},
		{"name of Content-Type", []string{`Content-Type: application/pdf; name="q3.pdf"`}, "q3.pdf"},
		{"filename wins over name", []string{`Content-Type: application/pdf; name="a.pdf"`, `Content-Disposition: attachment; filename="b.pdf"`}, "b.pdf"},
		{"empty filename falls back to name", []string{`Content-Type: application/pdf; name="a.pdf"`, `Content-Disposition: attachment; filename=""`}, "a.pdf"},
		{"rfc 2231 utf-8", []string{`Content-Disposition: attachment; filename*=UTF-8''caf%C3%A9.txt`}, "café.txt"},
		{"rfc 2231 language", []string{`Content-Disposition: attachment; filename*=utf-8'fr'caf%C3%A9.txt`}, "café.txt"},
		{"rfc 2231 iso-8859-1", []string{`Content-Disposition: attachment; filename*=iso-8859-1''caf%E9.txt`}, "café.txt"},
		{"rfc 2231 koi8-r", []string{`Content-Disposition: attachment; filename*=koi8-r''%F0%D2%C9%D7%C5%D4.txt`}, "Привет.txt"},
		{"rfc 2231 continuations", []string{`Content-Disposition: attachment;`, ` filename*0="very long ";`, ` filename*1="name.txt"`}, "very long name.txt"},
		{"rfc 2231 encoded continuations", []string{`Content-Disposition: attachment;`, ` filename*0*=UTF-8''caf%C3%A9%20;`, ` filename*1*=%C3%A0.txt`}, "café à.txt"},
		{"rfc 2231 mixed continuations", []string{`Content-Disposition: attachment;`, ` filename*0*=UTF-8''%C3%A9t%C3%A9-;`, ` filename*1="plain.txt"`}, "été-plain.txt"},
		{"rfc 2231 continuations out of order", []string{`Content-Disposition: attachment;`, ` filename*1="b.txt"; filename*0="a-"`}, "a-b.txt"},
		{"rfc 2231 iso-8859-1 continuations", []string{`Content-Disposition: attachment;`, ` filename*0*=iso-8859-1''r%E9sum%E9;`, ` filename*1*=.doc`}, "résumé.doc"},
		{"rfc 2231 beats plain", []string{`Content-Disposition: attachment; filename="fallback.txt"; filename*=UTF-8''%C3%A9.txt`}, "é.txt"},
		{"rfc 2047 in filename", []string{`Content-Disposition: attachment; filename="=?UTF-8?Q?caf=C3=A9.txt?="`}, "café.txt"},
		{"rfc 2047 in name", []string{`Content-Type: text/plain; name="=?ISO-8859-1?B?6XTpLnR4dA==?="`}, "été.txt"},
		{"8-bit utf-8 filename", []string{"Content-Disposition: attachment; filename=管理.doc"}, "管理.doc"},
		{"unquoted filename with spaces", []string{"Content-Disposition: attachment; filename=my report.doc"}, "my report.doc"},
		{"unclosed quote", []string{`Content-Disposition: attachment; filename="open.txt`}, "open.txt"},
		{"duplicate parameter: first kept", []string{`Content-Disposition: attachment; filename="one.txt"; filename="two.txt"`}, "one.txt"},
		{"folded", []string{"Content-Disposition: attachment;", "\tfilename=\"folded.txt\""}, "folded.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := append([]string{"Content-Type: application/octet-stream"}, tt.header...)
			if h[1][:13] == "Content-Type:" {
				h = h[1:]
			}
			p := mustParse(t, multipart(part("data", h...)))
			if len(p.Message.Attachments) != 1 {
				t.Fatalf("%d attachments, want 1", len(p.Message.Attachments))
			}
			if got := p.Message.Attachments[0].Name; got != tt.want {
				t.Errorf("attachment name from %q = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestParseField(t *testing.T) {
	tests := []struct {
		name      string
		value     string
		wantValue string
		wantPs    map[string]string
	}{
		{"go-message", `text/plain; charset="utf-8"; format=flowed`, "text/plain", map[string]string{"charset": "utf-8", "format": "flowed"}},
		{"upper case", `Text/HTML; CHARSET=UTF-8`, "text/html", map[string]string{"charset": "UTF-8"}},
		{"no parameters", `text/plain`, "text/plain", nil},
		{"trailing semicolon", `text/plain; charset=us-ascii;`, "text/plain", map[string]string{"charset": "us-ascii"}},
		{"lenient: comment after value", `text/plain; charset=us-ascii (Plain text)`, "text/plain", map[string]string{"charset": "us-ascii (Plain text)"}},
		{"lenient: duplicate", `multipart/mixed; boundary="a"; boundary="b"`, "multipart/mixed", map[string]string{"boundary": "a"}},
		{"lenient: spaces in value", `text/plain; name=a b.txt`, "text/plain", map[string]string{"name": "a b.txt"}},
		{"lenient: no value", `text/plain; charset`, "text/plain", nil},
		{"lenient fills dropped rfc 2231", `text/plain; charset*=ansi_x3.4-1968''us-ascii`, "text/plain", map[string]string{"charset": "us-ascii"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := headerOf([][]byte{[]byte("Content-Type: " + tt.value + "\r\n")})
			gotValue, gotPs := parseField(tt.value, h.ContentType)
			if gotValue != tt.wantValue || !maps.Equal(gotPs, tt.wantPs) {
				t.Errorf("parseField(%q) = %q, %v, want %q, %v", tt.value, gotValue, gotPs, tt.wantValue, tt.wantPs)
			}
		})
	}
}

func TestAttachmentNameEmptyRFC2231Charset(t *testing.T) {
	p := mustParse(t, multipart(part("data", "Content-Type: application/octet-stream", "Content-Disposition: attachment; filename*=''plain%20name.txt")))
	if got, want := p.Message.Attachments[0].Name, "plain name.txt"; got != want {
		t.Errorf("attachment name = %q, want %q", got, want)
	}
}
