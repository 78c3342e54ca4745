package main

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"

	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/runstats"
)

func init() {
	register(command{
		name:     "extract",
		synopsis: "retrieve library-calling functions from a code corpus",
		description: `Package-based retrieval: streams a corpus (The Stack-style rows or UnitCoder
stage-1 rows), extracts every top-level Python function with tree-sitter and the same-file
definitions it needs (its program), keeps those that call a target library and
pass the quality rules, rejects programs whose imports cannot load in the
sandbox, removes exact and near duplicates and benchmark copies, and writes
  OUTPUT/data/part-*.jsonl.zst      {id, name, code, imports, apis, libs, program, closure, provenance}
  OUTPUT/rejected/part-*.jsonl.zst  {id, unit, stage, reason, detail}
  OUTPUT/stats.json                 funnel, reasons, conservation
The run exits non-zero if any row or function is unaccounted for.`,
		defineFlags: extractFlags,
	})
}

func extractFlags(fs *flagSet) func(context.Context) error {
	params := retrievalFlags(fs)
	output := fs.String("output", "", "run directory, local or gs:// (required)")
	shards := fs.Int("shards", 4, "number of files in data/ and in rejected/")
	waveMB := fs.Float64("wave_mb", pipelines.DefaultWaveMB, "on the local runner, process the corpus in waves of files of at most this many stored MB, one job each, so peak memory follows the wave, not the corpus; dedup and decontamination still span the whole corpus and the output is identical (0: one job)")
	prog := defineProgress(fs)
	return func(ctx context.Context) error {
		rp, err := params()
		if err != nil {
			return err
		}
		o := pipelines.ExtractOptions{Retrieval: rp, Output: *output, Shards: *shards}
		if o.Retrieval.Input == "" || o.Output == "" {
			return fmt.Errorf("--input and --output are required")
		}
		if *waveMB < 0 {
			return fmt.Errorf("--wave_mb=%v: want 0 (one job) or a positive size", *waveMB)
		}
		recipe := runRecipe{name: "extract", output: o.Output, input: o.Retrieval.Input, stages: extractProgress,
			collect: func(ctx context.Context, res beam.PipelineResult) (runstats.Stats, error) {
				return runstats.ExtractStats(ctx, o.Output, res)
			}}
		var st *runstats.Stats
		// An input that cannot be listed runs as one job, which reports it
		// as every run does.
		waves, werr := wavesFor(ctx, o.Retrieval.Input, int64(*waveMB*(1<<20)))
		if werr != nil {
			fmt.Fprintf(os.Stderr, "extract: no waves (%v); running as one job\n", werr)
		}
		if len(waves) > 1 {
			st, err = runExtractWaves(ctx, fs, prog, recipe, o, waves)
		} else {
			p, s := beam.NewPipelineWithRoot()
			pipelines.Extract(s, o)
			st, err = runAndAccount(ctx, p, fs, prog, recipe)
		}
		if err != nil || st == nil {
			return err
		}
		fmt.Fprintf(os.Stdout, "extract: %d files in, %d parsed; %d functions found, %d kept (%.1fs)\n",
			st.Files.In, st.Files.Accepted, st.Functions.In, st.Functions.Accepted, st.Seconds)
		if st.Waves > 1 {
			fmt.Fprintf(os.Stdout, "  in %d waves of at most %v MB (--wave_mb)\n", st.Waves, *waveMB)
		}
		fmt.Fprintf(os.Stdout, "  rejected: %s\n", reasonsLine(st.Reasons))
		fmt.Fprintf(os.Stdout, "  kept functions: %s/data/\n  rejects:        %s/rejected/\n  stats:          %s/stats.json\n",
			o.Output, o.Output, o.Output)
		return st.Check()
	}
}

// wavesFor plans the waves of an extract run: several only on a runner
// that runs in this process (prism), which holds what crosses a stage
// boundary in memory; a distributed runner gets one job and spills itself.
func wavesFor(ctx context.Context, input string, waveBytes int64) ([][]string, error) {
	// An --async run returns once its job is submitted: one job.
	if waveBytes <= 0 || !runsInProcess() || *jobopts.Async {
		return nil, nil
	}
	return pipelines.PlanWaves(ctx, input, waveBytes)
}
