package store

import (
	"slices"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/lru"
)

// recordCache keeps decoded message records, keyed by their stored bytes:
// decoding a record (dictionary decompression, then JSON) is a fifth of
// what a server's search costs to read its hits, and the same messages
// come back in search after search. Keying by the bytes themselves needs
// no invalidation: a rewritten record has other bytes and misses. Callers
// get their own copy of a cached message.
type recordCache struct {
	lru *lru.Cache[string, *leakscope.Message]
}

// recordCacheSize is the number of message records a store keeps decoded,
// and of copy records.
const recordCacheSize = 20_000

// newCopyCache returns the cache of decoded copy records, keyed by their
// stored bytes as records are: decoding them is a third of reading a
// search hit's entry. A Copy is a flat struct, so callers get their own
// copy of it by value.
func newCopyCache(max int) *lru.Cache[string, leakscope.Copy] {
	return lru.New[string, leakscope.Copy](max, nil)
}

func newRecordCache(max int) *recordCache {
	return &recordCache{lru: lru.New[string, *leakscope.Message](max, nil)}
}

// get returns a copy of the message stored as v, if cached.
func (c *recordCache) get(v []byte) (*leakscope.Message, bool) {
	if c == nil {
		return nil, false
	}
	m, ok := c.lru.Get(string(v))
	if !ok {
		return nil, false
	}
	return cloneMessage(m), true
}

// put caches a copy of m, decoded from v.
func (c *recordCache) put(v []byte, m *leakscope.Message) {
	if c != nil {
		c.lru.Add(string(v), cloneMessage(m))
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
