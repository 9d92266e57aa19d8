package store

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"

	"github.com/leakscope/leakscope"
)

// Compression. Originals, texts and records are compressed with zstd.
// Mail is made of many small, similar messages that compress poorly one at
// a time, so the first batch big enough trains two zstd dictionaries: one
// on its originals, for the blobs in the packs (about a third smaller on
// the Enron corpus than plain zstd), and one on the JSON of its records
// (messages, copies), for the values in bbolt (a quarter to two fifths
// smaller than with the mail dictionary). Both are stored in
// the meta bucket, in a transaction of their own, before anything
// compressed with them is. A value's first byte (or a blob's codec byte)
// says how it was compressed.
//
// Leaked bytes are untrusted, and the zstd code is a library's: training
// that fails or panics leaves that dictionary untrained (a later batch
// tries again with its own samples), and an encoder that panics on some
// bytes is replaced for them by the plain encoder, then by no compression
// at all. Nothing is lost and no batch fails for it.
const (
	codecNone        byte = 0 // stored as it is: small control blobs, and what every zstd encoder panicked on
	codecZstd        byte = 1 // zstd, no dictionary
	codecZstdDict    byte = 2 // zstd with the store's mail dictionary
	codecZstdRecords byte = 3 // zstd with the store's record dictionary
)

// knownCodec reports whether c is a codec byte.
func knownCodec(c byte) bool { return c <= codecZstdRecords }

// The two dictionaries.
const (
	dictMail    = 0
	dictRecords = 1
)

// dictSpec says how a dictionary is trained and where it is kept.
type dictSpec struct {
	id         uint32 // zstd dictionary ID, in every frame compressed with it
	key        []byte // meta bucket key
	code       byte   // codec byte of what it compressed
	maxBytes   int
	minSamples int
	minBytes   int
	maxSamples int
	// level and crc configure the encoder using it.
	level zstd.EncoderLevel
	crc   bool
}

var dictSpecs = [2]dictSpec{
	dictMail:    {id: 1, key: []byte("dict"), code: codecZstdDict, maxBytes: 64 << 10, minSamples: 200, minBytes: 256 << 10, maxSamples: 400, level: zstd.SpeedBetterCompression},
	dictRecords: {id: 2, key: []byte("record_dict"), code: codecZstdRecords, maxBytes: 16 << 10, minSamples: 200, minBytes: 64 << 10, maxSamples: 600, level: zstd.SpeedFastest, crc: true},
}

// dictMinSamples is the number of messages a batch needs to train the
// dictionaries.
const dictMinSamples = 200

// codec compresses and decompresses values. It is safe for concurrent use.
// Its encoders are made on first use (lazyEncoder): read-only commands never
// compress, and making the three cost about two milliseconds of their start.
type codec struct {
	plain func() *zstd.Encoder

	mu   sync.RWMutex
	encs [2]func() *zstd.Encoder // nil when the dictionary does not exist
	dics [2][]byte
	dec  *zstd.Decoder
}

// lazyEncoder returns a function making the zstd encoder (with dictionary
// dict, when not nil) on its first call. Without a dictionary it cannot
// fail (fixed options); should zstd refuse a dictionary its decoder
// accepted, the function returns nil and values are compressed without
// it, still readable.
func lazyEncoder(dict []byte, level zstd.EncoderLevel, crc bool) func() *zstd.Encoder {
	return sync.OnceValue(func() *zstd.Encoder {
		opts := []zstd.EOption{zstd.WithEncoderLevel(level), zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(crc)}
		if dict != nil {
			opts = append(opts, zstd.WithEncoderDict(dict))
		}
		enc, err := zstd.NewWriter(nil, opts...)
		if err != nil {
			return nil
		}
		return enc
	})
}

// newCodec returns a codec using the dictionaries in meta, if any.
func newCodec(meta *bolt.Bucket) (*codec, error) {
	c := &codec{plain: lazyEncoder(nil, zstd.SpeedFastest, true)}
	var dics [2][]byte
	for i, s := range dictSpecs {
		if v := meta.Get(s.key); v != nil {
			dics[i] = append([]byte(nil), v...)
		}
	}
	if err := c.setDicts(dics); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *codec) setDicts(dics [2][]byte) error {
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1 << 30)}
	var encs [2]func() *zstd.Encoder
	for i, d := range dics {
		if d != nil {
			opts = append(opts, zstd.WithDecoderDicts(d))
			encs[i] = lazyEncoder(d, dictSpecs[i].level, dictSpecs[i].crc)
		}
	}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return fmt.Errorf("zstd decoder: %w", err)
	}
	// A decoder replaced here may still be in use by a reader: it is left
	// to the garbage collector (this happens once per store).
	c.mu.Lock()
	c.encs, c.dics, c.dec = encs, dics, dec
	c.mu.Unlock()
	return nil
}

// hasDicts reports whether both dictionaries exist.
func (c *codec) hasDicts() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.dics[dictMail] != nil && c.dics[dictRecords] != nil
}

// train builds the dictionaries that do not exist yet from samples of
// originals and of records, when there are enough of them, and returns
// what the meta bucket must hold before they are used (nil when nothing
// was trained). A failure to train is not fatal: data stays compressed
// without that dictionary, and the error (which holds no sample bytes)
// says why.
func (c *codec) train(mail, records [][]byte) (map[string][]byte, error) {
	c.mu.RLock()
	dics := c.dics
	c.mu.RUnlock()
	// The two are trained at once: this holds up the first batch.
	var trained [2][]byte
	var errs [2]error
	var wg sync.WaitGroup
	for i, samples := range [2][][]byte{mail, records} {
		if dics[i] == nil {
			wg.Go(func() { trained[i], errs[i] = trainDict(dictSpecs[i], samples) })
		}
	}
	wg.Wait()
	err := errors.Join(errs[:]...)
	out := make(map[string][]byte)
	for i, d := range trained {
		if d != nil {
			dics[i] = d
			out[string(dictSpecs[i].key)] = d
		}
	}
	if len(out) == 0 {
		return nil, err
	}
	if serr := c.setDicts(dics); serr != nil {
		return nil, errors.Join(err, serr)
	}
	return out, err
}

// dictSampleMax is the longest sample trainDict hands to the dictionary
// builder, which encodes each sample as one zstd block: klauspost/compress
// panics on a sample much longer than a block, 128 KiB ("slice bounds out
// of range" in fastBase.addBlock; a 1.8 MB message of the mime-oddities
// corpus). A longer sample is cut: its start, the header, is what recurs.
const dictSampleMax = 128 << 10

// trainDict builds the dictionary s from samples; nil (and a nil error)
// when there are too few of them. A panic of the builder is an error.
func trainDict(s dictSpec, samples [][]byte) (d []byte, err error) {
	if len(samples) > s.maxSamples {
		samples = samples[:s.maxSamples]
	}
	cut := make([][]byte, len(samples))
	n := 0
	for i, b := range samples {
		cut[i] = b[:min(len(b), dictSampleMax)]
		n += len(cut[i])
	}
	if len(cut) < s.minSamples || n < s.minBytes {
		return nil, nil
	}
	defer func() {
		if v := recover(); v != nil {
			d, err = nil, fmt.Errorf("train %s: %w", s.key, leakscope.Recovered("zstd dictionary builder", v))
		}
	}()
	d, err = dict.BuildZstdDict(cut, dict.Options{
		MaxDictSize: s.maxBytes, HashBytes: 6, ZstdDictID: s.id, ZstdLevel: zstd.SpeedFastest,
	})
	if err != nil {
		return nil, fmt.Errorf("train %s: %w", s.key, err)
	}
	if len(d) == 0 {
		return nil, nil
	}
	return d, nil
}

// logTrainError logs why a dictionary was not trained: at warn level, and
// the stack of a panic at debug level. Neither holds sample bytes.
func logTrainError(log *slog.Logger, err error) {
	log.Warn("compression dictionary not trained: data is compressed without it, and a later batch tries again", "err", err)
	var pe *leakscope.PanicError
	if errors.As(err, &pe) {
		log.Debug("compression dictionary builder panicked", "stack", string(pe.Stack))
	}
}

// forget drops dictionaries that could not be saved.
func (c *codec) forget(trained map[string][]byte) error {
	c.mu.RLock()
	dics := c.dics
	c.mu.RUnlock()
	for i, s := range dictSpecs {
		if trained[string(s.key)] != nil {
			dics[i] = nil
		}
	}
	return c.setDicts(dics)
}

// compressWith returns the codec byte and the compressed bytes of b, made
// with dictionary which when it exists. Should an encoder panic on b, the
// plain encoder is used instead, and should that panic too, b is kept as
// it is (codecNone).
func (c *codec) compressWith(which int, b []byte) (byte, []byte) {
	c.mu.RLock()
	lazy := c.encs[which]
	c.mu.RUnlock()
	if lazy != nil {
		if enc := lazy(); enc != nil {
			if out, ok := encodeAll(enc, b, len(b)/3+16); ok {
				return dictSpecs[which].code, out
			}
		}
	}
	if enc := c.plain(); enc != nil {
		if out, ok := encodeAll(enc, b, len(b)/2+16); ok {
			return codecZstd, out
		}
	}
	return codecNone, b
}

// encoder is what encodeAll needs of a *zstd.Encoder.
type encoder interface {
	EncodeAll(src, dst []byte) []byte
}

// encodeAll is enc.EncodeAll into a buffer of capacity size, with ok
// false when it panicked on b. (A *zstd.Encoder returns its state to its
// pool in a deferred call, and resets it before each use: it stays
// usable.)
func encodeAll(enc encoder, b []byte, size int) (out []byte, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	return enc.EncodeAll(b, make([]byte, 0, size)), true
}

// compress compresses mail (an original, a text) for the packs.
func (c *codec) compress(b []byte) (byte, []byte) { return c.compressWith(dictMail, b) }

// value compresses a record into a bbolt value: the codec byte, then the
// data.
func (c *codec) value(b []byte) []byte {
	code, out := c.compressWith(dictRecords, b)
	v := make([]byte, 1+len(out))
	v[0] = code
	copy(v[1:], out)
	return v
}

func (c *codec) decompress(code byte, b []byte) ([]byte, error) {
	switch code {
	case codecNone:
		return bytes.Clone(b), nil
	case codecZstd, codecZstdDict, codecZstdRecords:
	default:
		return nil, fmt.Errorf("unknown compression codec %d", code)
	}
	c.mu.RLock()
	dec := c.dec
	c.mu.RUnlock()
	out, err := dec.DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	return out, nil
}

// unvalue reverses value.
func (c *codec) unvalue(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("empty compressed value")
	}
	return c.decompress(v[0], v[1:])
}

func (c *codec) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dec != nil {
		c.dec.Close()
	}
}
