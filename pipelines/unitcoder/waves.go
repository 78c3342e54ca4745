package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/runstats"
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
