package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Verify checks the whole store without changing it: bbolt's own page
// check, every pack blob's checksum (a scan of every pack), every
// record's decoding, every message's text and every original readable and
// matching its SHA-256, the counters against the records, and the audit
// chain. Damage already listed by a repair (lost.go) is reported as known,
// not as damage.

// VerifyReport is what Verify found.
type VerifyReport struct {
	Messages  int   `json:"messages"`
	Copies    int   `json:"copies"`
	Originals int   `json:"originals"`
	Packs     int   `json:"packs"`
	PackBytes int64 `json:"pack_bytes"`
	Blobs     int   `json:"blobs"`
	// Unreferenced counts valid blobs no record points at: what
	// interrupted runs appended (harmless).
	Unreferenced int       `json:"unreferenced_blobs"`
	Audit        AuditHead `json:"audit"`
	Damage       []Damage  `json:"damage,omitempty"`
	Known        []Lost    `json:"known_losses,omitempty"`
	Notes        []string  `json:"notes,omitempty"`

	survey *survey // what the scan of the packs found, for MendPacks
}

// Damage is one thing found damaged, and what it costs.
type Damage struct {
	// Part is what is damaged: "store" (the bbolt file: pages, records,
	// counters; a repair rebuilds it from the packs), "audit" (the audit
	// trail in it; likewise) or "packs" (a blob or a stretch of a pack).
	Part     string   `json:"part"`
	Where    string   `json:"where"`              // file, and place in it
	Problem  string   `json:"problem"`            // what is wrong
	Messages []string `json:"messages,omitempty"` // messages whose original or text it makes unreadable
	// SHA256 is the hash of the original it makes unreadable, when it is
	// one.
	SHA256 string `json:"sha256,omitempty"`

	loc     blobLoc // the damaged blob, for "packs"
	kind    byte    // what it should hold
	stretch string  // the damaged stretch it is in, if any
}

// Damage parts.
const (
	PartStore = "store"
	PartAudit = "audit"
	PartPacks = "packs"
)

// StoreDamaged reports whether the store file itself (or its audit trail)
// is damaged: a repair rebuilds it from the packs.
func (r *VerifyReport) StoreDamaged() bool {
	return slices.ContainsFunc(r.Damage, func(d Damage) bool { return d.Part != PartPacks })
}

// Damaged reports whether anything was found damaged.
func (r *VerifyReport) Damaged() bool { return len(r.Damage) > 0 }

// VerifyProgress is told how far Verify is: a stage, and done out of total
// (bytes of packs, then records).
type VerifyProgress func(stage string, done, total int64)

// maxDamage bounds the damage listed of one kind (bbolt's check, records
// that do not decode): past it, one line says how many more.
const maxDamage = 50

// Verify checks the store; see the comment above. An error means the
// check could not run, not that damage was found.
func (db *DB) Verify(ctx context.Context, progress VerifyProgress) (*VerifyReport, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	rep := &VerifyReport{}
	storeName := db.bolt.Path()
	bolted := 0
	// A damaged page can make bbolt panic; the transaction then fails
	// with ErrDamaged (check.go), which is damage found, not a failure.
	found := func(err error) error {
		if errors.Is(err, leakscope.ErrDamaged) {
			rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: err.Error()})
			return nil
		}
		return err
	}
	if err := found(db.view(ctx, func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			if bolted++; bolted <= maxDamage {
				rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: "bbolt check: " + err.Error()})
			}
		}
		return nil
	})); err != nil {
		return nil, err
	}
	if bolted > maxDamage {
		rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: fmt.Sprintf("bbolt check: %d more problems", bolted-maxDamage)})
	}
	total := packBytes(db.packs.dir)
	s, err := surveyPacks(db.packs.dir, func(done int64) { progress("packs", done, total) })
	if err != nil {
		return nil, err
	}
	rep.Packs, rep.PackBytes, rep.Blobs, rep.survey = len(s.packs), total, s.blobs, s
	known, err := db.LostOriginals(ctx)
	if err != nil {
		rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: err.Error()})
	}
	rep.Known = known
	v := &verifier{db: db, rep: rep, survey: s, known: make(map[string]bool), referenced: make(map[blobKey]bool), hit: make(map[string]bool)}
	for _, l := range known {
		v.known[l.Blob] = true
		if l.Stretch != "" {
			v.known[l.Stretch] = true
		}
	}
	if err := found(v.records(ctx, progress)); err != nil {
		return nil, err
	}
	v.stretches()
	if s.torn != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s: a write torn by a crash (harmless; the next index run seals it)", s.torn))
	}
	if head, err := db.VerifyAudit(ctx); err != nil {
		var ae *leakscope.AuditError
		if !errors.As(err, &ae) {
			if err := found(err); err != nil {
				return nil, err
			}
			return rep, nil
		}
		rep.Damage = append(rep.Damage, Damage{Part: PartAudit, Where: storeName + " (audit trail)", Problem: err.Error()})
	} else {
		rep.Audit = head
	}
	return rep, nil
}

type verifier struct {
	db         *DB
	rep        *VerifyReport
	survey     *survey
	known      map[string]bool
	referenced map[blobKey]bool
	hit        map[string]bool // damaged stretches records point into
	undecoded  int
}

// undecodable lists a damaged record, up to maxDamage of them.
func (v *verifier) undecodable(where, problem string) {
	if v.undecoded++; v.undecoded <= maxDamage {
		v.rep.Damage = append(v.rep.Damage, Damage{Part: PartStore, Where: where, Problem: problem})
	}
}

// records walks messages, texts, copies and originals.
func (v *verifier) records(ctx context.Context, progress VerifyProgress) error {
	db, rep := v.db, v.rep
	storeName := db.bolt.Path()
	return db.view(ctx, func(tx *bolt.Tx) error {
		ids, messages := tx.Bucket(bucketIDs), tx.Bucket(bucketMessages)
		copies, originals := tx.Bucket(bucketCopies), tx.Bucket(bucketOriginals)
		total := int64(ids.Stats().KeyN)
		usersOf := make(map[string][]string) // original SHA-256 (binary) -> messages
		err := ids.ForEach(func(id, seq []byte) error {
			rep.Messages++
			if rep.Messages%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				progress("messages", int64(rep.Messages), total)
			}
			if m, err := db.messageAt(messages, seq); err != nil {
				v.undecodable(storeName, fmt.Sprintf("message %s: record unreadable: %v", id, err))
			} else if m.ID != string(id) {
				v.undecodable(storeName, fmt.Sprintf("message %s: its record is that of %q", id, m.ID))
			}
			c := copies.Cursor()
			for k, cv := c.Seek(seq); k != nil && bytes.HasPrefix(k, seq); k, cv = c.Next() {
				rep.Copies++
				var cp leakscope.Copy
				if err := db.getValue(cv, &cp); err != nil {
					v.undecodable(storeName, fmt.Sprintf("message %s: copy record unreadable: %v", id, err))
					continue
				}
				sha := hexKey(cp.RawSHA256)
				if originals.Get(sha) == nil {
					v.undecodable(storeName, fmt.Sprintf("message %s: its copy at %s names original %s, which the store does not hold", id, cp.Location(), cp.RawSHA256))
				}
				if users := usersOf[string(sha)]; !slices.Contains(users, string(id)) {
					usersOf[string(sha)] = append(users, string(id))
				}
			}
			loc, err := db.textLoc(tx, seq)
			if loc.n == 0 {
				v.undecodable(storeName, fmt.Sprintf("message %s: %v", id, err))
				return nil
			}
			v.blob(loc, blobText, nil, func() []string { return []string{string(id)} })
			return nil
		})
		if err != nil {
			return err
		}
		err = originals.ForEach(func(sha, lv []byte) error {
			rep.Originals++
			loc, err := parseBlobLoc(lv)
			if err != nil {
				v.undecodable(storeName, fmt.Sprintf("original %x: its record holds %v", sha, err))
				return nil
			}
			v.blob(loc, blobOriginal, sha, func() []string { return usersOf[string(sha)] })
			return nil
		})
		if err != nil {
			return err
		}
		v.buckets(tx)
		if v.undecoded > maxDamage {
			rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: fmt.Sprintf("%d more records unreadable", v.undecoded-maxDamage)})
		}
		meta := tx.Bucket(bucketMeta)
		for _, c := range []struct {
			what string
			key  []byte
			n    int
		}{{"messages", counterMessages, rep.Messages}, {"copies", counterCopies, rep.Copies}, {"originals", counterOriginals, rep.Originals}} {
			if got := getCounter(meta, c.key); got != int64(c.n) {
				rep.Damage = append(rep.Damage, Damage{Part: PartStore, Where: storeName, Problem: fmt.Sprintf("the store counts %d %s but holds %d", got, c.what, c.n)})
			}
		}
		for k := range v.survey.originals {
			if !v.referenced[k] {
				rep.Unreferenced++
			}
		}
		return nil
	})
}

// blob checks the blob a location record points at: a valid blob that the
// scan found, holding want, readable, and for an original, holding the
// bytes its SHA-256 names. users says which messages lose what it holds.
func (v *verifier) blob(loc blobLoc, want byte, sha []byte, users func() []string) {
	key := blobKey{loc.pack, loc.off}
	v.referenced[key] = true
	if v.known[key.String()] {
		return
	}
	problem, stretch := v.check(loc, want, sha)
	if problem == "" {
		return
	}
	d := Damage{Part: PartPacks, Where: loc.String(), Problem: problem, Messages: users(), loc: loc, kind: want, stretch: stretch}
	if sha != nil {
		d.SHA256 = hex.EncodeToString(sha)
	}
	v.rep.Damage = append(v.rep.Damage, d)
}

// check reads the blob at loc and says what is wrong with it, if
// anything, and in which damaged stretch it is.
func (v *verifier) check(loc blobLoc, want byte, sha []byte) (string, string) {
	for _, b := range v.survey.bad {
		if b.contains(loc) {
			v.hit[b.String()] = true
			return fmt.Sprintf("its %s is in a damaged stretch, %s", kindName(want), b), b.String()
		}
	}
	return v.read(loc, want, sha), ""
}

// read reads the blob at loc and says what is wrong with it, if anything.
func (v *verifier) read(loc blobLoc, want byte, sha []byte) string {
	code, kind, payload, err := v.db.packs.read(loc)
	if err != nil {
		return err.Error()
	}
	var held []byte
	if carriesSHA(kind) && len(payload) >= shaSize {
		held, payload = payload[:shaSize], payload[shaSize:]
	}
	if sha != nil && !bytes.Equal(held, sha) {
		return fmt.Sprintf("the blob holds original %x, not this one", held)
	}
	data, err := v.db.codec.decompress(code, payload)
	if err != nil {
		return fmt.Sprintf("%s unreadable: %v", kindName(want), err)
	}
	part, err := blobPart(kind, want, data)
	if err != nil {
		return err.Error()
	}
	if want == blobText {
		if _, err := decodeText(part); err != nil {
			return fmt.Sprintf("text unreadable: %v", err)
		}
		return ""
	}
	if sum := sha256.Sum256(part); !bytes.Equal(sum[:], sha) {
		return fmt.Sprintf("the original's bytes hash to %x", sum)
	}
	return ""
}

// stretches reports the damaged stretches of the packs no record points
// into: nothing the store knows is lost there, but a repair must say so.
func (v *verifier) stretches() {
	for _, b := range v.survey.bad {
		if !v.known[b.String()] && !v.hit[b.String()] {
			v.rep.Damage = append(v.rep.Damage, Damage{Part: PartPacks, Where: b.String(), Problem: "bytes that hold no valid blob (no stored record points into them)", stretch: b.String()})
		}
	}
}
