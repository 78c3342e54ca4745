package testgen

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/batching"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
)

func init() {
	register.DoFn2x0[sample.Function, func(sample.Sample)](&newSampleFn{})
	register.DoFn5x1[context.Context, int64, []sample.Sample, func(sample.Sample), func(sample.Rejected), error](&generateFn{})
	register.Emitter1[sample.Sample]()
	register.Emitter1[sample.Rejected]()
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
	batches := batching.Batches(s, fresh, p.BatchSize, p.Parallelism)
	return beam.ParDo2(s, &generateFn{LLM: p}, batches)
}

// Program joins a function's import lines and its code into the program
// that is verified.
func Program(f sample.Function) string {
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

type generateFn struct {
	LLM    llmcall.Params `json:"llm"`
	shared *llmcall.Shared
}

func (fn *generateFn) Setup(ctx context.Context) error {
	var err error
	fn.shared, err = llmcall.Open(ctx, fn.LLM)
	return err
}

func (fn *generateFn) ProcessElement(ctx context.Context, _ int64, batch []sample.Sample,
	emit func(sample.Sample), reject func(sample.Rejected)) error {
	out := make([]outcome, len(batch))
	usage := llmcall.NewUsage(llm.RoleTestgen)
	g, gctx := errgroup.WithContext(ctx)
	for i := range batch {
		g.Go(func() error {
			out[i] = generateOne(gctx, fn.shared, usage, batch[i])
			return out[i].fatal
		})
	}
	err := g.Wait()
	usage.Record(ctx)
	if err != nil {
		return err // cancelled, or an outage (llmcall.Fatal): fail the bundle
	}
	for _, o := range out {
		if o.rejected != nil {
			failed.Inc(ctx, 1)
			reject(*o.rejected)
			continue
		}
		generated.Inc(ctx, 1)
		progress.Add(progress.TestsGenerated, 1)
		if o.sample.TestRepair != "" {
			repaired.Inc(ctx, 1)
		}
		emit(o.sample)
	}
	return nil
}

// outcome is one sample's result: a sample with tests, a reject, or an
// error that must fail the bundle.
type outcome struct {
	sample   sample.Sample
	rejected *sample.Rejected
	fatal    error
}

func generateOne(ctx context.Context, sh *llmcall.Shared, usage *llmcall.Usage, x sample.Sample) outcome {
	rej := func(reason, detail string) outcome {
		return outcome{rejected: new(sample.RejectFunction(x.Function.ID, sample.StageTestgen, reason, detail))}
	}
	msgs, err := sh.Prompts.Render(llm.RoleTestgen, llm.PromptInput{Code: x.Code})
	if err != nil {
		return outcome{fatal: fmt.Errorf("render testgen prompt: %w", err)}
	}
	c, err := sh.Client.Complete(ctx, llm.RoleTestgen, msgs)
	x.Tokens = x.Tokens.Add(usage.Add(c))
	if err == nil && len(c.Texts) == 0 {
		err = &llm.Error{Kind: llm.KindEmpty}
	}
	if err != nil {
		if fatal := llmcall.Fatal(ctx, err); fatal != nil {
			return outcome{fatal: fatal}
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
	return outcome{sample: x}
}
