package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// runRecipe is what differs between the pipeline commands around a run.
type runRecipe struct {
	name   string   // subcommand, for stats.json's command line
	output string   // run directory
	input  string   // corpus glob the run reads ("" when none), for progress
	stages []string // progress lines to show (nil: all)
	// collect reads the run's outputs back into stats.
	collect func(ctx context.Context, res beam.PipelineResult) (runstats.Stats, error)
	// llmConcurrency and sandboxWorkers are the per-process capacities
	// the utilization shares divide by (0: the run does not use it).
	llmConcurrency, sandboxWorkers int
}

// withStopCause puts the reason a stage stopped the run (runstats.
// StopCause) before the runner's job error, which may not carry it.
func withStopCause(err error) error {
	cause := runstats.StopCause()
	if cause == nil {
		return err
	}
	runner, _, _ := strings.Cut(err.Error(), "\n")
	return fmt.Errorf("%w\n(runner: %s)", cause, runner)
}

// runAndAccount runs a built pipeline with progress shown, reads its
// outputs back, and writes stats.json, the dataset card and the report. It
// returns nil stats when the job was only submitted (async or dry run).
func runAndAccount(ctx context.Context, p *beam.Pipeline, fs *flagSet, prog progressFlags, r runRecipe) (*runstats.Stats, error) {
	start := time.Now()
	stopProgress, err := prog.start(ctx, r.stages, r.input)
	if err != nil {
		return nil, err
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	wall := time.Since(start)
	stopProgress()
	// Sandbox pools that ran in this process are stopped, their job
	// directories removed.
	verify.CloseSharedPools()
	if err != nil {
		return nil, writeIncomplete(ctx, fs, r, start, err)
	}
	if submittedOnly(res, r.output) {
		return nil, nil
	}
	st, err := r.collect(ctx, res)
	if err != nil {
		return nil, fmt.Errorf("read outputs back: %w", err)
	}
	st.StageSeconds = runstats.StageSeconds(res, p)
	return finishStats(ctx, fs, r, st, start, wall)
}

// writeIncomplete writes the stats.json of a run that stopped (an LLM
// outage, the sandbox unavailable): no shards were completed, and it says
// so and why. The stage's own reason is clearer than the runner's job
// error. It returns the run's error.
func writeIncomplete(ctx context.Context, fs *flagSet, r runRecipe, start time.Time, err error) error {
	err = withStopCause(err)
	st := runstats.Stats{Command: r.name, Incomplete: err.Error(), Seconds: time.Since(start).Seconds(),
		Parameters: flagValues(fs), CommandLine: commandLine(r.name)}
	if werr := runstats.WriteStats(ctx, r.output, st); werr != nil {
		return fmt.Errorf("%w (and writing stats.json: %v)", err, werr)
	}
	return err
}

// finishStats completes a finished run's stats and writes stats.json, the
// dataset card and the report.
func finishStats(ctx context.Context, fs *flagSet, r runRecipe, st runstats.Stats, start time.Time, wall time.Duration) (*runstats.Stats, error) {
	st.Seconds = time.Since(start).Seconds()
	if r.llmConcurrency > 0 || r.sandboxWorkers > 0 {
		st.Utilization = runstats.NewUtilization(st.Counters, wall.Seconds(), r.llmConcurrency, r.sandboxWorkers)
	}
	st.Parameters = flagValues(fs)
	st.CommandLine = commandLine(r.name)
	if err := runstats.WriteStats(ctx, r.output, st); err != nil {
		return nil, err
	}
	if err := writeRunDocs(ctx, r.output); err != nil {
		return nil, err
	}
	return &st, nil
}
