package exposure

// wset is a sorted shingle set with the weight of each shingle.
type wset struct {
	h     []uint64
	w     []float64
	total float64
}

// weigh looks up the weight of every shingle of a set.
func (m *Matcher) weigh(h []uint64) wset {
	ws := wset{h: h, w: make([]float64, len(h))}
	for i, s := range h {
		ws.w[i] = m.weight(s)
		ws.total += ws.w[i]
	}
	return ws
}

// within returns sub, a subset of ws, with the weights ws has for it.
func (ws wset) within(sub []uint64) wset {
	out := wset{h: sub, w: make([]float64, len(sub))}
	j := 0
	for i, s := range sub {
		for j < len(ws.h) && ws.h[j] < s {
			j++
		}
		if j < len(ws.h) && ws.h[j] == s {
			out.w[i] = ws.w[j]
			out.total += ws.w[j]
		}
	}
	return out
}

// inter returns the total weight of the shingles two sets share.
func inter(a, b wset) float64 {
	t := 0.0
	for i, j := 0, 0; i < len(a.h) && j < len(b.h); {
		switch {
		case a.h[i] < b.h[j]:
			i++
		case a.h[i] > b.h[j]:
			j++
		default:
			t += a.w[i]
			i++
			j++
		}
	}
	return t
}

// jaccard is the weighted Jaccard similarity of two sets; 0 when either
// is empty.
func jaccard(a, b wset) float64 {
	if len(a.h) == 0 || len(b.h) == 0 {
		return 0
	}
	in := inter(a, b)
	if union := a.total + b.total - in; union > 0 {
		return in / union
	}
	return 0
}

// containment is the weighted share of a found in b; 0 when a is empty.
func containment(a, b wset) float64 {
	if a.total <= 0 {
		return 0
	}
	return inter(a, b) / a.total
}
