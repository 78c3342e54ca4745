package fix

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	llmcall.RegisterStage[role]()
}

// Params configures a fix round.
type Params struct {
	LLM    llmcall.Params
	Verify verify.Params
}

// Round runs fix round r of rounds: propose candidates, verify them, route.
func Round(s beam.Scope, failing beam.PCollection, r, rounds int, p Params) (passed, stillFailing, rejected beam.PCollection) {
	s = s.Scope(fmt.Sprintf("FixRound%d", r))
	proposed, llmRejected := llmcall.Stage(s, failing, p.LLM, role{Round: r})
	verified := verify.Samples(s, proposed, r, p.Verify)
	passed, stillFailing, exhausted := verify.Route(s, verified, r, r == rounds)
	return passed, stillFailing, beam.Flatten(s, llmRejected, exhausted)
}

// role is a fix round's own logic (see llmcall.Stage).
type role struct {
	Round int `json:"round"`
}

func (role) Name() llm.Role { return llm.RoleFix }

func (role) Count(context.Context, llmcall.Outcome) {}

// Call proposes candidate fixes for x.
func (r role) Call(ctx context.Context, c *llmcall.Caller, x sample.Sample) llmcall.Outcome {
	x, rej, err := propose(ctx, c, x, r.Round)
	return llmcall.Outcome{Sample: x, Rejected: rej, Fatal: err}
}

// propose asks for candidate fixes of x's code. A call the prompt itself
// failed rejects the sample; an outage or a cancelled bundle is returned
// as an error (llmcall.Fatal); replies without usable code are recorded in its history and the
// round goes on with the candidates that parsed.
func propose(ctx context.Context, caller *llmcall.Caller, x sample.Sample, round int) (sample.Sample, *sample.Rejected, error) {
	failures := make([]llm.TestFailure, len(x.Failures))
	for i, f := range x.Failures {
		failures[i] = llm.TestFailure{Name: f.Name, Traceback: f.Message}
	}
	msgs, err := caller.Render(llm.PromptInput{Code: x.Code, Tests: x.Tests, Failures: failures})
	if err != nil {
		return x, nil, fmt.Errorf("render fix prompt: %w", err)
	}
	c, err := caller.Complete(ctx, msgs, &x.Tokens)
	if err != nil {
		if fatal := llmcall.Fatal(ctx, err); fatal != nil {
			return x, nil, fatal
		}
		return x, new(x.Reject(sample.StageFix, llm.Reason(err), err.Error())), nil
	}
	x.Candidates = nil
	for i, text := range c.Texts {
		code, err := llm.ExtractCode(text)
		if err != nil {
			x.Attempts = append(x.Attempts, sample.Attempt{Round: round, Candidate: i,
				Status: llmcall.ParseReason(err), Note: err.Error()})
			continue
		}
		x.Candidates = append(x.Candidates, code)
	}
	return x, nil, nil
}
