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
// originals and texts, grouped into chunks (see bundle.go). What is made
// follows a plan read from the store just before: the original when it is
// not stored (in a bundle with the text when the message is new too), the
// text alone when only the message is new. Apply is the only writer of
// originals and messages, so the plan holds; putOriginal and putText still
// store what the plan left out, should it not.
type packedBatch struct {
	chunks []packedChunk
	items  []packedItem
}

type packedChunk struct {
	code byte
	kind byte // blobChunk, or the kind of its only entry
	data []byte
	loc  blobLoc // once appended
}

// packedItem says where the original and the text of an item are: a chunk
// (index in chunks, -1 for none) and an entry in it.
type packedItem struct {
	raw, text entryRef
}

type entryRef struct{ chunk, entry int }

var noEntry = entryRef{-1, 0}

// packBatch plans and compresses the new originals and texts of items.
func (db *DB) packBatch(items []leakscope.Ingested) (*packedBatch, error) {
	needRaw, needText, err := db.planBatch(items)
	if err != nil {
		return nil, err
	}
	pb := &packedBatch{items: make([]packedItem, len(items))}
	// Entries go into chunks in batch order (mail of one folder, often of
	// one thread, is together); one larger than a chunk is alone.
	var chunks [][]chunkEntry
	var size int
	add := func(e chunkEntry) entryRef {
		if len(chunks) == 0 || size > 0 && size+len(e.data) > chunkMaxBytes {
			chunks = append(chunks, nil)
			size = 0
		}
		c := len(chunks) - 1
		chunks[c] = append(chunks[c], e)
		size += len(e.data)
		return entryRef{c, len(chunks[c]) - 1}
	}
	for i := range items {
		it, p := &items[i], &pb.items[i]
		p.raw, p.text = noEntry, noEntry
		if needRaw[i] && needText[i] && len(it.Raw) <= bundleMaxRaw {
			p.raw = add(chunkEntry{blobBundle, makeBundle(it.Raw, orEmpty(it.Text))})
			p.text = p.raw
			continue
		}
		if needRaw[i] {
			p.raw = add(chunkEntry{blobOriginal, it.Raw})
		}
		if needText[i] {
			p.text = add(chunkEntry{blobText, encodeText(nil, orEmpty(it.Text))})
		}
	}
	pb.chunks = make([]packedChunk, len(chunks))
	workers := min(runtime.GOMAXPROCS(0), 4, len(chunks))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range workers {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= len(chunks) {
					return
				}
				pc := &pb.chunks[c]
				if len(chunks[c]) == 1 {
					pc.kind = chunks[c][0].kind
					pc.code, pc.data = db.codec.compress(chunks[c][0].data)
				} else {
					pc.kind = blobChunk
					pc.code, pc.data = db.codec.compress(makeChunk(chunks[c]))
				}
			}
		})
	}
	wg.Wait()
	return pb, nil
}

// planBatch reports which items bring an original and which a message
// that the store does not hold (only the first item with each).
func (db *DB) planBatch(items []leakscope.Ingested) (needRaw, needText []bool, err error) {
	needRaw, needText = make([]bool, len(items)), make([]bool, len(items))
	seenRaw, seenMsg := make(map[string]bool), make(map[string]bool)
	err = db.bolt.View(func(tx *bolt.Tx) error {
		originals, ids, copyKeys := tx.Bucket(bucketOriginals), tx.Bucket(bucketIDs), tx.Bucket(bucketCopyKeys)
		for i := range items {
			it := &items[i]
			if copyKeys.Get(hexKey(it.Copy.Key())) != nil {
				continue
			}
			if sha := it.Copy.RawSHA256; !seenRaw[sha] {
				seenRaw[sha] = true
				needRaw[i] = originals.Get(hexKey(sha)) == nil
			}
			if id := it.Message.ID; !seenMsg[id] {
				seenMsg[id] = true
				needText[i] = ids.Get([]byte(id)) == nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("plan batch: %w", err)
	}
	return needRaw, needText, nil
}

// appendChunks appends the chunks of a batch to the packs.
func (pb *packedBatch) appendChunks(p *packs) error {
	for i := range pb.chunks {
		c := &pb.chunks[i]
		loc, err := p.append(c.code, c.kind, c.data)
		if err != nil {
			return err
		}
		c.loc = loc
	}
	return nil
}

// loc returns the location of an entry, and false for noEntry.
func (pb *packedBatch) loc(r entryRef) (blobLoc, bool) {
	if r.chunk < 0 {
		return blobLoc{}, false
	}
	c := &pb.chunks[r.chunk]
	loc := c.loc
	if c.kind == blobChunk {
		loc.entry = uint32(r.entry)
	}
	return loc, true
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
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for k, d := range trained {
			if err := meta.Put([]byte(k), d); err != nil {
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
