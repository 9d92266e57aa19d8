package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Checking an index. bleve trusts its segment files: a damaged one gives
// wrong answers, or a panic deep in a search. Each segment file (scorch's
// zap format, in the "store" folder) ends with a CRC-32 (IEEE) of all its
// bytes before it, which bleve never checks; VerifyFiles does.

// VerifyFiles checks the checksum of every segment file of the index in
// dir and returns what is wrong, one line per damaged file (nil when all
// hold). A missing index is one line too.
func VerifyFiles(ctx context.Context, dir string) ([]string, error) {
	store := filepath.Join(dir, "store")
	entries, err := os.ReadDir(store)
	if os.IsNotExist(err) {
		return []string{fmt.Sprintf("%s: no index", dir)}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("verify index: %w", err)
	}
	var bad []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".zap") {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path := filepath.Join(store, e.Name())
		if problem, err := checkSegment(path); err != nil {
			return nil, fmt.Errorf("verify index: %w", err)
		} else if problem != "" {
			bad = append(bad, path+": "+problem)
		}
	}
	return bad, nil
}

// checkSegment says what is wrong with the segment file at path, if
// anything.
func checkSegment(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if fi.Size() < 4 {
		return fmt.Sprintf("%d bytes, too short for a segment", fi.Size()), nil
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fi.Size()-4)); err != nil {
		return "", err
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], fi.Size()-4); err != nil {
		return "", err
	}
	if got, want := h.Sum32(), binary.BigEndian.Uint32(tail[:]); got != want {
		return fmt.Sprintf("checksum %08x, the file records %08x (damaged)", got, want), nil
	}
	return "", nil
}

// Missing returns those of ids the index holds no document for.
func (ix *Index) Missing(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, err := ix.idx.Document(id)
		if err != nil {
			return nil, fmt.Errorf("look up %s in the index: %w", id, err)
		}
		if doc == nil {
			out = append(out, id)
		}
	}
	return out, nil
}
