package main

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

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
		p, s := beam.NewPipelineWithRoot()
		pipelines.Extract(s, o)
		st, err := runAndAccount(ctx, p, fs, prog, runRecipe{name: "extract", output: o.Output, input: o.Retrieval.Input, stages: extractProgress,
			collect: func(ctx context.Context, res beam.PipelineResult) (runstats.Stats, error) {
				return runstats.ExtractStats(ctx, o.Output, res)
			}})
		if err != nil || st == nil {
			return err
		}
		fmt.Fprintf(os.Stdout, "extract: %d files in, %d parsed; %d functions found, %d kept (%.1fs)\n",
			st.Files.In, st.Files.Accepted, st.Functions.In, st.Functions.Accepted, st.Seconds)
		fmt.Fprintf(os.Stdout, "  rejected: %s\n", reasonsLine(st.Reasons))
		fmt.Fprintf(os.Stdout, "  kept functions: %s/data/\n  rejects:        %s/rejected/\n  stats:          %s/stats.json\n",
			o.Output, o.Output, o.Output)
		return st.Check()
	}
}
