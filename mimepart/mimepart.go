// Package mimepart finds the decoded parts of a stored original message
// by their SHA-256, as recorded at ingest: the bytes of an attachment for a
// download or a production. It uses the standard library only (RFC 2045,
// 2046: multipart and message/rfc822 parts, base64 and quoted-printable,
// decoded leniently), within fixed limits on parts, depth and size.
package mimepart

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

// The store keeps attachments' descriptions (name, type, size, SHA-256),
// not their bytes, which stay inside the stored original. Find walks
// the original's MIME tree with the standard library (RFC 2045, 2046) and
// returns the decoded parts whose SHA-256 is one recorded at ingest, so an
// attachment's native is exactly what was indexed, or missing. Where the
// standard library cannot read a badly broken message that the lenient
// parser could, the part is missing (and listed so) rather than guessed.

// Limits of the walk, as the parser's.
const (
	maxWalkParts = 1000
	maxWalkDepth = 32
	maxPartBytes = 64 << 20
)

// Find returns the decoded parts of raw whose hex SHA-256 is in want.
func Find(raw []byte, want map[string]bool) map[string][]byte {
	w := &partWalker{want: want, found: map[string][]byte{}, budget: maxWalkParts}
	w.entity(raw, 0)
	return w.found
}

type partWalker struct {
	want   map[string]bool
	found  map[string][]byte
	budget int
}

func (w *partWalker) done() bool { return len(w.found) == len(w.want) || w.budget <= 0 }

// entity reads one header block and body and looks in it.
func (w *partWalker) entity(raw []byte, depth int) {
	if depth > maxWalkDepth || w.done() {
		return
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
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.R, maxPartBytes))
	w.part(h, body, depth)
}

// part looks at one part: its decoded body, then its children.
func (w *partWalker) part(h textproto.MIMEHeader, body []byte, depth int) {
	decoded := DecodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	sum := sha256.Sum256(decoded)
	if s := hex.EncodeToString(sum[:]); w.want[s] && w.found[s] == nil {
		w.found[s] = decoded
	}
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for !w.done() {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			w.budget--
			b, _ := io.ReadAll(io.LimitReader(p, maxPartBytes))
			w.part(p.Header, b, depth+1)
		}
	case mt == "message/rfc822" || mt == "message/global":
		w.entity(decoded, depth+1)
	}
}

// DecodeTransfer undoes a Content-Transfer-Encoding leniently: base64 with
// line breaks, junk or missing padding; quoted-printable with bad escapes.
func DecodeTransfer(cte string, body []byte) []byte {
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
