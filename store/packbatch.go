package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// packedBatch is what a batch appends to the packs, compressed before the
// write transaction (in parallel) so that it stays short: its new
// originals and texts, one blob each (see bundle.go). What is made follows
// a plan read from the store just before: the original when it is not
// stored (in a bundle with the text when the message is new too), the text
// alone when only the message is new. Apply is the only writer of
// originals and messages, so the plan holds; putOriginal and putText still
// store what the plan left out, should it not.
type packedBatch struct {
	blobs []packedBlob
	items []packedItem
}

type packedBlob struct {
	code byte
	kind byte
	sha  []byte // of the original, for originals and bundles
	data []byte // before compression, then compressed
	loc  blobLoc
}

// packedItem says which blobs hold the original and the text of an item
// (indexes in blobs, -1 for none), or, for a store being rebuilt, where
// they already are.
type packedItem struct {
	raw, text       int
	rawLoc, textLoc blobLoc
	heal            bool // a known copy whose original is lost (heal.go)
}

// packBatch plans and compresses the new originals and texts of items.
func (db *DB) packBatch(items []leakscope.Ingested) (*packedBatch, error) {
	needRaw, needText, heal, err := db.planBatch(items)
	if err != nil {
		return nil, err
	}
	pb := &packedBatch{items: make([]packedItem, len(items))}
	for i := range heal {
		pb.items[i].heal = heal[i]
	}
	add := func(b packedBlob) int {
		pb.blobs = append(pb.blobs, b)
		return len(pb.blobs) - 1
	}
	for i := range items {
		it, p := &items[i], &pb.items[i]
		p.raw, p.text = -1, -1
		sha := hexKey(it.Copy.RawSHA256)
		if loc, ok := db.rebuilt[it.Copy.RawSHA256]; ok {
			// Rebuilding: the original is in the packs already, and so is
			// the text when it was bundled with it.
			p.rawLoc = loc.loc
			if needText[i] && loc.bundle {
				p.textLoc, needText[i] = loc.loc, false
			}
			needRaw[i] = false
		}
		if needRaw[i] && needText[i] && len(it.Raw) <= bundleMaxRaw {
			p.raw = add(packedBlob{kind: blobBundle, sha: sha, data: makeBundle(it.Raw, orEmpty(it.Text))})
			p.text = p.raw
			continue
		}
		if needRaw[i] {
			p.raw = add(packedBlob{kind: blobOriginal, sha: sha, data: it.Raw})
		}
		if needText[i] {
			p.text = add(packedBlob{kind: blobText, data: encodeText(nil, orEmpty(it.Text))})
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 4, len(pb.blobs))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pb.blobs) {
					return
				}
				b := &pb.blobs[i]
				b.code, b.data = db.codec.compress(b.data)
			}
		})
	}
	wg.Wait()
	return pb, nil
}

// planBatch reports which items bring an original and which a message
// that the store does not hold (only the first item with each), and which
// bring back an original listed as lost (they are stored with their text).
func (db *DB) planBatch(items []leakscope.Ingested) (needRaw, needText, heal []bool, err error) {
	needRaw, needText, heal = make([]bool, len(items)), make([]bool, len(items)), make([]bool, len(items))
	seenRaw, seenMsg := make(map[string]bool), make(map[string]bool)
	err = db.boltView(func(tx *bolt.Tx) error {
		originals, ids, copyKeys := tx.Bucket(bucketOriginals), tx.Bucket(bucketIDs), tx.Bucket(bucketCopyKeys)
		lost := lostSHAs(tx)
		for i := range items {
			it := &items[i]
			sha := it.Copy.RawSHA256
			if copyKeys.Get(hexKey(it.Copy.Key())) != nil {
				if lost[string(hexKey(sha))] && !seenRaw[sha] {
					seenRaw[sha] = true
					needRaw[i], needText[i], heal[i] = true, true, true
				}
				continue
			}
			if !seenRaw[sha] {
				seenRaw[sha] = true
				needRaw[i] = originals.Get(hexKey(sha)) == nil || lost[string(hexKey(sha))]
				heal[i] = lost[string(hexKey(sha))]
				needText[i] = heal[i] // bundled again with the text, which was lost with it
			}
			if id := it.Message.ID; !seenMsg[id] {
				seenMsg[id] = true
				needText[i] = needText[i] || ids.Get([]byte(id)) == nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("plan batch: %w", err)
	}
	return needRaw, needText, heal, nil
}

// appendBlobs appends the blobs of a batch to the packs.
func (pb *packedBatch) appendBlobs(p *packs) error {
	for i := range pb.blobs {
		b := &pb.blobs[i]
		loc, err := p.append(b.code, b.kind, b.sha, b.data)
		if err != nil {
			return err
		}
		b.loc = loc
	}
	return nil
}

// rawLoc and textLoc return where the original and the text of item i
// are, and false when the batch does not hold them.
func (pb *packedBatch) rawLoc(i int) (blobLoc, bool) {
	return pb.at(pb.items[i].raw, pb.items[i].rawLoc)
}
func (pb *packedBatch) textLoc(i int) (blobLoc, bool) {
	return pb.at(pb.items[i].text, pb.items[i].textLoc)
}

func (pb *packedBatch) at(blob int, loc blobLoc) (blobLoc, bool) {
	if blob >= 0 {
		return pb.blobs[blob].loc, true
	}
	return loc, loc.n > 0
}

func orEmpty(t *leakscope.Text) *leakscope.Text {
	if t == nil {
		return &leakscope.Text{}
	}
	return t
}

// maybeTrain trains the compression dictionaries on the first batch with
// enough messages, and stores them. A dictionary that could not be trained
// is tried again on the next batch with enough messages.
func (db *DB) maybeTrain(items []leakscope.Ingested) error {
	if db.codec.hasDicts() || len(items) < dictMinSamples {
		return nil
	}
	mail := make([][]byte, 0, len(items))
	records := make([][]byte, 0, 2*len(items))
	for i := range items {
		it := &items[i]
		mail = append(mail, it.Raw)
		m, err := json.Marshal(it.Message)
		if err != nil {
			return fmt.Errorf("encode message %s: %w", it.Message.ID, err)
		}
		c := it.Copy
		c.MessageID = ""
		cj, err := json.Marshal(&c)
		if err != nil {
			return fmt.Errorf("encode copy of %s: %w", it.Message.ID, err)
		}
		records = append(records, m, cj)
	}
	trained, err := db.codec.train(mail, records)
	if err != nil {
		logTrainError(db.log, err)
	}
	if trained == nil {
		return nil
	}
	// Each dictionary is kept in meta and, before anything compressed
	// with it, in the packs (a store rebuilt from them needs it).
	err = db.write(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for k, d := range trained {
			if err := meta.Put([]byte(k), d); err != nil {
				return err
			}
			if err := db.appendControl(meta, blobDict, append(appendBytes(nil, []byte(k)), d...), true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return errors.Join(fmt.Errorf("save compression dictionaries: %w", err), db.codec.forget(trained))
	}
	return nil
}
