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
// Mail also repeats itself from one message to the next (replies quote,
// the same headers recur), which zstd only sees within one frame. So the
// new originals, bundles and texts of a batch are compressed together in
// chunks of up to chunkMaxBytes, in batch order; a location then names a
// chunk and an entry in it. On the Enron corpus the packs take 44.0 MB
// with originals and texts compressed one by one, 26.9 MB with bundles
// and 20.9 MB with chunks of bundles, and chunks compress faster than
// single messages (the dictionary is set up once per chunk). Reading one
// message decompresses its chunk, 64 KiB at most unless the message alone
// is larger: tens of microseconds.
//
// The kind of a blob (byte 2 of its header) says what its decompressed
// payload holds:
const (
	blobOriginal byte = 0 // an original
	blobText     byte = 1 // a text (see encodeText)
	blobBundle   byte = 2 // uvarint(length of the original), the original, a text
	blobChunk    byte = 3 // entries: kind byte, uvarint(length), data (of kind 0, 1 or 2)
)

const (
	// bundleMaxRaw is the size of the largest original bundled with its
	// text (reading a text decompresses its original).
	bundleMaxRaw = 1 << 20
	// chunkMaxBytes is the size a chunk is filled up to, before
	// compression; an entry larger than that is a blob of its own.
	chunkMaxBytes = 64 << 10
)

// chunkEntry is one original, text or bundle in a chunk.
type chunkEntry struct {
	kind byte
	data []byte
}

// makeChunk returns the payload of a chunk, before compression.
func makeChunk(entries []chunkEntry) []byte {
	n := 0
	for _, e := range entries {
		n += 1 + binary.MaxVarintLen32 + len(e.data)
	}
	b := make([]byte, 0, n)
	for _, e := range entries {
		b = append(b, e.kind)
		b = binary.AppendUvarint(b, uint64(len(e.data)))
		b = append(b, e.data...)
	}
	return b
}

// chunkEntryAt returns entry i of a chunk.
func chunkEntryAt(b []byte, i uint32) (chunkEntry, error) {
	for j := uint32(0); ; j++ {
		if len(b) < 1 {
			return chunkEntry{}, fmt.Errorf("chunk has no entry %d", i)
		}
		n, k := binary.Uvarint(b[1:])
		if k <= 0 || n > uint64(len(b)-1-k) {
			return chunkEntry{}, errors.New("bad chunk")
		}
		if j == i {
			return chunkEntry{kind: b[0], data: b[1+k : 1+k+int(n)]}, nil
		}
		b = b[1+k+int(n):]
	}
}

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
// (blobOriginal or blobText); entry says which entry of a chunk.
func blobPart(kind, want byte, data []byte, entry uint32) ([]byte, error) {
	if kind == blobChunk {
		e, err := chunkEntryAt(data, entry)
		if err != nil {
			return nil, err
		}
		if e.kind == blobChunk {
			return nil, errors.New("chunk in a chunk")
		}
		kind, data = e.kind, e.data
	}
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
