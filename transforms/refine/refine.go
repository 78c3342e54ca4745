package refine

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/format"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	llmcall.RegisterStage[role]()
}

// Params configures refinement.
type Params struct {
	LLM    llmcall.Params
	Verify verify.Params
}

// Refine polishes and re-verifies the samples that passed in one branch of
// the graph: after is its scope, e.g. "AfterRound1" or "AfterPrune".
func Refine(s beam.Scope, passed beam.PCollection, after string, p Params) beam.PCollection {
	s = s.Scope("Refine").Scope(after)
	polished, _ := llmcall.Stage(s, passed, p.LLM, role{})
	return verify.Samples(s, polished, sample.RefineRound, p.Verify)
}

// role is refinement's own logic (see llmcall.Stage). It never rejects: a
// sample without a usable refined program keeps its verified code.
type role struct{}

func (role) Name() llm.Role { return llm.RoleRefine }

func (role) Count(context.Context, llmcall.Outcome) { progress.Add(progress.Refined, 1) }

// Call asks for a refined program for x.
func (role) Call(ctx context.Context, c *llmcall.Caller, x sample.Sample) llmcall.Outcome {
	x, err := polish(ctx, c, x)
	return llmcall.Outcome{Sample: x, Fatal: err}
}

// polish sets x.Candidates to the refined program, or leaves it empty and
// notes why there is none.
func polish(ctx context.Context, caller *llmcall.Caller, x sample.Sample) (sample.Sample, error) {
	msgs, err := caller.Render(llm.PromptInput{Code: x.Code})
	if err != nil {
		return x, fmt.Errorf("render refine prompt: %w", err)
	}
	c, err := caller.Complete(ctx, msgs, &x.Tokens)
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
