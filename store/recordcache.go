package store

import (
	"container/list"
	"slices"
	"sync"

	"github.com/leakscope/leakscope"
)

// recordCache keeps decoded message records, keyed by their stored bytes:
// decoding a record (dictionary decompression, then JSON) is a fifth of
// what a server's search costs to read its hits, and the same messages
// come back in search after search. Keying by the bytes themselves needs
// no invalidation: a rewritten record has other bytes and misses. Callers
// get their own copy of a cached message.
type recordCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; values *recordEntry
	byKey map[string]*list.Element
}

type recordEntry struct {
	key string
	m   *leakscope.Message
}

// recordCacheSize is the number of message records a store keeps decoded.
const recordCacheSize = 20_000

func newRecordCache(max int) *recordCache {
	return &recordCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns a copy of the message stored as v, if cached.
func (c *recordCache) get(v []byte) (*leakscope.Message, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[string(v)] // no allocation for the lookup
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return cloneMessage(e.Value.(*recordEntry).m), true
}

// put caches a copy of m, decoded from v (which it copies).
func (c *recordCache) put(v []byte, m *leakscope.Message) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[string(v)]; ok {
		return
	}
	k := string(v)
	c.byKey[k] = c.order.PushFront(&recordEntry{key: k, m: cloneMessage(m)})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*recordEntry).key)
	}
}

// cloneMessage copies m deeply enough that changing the copy's fields,
// slices or their elements leaves m alone (every element type is a flat
// struct).
func cloneMessage(m *leakscope.Message) *leakscope.Message {
	c := *m
	if m.Sender != nil {
		s := *m.Sender
		c.Sender = &s
	}
	c.ReplyTo = slices.Clone(m.ReplyTo)
	c.To = slices.Clone(m.To)
	c.Cc = slices.Clone(m.Cc)
	c.Bcc = slices.Clone(m.Bcc)
	c.References = slices.Clone(m.References)
	c.Attachments = slices.Clone(m.Attachments)
	c.Warnings = slices.Clone(m.Warnings)
	c.Flags = slices.Clone(m.Flags)
	return &c
}
