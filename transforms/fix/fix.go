package fix

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/batching"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register.DoFn5x1[context.Context, int64, []sample.Sample, func(sample.Sample), func(sample.Rejected), error](&proposeFn{})
}

// Params configures a fix round.
type Params struct {
	LLM    llmcall.Params
	Verify verify.Params
}

// Round runs fix round r of rounds: propose candidates, verify them, route.
func Round(s beam.Scope, failing beam.PCollection, r, rounds int, p Params) (passed, stillFailing, rejected beam.PCollection) {
	s = s.Scope(fmt.Sprintf("FixRound%d", r))
	batches := batching.Batches(s, failing, p.LLM.BatchSize, p.LLM.Parallelism)
	proposed, llmRejected := beam.ParDo2(s, &proposeFn{LLM: p.LLM, Round: r}, batches)
	verified := verify.Samples(s, proposed, r, p.Verify)
	passed, stillFailing, exhausted := verify.Route(s, verified, r, r == rounds)
	return passed, stillFailing, beam.Flatten(s, llmRejected, exhausted)
}

type proposeFn struct {
	LLM    llmcall.Params `json:"llm"`
	Round  int            `json:"round"`
	shared *llmcall.Shared
}

func (fn *proposeFn) Setup(ctx context.Context) error {
	var err error
	fn.shared, err = llmcall.Open(ctx, fn.LLM)
	return err
}

func (fn *proposeFn) ProcessElement(ctx context.Context, _ int64, batch []sample.Sample,
	emit func(sample.Sample), reject func(sample.Rejected)) error {
	out := make([]sample.Sample, len(batch))
	rej := make([]*sample.Rejected, len(batch))
	usage := llmcall.NewUsage(llm.RoleFix)
	g, gctx := errgroup.WithContext(ctx)
	for i := range batch {
		g.Go(func() error {
			var err error
			out[i], rej[i], err = propose(gctx, fn.shared, usage, batch[i], fn.Round)
			return err
		})
	}
	err := g.Wait()
	usage.Record(ctx)
	if err != nil {
		return err
	}
	for i := range batch {
		if rej[i] != nil {
			reject(*rej[i])
			continue
		}
		emit(out[i])
	}
	return nil
}

// propose asks for candidate fixes of x's code. A call the prompt itself
// failed rejects the sample; an outage or a cancelled bundle is returned
// as an error (llmcall.Fatal); replies without usable code are recorded in its history and the
// round goes on with the candidates that parsed.
func propose(ctx context.Context, sh *llmcall.Shared, usage *llmcall.Usage, x sample.Sample, round int) (sample.Sample, *sample.Rejected, error) {
	failures := make([]llm.TestFailure, len(x.Failures))
	for i, f := range x.Failures {
		failures[i] = llm.TestFailure{Name: f.Name, Traceback: f.Message}
	}
	msgs, err := sh.Prompts.Render(llm.RoleFix, llm.PromptInput{Code: x.Code, Tests: x.Tests, Failures: failures})
	if err != nil {
		return x, nil, fmt.Errorf("render fix prompt: %w", err)
	}
	c, err := sh.Client.Complete(ctx, llm.RoleFix, msgs)
	x.Tokens = x.Tokens.Add(usage.Add(c))
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
