package store

import (
	"container/list"
	"sync"
)

// chunkCache keeps recently decompressed pack blobs (a chunk of up to 64
// KiB of originals and texts, see bundle.go) so that reading several
// messages of one chunk, or the same messages again (a server's repeated
// searches cut snippets from the same texts; an export reads a message's
// text and original), decompresses the chunk once. Blobs are immutable
// once committed (packs are append-only); a rolled-back write clears the
// cache, since its blobs' places are written again.
type chunkCache struct {
	mu    sync.Mutex
	max   int // bytes
	size  int
	order *list.List // front: most recently used; values *chunkEntryCache
	byLoc map[chunkKey]*list.Element
}

type chunkKey struct {
	pack uint32
	off  uint64
}

type chunkEntryCache struct {
	key  chunkKey
	data []byte
}

// DefaultChunkCacheBytes is the decompressed data a store keeps cached.
const DefaultChunkCacheBytes = 32 << 20

func newChunkCache(max int) *chunkCache {
	return &chunkCache{max: max, order: list.New(), byLoc: map[chunkKey]*list.Element{}}
}

// get returns the cached data of the blob at loc. Callers must not modify
// it.
func (c *chunkCache) get(loc blobLoc) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byLoc[chunkKey{loc.pack, loc.off}]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*chunkEntryCache).data, true
}

// put caches the data of the blob at loc, evicting the least recently used
// blobs beyond the size bound. Blobs larger than a quarter of it are not
// kept.
func (c *chunkCache) put(loc blobLoc, data []byte) {
	if c == nil || len(data) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := chunkKey{loc.pack, loc.off}
	if _, ok := c.byLoc[k]; ok {
		return
	}
	c.byLoc[k] = c.order.PushFront(&chunkEntryCache{key: k, data: data})
	c.size += len(data)
	for c.size > c.max {
		last := c.order.Back()
		ent := last.Value.(*chunkEntryCache)
		c.order.Remove(last)
		delete(c.byLoc, ent.key)
		c.size -= len(ent.data)
	}
}

// clear empties the cache.
func (c *chunkCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byLoc)
	c.size = 0
}
