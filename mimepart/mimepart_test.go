package mimepart

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// FuzzFind checks two properties of the attachment walk over
// untrusted MIME: an attachment encoded in a well-formed message is found
// byte for byte, and whatever the input, every part returned hashes to a
// hash that was asked for.
func FuzzFind(f *testing.F) {
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nhi\r\n--x--\r\n"), []byte("payload"))
	f.Add([]byte("From x\nContent-Type: message/rfc822\n\nContent-Type: text/plain\n\nbody"), []byte{0, 1, 2})
	f.Fuzz(func(t *testing.T, raw, payload []byte) {
		enc := base64.StdEncoding.EncodeToString(payload)
		msg := "Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
			"--zz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + enc + "\r\n--zz--\r\n"
		want := hexSum(payload)
		got := Find([]byte(msg), map[string]bool{want: true})
		if !bytes.Equal(got[want], payload) {
			t.Errorf("attachment of %d bytes not found in a well-formed message", len(payload))
		}
		wants := map[string]bool{hexSum(raw): true, want: true, hexSum([]byte("hi")): true}
		for h, b := range Find(raw, wants) {
			if !wants[h] || hexSum(b) != h {
				t.Errorf("Find returned a part hashing to %s under %s", hexSum(b), h)
			}
		}
	})
}
