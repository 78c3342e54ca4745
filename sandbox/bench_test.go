package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// heavyJobs parses testdata/heavy_jobs.py: twenty pandas/matplotlib jobs.
func heavyJobs(t testing.TB) []Job {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "heavy_jobs.py"))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []Job
	for _, part := range strings.Split(string(b), "### JOB ")[1:] {
		name, rest, _ := strings.Cut(part, "\n")
		code, test, ok := strings.Cut(rest, "### TEST\n")
		if !ok {
			t.Fatalf("heavy job %s has no ### TEST", name)
		}
		jobs = append(jobs, Job{ID: name, Code: code, Test: test, Timeout: 60 * time.Second})
	}
	return jobs
}

// TestHeavyJobsPass: the benchmark's heavy set is valid (all pass), so the
// benchmark measures real work.
func TestHeavyJobsPass(t *testing.T) {
	jobs := heavyJobs(t)
	if len(jobs) != 20 {
		t.Fatalf("heavy jobs = %d, want 20", len(jobs))
	}
	p := newPoolWith(t, Config{Isolation: Strict, Workers: 2})
	for i, r := range runAll(t, p, jobs) {
		if r.Status != StatusPass {
			t.Errorf("%s: %s %s %s", jobs[i].ID, r.Status, r.Reason, r.Stderr)
		}
	}
}

// runTimed runs jobs with `callers` concurrent callers through run and
// returns the wall time and each job's latency.
func runTimed(b *testing.B, jobs []Job, callers int, run func(Job) (Result, error)) (time.Duration, []time.Duration) {
	lat := make([]time.Duration, len(jobs))
	ch := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for k := 0; k < callers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				t0 := time.Now()
				r, err := run(jobs[i])
				lat[i] = time.Since(t0)
				if err != nil || r.Status != StatusPass {
					b.Errorf("%s: %v %s %s", jobs[i].ID, err, r.Status, r.Reason)
				}
			}
		}()
	}
	for i := range jobs {
		ch <- i
	}
	close(ch)
	wg.Wait()
	return time.Since(start), lat
}

// benchSpeedup measures pool vs fresh jobs/s on the same jobs in one run and
// reports the ratio. The fresh baseline preloads nothing: each fresh process
// imports exactly what its job imports, as a one-process-per-job sandbox
// would.
func benchSpeedup(b *testing.B, jobs []Job) {
	ctx := context.Background()
	workers := 2
	p, err := New(Config{Isolation: Strict, Workers: workers})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	runTimed(b, jobs[:min(len(jobs), 4)], workers, func(j Job) (Result, error) { return p.Run(ctx, j) }) // warm-up
	freshCfg := Config{Isolation: Strict, Preload: []string{}}
	var poolWall, freshWall time.Duration
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, _ := runTimed(b, jobs, workers, func(j Job) (Result, error) { return p.Run(ctx, j) })
		poolWall += w
		w, _ = runTimed(b, jobs, workers, func(j Job) (Result, error) { return RunFresh(ctx, freshCfg, j) })
		freshWall += w
		n += len(jobs)
	}
	poolRate := float64(n) / poolWall.Seconds()
	freshRate := float64(n) / freshWall.Seconds()
	b.ReportMetric(poolRate, "pool_jobs/s")
	b.ReportMetric(freshRate, "fresh_jobs/s")
	b.ReportMetric(poolRate/freshRate, "speedup_x")
}

// BenchmarkSpeedupHumanEval: trivial jobs (HumanEval canonical solutions).
func BenchmarkSpeedupHumanEval(b *testing.B) {
	rows := loadHumanEval(b)
	var jobs []Job
	for _, r := range rows[:60] {
		jobs = append(jobs, humanEvalJob(r, r.CanonicalSolution))
	}
	benchSpeedup(b, jobs)
}

// BenchmarkSpeedupHeavy: the pandas+matplotlib set.
func BenchmarkSpeedupHeavy(b *testing.B) {
	benchSpeedup(b, heavyJobs(b))
}

// BenchmarkStrictOverhead compares p50 per-job latency of strict and basic
// pools (one worker each, sequential jobs) on HumanEval jobs in one run.
func BenchmarkStrictOverhead(b *testing.B) {
	rows := loadHumanEval(b)
	var jobs []Job
	for _, r := range rows {
		jobs = append(jobs, humanEvalJob(r, r.CanonicalSolution))
	}
	ctx := context.Background()
	pools := map[Isolation]*Pool{}
	for _, iso := range []Isolation{Strict, Basic} {
		p, err := New(Config{Isolation: iso, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		pools[iso] = p
	}
	lat := map[Isolation][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, iso := range []Isolation{Strict, Basic} { // interleaved so drift hits both
			_, l := runTimed(b, jobs, 1, func(j Job) (Result, error) { return pools[iso].Run(ctx, j) })
			lat[iso] = append(lat[iso], l...)
		}
	}
	s, ba := p50(lat[Strict]), p50(lat[Basic])
	b.ReportMetric(ms(s), "strict_p50_ms")
	b.ReportMetric(ms(ba), "basic_p50_ms")
	b.ReportMetric(ms(s-ba), "strict_overhead_ms")
}

func p50(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkPreloadCost measures what the preloaded image costs every job:
// p50 latency of trivial HumanEval jobs on one strict worker with no
// preload, a small scientific preload and DefaultPreload, interleaved in one
// run. A bigger image makes each fork and child exit dearer; it pays off
// when jobs would otherwise import those libraries themselves.
func BenchmarkPreloadCost(b *testing.B) {
	rows := loadHumanEval(b)[:40]
	sets := []struct {
		name    string
		preload []string
	}{
		{"none", []string{}},
		{"small", []string{"numpy", "pandas", "matplotlib.pyplot", "scipy.stats", "coverage", "unittest.mock"}},
		{"default", DefaultPreload},
	}
	ctx := context.Background()
	pools := make([]*Pool, len(sets))
	for i, s := range sets {
		p, err := New(Config{Isolation: Strict, Workers: 1, Preload: s.preload})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		pools[i] = p
	}
	lat := make([][]time.Duration, len(sets))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i, p := range pools {
			for _, r := range rows {
				t0 := time.Now()
				if res, err := p.Run(ctx, humanEvalJob(r, r.CanonicalSolution)); err != nil || res.Status != StatusPass {
					b.Fatalf("%s: %v %s", r.TaskID, err, res.Status)
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}
	}
	for i, s := range sets {
		b.ReportMetric(ms(p50(lat[i])), s.name+"_p50_ms")
	}
}

// heavyTailEnv names the JSONL job set (rows {id, code, test}) that
// BenchmarkSpeedupHeavyTailed runs; scripts/bench-verify.sh writes it with
// scripts/heavy_tail_jobs.py.
const heavyTailEnv = "UNITCODER_HEAVY_TAIL_JOBS"

// BenchmarkSpeedupHeavyTailed: pool vs fresh on real-looking, heavy-tailed
// work (most jobs about 0.1 s, a few 2-30 s), where start-up is a small
// share of each job and the figure says what the warm pool is worth on
// users' suites rather than on micro-jobs.
func BenchmarkSpeedupHeavyTailed(b *testing.B) {
	path := os.Getenv(heavyTailEnv)
	if path == "" {
		b.Skipf("%s not set (scripts/bench-verify.sh sets it)", heavyTailEnv)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var jobs []Job
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var row struct{ ID, Code, Test string }
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			b.Fatal(err)
		}
		jobs = append(jobs, Job{ID: row.ID, Code: row.Code, Test: row.Test, Timeout: 120 * time.Second})
	}
	benchSpeedup(b, jobs)
}
