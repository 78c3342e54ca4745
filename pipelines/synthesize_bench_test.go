package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"golang.org/x/sync/errgroup"

	checks "github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/adequacy"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
	"github.com/unitcoder/unitcoder/transforms/testgen"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// benchCorpusRoot is the corpus the benchmark retrieves functions from.
const benchCorpusRoot = "/usr/lib/python3.11"

// bench10KEnv opts in to the 10K-function run, which takes minutes.
const bench10KEnv = "UNITCODER_BENCH_10K"

// BenchmarkSynthesize runs the whole synthesis graph on prism, in process,
// over 1K (and, with UNITCODER_BENCH_10K=1, 10K) functions retrieved from
// Debian's Python 3.11 standard library, against the replay server's
// capacity simulator with latency 0 (an instant model). The simulator's
// tests pass against any code that loads and its refinements echo the code,
// so every function that loads goes testgen -> verify -> refine ->
// re-verify -> write: the figures are the pipeline's and the sandbox's own
// cost.
//
// Baseline, in the same run: each function's program against the same
// kind of test, pushed straight through the pipeline's own warm sandbox
// pool as fast as it takes them (pool_jobs/s). overhead_x is the pipeline's wall
// time over the time the pool alone needs for the jobs the pipeline ran.
func BenchmarkSynthesize(b *testing.B) {
	functions := stdlibFunctions(b)
	sizes := []int{1000}
	if os.Getenv(bench10KEnv) != "" {
		sizes = append(sizes, 10000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%dK", n/1000), func(b *testing.B) { benchSynthesize(b, functions, n) })
	}
}

// stdlibFunctions packs the stdlib and runs retrieval on it (the extract
// pipeline, on prism) with the library filter off: the whole stdlib holds
// only about 3.3K top-level functions, and the filter would keep fewer
// (see docs/bench-synthesize.md). Dedup and decontamination still run.
// The rows come back sorted by id.
func stdlibFunctions(b *testing.B) []runstats.FunctionOut {
	b.Helper()
	if _, err := os.Stat(benchCorpusRoot); err != nil {
		b.Skipf("no corpus: %v", err)
	}
	dir := b.TempDir()
	if _, _, err := corpus.PackStdlib(dir, benchCorpusRoot, 4); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "extract")
	p, s := beam.NewPipelineWithRoot()
	Extract(s, ExtractOptions{Output: out, Shards: 4, Retrieval: retrieval.Params{
		Input: filepath.Join(dir, "*.jsonl.zst"), Fields: corpus.DefaultFields(), Extract: extract.DefaultOptions(), SkipFilter: true}})
	start := time.Now()
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		b.Fatalf("extract pipeline: %v", err)
	}
	st, err := runstats.ExtractStats(context.Background(), out, res)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Check(); err != nil {
		b.Fatal(err)
	}
	var rows []runstats.FunctionOut
	err = dataset.ReadLines(context.Background(), filepath.Join(out, runstats.DataDir, "part-*"), func(line []byte) error {
		var f runstats.FunctionOut
		if err := json.Unmarshal(line, &f); err != nil {
			return fmt.Errorf("function row: %w", err)
		}
		rows = append(rows, f)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	b.Logf("retrieval: %d files -> %d functions found -> %d kept (rejected %v) in %s",
		st.Files.In, st.Functions.In, len(rows), st.Functions.Rejected, time.Since(start).Round(time.Millisecond))
	return rows
}

// take returns the first n functions, copied under distinct ids when there
// are fewer than n.
func take(all []runstats.FunctionOut, n int) (rows []runstats.FunctionOut, copies int) {
	return cycle(all, n, "copy")
}

// cycle is n rows that go round all, each round after the first under new
// ids (ID~labelK): a label of its own keeps them distinct when all holds
// another cycle's copies already.
func cycle(all []runstats.FunctionOut, n int, label string) (rows []runstats.FunctionOut, copies int) {
	for i := 0; i < n; i++ {
		f := all[i%len(all)]
		if k := i / len(all); k > 0 {
			f.ID = fmt.Sprintf("%s~%s%d", f.ID, label, k)
			copies++
		}
		rows = append(rows, f)
	}
	return rows, copies
}

func writeFunctions(b *testing.B, rows []runstats.FunctionOut) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "functions.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			b.Fatal(err)
		}
	}
	return path
}

// benchOptions are the unitcoder binary's defaults (64 LLM requests in
// flight, R=3, K=3, coverage on, one sandbox
// worker per core) with no LLM cache.
func benchOptions(functions, out, url string) SynthesizeOptions {
	p := llmcall.Params{
		Config: llm.Config{
			BaseURL: url, Model: "simulated", MaxConcurrency: 64, Timeout: 2 * time.Minute, MaxRetries: 2,
			BackoffBase: 10 * time.Millisecond,
			Roles:       binaryRoles(),
		},
	}
	return SynthesizeOptions{
		Functions: functions, Output: out, Shards: 4, Testgen: p, Fix: p, Refine: p, Rounds: 3,
		// Isolation is spelled out so that SharedPool finds the pipeline's
		// pool (the stage fills in the same default) for the baseline.
		Sandbox: verify.Params{Timeout: 30 * time.Second, Coverage: true, KeepPassing: 1,
			Isolation: string(sandbox.Strict)},
	}
}

func benchSynthesize(b *testing.B, all []runstats.FunctionOut, n int) {
	rows, copies := take(all, n)
	if copies > 0 {
		b.Logf("%d of %d functions are copies under new ids: retrieval kept %d", copies, n, len(all))
	}
	functions := writeFunctions(b, rows)
	url, srv, stop, err := replay.Start(context.Background(), nil,
		replay.Options{Simulator: &replay.Simulator{Concurrency: 64, Latency: 0}})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	o := benchOptions(functions, "", url)
	pool, err := verify.SharedPool(o.Sandbox.SandboxConfig())
	if err != nil {
		b.Fatal(err)
	}
	poolJobsPerSec := poolBaseline(b, pool, rows, o.Sandbox)

	if err := resetPeakRSS(); err != nil {
		b.Logf("cannot reset VmHWM (%v): go_peak_MB includes setup", err)
	}
	children := sampleChildMemory(100 * time.Millisecond)
	var st runstats.Stats
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		o.Output = filepath.Join(b.TempDir(), "run")
		st = runBenchPipeline(b, o)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	childPeak, procs := children.Stop()
	goPeak, err := peakRSSBytes()
	if err != nil {
		b.Fatal(err)
	}
	reportSynthesize(b, st, n, elapsed, poolJobsPerSec, goPeak, childPeak)
	b.Logf("n=%d accepted=%d refined=%d rejected=%v sandbox jobs=%d llm requests=%v server=%+v descendants<=%d stage_seconds=%v",
		n, st.Functions.Accepted, st.Refined, st.Functions.Rejected, st.Counters["verify/jobs"],
		st.LLM.RequestsByRole, srv.Stats(), procs, st.StageSeconds)
}

func runBenchPipeline(b *testing.B, o SynthesizeOptions) runstats.Stats {
	b.Helper()
	p, s := beam.NewPipelineWithRoot()
	Synthesize(s, o)
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		b.Fatalf("pipeline: %v", err)
	}
	st, err := runstats.SynthesizeStats(context.Background(), o.Output, res, false, o.Rounds)
	if err != nil {
		b.Fatal(err)
	}
	// A conservation failure is the pipeline's bug, not the benchmark's: a
	// failed benchmark prints no figures, so it is logged and reported as
	// the "lost" metric instead (scripts/bench-synthesize.sh exits non-zero
	// when it is not 0).
	if err := st.Check(); err != nil {
		b.Logf("CONSERVATION VIOLATED: %v; functions that ended nowhere (first 10): %v; counters %v", err, unaccounted(b, o), st.Counters)
	}
	if st.Functions.Accepted == 0 && st.Functions.Rejected[string(sample.StageAdequacy)] == nil {
		b.Fatalf("no record written: %+v", st.Functions)
	}
	return st
}

// benchTests has the shape of the simulator's testgen reply.
const benchTests = "import unittest\n\n\nclass TestCases(unittest.TestCase):\n" +
	"    def test_simulated(self):\n        self.assertEqual(1, 1)\n"

// poolBaseline runs every function's program once against benchTests on
// the pool, 64 jobs in flight as the verify stage allows, and returns
// jobs per second. (The pipeline runs the same program a second time to
// re-verify the echoed refinement; a second pass here would only double
// the baseline's time on this 2-core machine.)
func poolBaseline(b *testing.B, pool *sandbox.Pool, rows []runstats.FunctionOut, p verify.Params) float64 {
	b.Helper()
	var jobs []sandbox.Job
	for _, r := range rows {
		code := testgen.Program(sample.Function{Code: r.Code, Imports: r.Imports})
		jobs = append(jobs, sandbox.Job{ID: r.ID, Code: code, Test: benchTests, Timeout: p.Timeout, Coverage: p.Coverage})
	}
	ctx := context.Background()
	// Warm the workers so neither side pays their start.
	if _, err := pool.Run(ctx, jobs[0]); err != nil {
		b.Fatal(err)
	}
	g := new(errgroup.Group)
	g.SetLimit(64)
	start := time.Now()
	for _, j := range jobs {
		g.Go(func() error {
			_, err := pool.Run(ctx, j)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return float64(len(jobs)) / time.Since(start).Seconds()
}

func reportSynthesize(b *testing.B, st runstats.Stats, n int, elapsed time.Duration, poolJobsPerSec float64, goPeak, childPeak int64) {
	samples := float64(n * b.N)
	jobs := float64(st.Counters["verify/jobs"]) * float64(b.N)
	poolOnly := jobs / poolJobsPerSec // seconds the pool alone needs for the pipeline's jobs
	b.ReportMetric(samples/elapsed.Seconds(), "samples/s")
	b.ReportMetric(float64(elapsed.Milliseconds())/samples, "ms/sample")
	b.ReportMetric(jobs/elapsed.Seconds(), "pipeline_jobs/s")
	b.ReportMetric(poolJobsPerSec, "pool_jobs/s")
	b.ReportMetric(elapsed.Seconds()/poolOnly, "overhead_x")
	b.ReportMetric((elapsed.Seconds()-poolOnly)*1000/samples, "overhead_ms/sample")
	b.ReportMetric(float64(st.Functions.Accepted), "accepted")
	b.ReportMetric(float64(st.Functions.In-st.Functions.Accepted-st.Functions.RejectedTotal), "lost")
	b.ReportMetric(float64(goPeak)/(1<<20), "go_peak_MB")
	b.ReportMetric(float64(childPeak)/(1<<20), "sandbox_pss_MB")
	b.ReportMetric(float64(goPeak)/float64(n)/1024, "go_peak_KB/sample")
}

// unaccounted lists (up to 10) input functions with neither a record nor a
// reject, to say where a conservation failure comes from.
func unaccounted(b *testing.B, o SynthesizeOptions) []string {
	b.Helper()
	ended := map[string]bool{}
	ctx := context.Background()
	for _, dir := range []string{runstats.DataDir, runstats.RejectedDir} {
		err := dataset.ReadLines(ctx, filepath.Join(o.Output, dir, "part-*"), func(line []byte) error {
			var row struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(line, &row); err != nil {
				return err
			}
			ended[row.ID] = true
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var missing []string
	err := dataset.ReadLines(ctx, o.Functions, func(line []byte) error {
		var f runstats.FunctionOut
		if err := json.Unmarshal(line, &f); err != nil {
			return err
		}
		if !ended[f.ID] && len(missing) < 10 {
			missing = append(missing, f.ID+" ("+f.Name+")")
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return missing
}

// progressBenchFunctions is how many functions each run of
// BenchmarkSynthesizeProgress synthesizes: enough for a run to last tens
// of seconds, few enough for nine runs to fit in a few minutes.
const progressBenchFunctions = 200

// progressBenchRounds is how many times BenchmarkSynthesizeProgress runs
// each mode per iteration; the figures are medians over them.
const progressBenchRounds = 3

// BenchmarkSynthesizeProgress measures what live progress costs the
// synthesis pipeline: the same 200 stdlib functions synthesized with the
// reporter off, in log mode and in bars mode (both refreshing every 50ms,
// far more often than their defaults), back to back in rotating order so
// that machine load hits all modes alike, three rounds per iteration.
// log/off and bars/off are the medians of the per-round time ratios.
func BenchmarkSynthesizeProgress(b *testing.B) {
	all := stdlibFunctions(b)
	rows, _ := take(all, progressBenchFunctions)
	functions := writeFunctions(b, rows)
	url, _, stop, err := replay.Start(context.Background(), nil,
		replay.Options{Simulator: &replay.Simulator{Concurrency: 64, Latency: 0}})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	var lines lockedBuffer
	timed := func(mode string) time.Duration {
		o := benchOptions(functions, filepath.Join(b.TempDir(), "run"), url)
		out := io.Writer(io.Discard)
		if mode == progress.ModeLog {
			out = &lines
		}
		stopProgress, err := progress.Start(context.Background(), progress.Options{Mode: mode, Interval: 50 * time.Millisecond, Out: out})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		st := runBenchPipeline(b, o)
		elapsed := time.Since(start)
		stopProgress()
		if got := st.Functions.Accepted + st.Functions.RejectedTotal; got != progressBenchFunctions {
			b.Fatalf("%s: %d of %d functions accounted for", mode, got, progressBenchFunctions)
		}
		return elapsed
	}
	timed(progress.ModeOff) // warm the sandbox pool, caches and prism
	b.ResetTimer()
	logOff, barsOff, off := progressRatios(b.N*progressBenchRounds, timed)
	b.StopTimer()
	// The reporter really ran: its last log line counts every function.
	last := strings.TrimSpace(lines.String())
	last = last[strings.LastIndex(last, "\n")+1:]
	if !strings.Contains(last, "progress done") || !strings.Contains(last, "verified ") || !strings.Contains(last, "written ") {
		b.Fatalf("log mode printed no final progress line: %q", last)
	}
	b.Logf("last progress line: %s", last)
	b.ReportMetric(logOff, "log/off")
	b.ReportMetric(barsOff, "bars/off")
	b.ReportMetric(off.Seconds(), "s/run-off")
}

// Model-bound benchmark settings (issue: keep the GPUs and the sandbox
// busy): a served model with 32 requests at a time and lognormal latencies
// of mean 2 s, sigma 1.0, as a vLLM server under load.
const (
	latentModelFunctions   = 1000
	latentModelConcurrency = 32
	latentModelLatency     = 2 * time.Second
	latentModelSigma       = 1.0
)

// BenchmarkSynthesizeLatentModel runs the synthesis graph over 1K stdlib
// functions against the capacity simulator with real-model latencies
// (C=32, lognormal mean 2 s, sigma 1.0; the pipeline's own request limit
// is C too). Every request waits, so the run is bound by the model, the
// sandbox, or both. It reports the wall time against the two bounds that no
// schedule can beat: the LLM-bound time (the simulator's summed service
// time / C) and the sandbox-bound time (the jobs' summed worker time /
// workers). wall/bound is the wall over the larger of the two; the target
// is 1.25.
func BenchmarkSynthesizeLatentModel(b *testing.B) {
	rows, _ := take(stdlibFunctions(b), latentModelFunctions)
	functions := writeFunctions(b, rows)
	var wall, llmBound, sandboxBound, llmShare, sandboxShare float64
	for i := 0; i < b.N; i++ {
		url, srv, stop, err := replay.Start(context.Background(), nil, replay.Options{Simulator: &replay.Simulator{
			Concurrency: latentModelConcurrency, Latency: latentModelLatency, LatencySigma: latentModelSigma, Seed: int64(i + 1)}})
		if err != nil {
			b.Fatal(err)
		}
		o := benchOptions(functions, filepath.Join(b.TempDir(), "run"), url)
		for _, p := range []*llmcall.Params{&o.Testgen, &o.Fix, &o.Refine} {
			p.MaxConcurrency = latentModelConcurrency
		}
		start := time.Now()
		st := runBenchPipeline(b, o)
		w := time.Since(start).Seconds()
		stop()
		server := srv.Stats()
		u := runstats.NewUtilization(st.Counters, w, latentModelConcurrency, o.Sandbox.PoolWorkers())
		wall += w
		llmBound += server.BusySeconds / latentModelConcurrency
		sandboxBound += u.SandboxBusyS / float64(u.SandboxWorkers)
		llmShare += u.LLMBusyShare
		sandboxShare += u.SandboxBusyShare
		b.Logf("run %d: wall %.1fs, server %+v, client llm_busy %.1fs, sandbox_busy %.1fs over %d workers, accepted %d, rejected %v",
			i, w, server, u.LLMBusyS, u.SandboxBusyS, u.SandboxWorkers, st.Functions.Accepted, st.Functions.Rejected)
	}
	n := float64(b.N)
	b.ReportMetric(wall/n, "wall_s")
	b.ReportMetric(llmBound/n, "llm_bound_s")
	b.ReportMetric(sandboxBound/n, "sandbox_bound_s")
	b.ReportMetric(wall/max(llmBound, sandboxBound), "wall/bound")
	b.ReportMetric(llmShare/n, "llm_busy_share")
	b.ReportMetric(sandboxShare/n, "sandbox_busy_share")
}

// BenchmarkSynthesizeMutationShare is the adequacy stage's share of
// synthesize's wall time on the 1K stdlib functions: each case runs the
// pipeline without the stage, then with it at the binary's defaults (20
// mutants, 2 reruns, a vacuity stub), against the same model, and reports
// share = (with - without) / with. "instant" is the simulator with no
// latency (every second of the stage shows); "latent" is the realistic
// model of BenchmarkSynthesizeLatentModel (C=32, lognormal mean 2 s,
// sigma 1), where mutant runs can overlap with LLM waits.
//
// UNITCODER_BENCH_MUTATION_FUNCTIONS=N runs the first N of the 1K
// functions instead (the with-stage runs are sandbox-bound on a small
// machine: about 24 more jobs per record).
func BenchmarkSynthesizeMutationShare(b *testing.B) {
	n := latentModelFunctions
	if v := os.Getenv("UNITCODER_BENCH_MUTATION_FUNCTIONS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
			b.Fatalf("UNITCODER_BENCH_MUTATION_FUNCTIONS=%q: want a positive count", v)
		}
	}
	rows, _ := take(stdlibFunctions(b), n)
	b.Logf("%d functions", n)
	functions := writeFunctions(b, rows)
	for _, c := range []struct {
		name string
		sim  replay.Simulator
		conc int
	}{
		{"instant", replay.Simulator{Concurrency: 64, Latency: 0}, 64},
		{"latent", replay.Simulator{Concurrency: latentModelConcurrency, Latency: latentModelLatency, LatencySigma: latentModelSigma, Seed: 1}, latentModelConcurrency},
	} {
		b.Run(c.name, func(b *testing.B) {
			var off, on float64
			var jobs, adequacyJobs, records int64
			for i := 0; i < b.N; i++ {
				for _, measure := range []bool{false, true} {
					sim := c.sim
					url, _, stop, err := replay.Start(context.Background(), nil, replay.Options{Simulator: &sim})
					if err != nil {
						b.Fatal(err)
					}
					o := benchOptions(functions, filepath.Join(b.TempDir(), "run"), url)
					for _, p := range []*llmcall.Params{&o.Testgen, &o.Fix, &o.Refine} {
						p.MaxConcurrency = c.conc
					}
					if measure {
						o.Adequacy = &adequacy.Params{Checks: checks.Params{}, MinMutationScore: 0, MinCoverage: 0}
					}
					start := time.Now()
					st := runBenchPipeline(b, o)
					w := time.Since(start).Seconds()
					stop()
					if measure {
						// The simulator's tests assert nothing about the
						// result (they pass against any code that loads), so
						// the stage finds every suite vacuous: a reject after
						// the whole analysis, which costs what a record does.
						on += w
						jobs += st.Counters["verify/jobs"]
						adequacyJobs += st.Counters[runstats.AdequacyJobs.Key()]
						records += st.Counters[runstats.AdequacySamples.Key()]
					} else {
						off += w
					}
					b.Logf("%s, adequacy %v: wall %.1fs, accepted %d, adequacy %+v", c.name, measure, w, st.Functions.Accepted, st.Adequacy)
				}
			}
			n := float64(b.N)
			b.ReportMetric(off/n, "wall_without_s")
			b.ReportMetric(on/n, "wall_with_s")
			b.ReportMetric((on-off)/on, "mutation_share")
			b.ReportMetric(float64(adequacyJobs)/max(1, float64(records)), "adequacy_jobs/sample")
			b.ReportMetric(float64(jobs)/n, "verify_jobs")
		})
	}
}
