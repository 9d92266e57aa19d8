package exposure

// Candidates for a reference message are found by locality-sensitive
// hashing of MinHash signatures: a shingle set's signature holds, for each
// of numBands*bandRows hash functions, the smallest hash of any of its
// shingles; two sets agree on one of those minima with probability equal
// to their Jaccard similarity J. Signatures are cut into numBands bands of
// bandRows minima, and two sets are candidates when a whole band agrees,
// which happens with probability 1-(1-J^bandRows)^numBands:
//
//	J     0.3   0.4   0.5   0.6   0.7   0.8
//	P     0.12  0.34  0.64  0.89  0.99  1.00
//
// (numBands 16, bandRows 4). In the evaluation scenario 88% of the copies
// found by shingles have a similarity above 0.9 and 95% above 0.7; a
// quoted message's own text is compared with the leaked message's quote
// segments, which hold it whole. What banding misses (a short text quoted
// inside a long one, a heavily doctored copy) is found by sentences.
const (
	numBands = 16
	bandRows = 4
	numHash  = numBands * bandRows
)

// hashMul and hashAdd define the numHash hash functions h_j(s) =
// (s*hashMul[j] + hashAdd[j]) >> 32 over shingle hashes, which are
// already uniformly spread; the multipliers are odd.
var hashMul, hashAdd = func() (m, a [numHash]uint64) {
	x := uint64(0x853c49e6748fea9b)
	for j := range numHash {
		x += 0x9e3779b97f4a7c15
		m[j] = mix64(x) | 1
		x += 0x9e3779b97f4a7c15
		a[j] = mix64(x)
	}
	return m, a
}()

// bandKeys writes the band keys of a non-empty shingle set.
func bandKeys(set []uint64, keys *[numBands]uint32) {
	var sig [numHash]uint32
	for j := range sig {
		sig[j] = ^uint32(0)
	}
	for _, s := range set {
		for j := range sig {
			if v := uint32((s*hashMul[j] + hashAdd[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	for b := range numBands {
		h := mix64(uint64(b+1) * 0x9e3779b97f4a7c15)
		for _, v := range sig[b*bandRows : (b+1)*bandRows] {
			h = mix64(h ^ uint64(v))
		}
		keys[b] = uint32(h >> 32)
	}
}
