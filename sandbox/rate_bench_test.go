package sandbox

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// The pool-rate benchmarks time the warm pool alone (no fresh-process
// baseline), over enough jobs that one slow fork does not decide the
// figure. scripts/bench-sandbox.sh --hardening copies this file into a
// checkout of an older tree and runs the same benchmarks there, so it uses
// only API that tree has: keep it that way.

// poolRateRounds is how many times each benchmark runs its job set per
// iteration (UNITCODER_RATE_ROUNDS, default 3).
func poolRateRounds() int {
	if n, err := strconv.Atoi(os.Getenv("UNITCODER_RATE_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// benchPoolRate reports pool_jobs/s for jobs run rounds times on a strict
// pool of two workers (coverage as given) after a warm-up.
func benchPoolRate(b *testing.B, jobs []Job, coverage bool) {
	benchPoolRateWith(b, Config{Isolation: Strict, Workers: 2}, jobs, coverage)
}

// benchPoolRateWith is benchPoolRate on a pool of cfg.
func benchPoolRateWith(b *testing.B, cfg Config, jobs []Job, coverage bool) {
	ctx := context.Background()
	p, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for i := range jobs {
		jobs[i].Coverage = coverage
	}
	runTimed(b, jobs[:min(len(jobs), 4)], 2, func(j Job) (Result, error) { return p.Run(ctx, j) })
	var all []Job
	for r := 0; r < poolRateRounds(); r++ {
		all = append(all, jobs...)
	}
	b.ResetTimer()
	n := 0
	var wall float64
	for i := 0; i < b.N; i++ {
		w, _ := runTimed(b, all, 2, func(j Job) (Result, error) { return p.Run(ctx, j) })
		wall += w.Seconds()
		n += len(all)
	}
	b.ReportMetric(float64(n)/wall, "pool_jobs/s")
}

// BenchmarkPoolRateHumanEval: all 164 HumanEval canonical solutions (trivial
// micro-jobs of a few ms each), coverage off.
func BenchmarkPoolRateHumanEval(b *testing.B) { benchPoolRate(b, humanEvalRateJobs(b), false) }

// humanEvalRateJobs is every HumanEval canonical solution with its tests.
func humanEvalRateJobs(b *testing.B) []Job {
	var jobs []Job
	for _, r := range loadHumanEval(b) {
		jobs = append(jobs, humanEvalJob(r, r.CanonicalSolution))
	}
	return jobs
}

// BenchmarkPoolRateHeavy: the twenty pandas+matplotlib jobs, coverage off.
func BenchmarkPoolRateHeavy(b *testing.B) { benchPoolRate(b, heavyJobs(b), false) }

// BenchmarkPoolRateHeavyCoverage: the same with coverage on, as the
// pipeline runs them by default.
func BenchmarkPoolRateHeavyCoverage(b *testing.B) { benchPoolRate(b, heavyJobs(b), true) }
