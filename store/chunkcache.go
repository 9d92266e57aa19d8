package store

import "github.com/leakscope/leakscope/lru"

// chunkCache keeps recently decompressed pack blobs (a chunk of up to 64
// KiB of originals and texts, see bundle.go) so that reading several
// messages of one chunk, or the same messages again (a server's repeated
// searches cut snippets from the same texts; an export reads a message's
// text and original), decompresses the chunk once. Blobs are immutable
// once committed (packs are append-only); a rolled-back write clears the
// cache, since its blobs' places are written again. A nil cache keeps
// nothing.
type chunkCache struct {
	lru *lru.Cache[chunkKey, []byte]
	max int
}

type chunkKey struct {
	pack uint32
	off  uint64
}

// DefaultChunkCacheBytes is the decompressed data a store keeps cached.
const DefaultChunkCacheBytes = 32 << 20

func newChunkCache(max int) *chunkCache {
	return &chunkCache{lru: lru.New[chunkKey](max, func(b []byte) int { return len(b) }), max: max}
}

// get returns the cached data of the blob at loc. Callers must not modify
// it.
func (c *chunkCache) get(loc blobLoc) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	return c.lru.Get(chunkKey{loc.pack, loc.off})
}

// put caches the data of the blob at loc. Blobs larger than a quarter of
// the bound are not kept.
func (c *chunkCache) put(loc blobLoc, data []byte) {
	if c == nil || len(data) > c.max/4 {
		return
	}
	c.lru.Add(chunkKey{loc.pack, loc.off}, data)
}

// clear empties the cache.
func (c *chunkCache) clear() {
	if c != nil {
		c.lru.Clear()
	}
}
