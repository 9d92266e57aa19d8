package main

import "github.com/leakscope/leakscope/mimepart"

// The store keeps attachments' descriptions (name, type, size, SHA-256)
// but not their bytes, which stay inside the stored original. findPart
// returns the decoded part whose SHA-256 is the one recorded at ingest
// (package mimepart), so a download is exactly what was indexed or nothing.
// Where the standard library cannot read a badly broken message that the
// lenient parser could, the part is not found (and the download is
// refused) rather than guessed.

// findPart returns the decoded body of the part of raw whose SHA-256 (hex)
// is want.
func findPart(raw []byte, want string) ([]byte, bool) {
	b, ok := mimepart.Find(raw, map[string]bool{want: true})[want]
	return b, ok
}
