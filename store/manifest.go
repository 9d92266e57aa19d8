package store

import (
	"encoding/json"
	"fmt"

	"github.com/leakscope/leakscope"
)

// A batch's manifest is what it recorded that the originals do not say:
// where each copy was found (leak, batch, run, path, custodian, folder,
// flags, when) and which blob holds its original, and the problems of the
// batch. With the journal (journal.go) it is what a store is rebuilt from:
// each copy's original is parsed again, as ingest parsed it. Only copies of
// whole messages are listed; those of attached messages (Copy.Part) come
// back from parsing their parent.
//
// A manifest blob is the transaction's number (journal.go) and the JSON of
// a manifest, compressed with the record dictionary.
type manifest struct {
	Run      uint64            `json:"run"`
	Copies   []manifestCopy    `json:"copies,omitempty"`
	Problems []manifestProblem `json:"problems,omitempty"`
}

// manifestCopy is a copy (its MessageID and RawSHA256 left out: parsing
// the original gives the one, the blob holds the other) and where its
// original's blob is: pack and offset.
type manifestCopy struct {
	leakscope.Copy
	Blob     [2]uint64 `json:"blob"`
	FromLine string    `json:"from_line,omitempty"` // the mbox From_ line it followed
}

// manifestProblem is a problem and, when it kept the bytes of a message
// that could not be indexed, where their blob is.
type manifestProblem struct {
	leakscope.Problem
	Blob *[2]uint64 `json:"blob,omitempty"`
}

func (m *manifest) addCopy(it *leakscope.Ingested, loc blobLoc) {
	c := it.Copy
	if c.Part != "" {
		return
	}
	c.MessageID, c.RawSHA256 = "", ""
	m.Copies = append(m.Copies, manifestCopy{Copy: c, Blob: [2]uint64{uint64(loc.pack), loc.off}, FromLine: it.FromLine})
}

func (m *manifest) addProblem(p leakscope.Problem, loc blobLoc, hasRaw bool) {
	mp := manifestProblem{Problem: p}
	if hasRaw {
		mp.Blob = &[2]uint64{uint64(loc.pack), loc.off}
	}
	m.Problems = append(m.Problems, mp)
}

func (m *manifest) empty() bool { return len(m.Copies) == 0 && len(m.Problems) == 0 }

func parseManifest(b []byte) (*manifest, error) {
	m := new(manifest)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("bad manifest: %w", err)
	}
	return m, nil
}
