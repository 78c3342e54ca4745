package pipelines

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/transforms/fix"
	"github.com/unitcoder/unitcoder/transforms/format"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/output"
	"github.com/unitcoder/unitcoder/transforms/refine"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
	"github.com/unitcoder/unitcoder/transforms/testgen"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

// SynthesizeOptions configures the synthesis pipeline.
type SynthesizeOptions struct {
	// Retrieval reads and filters a corpus; used when Functions is empty.
	Retrieval retrieval.Params
	// Functions is a glob of function rows (extract's data/ output) to
	// synthesize from instead of a corpus.
	Functions string
	// SelectIDs, when non-empty, limits the LLM stages to these function
	// (or corpus-row) ids; the other retrieved functions end as testgen
	// rejects with reason not_selected.
	SelectIDs []string
	// Output is the run directory: data/, rejected/ and stats.json.
	Output string
	// Shards is the number of files in data/ and in rejected/.
	Shards int
	// Testgen, Fix and Refine select each LLM role's endpoint.
	Testgen, Fix, Refine llmcall.Params
	// Sandbox tunes verification.
	Sandbox verify.Params
	// Rounds is R, the number of fix rounds.
	Rounds int
}

// Synthesize builds the UnitCoder pipeline (the paper's Figure 1): retrieve
// functions, generate unit tests, verify, repair failing code for up to R
// rounds, refine passing code, re-verify, and write records and rejects.
func Synthesize(s beam.Scope, o SynthesizeOptions) {
	s = s.Scope("synthesize")
	var rejects []beam.PCollection
	add := func(r beam.PCollection) { rejects = append(rejects, r) }

	// 1. Package-based retrieval (or functions extracted earlier).
	functions, retrievalRejects := retrieveOrRead(s, o)
	add(retrievalRejects)
	// 2. Spread the surviving functions before the expensive stages.
	functions = beam.Reshuffle(s, functions)
	functions, unselected := retrieval.Select(s, functions, o.SelectIDs)
	add(unselected)

	// 3. Test generation (tests that copy the code under test are repaired).
	samples, testgenRejects := testgen.Generate(s, functions, o.Testgen)
	add(testgenRejects)

	// 4. Verify the original code; env and load errors never reach fix.
	verified := verify.Samples(s, samples, 0, o.Sandbox)
	passed, failing, verifyRejects := verify.Route(s, verified, 0, o.Rounds == 0)
	add(verifyRejects)

	// 6-7. Refine passing code and verify it again against the same tests
	// (here round 0's; step 5 refines each fix round's in its loop): each
	// round's passing samples straight from its verdicts, so that they
	// stay in the bundle that verified them (a Flatten first would start a
	// new stage on runners that flatten outside the workers, such as prism).
	refineParams := refine.Params{LLM: o.Refine, Verify: o.Sandbox}
	refined := []beam.PCollection{refine.Refine(s, passed, 0, refineParams)}

	// 5. Fix rounds 1..R, unrolled: Beam graphs have no cycles.
	fixParams := fix.Params{LLM: o.Fix, Verify: o.Sandbox}
	for r := 1; r <= o.Rounds; r++ {
		var fixed, exhausted beam.PCollection
		fixed, failing, exhausted = fix.Round(s, failing, r, o.Rounds, fixParams)
		refined = append(refined, refine.Refine(s, fixed, r, refineParams))
		add(exhausted)
	}

	// 8. Format training records.
	records, formatRejects := format.Records(s, beam.Flatten(s, refined...))
	add(formatRejects)

	// 9. Write records, rejects and (after the run) stats.json.
	output.Write(s, o.Output, o.Shards, beam.ParDo(s, output.RecordRow, records), beam.Flatten(s, rejects...))
}

func retrieveOrRead(s beam.Scope, o SynthesizeOptions) (functions, rejected beam.PCollection) {
	if o.Functions != "" {
		return retrieval.ReadFunctions(s, o.Functions)
	}
	return retrieval.Retrieve(s, o.Retrieval)
}
