package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// The store keeps attachments' descriptions (name, type, size, SHA-256)
// but not their bytes, which stay inside the stored original. findPart
// walks the original's MIME tree with the standard library and returns the
// decoded part whose SHA-256 is the one recorded at ingest, so a download
// is exactly what was indexed or nothing. Where the standard library cannot
// read a badly broken message that the lenient parser could, the part is
// not found (and the download is refused) rather than guessed.

// Limits of the walk, as the parser's (indexer/parse.Limits).
const (
	maxWalkParts = 1000
	maxWalkDepth = 32
	maxPartBytes = 64 << 20
)

// findPart returns the decoded body of the first part of raw whose
// SHA-256 (hex) is want.
func findPart(raw []byte, want string) ([]byte, bool) {
	w := &partWalker{want: want, budget: maxWalkParts}
	return w.entity(raw, 0)
}

type partWalker struct {
	want   string
	budget int
}

// entity reads one header block and body and looks in it.
func (w *partWalker) entity(raw []byte, depth int) ([]byte, bool) {
	if depth > maxWalkDepth || w.budget <= 0 {
		return nil, false
	}
	w.budget--
	// An mbox From_ line is not part of the message.
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	h, err := r.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return nil, false
	}
	body, _ := io.ReadAll(io.LimitReader(r.R, maxPartBytes))
	return w.part(textproto.MIMEHeader(h), body, depth)
}

// part looks at one part: its decoded body, then its children.
func (w *partWalker) part(h textproto.MIMEHeader, body []byte, depth int) ([]byte, bool) {
	decoded := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	if w.match(decoded) {
		return decoded, true
	}
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for w.budget > 0 {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			w.budget--
			b, _ := io.ReadAll(io.LimitReader(p, maxPartBytes))
			if found, ok := w.part(p.Header, b, depth+1); ok {
				return found, true
			}
		}
	case mt == "message/rfc822" || mt == "message/global":
		return w.entity(decoded, depth+1)
	}
	return nil, false
}

func (w *partWalker) match(b []byte) bool {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]) == w.want
}

// decodeTransfer undoes a Content-Transfer-Encoding leniently: base64 with
// line breaks, junk or missing padding; quoted-printable with bad escapes.
func decodeTransfer(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := make([]byte, 0, len(body))
		for _, c := range body {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
				clean = append(clean, c)
			}
		}
		if len(clean)%4 == 1 { // a lone trailing character holds no byte
			clean = clean[:len(clean)-1]
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, _ := base64.RawStdEncoding.Decode(out, clean)
		return out[:n]
	case "quoted-printable":
		out, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return out
	}
	return body
}
