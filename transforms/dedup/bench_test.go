package dedup

import (
	"testing"

	"github.com/unitcoder/unitcoder/pyast/pytok"
)

// The benchmarks run over the 860 UnitCoder demo functions per iteration.
// BenchmarkTokenize is the baseline the others are read against.

func BenchmarkTokenize(b *testing.B) {
	fns := demoFunctions(b)
	for b.Loop() {
		for _, f := range fns {
			pytok.Tokenize(f.Code)
		}
	}
}

func BenchmarkExactKey(b *testing.B) {
	fns := demoFunctions(b)
	for b.Loop() {
		for _, f := range fns {
			pytok.ExactKey(f.Code)
		}
	}
}

func BenchmarkSignature(b *testing.B) {
	fns := demoFunctions(b)
	for b.Loop() {
		for _, f := range fns {
			Signature(Shingles(f.Code, KeepNames(f), DefaultShingle), DefaultNumPerm)
		}
	}
}

func demoSignatures(b *testing.B) [][]uint64 {
	var sigs [][]uint64
	for _, f := range demoFunctions(b) {
		sigs = append(sigs, Signature(Shingles(f.Code, KeepNames(f), DefaultShingle), DefaultNumPerm))
	}
	return sigs
}

// BenchmarkPairsAllPairs is the baseline for BenchmarkPairsLSH: verifying
// every pair versus only pairs that share an LSH bucket, as Near does.
func BenchmarkPairsAllPairs(b *testing.B) {
	sigs := demoSignatures(b)
	for b.Loop() {
		n := 0
		for j := range sigs {
			for i := range j {
				if Jaccard(sigs[i], sigs[j]) >= DefaultThreshold {
					n++
					break
				}
			}
		}
		b.ReportMetric(float64(n), "dups")
	}
}

func BenchmarkPairsLSH(b *testing.B) {
	sigs := demoSignatures(b)
	for b.Loop() {
		buckets := map[string][]int{}
		for i, s := range sigs {
			for _, k := range BandKeys(s, DefaultBands, DefaultRows) {
				buckets[k] = append(buckets[k], i)
			}
		}
		dup := map[int]bool{}
		for _, ms := range buckets {
			for j := 1; j < len(ms); j++ {
				for i := range j {
					if Jaccard(sigs[ms[i]], sigs[ms[j]]) >= DefaultThreshold {
						dup[ms[j]] = true
					}
				}
			}
		}
		b.ReportMetric(float64(len(dup)), "dups")
	}
}
