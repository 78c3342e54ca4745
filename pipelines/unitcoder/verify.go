package main

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register(command{
		name:     "verify",
		synopsis: "run code against its unit tests in the sandbox",
		description: `Reads JSONL rows {"id","code","test"} (plain, .gz or .zst; a local glob or
gs://), runs each in the sandbox and writes one result row per input row
{"id","status","tests":[...],"duration_ms","isolation",...} as JSONL shards in
--output. Malformed rows become results with status "rejected" and a reason.
With --mutation, each passing row also gets mutation_score, mutants,
mutants_killed, surviving (up to 5: line, operator, original,
replacement), vacuous and flaky.
Prints a one-line summary: counts per status and rows/s.`,
		defineFlags: verifyFlags,
	})
}

func verifyFlags(fs *flagSet) func(context.Context) error {
	input := fs.String("input", "", "JSONL rows {id, code, test}: a file or glob, local or gs:// (required)")
	output := fs.String("output", "", "directory for result shards, local or gs:// (required)")
	sandboxFlags := addSandboxFlags(fs)
	shards := fs.Int("shards", 4, "number of result files")
	compression := fs.String("compression", "none", "result file compression: none or zst")
	adequacyFlags := addAdequacyFlags(fs, false)
	return func(ctx context.Context) error {
		if *input == "" || *output == "" {
			return fmt.Errorf("--input and --output are required")
		}
		checks, err := adequacyFlags.params()
		if err != nil {
			return err
		}
		opts := pipelines.VerifyOptions{
			Input: *input, Output: *output, Shards: *shards, Compression: *compression,
			Sandbox: sandboxFlags.params(0), Adequacy: checks,
		}
		p, s := beam.NewPipelineWithRoot()
		pipelines.Verify(s, opts)
		start := time.Now()
		res, err := beamx.RunWithMetrics(ctx, p)
		// Pools that ran in this process are stopped, their job
		// directories removed.
		verify.CloseSharedPools()
		if err != nil {
			return withStopCause(err)
		}
		elapsed := time.Since(start)
		sum, err := runstats.SummarizeVerify(ctx, *output)
		if err != nil {
			return fmt.Errorf("read results back: %w", err)
		}
		counters := runstats.Counters(res)
		u := runstats.NewUtilization(counters, elapsed.Seconds(), 0, opts.Sandbox.PoolWorkers())
		fmt.Printf("verify: %d rows in %.1fs (%.1f rows/s, isolation=%s): %s\n",
			sum.Rows, elapsed.Seconds(), float64(sum.Rows)/elapsed.Seconds(), *sandboxFlags.isolation, sum)
		if a := sum.Adequacy; a != nil {
			fmt.Printf("  adequacy: %d suites measured, median mutation score %.2f (%d of %d mutants killed), %d vacuous, %d flaky\n",
				a.Measured, a.MedianScore, a.MutantsKilled, a.Mutants, a.Vacuous, a.Flaky)
		}
		fmt.Printf("  sandbox busy %.0f%% (%.1f worker-s of %d workers × %.1fs)\n",
			100*u.SandboxBusyShare, u.SandboxBusyS, u.SandboxWorkers, u.WallS)
		return runstats.WriteStats(ctx, *output, runstats.Stats{Command: "verify", Seconds: elapsed.Seconds(),
			Parameters: flagValues(fs), CommandLine: commandLine("verify"), Verify: &sum, Adequacy: sum.Adequacy, Utilization: u,
			Counters: counters})
	}
}
