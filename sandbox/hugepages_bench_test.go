package sandbox

import "testing"

// The small-pages benchmarks are the pool-rate benchmarks on workers kept
// off transparent huge pages, as before collapse_heap:
// scripts/bench-sandbox.sh --hardening runs both on this tree to show what
// huge pages save apart from the hardening. They live outside
// rate_bench_test.go, which older trees must compile.

// BenchmarkPoolRateHumanEvalSmallPages: BenchmarkPoolRateHumanEval on small pages.
func BenchmarkPoolRateHumanEvalSmallPages(b *testing.B) {
	benchPoolRateWith(b, Config{Isolation: Strict, Workers: 2, smallPages: true}, humanEvalRateJobs(b), false)
}

// BenchmarkPoolRateHeavySmallPages: BenchmarkPoolRateHeavy on small pages.
func BenchmarkPoolRateHeavySmallPages(b *testing.B) {
	benchPoolRateWith(b, Config{Isolation: Strict, Workers: 2, smallPages: true}, heavyJobs(b), false)
}

// BenchmarkPoolRateHeavyCoverageSmallPages: BenchmarkPoolRateHeavyCoverage on
// small pages.
func BenchmarkPoolRateHeavyCoverageSmallPages(b *testing.B) {
	benchPoolRateWith(b, Config{Isolation: Strict, Workers: 2, smallPages: true}, heavyJobs(b), true)
}
