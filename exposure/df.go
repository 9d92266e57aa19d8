package exposure

import (
	"sync/atomic"
)

// dfBits sizes the document-frequency sketch: 2^22 counters, 16 MiB.
const dfBits = 22

// dfSketch estimates in how many leaked messages a shingle occurs (its
// document frequency) in fixed memory: a count-min sketch with two
// counters per shingle, both in the same 64-byte cache line so that an
// update costs one cache miss. Estimates are never too low; the mean load
// of a counter, which every estimate carries as noise, is subtracted.
type dfSketch struct {
	cells []uint32
	adds  atomic.Int64
}

func newDFSketch() *dfSketch {
	return &dfSketch{cells: make([]uint32, 1<<dfBits)}
}

func (d *dfSketch) slots(s uint64) (int, int) {
	mask := uint64(len(d.cells) - 1)
	a := s & mask
	b := (a &^ 15) | ((s >> 40) & 15)
	if b == a {
		b ^= 1
	}
	return int(a), int(b)
}

// add counts one message's shingle set (unique shingles).
func (d *dfSketch) add(set []uint64) {
	for _, s := range set {
		a, b := d.slots(s)
		atomic.AddUint32(&d.cells[a], 1)
		atomic.AddUint32(&d.cells[b], 1)
	}
	d.adds.Add(int64(len(set)))
}

// noise returns the mean count a counter holds from other shingles.
func (d *dfSketch) noise() float64 {
	return 2 * float64(d.adds.Load()) / float64(len(d.cells))
}

// count estimates the document frequency of s, noise included.
func (d *dfSketch) count(s uint64) uint32 {
	a, b := d.slots(s)
	return min(atomic.LoadUint32(&d.cells[a]), atomic.LoadUint32(&d.cells[b]))
}
