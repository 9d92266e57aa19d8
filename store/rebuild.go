package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// A store lost, emptied or damaged beyond reading is rebuilt from its
// packs, which hold everything it is made of (pack.go, journal.go,
// manifest.go): Rebuild scans them, creates a new store file, loads the
// compression dictionaries and replays the journal (settings, runs, leaks,
// users, tags, productions, watch lists, audit trail); Reingest then parses
// the original of every copy the manifests list, as ingest did, and stores
// the messages again, pointing at the blobs already in the packs. Nothing
// is appended but the texts that were not bundled with their original.

// rebuiltBlob is where a rebuild found an original in the packs.
type rebuiltBlob struct {
	loc    blobLoc
	bundle bool // bundled with the text of its message
}

// Rebuilding is a store being rebuilt: what the scan of its packs found.
type Rebuilding struct {
	DB     *DB
	survey *survey
	kept   []surveyed
	hit    map[string]bool // damaged stretches a lost copy's blob is in
	Report RebuildReport
}

// RebuildReport says what a rebuild found in the packs and what it could
// not bring back.
type RebuildReport struct {
	Packs     int      `json:"packs"`
	PackBytes int64    `json:"pack_bytes"`
	Blobs     int      `json:"blobs"`
	Damaged   []string `json:"damaged,omitempty"` // stretches of the packs that hold no valid blob
	Journals  int      `json:"journals"`          // journal blobs replayed
	Manifests int      `json:"manifests"`         // batch manifests read
	Copies    int      `json:"copies"`            // copies they list
	Messages  int      `json:"messages"`          // messages stored again
	Lost      []Lost   `json:"lost,omitempty"`    // copies and problems whose original could not be read
}

// ParseFunc turns the original of a copy back into what ingest stored for
// it: the message and its attached messages (each with its copy), and the
// problems of parsing it. The rebuild sets the copies' Added times.
type ParseFunc func(raw []byte, fromLine string, c leakscope.Copy) ([]leakscope.Ingested, []leakscope.Problem)

// Rebuild creates a store at path, which must not exist, from the packs in
// opts.PackDir (default "packs" beside path): the dictionaries and the
// journal. Reingest adds the messages; the caller closes the store.
func Rebuild(ctx context.Context, path string, opts Options) (*Rebuilding, error) {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("rebuild store: %s exists", path)
	}
	if opts.PackDir == "" {
		opts.PackDir = filepath.Join(filepath.Dir(path), "packs")
	}
	s, err := surveyPacks(opts.PackDir, nil)
	if err != nil {
		return nil, fmt.Errorf("rebuild store: %w", err)
	}
	rb := &Rebuilding{survey: s, kept: s.kept(), hit: make(map[string]bool)}
	rb.Report.Packs, rb.Report.Blobs = len(s.packs), s.blobs
	for _, n := range s.packs {
		rb.Report.PackBytes += s.sizes[n]
	}
	for _, b := range s.bad {
		rb.Report.Damaged = append(rb.Report.Damaged, b.String())
	}
	if err := rb.seed(ctx, path, opts); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("rebuild store: %w", err)
	}
	db, err := Open(ctx, path, opts)
	if err != nil {
		return nil, fmt.Errorf("rebuild store: %w", err)
	}
	db.rebuilt = make(map[string]rebuiltBlob, len(s.originals))
	for _, o := range s.originals { // the first valid copy of each original

		sha := hex.EncodeToString(o.sha)
		if prev, ok := db.rebuilt[sha]; !ok || locBefore(o.loc, prev.loc) {
			db.rebuilt[sha] = rebuiltBlob{loc: o.loc, bundle: o.kind == blobBundle}
		}
	}
	rb.DB = db
	return rb, nil
}

func locBefore(a, b blobLoc) bool { return a.pack < b.pack || a.pack == b.pack && a.off < b.off }

// seed writes the new store file: buckets, schema, the dictionaries, the
// journal replayed, and the packs' end.
func (rb *Rebuilding) seed(ctx context.Context, path string, opts Options) error {
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: opts.NoSync, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return err
	}
	defer bdb.Close()
	p := openPacks(opts.PackDir)
	defer p.close()
	return bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put([]byte("schema"), []byte(schemaVersion)); err != nil {
			return err
		}
		var lastTx uint64
		for _, c := range rb.kept {
			lastTx = max(lastTx, c.tx)
			if c.kind != blobDict {
				continue
			}
			_, _, payload, err := p.read(c.loc)
			if err != nil {
				return err
			}
			_, data, _ := controlPayload(payload)
			key, dict, ok := cutBytes(data)
			if !ok {
				return fmt.Errorf("bad dictionary blob at %s: %w", c.loc, leakscope.ErrDamaged)
			}
			if err := meta.Put(key, dict); err != nil {
				return err
			}
		}
		cd, err := newCodec(meta)
		if err != nil {
			return err
		}
		defer cd.close()
		for _, c := range rb.kept {
			if c.kind != blobJournal {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			code, _, payload, err := p.read(c.loc)
			if err != nil {
				return err
			}
			_, data, _ := controlPayload(payload)
			records, err := cd.decompress(code, data)
			if err == nil {
				err = parseJournal(records, func(r journalRecord) error { return r.replay(tx) })
			}
			if err != nil {
				return fmt.Errorf("journal at %s: %w", c.loc, err)
			}
			rb.Report.Journals++
		}
		if err := meta.Put(metaPackTx, u64key(lastTx)); err != nil {
			return err
		}
		// The packs' end: the end of the last one, or where its torn last
		// write starts (the writer opening the store seals it).
		last, end := uint32(1), uint64(0)
		if n := len(rb.survey.packs); n > 0 {
			last = rb.survey.packs[n-1]
			end = uint64(rb.survey.sizes[last])
			if t := rb.survey.torn; t != nil {
				end = uint64(t.off)
			}
		}
		return putPackEnd(meta, last, end)
	})
}

// Reingest stores again the messages of every copy the manifests list,
// parsing each original with parse, and the problems of each batch.
// Copies whose original cannot be read are listed in the report (and kept
// in the store's list of losses, see lost.go).
func (rb *Rebuilding) Reingest(ctx context.Context, parse ParseFunc) (*RebuildReport, error) {
	db := rb.DB
	for _, c := range rb.kept {
		if c.kind != blobManifest {
			continue
		}
		m, err := rb.manifest(c.loc)
		if err != nil {
			// A manifest that cannot be read loses what it listed: the
			// blobs it named are still counted as unreferenced.
			rb.Report.Lost = append(rb.Report.Lost, Lost{Blob: blobKey{c.loc.pack, c.loc.off}.String(), Reason: "batch manifest unreadable: " + err.Error()})
			continue
		}
		rb.Report.Manifests++
		var items []leakscope.Ingested
		var problems []leakscope.Problem
		for _, mc := range m.Copies {
			rb.Report.Copies++
			raw, sha, err := rb.original(mc.Blob)
			if err != nil {
				rb.lose(Lost{Copy: mc.Copy.Location(), Run: m.Run}, mc.Blob, err)
				continue
			}
			c := mc.Copy
			c.RawSHA256 = sha
			its, ps := parse(raw, mc.FromLine, c)
			for i := range its {
				if its[i].Copy.Added.IsZero() {
					its[i].Copy.Added = c.Added
				}
			}
			items = append(items, its...)
			problems = append(problems, ps...)
		}
		for _, mp := range m.Problems {
			p := mp.Problem
			if mp.Blob != nil {
				raw, _, err := rb.original(*mp.Blob)
				if err != nil {
					rb.lose(Lost{Copy: p.Location, Run: m.Run, SHA256: p.RawSHA256}, *mp.Blob, err)
				}
				p.Raw = raw
			}
			problems = append(problems, p)
		}
		res, err := db.Apply(ctx, m.Run, items, problems)
		if err != nil {
			return nil, fmt.Errorf("rebuild batch of run %d: %w", m.Run, err)
		}
		rb.Report.Messages += res.New
	}
	// Damaged stretches no manifest names a blob in cost nothing known;
	// they are listed so that verify knows them.
	for _, b := range rb.survey.bad {
		if !rb.hit[b.String()] {
			rb.Report.Lost = append(rb.Report.Lost, Lost{Blob: blobKey{b.pack, uint64(b.off)}.String(), Stretch: b.String(),
				Reason: "bytes that hold no valid blob; no manifest names a blob there"})
		}
	}
	if err := db.PutLost(ctx, rb.Report.Lost); err != nil {
		return nil, err
	}
	return &rb.Report, nil
}

// lose lists l, the copy or problem whose original's blob starts at place,
// as lost for err.
func (rb *Rebuilding) lose(l Lost, place [2]uint64, err error) {
	at := blobLoc{pack: uint32(place[0]), off: place[1]}
	l.Blob, l.Reason = blobKey{at.pack, at.off}.String(), err.Error()
	for _, b := range rb.survey.bad {
		if b.contains(at) {
			l.Stretch = b.String()
			rb.hit[b.String()] = true
		}
	}
	rb.Report.Lost = append(rb.Report.Lost, l)
}

// manifest reads the manifest blob at loc.
func (rb *Rebuilding) manifest(loc blobLoc) (*manifest, error) {
	code, _, payload, err := rb.DB.packs.read(loc)
	if err != nil {
		return nil, err
	}
	_, data, _ := controlPayload(payload)
	b, err := rb.DB.codec.decompress(code, data)
	if err != nil {
		return nil, err
	}
	return parseManifest(b)
}

// original reads the original whose blob starts at place (pack, offset),
// checked against the SHA-256 it carries, and returns it with that hash.
func (rb *Rebuilding) original(place [2]uint64) ([]byte, string, error) {
	o, ok := rb.survey.originals[blobKey{uint32(place[0]), place[1]}]
	if !ok {
		for _, b := range rb.survey.bad {
			if b.contains(blobLoc{pack: uint32(place[0]), off: place[1]}) {
				return nil, "", fmt.Errorf("its blob is in damaged %s", b)
			}
		}
		return nil, "", errors.New("no original's blob starts there")
	}
	b, err := rb.DB.readBlob(o.loc)
	if err != nil {
		return nil, "", err
	}
	raw, err := blobPart(b.kind, blobOriginal, b.data)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != hex.EncodeToString(b.sha) {
		return nil, "", fmt.Errorf("the blob's bytes do not hash to the SHA-256 it names")
	}
	return append([]byte(nil), raw...), hex.EncodeToString(b.sha), nil
}
