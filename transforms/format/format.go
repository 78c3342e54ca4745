package format

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.DoFn4x0[context.Context, sample.Sample, func(sample.Record), func(sample.Rejected)](&recordFn{})
	register.Emitter1[sample.Record]()
}

var formatted = beam.NewCounter("format", "records")

// Records formats every sample as a record.
func Records(s beam.Scope, samples beam.PCollection) (records, rejected beam.PCollection) {
	s = s.Scope("Format")
	return beam.ParDo2(s, &recordFn{}, samples)
}

type recordFn struct{}

func (fn *recordFn) ProcessElement(ctx context.Context, x sample.Sample, emit func(sample.Record), reject func(sample.Rejected)) {
	r, err := Record(x)
	if err != nil {
		reject(x.Reject(sample.StageWrite, "entry_point_missing", err.Error()))
		return
	}
	formatted.Inc(ctx, 1)
	progress.Add(progress.Records, 1)
	emit(r)
}

// Record builds the dataset record of a verified sample.
func Record(x sample.Sample) (sample.Record, error) {
	f := x.Function
	parts, ok := Split(x.Code, f.Name)
	if !ok {
		return sample.Record{}, fmt.Errorf("function %s not found in the verified program", f.Name)
	}
	testCount := len(x.TestNames)
	return sample.Record{
		ID: f.ID, Provenance: f.Provenance,
		Prefix: parts.Prefix, Completion: parts.Completion,
		Instruction: Instruction(parts, f.Name, x.Tests),
		Response:    x.Code,
		Tests:       x.Tests, EntryPoint: f.Name,
		Libs: f.Libs, APIs: f.APIs, Closure: f.Closure,
		Rounds: x.PassedRound, TestCount: testCount,
		Coverage: x.Coverage, BranchCoverage: x.BranchCoverage,
		Refined: x.Refined, RefineNote: x.RefineNote, TestRepair: x.TestRepair,
		Variants: x.Variants, Tokens: x.Tokens, History: x.Attempts,
		Origin: Origin(x), DroppedTests: x.DroppedTests, Adequacy: x.Adequacy,
	}, nil
}

// Origin is where x's passing suite came from: its own Origin when a stage
// set it (pruning), otherwise original when the corpus code passed and
// fixed when a repair did.
func Origin(x sample.Sample) string {
	switch {
	case x.Origin != "":
		return x.Origin
	case x.PassedRound == 0:
		return sample.OriginOriginal
	}
	return sample.OriginFixed
}

// Instruction states the task in natural language: the docstring's
// description under the function's signature, BigCodeBench-Instruct style.
// Without a docstring (the refinement was not kept) the task names the
// signature and shows the tests the function must pass.
func Instruction(p Parts, name, tests string) string {
	var b strings.Builder
	if p.Docstring != "" {
		fmt.Fprintf(&b, "%s\n\n", p.Docstring)
	} else {
		fmt.Fprintf(&b, "Write the Python function `%s` so that it passes these unit tests:\n```python\n%s\n```\n\n",
			name, strings.TrimSpace(tests))
	}
	fmt.Fprintf(&b, "You should write self-contained code starting with:\n```python\n%s```", p.Head)
	return b.String()
}
