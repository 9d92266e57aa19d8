package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/leakscope/leakscope"
)

// The text extracted from a message is mostly a copy of part of its
// original: compressed on its own it costs as much as a third of the
// packs, compressed in the same zstd frame right after its original it
// costs a few dozen bytes. So a new original is stored as a bundle with
// the text of its message, and both the "originals" and the "texts"
// records point at the bundle.
//
// Each original (or bundle) is a blob of its own, compressed with the
// store's mail dictionary: a bad sector or a few flipped bytes cost the one
// message whose blob they hit. (Compressing the originals of a batch
// together in 64 KiB chunks took a fifth less room on the Enron corpus,
// 20.9 MB of packs against 27.1 MB, but a damaged chunk lost every message
// in it, about ten.) Reading one message decompresses its blob: a few
// microseconds.
//
// The kind of a blob (byte 3 of its header) says what its payload holds:
const (
	blobOriginal byte = 0 // SHA-256, an original
	blobText     byte = 1 // a text (see encodeText)
	blobBundle   byte = 2 // SHA-256, then compressed: uvarint(length of the original), the original, a text
	blobDict     byte = 4 // a compression dictionary (codec.go)
	blobManifest byte = 5 // what a batch recorded: its copies and problems (manifest.go)
	blobJournal  byte = 6 // the writes of a transaction to the buckets that are not derived (journal.go)
	blobGap      byte = 7 // uvarint(offset): the bytes from there to this blob are a torn write
)

// knownKind reports whether k is a blob kind.
func knownKind(k byte) bool { return k <= blobBundle || (k >= blobDict && k <= blobGap) }

// carriesSHA reports whether blobs of kind k start with the SHA-256 of the
// original they hold.
func carriesSHA(k byte) bool { return k == blobOriginal || k == blobBundle }

// bundleMaxRaw is the size of the largest original bundled with its text
// (reading a text decompresses its original).
const bundleMaxRaw = 1 << 20

// encodeText appends the binary form of t to b: the body, then each
// attachment's name and text, every string preceded by its length as a
// uvarint. Unlike JSON it leaves the text as written (no escaped line
// ends), so zstd finds it in the original before it.
func encodeText(b []byte, t *leakscope.Text) []byte {
	b = appendString(b, t.Body)
	for _, a := range t.Attachments {
		b = appendString(appendString(b, a.Name), a.Text)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errBadText = errors.New("bad stored text")

// decodeText reverses encodeText.
func decodeText(b []byte) (*leakscope.Text, error) {
	body, b, err := cutString(b)
	if err != nil {
		return nil, err
	}
	t := &leakscope.Text{Body: body}
	for len(b) > 0 {
		var a leakscope.AttachmentText
		if a.Name, b, err = cutString(b); err != nil {
			return nil, err
		}
		if a.Text, b, err = cutString(b); err != nil {
			return nil, err
		}
		t.Attachments = append(t.Attachments, a)
	}
	return t, nil
}

func cutString(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, errBadText
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

// makeBundle returns the payload of a bundle of raw and text, before
// compression.
func makeBundle(raw []byte, text *leakscope.Text) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(raw)+len(text.Body)+16)
	b = binary.AppendUvarint(b, uint64(len(raw)))
	b = append(b, raw...)
	return encodeText(b, text)
}

// splitBundle returns the original and the encoded text of a bundle.
func splitBundle(b []byte) (raw, text []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errors.New("bad bundle")
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// blobPart returns what a blob of the given kind holds of want
// (blobOriginal or blobText).
func blobPart(kind, want byte, data []byte) ([]byte, error) {
	switch {
	case kind == want:
		return data, nil
	case kind == blobBundle:
		raw, text, err := splitBundle(data)
		if want == blobOriginal {
			return raw, err
		}
		return text, err
	default:
		return nil, fmt.Errorf("blob of kind %d where kind %d was expected", kind, want)
	}
}
