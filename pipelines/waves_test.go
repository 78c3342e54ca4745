package pipelines

import (
	"context"
	"reflect"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/runstats"
)

// runExtractInWaves runs extract as the command does on the local runner
// with --wave_mb: one prism job per wave of at most waveBytes, then
// MergeWaves. It fails the test unless the input makes at least minWaves
// waves, and returns the run's stats, counters summed over the jobs.
func runExtractInWaves(t *testing.T, o ExtractOptions, waveBytes int64, minWaves int) runstats.Stats {
	t.Helper()
	if o.Retrieval.Fields.Content == "" {
		o.Retrieval.Fields = corpus.DefaultFields()
	}
	if o.Shards == 0 {
		o.Shards = 2
	}
	ctx := context.Background()
	waves, err := PlanWaves(ctx, o.Retrieval.Input, waveBytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(waves) < minWaves {
		t.Fatalf("%d waves of %s, want at least %d", len(waves), o.Retrieval.Input, minWaves)
	}
	if err := CheckWaveParams(o); err != nil {
		t.Fatal(err)
	}
	spill := t.TempDir()
	counters := map[string]int64{}
	for w, files := range waves {
		p, s := beam.NewPipelineWithRoot()
		ExtractWave(s, o, files, WaveDir(spill, w))
		res, err := ptest.RunWithMetrics(p)
		if err != nil {
			t.Fatalf("wave %d: %v", w, err)
		}
		for k, v := range runstats.Counters(res) {
			counters[k] += v
		}
	}
	merged, err := MergeWaves(ctx, o, spill, len(waves))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range merged {
		counters[k] += v
	}
	st, err := runstats.ExtractStatsFromCounters(ctx, o.Output, counters)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// sameAccounting fails the test unless a run in waves accounts for every
// row and function as the single job did: conservation holds, and the
// funnel, reasons and counters are the same.
func sameAccounting(t *testing.T, single, waves runstats.Stats) {
	t.Helper()
	if err := waves.Check(); err != nil {
		t.Errorf("waves: %v", err)
	}
	if !reflect.DeepEqual(waves.Files, single.Files) || !reflect.DeepEqual(waves.Functions, single.Functions) {
		t.Errorf("waves account files %+v, functions %+v; one job %+v, %+v", waves.Files, waves.Functions, single.Files, single.Functions)
	}
	if !reflect.DeepEqual(waves.Funnel, single.Funnel) || !reflect.DeepEqual(waves.Reasons, single.Reasons) {
		t.Errorf("waves funnel %v reasons %v; one job %v %v", waves.Funnel, waves.Reasons, single.Funnel, single.Reasons)
	}
	if !reflect.DeepEqual(waves.Counters, single.Counters) {
		for k, v := range single.Counters {
			if waves.Counters[k] != v {
				t.Errorf("counter %s: waves %d, one job %d", k, waves.Counters[k], v)
			}
		}
		for k, v := range waves.Counters {
			if _, ok := single.Counters[k]; !ok {
				t.Errorf("counter %s: waves %d, one job none", k, v)
			}
		}
	}
}
