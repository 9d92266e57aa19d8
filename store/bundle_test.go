package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	bolt "go.etcd.io/bbolt"
)

func TestTextEncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		text leakscope.Text
	}{
		{"empty", leakscope.Text{}},
		{"body", leakscope.Text{Body: "Hello,\r\nthe \"forecast\" is attached.\n"}},
		{"attachments", leakscope.Text{Body: "see attached", Attachments: []leakscope.AttachmentText{
			{Name: "a.txt", Text: "first"}, {Name: "", Text: ""}, {Name: "b.pdf", Text: "second\x00binary\xff"},
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encodeText(nil, &tc.text)
			got, err := decodeText(b)
			if err != nil || !reflect.DeepEqual(*got, tc.text) {
				t.Errorf("decodeText(encodeText(%+v)) = %+v, %v", tc.text, got, err)
			}
			raw := []byte("Subject: x\n\n" + tc.text.Body)
			r, text, err := splitBundle(makeBundle(raw, &tc.text))
			if err != nil || !bytes.Equal(r, raw) || !bytes.Equal(text, b) {
				t.Errorf("splitBundle(makeBundle) = %q, %q, %v; want %q, %q", r, text, err, raw, b)
			}
		})
	}
	for _, bad := range [][]byte{{5, 'a'}, {0, 3, 'n'}, {0xff}} {
		if got, err := decodeText(bad); err == nil {
			t.Errorf("decodeText(%x) = %+v, want an error", bad, got)
		}
	}
}

func FuzzDecodeText(f *testing.F) {
	f.Add(encodeText(nil, &leakscope.Text{Body: "body", Attachments: []leakscope.AttachmentText{{Name: "n", Text: "t"}}}))
	f.Add([]byte{})
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := decodeText(b)
		if err != nil {
			return
		}
		// What decodes is a valid encoding: encoding it again gives
		// the same text.
		again, err := decodeText(encodeText(nil, text))
		if err != nil || !reflect.DeepEqual(again, text) {
			t.Errorf("decodeText(encodeText(%+v)) = %+v, %v", text, again, err)
		}
	})
}

// blobKind returns the kind of the blob a record of bucket points at.
func blobKind(t *testing.T, db *DB, bucket, key []byte) byte {
	t.Helper()
	var kind byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		loc, err := parseBlobLoc(tx.Bucket(bucket).Get(key))
		if err != nil {
			return err
		}
		_, kind, _, err = db.packs.read(loc)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return kind
}

func TestBundles(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	// A new message with a new original: one bundle.
	first := item("1@x", "first body", "/a", d)
	// The same message found with other bytes (another folder's headers):
	// a new original, no new text.
	other := item("1@x", "first body", "/b", d)
	other.Raw = append([]byte("X-Folder: sent\n"), other.Raw...)
	sum := sha256.Sum256(other.Raw)
	other.Copy.RawSHA256 = hex.EncodeToString(sum[:])
	// A message whose original was kept by a problem first: its text
	// alone.
	late := item("2@x", "late body", "/c", d)
	problem := leakscope.Problem{Severity: leakscope.ProblemFailure, Location: "/c", Code: "x", Raw: late.Raw}
	// A message with a large original: the original and the text apart.
	big := item("3@x", "big body", "/d", d)
	big.Raw = append(big.Raw, bytes.Repeat([]byte("x"), bundleMaxRaw)...)
	sum = sha256.Sum256(big.Raw)
	big.Copy.RawSHA256 = hex.EncodeToString(sum[:])

	if _, err := db.Apply(ctx, 1, []leakscope.Ingested{first, other, big}, []leakscope.Problem{problem}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, 2, []leakscope.Ingested{late}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name             string
		it               leakscope.Ingested
		rawKind, txtKind byte
	}{
		{"bundled", first, blobBundle, blobBundle},
		{"second original", other, blobOriginal, blobBundle},
		{"original kept before", late, blobOriginal, blobText},
		{"large original", big, blobOriginal, blobText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := db.Original(ctx, tc.it.Copy.RawSHA256)
			if err != nil || !bytes.Equal(raw, tc.it.Raw) {
				t.Errorf("Original = %.40q, %v; want %.40q", raw, err, tc.it.Raw)
			}
			text, err := db.Text(ctx, tc.it.Message.ID)
			if err != nil || text.Body != tc.it.Text.Body {
				t.Errorf("Text = %+v, %v; want body %q", text, err, tc.it.Text.Body)
			}
			if k := blobKind(t, db, bucketOriginals, hexKey(tc.it.Copy.RawSHA256)); k != tc.rawKind {
				t.Errorf("original in a blob of kind %d, want %d", k, tc.rawKind)
			}
			var kind byte
			var recorded bool
			err = db.bolt.View(func(tx *bolt.Tx) error {
				seq := seqOf(tx, tc.it.Message.ID)
				recorded = tx.Bucket(bucketTexts).Get(seq) != nil
				loc, err := db.textLoc(tx, seq)
				if err == nil {
					_, kind, _, err = db.packs.read(loc)
				}
				return err
			})
			if err != nil || kind != tc.txtKind {
				t.Errorf("text in a blob of kind %d (%v), want %d", kind, err, tc.txtKind)
			}
			// A text bundled with its original is found through it.
			if recorded != (tc.txtKind != blobBundle) {
				t.Errorf("text record kept: %v, want %v", recorded, tc.txtKind != blobBundle)
			}
		})
	}
}

func TestBlobLoc(t *testing.T) {
	for _, l := range []blobLoc{{pack: 1, n: blobHeaderSize}, {pack: 1, off: 1<<30 - 1, n: 70000}, {pack: 1<<32 - 1, off: 1<<64 - 1, n: 1<<32 - 1}} {
		got, err := parseBlobLoc(l.bytes())
		if err != nil || got != l {
			t.Errorf("parseBlobLoc(%v.bytes()) = %v, %v", l, got, err)
		}
	}
	for _, bad := range [][]byte{nil, {1, 2}, {1, 2, 3, 4}, {1, 2, 3}, bytes.Repeat([]byte{0xff}, 16)} {
		if l, err := parseBlobLoc(bad); err == nil {
			t.Errorf("parseBlobLoc(%x) = %v, want an error", bad, l)
		}
	}
}

func TestRecordDictionary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	items := batchOf(dictMinSamples+10, 0)
	if _, err := db.Apply(ctx, 1, items, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	err = ro.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMessages, bucketCopies} {
			if k, v := tx.Bucket(name).Cursor().Last(); v[0] != codecZstdRecords {
				t.Errorf("%s record %x compressed with codec %d, want the record dictionary (%d)", name, k, v[0], codecZstdRecords)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	it := items[len(items)-1]
	cs, err := ro.Copies(ctx, it.Message.ID)
	if err != nil || len(cs) != 1 || cs[0].MessageID != it.Message.ID || cs[0].Source != it.Copy.Source {
		t.Errorf("Copies(%s) = %+v, %v; want the copy at %s", it.Message.ID, cs, err, it.Copy.Source)
	}
}
