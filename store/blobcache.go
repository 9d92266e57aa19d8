package store

import (
	"fmt"

	"github.com/leakscope/leakscope/lru"
)

// blobCache keeps recently decompressed pack blobs (an original, a text,
// or a bundle of both, see bundle.go) so that reading the same messages
// again (a server's repeated searches cut snippets from the same texts; an
// export reads a message's text and original) decompresses each blob once.
// Blobs are immutable once written (packs are append-only, and a place in
// a pack is never written twice). A nil cache keeps nothing.
type blobCache struct {
	lru *lru.Cache[blobKey, cachedBlob]
	max int
}

type blobKey struct {
	pack uint32
	off  uint64
}

func (k blobKey) String() string { return fmt.Sprintf("%s@%d", packName(k.pack), k.off) }

// DefaultBlobCacheBytes is the decompressed data a store keeps cached.
const DefaultBlobCacheBytes = 32 << 20

// cachedBlob is a blob decompressed: its kind, the SHA-256 of the original
// it holds (originals and bundles) and its data.
type cachedBlob struct {
	kind      byte
	sha, data []byte
}

func newBlobCache(max int) *blobCache {
	return &blobCache{lru: lru.New[blobKey](max, func(b cachedBlob) int { return len(b.data) + len(b.sha) }), max: max}
}

// get returns the cached data of the blob at loc. Callers must not modify
// it.
func (c *blobCache) get(loc blobLoc) (cachedBlob, bool) {
	if c == nil {
		return cachedBlob{}, false
	}
	return c.lru.Get(blobKey{loc.pack, loc.off})
}

// put caches the data of the blob at loc. Blobs larger than a quarter of
// the bound are not kept.
func (c *blobCache) put(loc blobLoc, b cachedBlob) {
	if c == nil || len(b.data) > c.max/4 {
		return
	}
	c.lru.Add(blobKey{loc.pack, loc.off}, b)
}
