package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// runExtractWaves runs extract as one job per wave of corpus files, then
// merges the waves (pipelines.MergeWaves) and accounts for the run as
// runAndAccount does for one job: progress and its ETA span every wave,
// counters and stage seconds are summed, and there is one stats.json.
func runExtractWaves(ctx context.Context, fs *flagSet, prog progressFlags, r runRecipe, o pipelines.ExtractOptions, waves [][]string) (*runstats.Stats, error) {
	start := time.Now()
	spill, err := os.MkdirTemp("", "unitcoder-waves-")
	if err != nil {
		return nil, fmt.Errorf("waves: %w", err)
	}
	defer os.RemoveAll(spill)
	if err := pipelines.CheckWaveParams(o); err != nil {
		return nil, err
	}
	stopProgress, err := prog.start(ctx, r.stages, r.input)
	if err != nil {
		return nil, err
	}
	counters := map[string]int64{}
	stageSeconds := map[string]float64{}
	for w, files := range waves {
		p, s := beam.NewPipelineWithRoot()
		pipelines.ExtractWave(s, o, files, pipelines.WaveDir(spill, w))
		res, err := beamx.RunWithMetrics(ctx, p)
		if err != nil {
			stopProgress()
			return nil, writeIncomplete(ctx, fs, r, start, fmt.Errorf("wave %d of %d: %w", w+1, len(waves), err))
		}
		for k, v := range runstats.Counters(res) {
			counters[k] += v
		}
		for k, v := range runstats.StageSeconds(res, p) {
			stageSeconds[k] += v
		}
	}
	mergeStart := time.Now()
	merged, err := pipelines.MergeWaves(ctx, o, spill, len(waves))
	stopProgress()
	if err != nil {
		return nil, writeIncomplete(ctx, fs, r, start, fmt.Errorf("merge waves: %w", err))
	}
	for k, v := range merged {
		counters[k] += v
	}
	stageSeconds["MergeWaves"] += time.Since(mergeStart).Seconds()
	wall := time.Since(start)
	st, err := runstats.ExtractStatsFromCounters(ctx, o.Output, counters)
	if err != nil {
		return nil, fmt.Errorf("read outputs back: %w", err)
	}
	st.StageSeconds = stageSeconds
	st.Waves = len(waves)
	return finishStats(ctx, fs, r, st, start, wall)
}

// runSynthesizeWaves runs synthesize --functions as one job per wave of
// function rows (pipelines.PlanFunctionWaves), then merges the waves'
// outputs (pipelines.MergeSynthesisWaves) and accounts for the run as
// runAndAccount does for one job. It returns nil stats and no error when
// the input makes one wave or its waves cannot be planned: the caller then
// runs one job. The spill, about the input's size compressed plus the
// waves' outputs uncompressed (the records' plain size), goes under
// $TMPDIR.
func runSynthesizeWaves(ctx context.Context, fs *flagSet, prog progressFlags, r runRecipe, o pipelines.SynthesizeOptions, waveRows int, waveBytes int64) (*runstats.Stats, error) {
	start := time.Now()
	spill, err := os.MkdirTemp("", "unitcoder-waves-")
	if err != nil {
		return nil, fmt.Errorf("waves: %w", err)
	}
	defer os.RemoveAll(spill)
	plan, err := pipelines.PlanFunctionWaves(ctx, o.Functions, waveRows, waveBytes, spill)
	if err != nil {
		// As extract does: the one job reports a bad input its own way.
		fmt.Fprintf(os.Stderr, "synthesize: no waves (%v); running as one job\n", err)
		return nil, nil
	}
	if len(plan.Files) < 2 {
		return nil, nil
	}
	stopProgress, err := prog.start(ctx, r.stages, r.input)
	if err != nil {
		return nil, err
	}
	// Sandbox pools stay warm from one wave to the next.
	defer verify.CloseSharedPools()
	progress.Add(progress.FunctionsIn, plan.Total())
	counters, stageSeconds, err := pipelines.RunSynthesisWaves(ctx, o, plan, spill, beamx.RunWithMetrics,
		func(w int) {
			progress.Add(progress.FunctionsEnded, plan.Rows[w])
			if w == len(plan.Files)-1 {
				verify.CloseSharedPools() // before the merge
			}
		})
	stopProgress()
	if err != nil {
		return nil, writeIncomplete(ctx, fs, r, start, err)
	}
	wall := time.Since(start)
	st, err := runstats.SynthesizeStatsFromCounters(ctx, o.Output, counters, false, o.Rounds)
	if err != nil {
		return nil, fmt.Errorf("read outputs back: %w", err)
	}
	st.StageSeconds = stageSeconds
	st.Waves = len(plan.Files)
	return finishStats(ctx, fs, r, st, start, wall)
}
