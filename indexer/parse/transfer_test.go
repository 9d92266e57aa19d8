package parse

import (
	"testing"

	"github.com/leakscope/leakscope"
)

func TestTransferEncodings(t *testing.T) {
	tests := []struct {
		name, cte, body, want string
		warn                  string // detail of the "encoding" warning wanted, or "" for none
	}{
		{"base64", "base64", "SGVsbG8gV29ybGQ=", "Hello World", ""},
		{"base64 upper case name", "BASE64", "SGVsbG8gV29ybGQ=", "Hello World", ""},
		{"base64 lines", "base64", "SGVsbG8g\r\nV29ybGQ=\r\n", "Hello World", ""},
		{"base64 indented lines", "base64", " SGVsbG8g\r\n\tV29ybGQ=", "Hello World", ""},
		{"base64 garbage", "base64", "SGVs*bG8g!V29y#bGQ=", "Hello World", "base64 body has 3 invalid bytes: skipped"},
		{"base64 missing padding", "base64", "SGVsbG8gV29ybGQ", "Hello World", "missing padding or a truncated end"},
		{"base64 truncated", "base64", "SGVsbG8gV29ybG", "Hello Worl", "missing padding or a truncated end"},
		{"base64 concatenated", "base64", "SGk=\r\nSGk=", "HiHi", ""},
		{"base64 text after the data", "base64", "SGk=\r\n\r\n-- \r\nfooter", "Hi~\uFFFD-z", "base64 body has 2 invalid bytes: skipped"},
		{"quoted-printable", "quoted-printable", "caf=C3=A9 =3D soft=\r\nbreak", "café = softbreak", ""},
		{"quoted-printable lower-case hex", "quoted-printable", "caf=c3=a9", "café", ""},
		{"quoted-printable LF soft break", "quoted-printable", "soft=\nbreak", "softbreak", ""},
		{"quoted-printable bad escape kept", "quoted-printable", "100=ZZ% =3D", "100=ZZ% =", ""},
		{"quoted-printable trailing space", "quoted-printable", "a  \r\nb", "a\nb", ""},
		{"quoted-printable control byte", "quoted-printable", "a\x01b=41", "a\x01bA", ""},
		{"quoted-printable = at the end", "quoted-printable", "abc=", "abc", ""},
		{"misspelt quoted-printable", "Quoted Printable", "caf=C3=A9", "café", `"quoted printable" read as quoted-printable`},
		{"misspelt base64", "base-64", "SGk=", "Hi", `"base-64" read as base64`},
		{"unknown encoding", "x-uuencode", "plain", "plain", `"x-uuencode" read as 8bit`},
		{"7bit with semicolon", "7bit;", "plain", "plain", `"7bit;" read as 8bit`},
		{"8bit", "8bit", "caf\xc3\xa9", "café", ""},
		{"binary", "binary", "x", "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, simple([]string{"Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: " + tt.cte}, tt.body))
			if p.Text.Body != tt.want {
				t.Errorf("body = %q, want %q", p.Text.Body, tt.want)
			}
			if tt.warn == "" {
				wantNoWarning(t, p, leakscope.WarnEncoding)
			} else {
				wantWarning(t, p, leakscope.WarnEncoding, tt.warn)
			}
		})
	}
}

func TestDecodeBase64(t *testing.T) {
	tests := []struct {
		in, want    string
		invalid     int
		badEnd, cut bool
		max         int64
	}{
		{"SGVsbG8=", "Hello", 0, false, false, 100},
		{"SGVsbG8", "Hello", 0, true, false, 100},
		{"S G V s b G 8 =", "Hello", 0, false, false, 100},
		{"SG.Vs", "Hel", 1, false, false, 100},
		{"SGVsbG8gV29ybGQ=", "Hel", 0, false, true, 3},
		{"SGVsbG8gV29ybGQ=", "Hell", 0, false, true, 4},
		{"", "", 0, false, false, 100},
	}
	for _, tt := range tests {
		out, invalid, badEnd, cut := decodeBase64([]byte(tt.in), tt.max)
		if string(out) != tt.want || invalid != tt.invalid || badEnd != tt.badEnd || cut != tt.cut {
			t.Errorf("decodeBase64(%q, %d) = %q, %d, %v, %v, want %q, %d, %v, %v", tt.in, tt.max, out, invalid, badEnd, cut, tt.want, tt.invalid, tt.badEnd, tt.cut)
		}
	}
}

func TestDecodeQP(t *testing.T) {
	tests := []struct {
		in, want string
		bad      int
	}{
		{"a=3Db", "a=b", 0},
		{"a=\r\nb", "ab", 0},
		{"a=zzb", "a=zzb", 1},
		{"a \t\r\nb", "a\r\nb", 0},
		{"=4", "=4", 1},
	}
	for _, tt := range tests {
		out, bad, cut := decodeQP([]byte(tt.in), 100)
		if string(out) != tt.want || bad != tt.bad || cut {
			t.Errorf("decodeQP(%q) = %q, %d, %v, want %q, %d, false", tt.in, out, bad, cut, tt.want, tt.bad)
		}
	}
}
