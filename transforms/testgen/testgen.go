package testgen

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
)

func init() {
	register.DoFn2x0[sample.Function, func(sample.Sample)](&newSampleFn{})
	llmcall.RegisterStage[role]()
}

var (
	generated = beam.NewCounter("testgen", "generated")
	repaired  = beam.NewCounter("testgen", "shadowing_repaired")
	failed    = beam.NewCounter("testgen", "rejected")
)

// Generate asks the LLM for tests for every function.
func Generate(s beam.Scope, functions beam.PCollection, p llmcall.Params) (samples, rejected beam.PCollection) {
	s = s.Scope("GenerateTests")
	fresh := beam.ParDo(s, &newSampleFn{}, functions)
	return llmcall.Stage(s, fresh, p, role{})
}

// Program is the program that is verified: the function's Program (its
// imports, dependency closure and code), or for rows written before
// closures existed, its import lines and code.
func Program(f sample.Function) string {
	if f.Program != "" {
		return f.Program
	}
	var b strings.Builder
	for _, imp := range f.Imports {
		b.WriteString(strings.TrimRight(imp, "\n"))
		b.WriteByte('\n')
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(strings.TrimRight(f.Code, "\n"))
	b.WriteByte('\n')
	return b.String()
}

type newSampleFn struct{}

func (fn *newSampleFn) ProcessElement(f sample.Function, emit func(sample.Sample)) {
	emit(sample.Sample{Function: f, Code: Program(f), PassedRound: -1})
}

// role is test generation's own logic (see llmcall.Stage).
type role struct{}

func (role) Name() llm.Role { return llm.RoleTestgen }

func (role) Count(ctx context.Context, o llmcall.Outcome) {
	if o.Rejected != nil {
		failed.Inc(ctx, 1)
		return
	}
	generated.Inc(ctx, 1)
	progress.Add(progress.TestsGenerated, 1)
	if o.Sample.TestRepair != "" {
		repaired.Inc(ctx, 1)
	}
}

// Call asks for tests for x's code: a sample with tests, or a reject.
func (role) Call(ctx context.Context, c *llmcall.Caller, x sample.Sample) llmcall.Outcome {
	return generateOne(ctx, c, x)
}

func generateOne(ctx context.Context, caller *llmcall.Caller, x sample.Sample) llmcall.Outcome {
	rej := func(reason, detail string) llmcall.Outcome {
		return llmcall.Outcome{Rejected: new(sample.RejectFunction(x.Function.ID, sample.StageTestgen, reason, detail))}
	}
	msgs, err := caller.Render(llm.PromptInput{Code: x.Code})
	if err != nil {
		return llmcall.Outcome{Fatal: fmt.Errorf("render testgen prompt: %w", err)}
	}
	c, err := caller.Complete(ctx, msgs, &x.Tokens)
	if err == nil && len(c.Texts) == 0 {
		err = &llm.Error{Kind: llm.KindEmpty}
	}
	if err != nil {
		if fatal := llmcall.Fatal(ctx, err); fatal != nil {
			return llmcall.Outcome{Fatal: fatal}
		}
		return rej(llm.Reason(err), err.Error())
	}
	tests, err := llm.ExtractCode(c.Texts[0])
	if err != nil {
		return rej(llmcall.ParseReason(err), err.Error())
	}
	if len(TestMethods(tests)) == 0 {
		return rej("no_test_cases", "the reply defines no unittest.TestCase test method")
	}
	tests, removed := RemoveShadowing(x.Code, tests)
	if len(removed) > 0 {
		x.TestRepair = "removed_redefinition:" + strings.Join(removed, ",")
		if len(TestMethods(tests)) == 0 {
			return rej("shadowing_unrepairable", x.TestRepair)
		}
	}
	x.Tests = tests
	x.TestNames = TestMethods(tests)
	return llmcall.Outcome{Sample: x}
}
