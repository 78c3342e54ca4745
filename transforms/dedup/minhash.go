package dedup

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/sample"
)

// Shingles hashes every run of k consecutive feature tokens of code (see
// pytok.Features) to 64 bits. Code with fewer than k tokens yields one
// shingle over all of them, and code with no tokens yields none.
func Shingles(code string, keep map[string]bool, k int) []uint64 {
	feats := pytok.Features(code, keep)
	if len(feats) == 0 {
		return nil
	}
	n := max(len(feats)-k+1, 1)
	out := make([]uint64, 0, n)
	for i := range n {
		h := fnv.New64a()
		for _, f := range feats[i:min(i+k, len(feats))] {
			h.Write([]byte(f))
			h.Write([]byte{0})
		}
		out = append(out, h.Sum64())
	}
	return out
}

// splitmix64 is a fast, well-mixing bijection on 64-bit values; with a
// different seed per position it serves as the permutation family.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Signature is the MinHash of a shingle set: position i holds the minimum of
// the i-th hash function over the set. An empty set gives all MaxUint64,
// which Jaccard treats as similar to nothing.
func Signature(shingles []uint64, numPerm int) []uint64 {
	sig := make([]uint64, numPerm)
	seeds := make([]uint64, numPerm)
	for i := range sig {
		sig[i] = math.MaxUint64
		seeds[i] = splitmix64(uint64(i) + 1)
	}
	for _, s := range shingles {
		for i, seed := range seeds {
			if h := splitmix64(s ^ seed); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

// Jaccard estimates the Jaccard similarity of two sets from their
// signatures: the fraction of positions where they agree. Signatures of
// different lengths, and empty-set signatures, estimate 0.
func Jaccard(a, b []uint64) float64 {
	if len(a) != len(b) || len(a) == 0 || a[0] == math.MaxUint64 || b[0] == math.MaxUint64 {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// BandKeys returns one LSH bucket key per band: the band index and a hash
// of its rows. Two signatures share a key iff a whole band agrees.
func BandKeys(sig []uint64, bands, rows int) []string {
	keys := make([]string, 0, bands)
	for b := range bands {
		keys = append(keys, bandKey(sig, b, rows))
	}
	return keys
}

// bandKey is band b's key of BandKeys.
func bandKey(sig []uint64, b, rows int) string {
	buf := make([]byte, 8)
	h := fnv.New64a()
	for _, v := range sig[b*rows : (b+1)*rows] {
		binary.LittleEndian.PutUint64(buf, v)
		h.Write(buf)
	}
	return fmt.Sprintf("%d:%016x", b, h.Sum64())
}

// KeepNames returns the names of fn that are not local to it (imports and
// free names), which Features must not replace by the placeholder.
func KeepNames(fn sample.Function) map[string]bool {
	keep := map[string]bool{}
	for _, n := range pytok.ImportedNames(fn.Imports) {
		keep[n] = true
	}
	for _, n := range fn.FreeNames {
		keep[n] = true
	}
	return keep
}
