package refine

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/batching"
	"github.com/unitcoder/unitcoder/transforms/format"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register.DoFn4x1[context.Context, int64, []sample.Sample, func(sample.Sample), error](&polishFn{})
}

// Params configures refinement.
type Params struct {
	LLM    llmcall.Params
	Verify verify.Params
}

// Refine polishes and re-verifies every passing sample.
func Refine(s beam.Scope, passed beam.PCollection, p Params) beam.PCollection {
	s = s.Scope("Refine")
	batches := batching.Batches(s, passed, p.LLM.BatchSize, p.LLM.Parallelism)
	polished := beam.ParDo(s, &polishFn{LLM: p.LLM}, batches)
	return verify.Samples(s, polished, sample.RefineRound, p.Verify)
}

type polishFn struct {
	LLM    llmcall.Params `json:"llm"`
	shared *llmcall.Shared
}

func (fn *polishFn) Setup(ctx context.Context) error {
	var err error
	fn.shared, err = llmcall.Open(ctx, fn.LLM)
	return err
}

func (fn *polishFn) ProcessElement(ctx context.Context, _ int64, batch []sample.Sample, emit func(sample.Sample)) error {
	out := make([]sample.Sample, len(batch))
	usage := llmcall.NewUsage(llm.RoleRefine)
	g, gctx := errgroup.WithContext(ctx)
	for i := range batch {
		g.Go(func() error {
			var err error
			out[i], err = polish(gctx, fn.shared, usage, batch[i])
			return err
		})
	}
	err := g.Wait()
	usage.Record(ctx)
	if err != nil {
		return err
	}
	progress.Add(progress.Refined, int64(len(out)))
	for _, x := range out {
		emit(x)
	}
	return nil
}

// polish sets x.Candidates to the refined program, or leaves it empty and
// notes why there is none.
func polish(ctx context.Context, sh *llmcall.Shared, usage *llmcall.Usage, x sample.Sample) (sample.Sample, error) {
	msgs, err := sh.Prompts.Render(llm.RoleRefine, llm.PromptInput{Code: x.Code})
	if err != nil {
		return x, fmt.Errorf("render refine prompt: %w", err)
	}
	c, err := sh.Client.Complete(ctx, llm.RoleRefine, msgs)
	x.Tokens = x.Tokens.Add(usage.Add(c))
	x.Candidates = nil
	if err == nil && len(c.Texts) == 0 {
		err = &llm.Error{Kind: llm.KindEmpty}
	}
	if err != nil {
		if fatal := llmcall.Fatal(ctx, err); fatal != nil {
			return x, fatal
		}
		x.RefineNote = llm.Reason(err)
		return x, nil
	}
	code, err := llm.ExtractCode(c.Texts[0])
	if err != nil {
		x.RefineNote = llmcall.ParseReason(err)
		return x, nil
	}
	if _, ok := format.Split(code, x.Function.Name); !ok {
		// The record's prefix/completion split and its tests' entry point
		// need the function under its own name.
		x.RefineNote = "refined program does not define " + x.Function.Name
		return x, nil
	}
	x.Candidates = []string{code}
	return x, nil
}
