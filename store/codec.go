package store

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Compression. Originals, texts and message records are compressed with
// zstd. Mail is made of many small, similar messages that compress poorly
// one at a time, so the first batch big enough (dictMinSamples messages)
// trains a zstd dictionary on its originals; it is stored in the meta
// bucket and every later value is compressed with it (about a third
// smaller on the Enron corpus than plain zstd). A value's first byte (or
// a blob's codec byte) says how it was compressed.
const (
	codecZstd     byte = 1 // zstd, no dictionary
	codecZstdDict byte = 2 // zstd with the store's dictionary
)

const (
	dictID         = 1
	dictMaxBytes   = 64 << 10
	dictMinSamples = 200
	dictMinBytes   = 256 << 10
	dictMaxSamples = 2000
)

var metaDict = []byte("dict")

// codec compresses and decompresses values. It is safe for concurrent use.
type codec struct {
	plain *zstd.Encoder

	mu      sync.RWMutex
	withDic *zstd.Encoder // nil until a dictionary exists
	dec     *zstd.Decoder
	dict    []byte
	saved   bool // dict is in the meta bucket
}

func newCodec(d []byte) (*codec, error) {
	plain, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	c := &codec{plain: plain}
	if err := c.setDict(d, d != nil); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *codec) setDict(d []byte, saved bool) error {
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1 << 30)}
	var enc *zstd.Encoder
	if d != nil {
		var err error
		enc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1), zstd.WithEncoderDict(d))
		if err != nil {
			return fmt.Errorf("zstd dictionary encoder: %w", err)
		}
		opts = append(opts, zstd.WithDecoderDicts(d))
	}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return fmt.Errorf("zstd decoder: %w", err)
	}
	// A decoder replaced here may still be in use by a reader: it is left
	// to the garbage collector (this happens once per store).
	c.mu.Lock()
	c.withDic, c.dec, c.dict, c.saved = enc, dec, d, saved
	c.mu.Unlock()
	return nil
}

// hasDict reports whether a dictionary exists.
func (c *codec) hasDict() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.dict != nil
}

// train builds the dictionary from samples when there are enough of them.
// A failure to train is not an error: values stay compressed without one.
func (c *codec) train(samples [][]byte) {
	n := 0
	for _, s := range samples {
		n += len(s)
	}
	if len(samples) < dictMinSamples || n < dictMinBytes || c.hasDict() {
		return
	}
	if len(samples) > dictMaxSamples {
		samples = samples[:dictMaxSamples]
	}
	d, err := dict.BuildZstdDict(samples, dict.Options{
		MaxDictSize: dictMaxBytes, HashBytes: 6, ZstdDictID: dictID, ZstdLevel: zstd.SpeedFastest,
	})
	if err != nil || len(d) == 0 {
		return
	}
	_ = c.setDict(d, false)
}

// save stores a new dictionary in meta; call it in every write transaction
// until it committed (then call saved).
func (c *codec) save(meta *bolt.Bucket) error {
	c.mu.RLock()
	d, saved := c.dict, c.saved
	c.mu.RUnlock()
	if d == nil || saved {
		return nil
	}
	return meta.Put(metaDict, d)
}

func (c *codec) markSaved() {
	c.mu.Lock()
	c.saved = c.dict != nil
	c.mu.Unlock()
}

// compress returns the codec byte and the compressed bytes of b.
func (c *codec) compress(b []byte) (byte, []byte) {
	c.mu.RLock()
	enc := c.withDic
	c.mu.RUnlock()
	if enc != nil {
		return codecZstdDict, enc.EncodeAll(b, make([]byte, 0, len(b)/3+16))
	}
	return codecZstd, c.plain.EncodeAll(b, make([]byte, 0, len(b)/2+16))
}

// value compresses b into a bbolt value: the codec byte, then the data.
func (c *codec) value(b []byte) []byte {
	code, out := c.compress(b)
	v := make([]byte, 1+len(out))
	v[0] = code
	copy(v[1:], out)
	return v
}

func (c *codec) decompress(code byte, b []byte) ([]byte, error) {
	switch code {
	case codecZstd, codecZstdDict:
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
