package lru

import "testing"

func TestCache(t *testing.T) {
	c := New[int, []byte](100, func(b []byte) int { return len(b) })
	for i := range 10 {
		c.Add(i, make([]byte, 20))
	}
	if c.Size() != 100 || c.Len() != 5 {
		t.Errorf("cache of 100 after 10 adds of 20: size %d, %d entries; want 100, 5", c.Size(), c.Len())
	}
	if _, ok := c.Get(0); ok {
		t.Error("the oldest entry survived")
	}
	if _, ok := c.Get(9); !ok {
		t.Error("the newest entry was evicted")
	}
	c.Get(5) // used: 6 is now the oldest
	c.Add(10, make([]byte, 20))
	if _, ok := c.Get(5); !ok {
		t.Error("a recently used entry was evicted")
	}
	if _, ok := c.Get(6); ok {
		t.Error("the least recently used entry survived")
	}
	c.Add(11, make([]byte, 101))
	if _, ok := c.Get(11); ok || c.Size() > 100 {
		t.Errorf("a value over the bound was kept (size %d)", c.Size())
	}
	c.Add(9, make([]byte, 5)) // replacing changes the size
	if c.Size() != 85 {
		t.Errorf("size after replacing 20 bytes by 5 = %d, want 85", c.Size())
	}
	c.Remove(9)
	c.Clear()
	if c.Size() != 0 || c.Len() != 0 {
		t.Errorf("after Clear: size %d, %d entries", c.Size(), c.Len())
	}
	n := New[string, int](2, nil)
	n.Add("a", 1)
	n.Add("b", 2)
	n.Add("c", 3)
	if _, ok := n.Get("a"); ok || n.Len() != 2 {
		t.Errorf("count-bounded cache: a kept %v, %d entries; want evicted, 2", ok, n.Len())
	}
}
