package pipelines

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/transforms/output"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// ExtractOptions configures the extract pipeline.
type ExtractOptions struct {
	Retrieval retrieval.Params
	// Output is the run directory: data/, rejected/ and stats.json.
	Output string
	// Shards is the number of files in data/ and in rejected/.
	Shards int
}

// Extract builds the extract pipeline: package-based retrieval over a
// corpus, writing kept functions to data/ and every drop to rejected/.
func Extract(s beam.Scope, o ExtractOptions) {
	s = s.Scope("extract")
	functions, rejected := retrieval.Retrieve(s, o.Retrieval)
	output.Write(s, o.Output, o.Shards, "", beam.ParDo(s, output.FunctionRow, functions), rejected)
}
