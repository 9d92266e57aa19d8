// Package lru is a least-recently-used cache bounded by a total cost (the
// number of entries, or bytes), safe for concurrent use. The store keeps
// decompressed chunks and decoded records in it, the search index facet
// counts.
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values, evicting the least recently used entries
// when the total cost passes its bound. Create it with New.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	cost  func(V) int
	size  int
	order *list.List // front: most recently used; values *entry[K, V]
	items map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key   K
	value V
	cost  int
}

// New returns a cache of total cost max; cost gives a value's cost (nil:
// every entry costs 1, so max counts entries).
func New[K comparable, V any](max int, cost func(V) int) *Cache[K, V] {
	if cost == nil {
		cost = func(V) int { return 1 }
	}
	return &Cache[K, V]{max: max, cost: cost, order: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value of k and marks it used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*entry[K, V]).value, true
}

// Add sets the value of k, then evicts the least recently used entries
// beyond the bound. A value costing more than the whole bound is not kept.
func (c *Cache[K, V]) Add(k K, v V) {
	n := c.cost(v)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		old := e.Value.(*entry[K, V])
		c.size += n - old.cost
		old.value, old.cost = v, n
		c.order.MoveToFront(e)
	} else {
		c.items[k] = c.order.PushFront(&entry[K, V]{key: k, value: v, cost: n})
		c.size += n
	}
	for c.size > c.max {
		last := c.order.Back()
		e := last.Value.(*entry[K, V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.size -= e.cost
	}
}

// Remove forgets k.
func (c *Cache[K, V]) Remove(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.Remove(e)
		delete(c.items, k)
		c.size -= e.Value.(*entry[K, V]).cost
	}
}

// Clear forgets everything.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
	c.size = 0
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Size returns the total cost of the entries.
func (c *Cache[K, V]) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
