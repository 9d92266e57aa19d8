package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// corpusDir returns the directory sub of the shared test corpus
// (../shared/corpus beside the repository), or "" when it is absent; with
// LEAKSCOPE_REQUIRE_CORPUS=1 its absence fails tb instead.
func corpusDir(tb testing.TB, sub string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", filepath.FromSlash(sub))
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("LEAKSCOPE_REQUIRE_CORPUS") == "1" {
			tb.Fatalf("corpus %s missing (LEAKSCOPE_REQUIRE_CORPUS=1): %v", dir, err)
		}
		tb.Logf("corpus %s not found (it lives in ../shared/corpus next to the repository): its seeds are left out", dir)
		return ""
	}
	return dir
}

// samplesOf turns a fuzz input into the samples of a dictionary: data cut
// at NUL bytes, that list repeated 1+repeat%8 times (mail holds many
// copies), and, when big%(1 MiB) is not 0, one more sample of that many
// bytes made by repeating data (one large message).
func samplesOf(data []byte, repeat uint8, big uint32) [][]byte {
	var samples [][]byte
	parts := bytes.Split(data, []byte{0})
	for range 1 + int(repeat%8) {
		samples = append(samples, parts...)
	}
	if n := int(big % (1 << 20)); n > 0 && len(data) > 0 {
		samples = append(samples, bytes.Repeat(data, n/len(data)+1)[:n])
	}
	return samples
}

// corpusSeeds returns, for each folder of the corpus that holds test
// messages of other projects, its files joined with NUL bytes, up to
// seedMaxBytes: a sample set of real odd mail, made at test time (nothing
// of the corpus is committed). Larger inputs make fuzzing crawl; long
// samples come from the fuzzer's big argument.
func corpusSeeds(tb testing.TB) [][]byte {
	const seedMaxBytes = 256 << 10
	tb.Helper()
	var seeds [][]byte
	for _, sub := range []string{"mime-oddities/crymap", "mime-oddities/enmime", "mime-oddities/mimekit", "mime-oddities/ruby-mail", "mbox/b4-mboxrd"} {
		dir := corpusDir(tb, sub)
		if dir == "" {
			continue
		}
		var files [][]byte
		size := 0
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil || size+len(b) > seedMaxBytes {
				return err
			}
			size += len(b)
			files = append(files, b)
			return nil
		})
		if err != nil {
			tb.Fatalf("read corpus %s: %v", dir, err)
		}
		seeds = append(seeds, bytes.Join(files, []byte{0}))
	}
	return seeds
}

// FuzzTrainDict trains the mail dictionary on sample sets made from the
// input (samplesOf) and checks that training never panics and that a
// dictionary it returns is a zstd dictionary with the expected ID with
// which every sample compresses and decompresses to the same bytes. The
// seeds are the odd-mail folders of the corpus (corpusSeeds) and the input
// that made klauspost/compress's builder panic (testdata/fuzz): one
// sample longer than a zstd block.
func FuzzTrainDict(f *testing.F) {
	for _, seed := range corpusSeeds(f) {
		f.Add(seed, uint8(0), uint32(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, repeat uint8, big uint32) {
		spec := dictSpecs[dictMail]
		spec.minSamples, spec.minBytes = 1, 1
		samples := samplesOf(data, repeat, big)
		d, err := trainDict(spec, samples)
		if d == nil {
			return // err may say why, or there was too little to train on
		}
		if err != nil {
			t.Fatalf("trainDict returned a dictionary and the error %v", err)
		}
		info, err := zstd.InspectDictionary(d)
		if err != nil {
			t.Fatalf("trainDict returned a dictionary zstd does not load: %v", err)
		}
		if info.ID() != spec.id {
			t.Errorf("dictionary ID = %d, want %d", info.ID(), spec.id)
		}
		c := &codec{plain: lazyEncoder(nil, zstd.SpeedFastest, true)}
		if err := c.setDicts([2][]byte{dictMail: d}); err != nil {
			t.Fatalf("setDicts: %v", err)
		}
		defer c.close()
		for i, s := range samples {
			code, out := c.compress(s)
			back, err := c.decompress(code, out)
			if err != nil || !bytes.Equal(back, s) {
				t.Fatalf("sample %d (%d bytes): compressed with codec %d, decompressed to %d bytes, %v; want the sample", i, len(s), code, len(back), err)
			}
		}
	})
}

// TestTrainDictLongSample: a sample set with one message longer than a
// zstd block, which made the dictionary builder panic on the first batch of
// the mime-oddities corpus, trains a dictionary.
func TestTrainDictLongSample(t *testing.T) {
	samples := mailSamples(300)
	samples[5] = bytes.Repeat([]byte("Subject: a long message\n\n0123456789abcdef\n"), 50_000) // 2 MB
	d, err := trainDict(dictSpecs[dictMail], samples)
	if d == nil || err != nil {
		t.Errorf("trainDict = %d bytes, %v; want a dictionary", len(d), err)
	}
}

// mailSamples returns n messages that look like mail.
func mailSamples(n int) [][]byte {
	out := make([][]byte, n)
	for i, it := range batchOf(n, 0) {
		out[i] = it.Raw
	}
	return out
}

// TestTrainRetriedAfterFailure: a batch large enough in messages whose
// originals give no mail dictionary (too few bytes to train on) leaves the
// store without it, compressing plainly; the next batch large enough
// trains it, and every original of both batches reads back byte-exact.
func TestTrainRetriedAfterFailure(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	short := make([]leakscope.Ingested, dictMinSamples+10)
	for i := range short {
		short[i] = item(fmt.Sprintf("%d.short@thyme", i), "ok", fmt.Sprintf("/maildir/short/%d.", i), d)
	}
	if _, err := db.Apply(ctx, 1, short, nil); err != nil {
		t.Fatal(err)
	}
	if d := storedDict(t, db, dictMail); d != nil {
		t.Fatalf("a mail dictionary (%d bytes) was trained on %d short messages; the test needs a batch that trains none", len(d), len(short))
	}
	second := batchOf(dictMinSamples+50, 1000)
	if _, err := db.Apply(ctx, 2, second, nil); err != nil {
		t.Fatal(err)
	}
	if d := storedDict(t, db, dictMail); d == nil {
		t.Errorf("no mail dictionary after a second batch of %d messages: training was not retried", len(second))
	}
	if !db.codec.hasDicts() {
		t.Errorf("the codec does not use both dictionaries after the second batch")
	}
	for _, it := range slices.Concat(short, second) {
		raw, err := db.Original(ctx, it.Copy.RawSHA256)
		if err != nil || !bytes.Equal(raw, it.Raw) {
			t.Fatalf("Original(%s) = %d bytes, %v; want the %d bytes stored", it.Copy.RawSHA256, len(raw), err, len(it.Raw))
		}
	}
}

// storedDict returns dictionary which as the meta bucket holds it, or nil.
func storedDict(t *testing.T, db *DB, which int) []byte {
	t.Helper()
	var d []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		d = bytes.Clone(tx.Bucket(bucketMeta).Get(dictSpecs[which].key))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// panicking is an encoder that panics, as zstd could on some input.
type panicking struct{}

func (panicking) EncodeAll(src, dst []byte) []byte { panic(fmt.Sprintf("cannot encode %q", src)) }

// TestCompressFallsBack: a panicking encoder gives ok false; a codec
// without a working encoder keeps the bytes as they are, and they read
// back.
func TestCompressFallsBack(t *testing.T) {
	if out, ok := encodeAll(panicking{}, []byte("x"), 16); ok || out != nil {
		t.Errorf("encodeAll(panicking) = %q, %v; want nil, false", out, ok)
	}
	none := func() *zstd.Encoder { return nil }
	c := &codec{plain: none, encs: [2]func() *zstd.Encoder{none, none}}
	if err := c.setDicts([2][]byte{}); err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.encs = [2]func() *zstd.Encoder{none, none}
	b := []byte("Subject: kept as it is\n\nbody\n")
	code, out := c.compress(b)
	if code != codecNone {
		t.Errorf("compress without encoders: codec %d, want codecNone", code)
	}
	back, err := c.unvalue(c.value(b))
	if err != nil || !bytes.Equal(back, b) {
		t.Errorf("unvalue(value(%q)) = %q, %v", b, back, err)
	}
	if back, err := c.decompress(code, out); err != nil || !bytes.Equal(back, b) {
		t.Errorf("decompress(compress(%q)) = %q, %v", b, back, err)
	}
}
