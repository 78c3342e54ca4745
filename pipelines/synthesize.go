package pipelines

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/transforms/adequacy"
	"github.com/unitcoder/unitcoder/transforms/fix"
	"github.com/unitcoder/unitcoder/transforms/format"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/loadcheck"
	"github.com/unitcoder/unitcoder/transforms/output"
	"github.com/unitcoder/unitcoder/transforms/prune"
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
	// FunctionLines, when set, is a local file of function lines spilled
	// by PlanFunctionWaves, read instead of Functions (one wave's job).
	FunctionLines string
	// SelectIDs, when non-empty, limits the LLM stages to these function
	// (or corpus-row) ids; the other retrieved functions end as testgen
	// rejects with reason not_selected.
	SelectIDs []string
	// LoadCheck loads each selected function's program in the sandbox with
	// no tests before test generation (package loadcheck), so no LLM call
	// is paid for a program that cannot load.
	LoadCheck bool
	// Output is the run directory: data/, rejected/ and stats.json.
	Output string
	// Shards is the number of files in data/ and in rejected/.
	Shards int
	// Compression of the output files: dataset.CompressionZstd (also when
	// empty) or CompressionNone (a wave's output, which only the merge
	// reads).
	Compression string
	// Testgen, Fix and Refine select each LLM role's endpoint.
	Testgen, Fix, Refine llmcall.Params
	// Sandbox tunes verification.
	Sandbox verify.Params
	// Rounds is R, the number of fix rounds.
	Rounds int
	// OnFail is what happens to corpus code that fails its tests: fix
	// (LLM repair rounds; also when empty), prune (drop the failing
	// tests) or prune_then_fix (see package prune).
	OnFail string
	// MinTests is the fewest tests a pruned suite may keep.
	MinTests int
	// Adequacy measures every passing sample's tests and sets the bar a
	// record must clear (its Verify is Sandbox); nil skips the stage
	// (records then carry no adequacy fields).
	Adequacy *adequacy.Params
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
	if o.LoadCheck {
		var unloadable beam.PCollection
		functions, unloadable = loadcheck.Check(s, functions, loadcheck.Params{Verify: o.Sandbox})
		add(unloadable)
	}

	// 3. Test generation (tests that copy the code under test are repaired).
	samples, testgenRejects := testgen.Generate(s, functions, o.Testgen)
	add(testgenRejects)

	// 4. Verify the original code; env and load errors never reach fix.
	verified := verify.Samples(s, samples, 0, o.Sandbox)
	pruning := o.OnFail == prune.OnFailPrune || o.OnFail == prune.OnFailPruneThenFix
	fixRounds := o.Rounds
	if o.OnFail == prune.OnFailPrune {
		fixRounds = 0
	}
	passed, failing, verifyRejects := verify.Route(s, verified, 0, fixRounds == 0 && !pruning)
	add(verifyRejects)

	// 6-7. Refine passing code and verify it again against the same tests,
	// then measure the tests' strength (step 8). Each branch's passing
	// samples go straight from its verdicts, so that they stay in the
	// bundle that verified them (a Flatten first would start a new stage
	// on runners that flatten outside the workers, such as prism).
	refineParams := refine.Params{LLM: o.Refine, Verify: o.Sandbox}
	var records, nearMisses []beam.PCollection
	finish := func(passed beam.PCollection, after string) {
		refined := refine.Refine(s, passed, after, refineParams)
		if o.Adequacy == nil {
			records = append(records, refined)
			return
		}
		ap := *o.Adequacy
		ap.Verify = o.Sandbox
		ok, near, rej := adequacy.Check(s, refined, after, ap)
		records, nearMisses = append(records, ok), append(nearMisses, near)
		add(rej)
	}
	finish(passed, "AfterRound0")

	// 4b. Keep the corpus code by dropping the tests it fails
	// (--on_fail=prune or prune_then_fix).
	if pruning {
		var pruned, pruneRejects beam.PCollection
		pruned, failing, pruneRejects = prune.Prune(s, failing,
			prune.Params{MinTests: o.MinTests, Fallback: fixRounds > 0, Verify: o.Sandbox})
		add(pruneRejects)
		finish(pruned, "AfterPrune")
	}

	// 5. Fix rounds 1..R, unrolled: Beam graphs have no cycles.
	fixParams := fix.Params{LLM: o.Fix, Verify: o.Sandbox}
	for r := 1; r <= fixRounds; r++ {
		var fixed, exhausted beam.PCollection
		fixed, failing, exhausted = fix.Round(s, failing, r, fixRounds, fixParams)
		finish(fixed, fmt.Sprintf("AfterRound%d", r))
		add(exhausted)
	}

	// 9. Format training records.
	formatted, formatRejects := format.Records(s, beam.Flatten(s, records...))
	add(formatRejects)

	// 10. Write records, near misses, rejects and (after the run)
	// stats.json.
	output.Write(s, o.Output, o.Shards, o.Compression, beam.ParDo(s, output.RecordRow, formatted), beam.Flatten(s, rejects...))
	if len(nearMisses) > 0 {
		output.WriteNearMisses(s, o.Output, o.Shards, o.Compression, beam.Flatten(s, nearMisses...))
	}
}

func retrieveOrRead(s beam.Scope, o SynthesizeOptions) (functions, rejected beam.PCollection) {
	if o.FunctionLines != "" {
		return retrieval.ReadSpilledFunctions(s, o.FunctionLines)
	}
	if o.Functions != "" {
		return retrieval.ReadFunctions(s, o.Functions)
	}
	return retrieval.Retrieve(s, o.Retrieval)
}
