package pipelines

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/transforms/output"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// VerifyOptions configures the verify pipeline.
type VerifyOptions struct {
	// Input is a glob of JSONL rows {"id","code","test"}, plain, .gz or .zst.
	Input string
	// Output is the directory result shards are written to.
	Output string
	// Shards is the number of result files.
	Shards int
	// Compression of result files: "zst" or "none".
	Compression string
	// Sandbox tunes the sandbox stage.
	Sandbox verify.Params
	// Adequacy, when set, measures each passing suite (mutation score,
	// vacuity, flakiness) and adds the fields to its row.
	Adequacy *adequacy.Params
}

// Verify builds the verify pipeline: read rows, run each in the sandbox,
// write one result row per input row.
func Verify(s beam.Scope, o VerifyOptions) {
	s = s.Scope("verify")
	lines := dataset.ReadJSONLines(s, o.Input)
	jobs, malformed := verify.ParseRows(s, lines)
	var rows beam.PCollection
	if o.Adequacy != nil {
		rows = beam.Flatten(s, verify.RunMeasured(s, jobs, o.Sandbox, *o.Adequacy), beam.ParDo(s, output.ResultRow, malformed))
	} else {
		results := verify.Run(s, jobs, o.Sandbox)
		rows = beam.ParDo(s, output.ResultRow, beam.Flatten(s, results, malformed))
	}
	dataset.WriteShards(s, rows, dataset.Params{Dir: o.Output, Shards: o.Shards, Compression: o.Compression})
}
