package parse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	message "github.com/emersion/go-message"
	"github.com/leakscope/leakscope"
)

// Content-Transfer-Encodings.
const (
	cteIdentity = iota // 7bit, 8bit, binary, none
	cteQP
	cteBase64
)

// parseCTE reads a Content-Transfer-Encoding value. Forms that are only
// misspelt ("Quoted Printable", "base-64", "7bit;") are read as meant with
// a warning; anything else (x-uuencode, garbage) is read as 8bit with a
// warning.
func parseCTE(v string, w warner) int {
	s := strings.ToLower(strings.TrimSpace(v))
	switch s {
	case "", "7bit", "8bit", "binary":
		return cteIdentity
	case "quoted-printable":
		return cteQP
	case "base64":
		return cteBase64
	}
	norm := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', ';', '"', '\'', '.':
			return -1
		}
		return r
	}, s)
	kind, name := cteIdentity, "8bit"
	switch norm {
	case "7bit", "8bit", "binary", "none", "7", "8":
	case "quotedprintable", "qp":
		kind, name = cteQP, "quoted-printable"
	case "base64", "b64":
		kind, name = cteBase64, "base64"
	default:
		if strings.HasPrefix(norm, "quotedprintable") {
			kind, name = cteQP, "quoted-printable"
		} else if strings.HasPrefix(norm, "base64") {
			kind, name = cteBase64, "base64"
		}
	}
	if len(s) > maxLabel {
		s = s[:maxLabel]
	}
	w.warn(leakscope.WarnEncoding, fmt.Sprintf("Content-Transfer-Encoding %q read as %s", s, name))
	return kind
}

// identityEncoding reports whether a Content-Transfer-Encoding value leaves
// the body as it is (so an attached message can be read in place).
func identityEncoding(v string) bool {
	s := strings.TrimSpace(v)
	switch {
	case s == "", strings.EqualFold(s, "7bit"), strings.EqualFold(s, "8bit"), strings.EqualFold(s, "binary"):
		return true
	}
	return false
}

// decodeBody undoes the transfer encoding of an entity's body and cuts the
// result at max bytes. go-message decodes base64 and quoted-printable
// (message.New); when it fails (base64 with garbage, missing padding or a
// truncated end; quoted-printable with control characters or a bad soft
// break) the lenient decoders read the body again. Problems become warnings
// on w.
func decodeBody(e *entity, max int64, w warner) []byte {
	kind := parseCTE(e.h.Get("Content-Transfer-Encoding"), w)
	if kind != cteIdentity {
		if out, cut, err := goMessageDecode(kind, e.body, max); err == nil {
			if cut {
				w.warn(leakscope.WarnLimit, fmt.Sprintf("MaxPartBytes %d reached: part cut", max))
			}
			return out
		}
	}
	var out []byte
	cut := false
	switch kind {
	case cteBase64:
		var invalid int
		var badEnd bool
		out, invalid, badEnd, cut = decodeBase64(e.body, max)
		if invalid > 0 {
			w.warn(leakscope.WarnEncoding, fmt.Sprintf("base64 body has %d invalid bytes: skipped", invalid))
		}
		if badEnd {
			w.warn(leakscope.WarnEncoding, "base64 body has missing padding or a truncated end")
		}
	case cteQP:
		var bad int
		out, bad, cut = decodeQP(e.body, max)
		if bad > 0 {
			w.warn(leakscope.WarnEncoding, fmt.Sprintf("quoted-printable body has %d bad escapes: kept as written", bad))
		}
	default:
		out = e.body
		if int64(len(out)) > max {
			out, cut = out[:max], true
		}
	}
	if cut {
		w.warn(leakscope.WarnLimit, fmt.Sprintf("MaxPartBytes %d reached: part cut", max))
	}
	return out
}

// cteHeaders are the headers goMessageDecode gives message.New, read only.
var cteHeaders = func() (hs [3]message.Header) {
	hs[cteBase64].Set("Content-Transfer-Encoding", "base64")
	hs[cteQP].Set("Content-Transfer-Encoding", "quoted-printable")
	return hs
}()

// goMessageDecode decodes body with go-message's entity decoding: a
// message.New entity whose header holds only the Content-Transfer-Encoding,
// so that no charset is converted here. It reads at most max bytes (cut is
// then set) and fails on the first decoding error.
func goMessageDecode(kind int, body []byte, max int64) (out []byte, cut bool, err error) {
	size := int64(len(body))
	if kind == cteBase64 {
		size = size/4*3 + 3
	}
	// A pooled bufio.Reader: the quoted-printable decoder uses it as it is
	// instead of allocating its own.
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(&sliceReader{b: body})
	defer func() {
		br.Reset(nil)
		bufioPool.Put(br)
	}()
	ent, err := message.New(cteHeaders[kind], br)
	if err != nil {
		return nil, false, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(size, max)+1))
	if _, err := buf.ReadFrom(io.LimitReader(ent.Body, max+1)); err != nil {
		return nil, false, err
	}
	out = buf.Bytes()
	if int64(len(out)) > max {
		return out[:max], true, nil
	}
	return out, false, nil
}

const (
	b64Invalid = 0xFF
	b64Space   = 0xFE
	b64Pad     = 0xFD
)

var b64Table = func() (t [256]byte) {
	for i := range t {
		t[i] = b64Invalid
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	for _, c := range []byte(" \t\r\n\f\v") {
		t[c] = b64Space
	}
	t['='] = b64Pad
	return t
}()

// decodeBase64 decodes base64 leniently: white space is ignored, invalid
// bytes are skipped and counted, padding may be missing, and a padded
// quantum in the middle (concatenated encodings) is accepted. badEnd is set
// when the input ends without its padding or with a lone sextet. The output
// stops at max bytes (cut is then set).
func decodeBase64(in []byte, max int64) (out []byte, invalid int, badEnd, cut bool) {
	size := int64(len(in))/4*3 + 3
	if size > max {
		size = max
	}
	out = make([]byte, 0, size)
	var acc uint32
	n := 0
	for _, c := range in {
		v := b64Table[c]
		switch {
		case v < 64:
			acc = acc<<6 | uint32(v)
			n++
			if n == 4 {
				if int64(len(out))+3 > max {
					q := []byte{byte(acc >> 16), byte(acc >> 8), byte(acc)}
					return append(out, q[:max-int64(len(out))]...), invalid, false, true
				}
				out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
				acc, n = 0, 0
			}
		case v == b64Space:
		case v == b64Pad:
			out = flushQuantum(out, acc, n)
			acc, n = 0, 0
		default:
			invalid++
		}
	}
	if n > 0 {
		badEnd = true
		out = flushQuantum(out, acc, n)
	}
	if int64(len(out)) > max {
		out, cut = out[:max], true
	}
	return out, invalid, badEnd, cut
}

func flushQuantum(out []byte, acc uint32, n int) []byte {
	switch n {
	case 2:
		return append(out, byte(acc>>4))
	case 3:
		return append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

// decodeQP decodes quoted-printable leniently: lower-case hex is accepted,
// a bad escape keeps its bytes as written (counted in bad), trailing white
// space is removed and line breaks are kept as written.
func decodeQP(in []byte, max int64) (out []byte, bad int, cut bool) {
	out = make([]byte, 0, min(int64(len(in)), max))
	for len(in) > 0 {
		line := in
		var br []byte
		if i := indexNL(in); i >= 0 {
			line, in = in[:i], in[i+1:]
			br = crlf[1:]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
				br = crlf
			}
		} else {
			in = nil
		}
		line = trimRightBlank(line)
		soft := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c != '=' {
				out = append(out, c)
				continue
			}
			switch {
			case i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]):
				out = append(out, unhex(line[i+1])<<4|unhex(line[i+2]))
				i += 2
			case i == len(line)-1:
				soft = true
			default:
				bad++
				out = append(out, c)
			}
		}
		if !soft {
			out = append(out, br...)
		}
		if int64(len(out)) > max {
			return out[:max], bad, true
		}
	}
	return out, bad, false
}

var crlf = []byte("\r\n")

func indexNL(b []byte) int { return bytes.IndexByte(b, '\n') }

func trimRightBlank(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t') {
		n--
	}
	return b[:n]
}
