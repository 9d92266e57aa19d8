package store

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// TestBlobCache reads texts and originals through the cache: the same
// answers as without it, copies a caller may change, a bounded size.
func TestBlobCache(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	d := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	var items []leakscope.Ingested
	for i := range 50 {
		items = append(items, item(fmt.Sprintf("%d@x", i), fmt.Sprintf("body number %d", i), fmt.Sprintf("/%d", i), d))
	}
	if _, err := db.Apply(ctx, 1, items, nil); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		for _, it := range items {
			text, err := db.Text(ctx, it.Message.ID)
			if err != nil || text.Body != it.Text.Body {
				t.Fatalf("round %d: Text(%s) = %+v, %v; want %q", round, it.Message.ID, text, err, it.Text.Body)
			}
			raw, err := db.Original(ctx, it.Copy.RawSHA256)
			if err != nil || !bytes.Equal(raw, it.Raw) {
				t.Fatalf("round %d: Original(%s) = %q, %v; want %q", round, it.Copy.RawSHA256, raw, err, it.Raw)
			}
			for i := range raw {
				raw[i] = 'X' // a caller's change must not reach the cache
			}
		}
	}
	if size := db.blobs.lru.Size(); size == 0 || size > DefaultBlobCacheBytes || db.blobs.lru.Len() == 0 {
		t.Errorf("cache holds %d bytes in %d entries, want some, at most %d", size, db.blobs.lru.Len(), DefaultBlobCacheBytes)
	}
	db.blobs.clear()
	if db.blobs.lru.Size() != 0 || db.blobs.lru.Len() != 0 {
		t.Errorf("after clear: %d bytes, %d entries", db.blobs.lru.Size(), db.blobs.lru.Len())
	}
}

func TestBlobCacheEvicts(t *testing.T) {
	c := newBlobCache(100)
	for i := range 10 {
		c.put(blobLoc{pack: 1, off: uint64(i)}, cachedBlob{data: make([]byte, 20)})
	}
	if c.lru.Size() > 100 || c.lru.Len() != 5 {
		t.Errorf("cache of 100 bytes after 10 puts of 20: %d bytes, %d entries; want 100, 5", c.lru.Size(), c.lru.Len())
	}
	if _, ok := c.get(blobLoc{pack: 1, off: 0}); ok {
		t.Error("the oldest entry survived")
	}
	if _, ok := c.get(blobLoc{pack: 1, off: 9}); !ok {
		t.Error("the newest entry was evicted")
	}
	c.put(blobLoc{pack: 2}, cachedBlob{data: make([]byte, 26)}) // over a quarter of the bound
	if _, ok := c.get(blobLoc{pack: 2}); ok {
		t.Error("a blob over a quarter of the bound was kept")
	}
	var off *blobCache
	off.put(blobLoc{}, cachedBlob{data: []byte("x")})
	if _, ok := off.get(blobLoc{}); ok {
		t.Error("a nil cache answered")
	}
}

// clear empties the cache.
func (c *blobCache) clear() {
	if c != nil {
		c.lru.Clear()
	}
}
