package search

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/leakscope/leakscope"
)

// A cursor is opaque to callers: base64url of a version byte, the sort order
// it belongs to, and the last hit's sort values (raw index terms, so binary),
// each preceded by its length as a uvarint.
const cursorVersion = 2

var sortCodes = map[string]byte{SortDateDesc: 1, SortDateAsc: 2, SortRelevance: 3, SortRisk: 4}

func encodeCursor(sort string, h *bsearch.DocumentMatch) string {
	if sort == "" {
		sort = SortDateDesc
	}
	b := []byte{cursorVersion, sortCodes[sort]}
	for _, v := range sortValues(h) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the sort values in a cursor made for sort.
func decodeCursor(s, sort string) ([]string, error) {
	bad := func(why string) error {
		return fmt.Errorf("invalid cursor: %s: %w", why, leakscope.ErrInvalidInput)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != cursorVersion {
		return nil, bad("malformed")
	}
	if b[1] != sortCodes[sort] {
		return nil, bad("made for another sort order")
	}
	b = b[2:]
	var out []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, bad("malformed")
		}
		out = append(out, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	if want := 1 + btoi(sort == SortRisk || sort == SortRelevance); len(out) != want {
		return nil, bad("malformed")
	}
	if sort == SortRelevance {
		if f, err := strconv.ParseFloat(out[0], 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, bad("malformed score")
		}
	}
	return out, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
