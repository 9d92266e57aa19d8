package store

import (
	"context"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// MendReport says what MendPacks did.
type MendReport struct {
	// Repointed are the originals (SHA-256) whose record now points at
	// an intact copy of their blob elsewhere in the packs.
	Repointed []string `json:"repointed,omitempty"`
	// Texts are the damaged text blobs of messages whose original is
	// readable (Lost entries naming the one message): the caller extracts
	// the text again, stores it with PutText and lists the entry with
	// PutLost, saying what became of it, so that verify knows the damage.
	Texts []Lost `json:"texts,omitempty"`
	// Lost is what was newly listed as lost.
	Lost []Lost `json:"lost,omitempty"`
}

// MendPacks mends what rep (a Verify of this store) found damaged in the
// packs, the store itself being sound. An original whose blob is damaged
// is pointed at an intact copy of the same original elsewhere in the packs
// when there is one (an interrupted run may have left one); a damaged text
// whose original is readable is left to the caller (MendReport.Texts);
// everything else is listed as lost (lost.go), with the messages it costs.
// Packs are never rewritten.
func (db *DB) MendPacks(ctx context.Context, rep *VerifyReport) (*MendReport, error) {
	out := &MendReport{}
	if rep.survey == nil {
		return out, nil
	}
	bySHA := make(map[string]surveyed)
	for _, o := range rep.survey.originals {
		bySHA[string(o.sha)] = o
	}
	var lost []Lost
	err := db.update(ctx, func(tx *bolt.Tx) error {
		out.Repointed, out.Texts, lost = nil, nil, nil
		skipped, err := skipLostTail(tx.Bucket(bucketMeta), rep.survey)
		if err != nil {
			return err
		}
		if t := rep.survey.torn; skipped && t != nil {
			// Writes go on in a new pack: the cut end of this one is not
			// a torn write a writer will seal, but known damage.
			lost = append(lost, Lost{Blob: blobKey{t.pack, uint64(t.off)}.String(), Stretch: t.String(), Reason: "the pack ends in the middle of a blob (cut short)"})
		}
		originals := tx.Bucket(bucketOriginals)
		originalAt := make(map[blobLoc]bool)
		for _, d := range rep.Damage {
			if d.Part == PartPacks && d.kind == blobOriginal {
				originalAt[d.loc] = true
			}
		}
		for _, d := range rep.Damage {
			if d.Part != PartPacks {
				continue
			}
			if d.kind == blobText && originalAt[d.loc] {
				continue // a bundle: its original's loss covers the text
			}
			if d.kind == blobOriginal && d.SHA256 != "" {
				sha, _ := hex.DecodeString(d.SHA256)
				if o, ok := bySHA[string(sha)]; ok && o.loc != d.loc && db.intact(o.loc, sha) {
					if err := originals.Put(sha, o.loc.bytes()); err != nil {
						return err
					}
					out.Repointed = append(out.Repointed, d.SHA256)
					continue
				}
			}
			if d.kind == blobText && len(d.Messages) == 1 && !rep.originalDamaged(d.Messages[0]) {
				out.Texts = append(out.Texts, Lost{Blob: d.Where, Messages: d.Messages, Stretch: d.stretch, Reason: "text: " + d.Problem})
				continue
			}
			l := Lost{Blob: d.Where, SHA256: d.SHA256, Messages: d.Messages, Stretch: d.stretch, Reason: d.Problem}
			if d.kind == blobText {
				l.Reason = "text: " + l.Reason
			}
			lost = append(lost, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mend packs: %w", err)
	}
	if err := db.PutLost(ctx, lost); err != nil {
		return nil, err
	}
	out.Lost = lost
	return out, nil
}

// skipLostTail moves the packs' committed end to a new pack when the last
// one is missing or shorter than the store committed (new blobs must not
// land where the store still places lost ones), and reports whether it
// did.
func skipLostTail(meta *bolt.Bucket, s *survey) (bool, error) {
	pack, end, ok := committedEnd(meta)
	if !ok || end == 0 || uint64(s.sizes[pack]) >= end {
		return false, nil
	}
	next := pack
	for _, n := range s.packs {
		next = max(next, n)
	}
	return true, putPackEnd(meta, next+1, 0)
}

// originalDamaged reports whether the report found the original of
// message id damaged.
func (r *VerifyReport) originalDamaged(id string) bool {
	for _, d := range r.Damage {
		if d.kind == blobOriginal {
			for _, m := range d.Messages {
				if m == id {
					return true
				}
			}
		}
	}
	return false
}

// intact reports whether the blob at loc holds the original sha, whole.
func (db *DB) intact(loc blobLoc, sha []byte) bool {
	v := verifier{db: db, survey: &survey{}}
	return v.read(loc, blobOriginal, sha) == ""
}

// PutText stores a new text for message id (one extracted again from its
// original, whose old text blob is damaged) and points the message at it.
func (db *DB) PutText(ctx context.Context, id string, text *leakscope.Text) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		seq := seqOf(tx, id)
		if seq == nil {
			return fmt.Errorf("message %s: %w", id, leakscope.ErrNotFound)
		}
		return newBatchWriter(db, tx).putText(seq, text, blobLoc{})
	})
	if err != nil {
		return fmt.Errorf("put text of %s: %w", id, err)
	}
	return nil
}
