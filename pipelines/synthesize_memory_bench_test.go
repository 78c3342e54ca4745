package pipelines

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// Sizes of BenchmarkSynthesizeMemory.
const (
	// benchMemorySizesEnv lists the function counts to run in waves,
	// comma-separated; the first is also run as one job.
	benchMemorySizesEnv = "UNITCODER_BENCH_MEMORY_SIZES"
	// benchMemoryWaveRowsEnv overrides the wave size (DefaultWaveRows).
	benchMemoryWaveRowsEnv = "UNITCODER_BENCH_MEMORY_WAVE_ROWS"
	// benchMemoryWaveMBEnv overrides the waves' byte cap
	// (DefaultWaveFunctionMB; 0: rows only).
	benchMemoryWaveMBEnv = "UNITCODER_BENCH_MEMORY_WAVE_MB"
	// benchMemoryRowsOnlyEnv, set to 1, also runs the first size in waves
	// cut by rows alone, beside the capped waves.
	benchMemoryRowsOnlyEnv = "UNITCODER_BENCH_MEMORY_ROWS_ONLY"
)

// defaultBenchMemorySizes are the sizes issue 16 asks for. On a 2-core
// machine, in the default 2 MB waves, the 10K's took 40 minutes and the
// 30K's 1 hour 47 minutes; the one job at the first size comes on top.
var defaultBenchMemorySizes = []int{10000, 30000}

// BenchmarkSynthesizeMemory is synthesize's peak memory on the local
// runner against an instant model (the replay server's simulator,
// latency 0), from the stdlib functions of BenchmarkSynthesize (copied
// under new ids beyond the ~3.3K the stdlib holds). Every size repeats the
// first size's functions (under new ids), so the sizes differ in how many
// rows they hold, not in which: the waves of a larger size are copies of
// the smaller one's, and a peak that grows with the size is the run's,
// not a heavier function's. It reports the Go process's
// VmHWM plus the sandbox's summed Pss (procmem_bench_test.go), for a run
// in waves of DefaultWaveRows rows and DefaultWaveFunctionMB at each size, and for one job at the
// first size, the unbounded baseline whose samples/s the waves are
// compared with. Each run starts its own sandbox pool and starts after
// the previous run's memory is handed back to the OS.
func BenchmarkSynthesizeMemory(b *testing.B) {
	sizes, waveRows, waveBytes := benchMemorySizes(b)
	base, _ := take(stdlibFunctions(b), sizes[0])
	url, _, stop, err := replay.Start(context.Background(), nil,
		replay.Options{Simulator: &replay.Simulator{Concurrency: 64, Latency: 0}})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	for _, n := range sizes {
		b.Run(fmt.Sprintf("waves/%d", n), func(b *testing.B) { benchSynthesizeMemory(b, base, n, url, waveRows, waveBytes) })
	}
	if os.Getenv(benchMemoryRowsOnlyEnv) == "1" {
		b.Run(fmt.Sprintf("waves_rows_only/%d", sizes[0]), func(b *testing.B) { benchSynthesizeMemory(b, base, sizes[0], url, waveRows, 0) })
	}
	b.Run(fmt.Sprintf("one_job/%d", sizes[0]), func(b *testing.B) { benchSynthesizeMemory(b, base, sizes[0], url, 0, 0) })
}

func benchMemorySizes(b *testing.B) (sizes []int, waveRows int, waveBytes int64) {
	sizes, waveRows, waveBytes = defaultBenchMemorySizes, DefaultWaveRows, DefaultWaveFunctionMB<<20
	if v := os.Getenv(benchMemorySizesEnv); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("%s=%q: want positive function counts, comma-separated", benchMemorySizesEnv, v)
			}
			sizes = append(sizes, n)
		}
	}
	if v := os.Getenv(benchMemoryWaveRowsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: want a positive row count", benchMemoryWaveRowsEnv, v)
		}
		waveRows = n
	}
	if v := os.Getenv(benchMemoryWaveMBEnv); v != "" {
		mb, err := strconv.ParseFloat(v, 64)
		if err != nil || mb < 0 {
			b.Fatalf("%s=%q: want a size in MB, or 0", benchMemoryWaveMBEnv, v)
		}
		waveBytes = int64(mb * (1 << 20))
	}
	return sizes, waveRows, waveBytes
}

// benchSynthesizeMemory runs n functions in waves of waveRows rows and at
// most waveBytes (0: rows only; waveRows 0: one job) and reports peak
// memory and samples/s.
func benchSynthesizeMemory(b *testing.B, all []runstats.FunctionOut, n int, url string, waveRows int, waveBytes int64) {
	rows, _ := cycle(all, n, "repeat")
	functions := writeFunctions(b, rows)
	goStart := startPeakRSS(b)
	children := sampleChildMemory(50 * time.Millisecond)
	var st runstats.Stats
	waves := 1
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		o := benchOptions(functions, filepath.Join(b.TempDir(), "run"), url)
		if waveRows > 0 {
			var plan FunctionWaves
			st, plan = runSynthesisWaves(b, o, waveRows, waveBytes)
			waves = len(plan.Files)
		} else {
			st = runBenchPipeline(b, o)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	childPeak, procs := children.Stop()
	goPeak, err := peakRSSBytes()
	if err != nil {
		b.Fatal(err)
	}
	verify.CloseSharedPools()
	if err := st.Check(); err != nil {
		b.Logf("CONSERVATION VIOLATED: %v", err)
	}
	const mb = 1 << 20
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "samples/s")
	b.ReportMetric(float64(goPeak)/mb, "go_peak_MB")
	b.ReportMetric(float64(goStart)/mb, "go_start_MB")
	b.ReportMetric(float64(childPeak)/mb, "sandbox_pss_MB")
	b.ReportMetric(float64(children.workersPeak)/mb, "sandbox_workers_MB")
	b.ReportMetric(float64(children.jobPeak)/mb, "largest_job_MB")
	b.ReportMetric(float64(goPeak+childPeak)/mb, "total_MB")
	b.ReportMetric(float64(waves), "waves")
	b.ReportMetric(float64(st.Functions.In-st.Functions.Accepted-st.Functions.RejectedTotal), "lost")
	b.Logf("n=%d waves=%d (%d rows each at most) accepted=%d rejected=%v descendants<=%d wall=%s",
		n, waves, waveRows, st.Functions.Accepted, st.Functions.Rejected, procs, elapsed.Round(time.Second))
}
