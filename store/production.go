package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Productions (counsel's named production sets) live in two buckets:
//
//	productions  production name -> JSON Production (Bates prefix, digits, next number, exports)
//	bates        production name 0x00 message ID -> the message's Bates ranges, 20 bytes each:
//	             export number (4 bytes), first and last number (8 bytes each), big endian
//
// An export writes its files first and records itself last, in one
// transaction that also moves the production's next number on
// (RecordExport): numbers are reserved exactly when the export that used
// them is recorded, and never handed out twice.
var (
	bucketProductions = []byte("productions")
	bucketBates       = []byte("bates")
)

// Production is a named production set: the Bates numbering its exports
// share, and what each export produced.
type Production struct {
	Name    string             `json:"name"`
	Prefix  string             `json:"prefix"` // e.g. "ACME" for ACME0000001
	Digits  int                `json:"digits"` // zero-padded width of the number
	Next    uint64             `json:"next"`   // the number the next export starts at
	Created time.Time          `json:"created"`
	Exports []ProductionExport `json:"exports,omitempty"`
}

// ProductionExport records one export of a production. It holds counts,
// numbers and hashes, never message content.
type ProductionExport struct {
	Seq       int       `json:"seq"` // 1, 2, ... within the production; set by RecordExport
	Time      time.Time `json:"time"`
	User      string    `json:"user,omitempty"`
	Query     string    `json:"query,omitempty"`  // what selected the messages, as typed
	Output    string    `json:"output,omitempty"` // where the files were written
	Messages  int       `json:"messages"`         // top-level messages produced
	Documents int       `json:"documents"`        // Bates numbers used: messages and attachments
	Withheld  int       `json:"withheld,omitempty"`
	First     uint64    `json:"first,omitempty"` // first and last Bates number; 0 when none was used
	Last      uint64    `json:"last,omitempty"`
	// Manifest is the hex SHA-256 of the export's MANIFEST file, which
	// lists the SHA-256 of every other file.
	Manifest string `json:"manifest,omitempty"`
}

// BatesAssignment is the range of Bates numbers a message received in one
// export: its own number, and those of its attachments up to End.
type BatesAssignment struct {
	ID    string
	Begin uint64
	End   uint64
}

// BatesRange is a message's range in one export of a production.
type BatesRange struct {
	Export int    `json:"export"`
	Begin  uint64 `json:"begin"`
	End    uint64 `json:"end"`
}

// Limits of a production's numbering.
const (
	MaxBatesDigits  = 12
	maxBatesPrefix  = 32
	maxProdName     = 64
	batesRecordSize = 20
)

// CreateProduction records a new production. Digits defaults to 7 and
// Next to 1; Created to now. An existing name or a malformed name, prefix
// or width is an ErrInvalidInput error.
func (db *DB) CreateProduction(ctx context.Context, p Production) (*Production, error) {
	if p.Digits == 0 {
		p.Digits = 7
	}
	if p.Next == 0 {
		p.Next = 1
	}
	if p.Created.IsZero() {
		p.Created = db.now()
	}
	p.Created = p.Created.UTC()
	p.Exports = nil
	if err := checkProduction(p); err != nil {
		return nil, fmt.Errorf("create production: %w", err)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := db.journaled(tx, bucketProductions)
		if b.Get([]byte(p.Name)) != nil {
			return fmt.Errorf("production %q exists already: %w", p.Name, leakscope.ErrInvalidInput)
		}
		return putJSON(b, []byte(p.Name), &p)
	})
	if err != nil {
		return nil, fmt.Errorf("create production: %w", err)
	}
	return &p, nil
}

// checkProduction validates a production's name, prefix and width.
func checkProduction(p Production) error {
	if p.Name == "" || len(p.Name) > maxProdName || !safeChars(p.Name) {
		return fmt.Errorf("production name %q: want 1 to %d letters, digits, '.', '_' or '-': %w", p.Name, maxProdName, leakscope.ErrInvalidInput)
	}
	if p.Prefix == "" || len(p.Prefix) > maxBatesPrefix || !safeChars(p.Prefix) {
		return fmt.Errorf("prefix %q: want 1 to %d letters, digits, '.', '_' or '-': %w", p.Prefix, maxBatesPrefix, leakscope.ErrInvalidInput)
	}
	if p.Digits < 1 || p.Digits > MaxBatesDigits {
		return fmt.Errorf("digits %d: want 1 to %d: %w", p.Digits, MaxBatesDigits, leakscope.ErrInvalidInput)
	}
	if p.Next > maxNumber(p.Digits) {
		return fmt.Errorf("start %d does not fit in %d digits: %w", p.Next, p.Digits, leakscope.ErrInvalidInput)
	}
	return nil
}

// safeChars reports whether s is made of ASCII letters, digits, '.', '_'
// and '-' (names end up in file names).
func safeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// maxNumber is the largest number of n digits.
func maxNumber(n int) uint64 {
	m := uint64(1)
	for range n {
		m *= 10
	}
	return m - 1
}

// Production returns the production named name, or an ErrNotFound error.
func (db *DB) Production(ctx context.Context, name string) (*Production, error) {
	var p *Production
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		p, err = getProduction(tx, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("production %q: %w", name, err)
	}
	return p, nil
}

func getProduction(tx *bolt.Tx, name string) (*Production, error) {
	b := tx.Bucket(bucketProductions)
	if b == nil {
		return nil, leakscope.ErrNotFound
	}
	v := b.Get([]byte(name))
	if v == nil {
		return nil, leakscope.ErrNotFound
	}
	p := new(Production)
	if err := json.Unmarshal(v, p); err != nil {
		return nil, fmt.Errorf("decode production: %w", err)
	}
	return p, nil
}

// Productions returns every production, by name.
func (db *DB) Productions(ctx context.Context) ([]Production, error) {
	out := []Production{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketProductions)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var p Production
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode production %s: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list productions: %w", err)
	}
	return out, nil
}

// ErrBatesMoved means that the production's next number is no longer the
// one an export started from: another export of the same production was
// recorded in the meantime. The export's numbers would repeat that one's,
// so it is not recorded and its files must be discarded.
var ErrBatesMoved = errors.New("another export of the production was recorded meanwhile")

// RecordExport records export e of production name and reserves its
// numbers, in one transaction: e.First must be the production's next
// number (else an ErrBatesMoved error), the production's next number
// becomes e.Last+1, e gets the next export number, and every message of
// docs has its range stored. An export that used no number (everything
// withheld) is recorded too. It returns the production as updated.
func (db *DB) RecordExport(ctx context.Context, name string, e ProductionExport, docs []BatesAssignment) (*Production, error) {
	var p *Production
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var err error
		if p, err = getProduction(tx, name); err != nil {
			return err
		}
		if e.Documents > 0 {
			if e.First != p.Next {
				return fmt.Errorf("export starts at %d, the production is at %d: %w", e.First, p.Next, ErrBatesMoved)
			}
			if e.Last != e.First+uint64(e.Documents)-1 {
				return fmt.Errorf("export of %d documents numbered %d to %d: %w", e.Documents, e.First, e.Last, leakscope.ErrInvalidInput)
			}
			if e.Last > maxNumber(p.Digits) {
				return fmt.Errorf("number %d does not fit in %d digits: %w", e.Last, p.Digits, leakscope.ErrInvalidInput)
			}
			p.Next = e.Last + 1
		} else {
			e.First, e.Last = 0, 0
		}
		e.Seq = len(p.Exports) + 1
		e.Time = e.Time.UTC()
		p.Exports = append(p.Exports, e)
		bates := db.journaled(tx, bucketBates)
		for _, d := range docs {
			if d.Begin < e.First || d.End > e.Last || d.End < d.Begin {
				return fmt.Errorf("message %s numbered %d to %d, outside the export: %w", d.ID, d.Begin, d.End, leakscope.ErrInvalidInput)
			}
			k := batesKey(name, d.ID)
			v := bytes.Clone(bates.Get(k))
			v = binary.BigEndian.AppendUint32(v, uint32(e.Seq))
			v = binary.BigEndian.AppendUint64(v, d.Begin)
			v = binary.BigEndian.AppendUint64(v, d.End)
			if err := bates.Put(k, v); err != nil {
				return err
			}
		}
		return putJSON(db.journaled(tx, bucketProductions), []byte(name), p)
	})
	if err != nil {
		return nil, fmt.Errorf("record export of production %q: %w", name, err)
	}
	return p, nil
}

func batesKey(production, id string) []byte {
	k := make([]byte, 0, len(production)+1+len(id))
	k = append(k, production...)
	k = append(k, 0)
	return append(k, id...)
}

func decodeBates(v []byte) ([]BatesRange, error) {
	if len(v)%batesRecordSize != 0 {
		return nil, fmt.Errorf("bates record of %d bytes", len(v))
	}
	out := make([]BatesRange, 0, len(v)/batesRecordSize)
	for ; len(v) > 0; v = v[batesRecordSize:] {
		out = append(out, BatesRange{
			Export: int(binary.BigEndian.Uint32(v)),
			Begin:  binary.BigEndian.Uint64(v[4:]),
			End:    binary.BigEndian.Uint64(v[12:]),
		})
	}
	return out, nil
}

// Bates returns the ranges message id received in the exports of
// production name, oldest first (none when it was never produced).
func (db *DB) Bates(ctx context.Context, production, id string) ([]BatesRange, error) {
	var out []BatesRange
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := getProduction(tx, production); err != nil {
			return err
		}
		if b := tx.Bucket(bucketBates); b != nil {
			var err error
			out, err = decodeBates(b.Get(batesKey(production, id)))
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bates numbers of %s in %q: %w", id, production, err)
	}
	return out, nil
}

// ProductionBates returns the ranges of every message produced in
// production name, by message ID.
func (db *DB) ProductionBates(ctx context.Context, production string) (map[string][]BatesRange, error) {
	out := map[string][]BatesRange{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := getProduction(tx, production); err != nil {
			return err
		}
		b := tx.Bucket(bucketBates)
		if b == nil {
			return nil
		}
		prefix := batesKey(production, "")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			rs, err := decodeBates(v)
			if err != nil {
				return fmt.Errorf("message %s: %w", k[len(prefix):], err)
			}
			out[string(k[len(prefix):])] = rs
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bates numbers of production %q: %w", production, err)
	}
	return out, nil
}
