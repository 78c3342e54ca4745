package llmcall

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/inflight"
)

func init() {
	register.Emitter1[sample.Sample]()
	register.Emitter1[sample.Rejected]()
}

// Outcome is every LLM role's result for one sample: the sample goes on
// (Sample), ends as a reject (Rejected), or the run must stop (Fatal).
type Outcome struct {
	Sample   sample.Sample
	Rejected *sample.Rejected
	Fatal    error
}

// Role is one LLM role's own logic; Stage does the rest (client set-up,
// concurrency, usage metrics, emitting). A Role travels to workers inside
// the stage's DoFn, so its fields are plain data.
type Role interface {
	// Name names the role's prompts and metrics.
	Name() llm.Role
	// Call does the role's work for one sample on a goroutine of its own:
	// it must not touch Beam emitters or metrics.
	Call(ctx context.Context, c *Caller, x sample.Sample) Outcome
	// Count records the role's own metrics for an outcome; it runs on the
	// bundle's goroutine.
	Count(ctx context.Context, o Outcome)
}

// Caller is what a Role's Call uses: the role's prompts, and the
// process's client with the stage's usage accounting.
type Caller struct {
	role   llm.Role
	shared *Shared
	usage  *Usage
}

// Render renders the role's prompt.
func (c *Caller) Render(in llm.PromptInput) ([]llm.Message, error) {
	return c.shared.Prompts.Render(c.role, in)
}

// Complete asks the endpoint for the role's candidates, adds the call's
// usage to the stage's metrics and its answers' cost to tokens.
func (c *Caller) Complete(ctx context.Context, msgs []llm.Message, tokens *sample.Tokens) (llm.Completion, error) {
	comp, err := c.shared.Client.Complete(ctx, c.role, msgs)
	*tokens = tokens.Add(c.usage.Add(comp))
	return comp, err
}

// RegisterStage registers the stage DoFn of a Role type; call it from the
// init of the role's package.
func RegisterStage[R Role]() {
	register.DoFn4x1[context.Context, sample.Sample, func(sample.Sample), func(sample.Rejected), error](&StageFn[R]{})
}

// Stage applies role to every sample: PCollection<sample.Sample> in; the
// samples that go on, and the rejects, out. Each sample is emitted as soon
// as its own call is done (package inflight); up to twice the endpoint's
// concurrency are in flight per bundle, so requests stay at the
// endpoint's concurrency while work is pending.
func Stage[R Role](s beam.Scope, samples beam.PCollection, p Params, role R) (out, rejected beam.PCollection) {
	inflight.GlobalWindow(s, samples)
	return beam.ParDo2(s, &StageFn[R]{LLM: p, Role: role}, samples)
}

// StageFn is the one DoFn of every LLM stage, for one Role.
type StageFn[R Role] struct {
	// LLM is the role's endpoint and call settings.
	LLM Params `json:"llm"`
	// Role is the role's own logic.
	Role   R `json:"role"`
	caller *Caller
	set    *inflight.Set[Outcome]
}

// Setup opens the process's client.
func (fn *StageFn[R]) Setup(ctx context.Context) error {
	shared, err := Open(ctx, fn.LLM)
	if err != nil {
		return err
	}
	fn.caller = &Caller{role: fn.Role.Name(), shared: shared, usage: NewUsage(fn.Role.Name())}
	return nil
}

// StartBundle starts the bundle's in-flight set.
//
// Beam wants the emitters of FinishBundle here too; nothing is emitted.
func (fn *StageFn[R]) StartBundle(ctx context.Context, _ func(sample.Sample), _ func(sample.Rejected)) {
	fn.set.Abandon()
	fn.set = inflight.Start[Outcome](ctx, max(2*fn.LLM.Config.Concurrency(), 16))
}

// ProcessElement starts one sample's call and emits what is done.
func (fn *StageFn[R]) ProcessElement(ctx context.Context, x sample.Sample,
	emit func(sample.Sample), reject func(sample.Rejected)) error {
	return fn.set.Go(func(ctx context.Context) Outcome {
		return fn.Role.Call(ctx, fn.caller, x)
	}, fn.deliver(ctx, emit, reject))
}

// FinishBundle emits the rest as it completes.
func (fn *StageFn[R]) FinishBundle(ctx context.Context, emit func(sample.Sample), reject func(sample.Rejected)) error {
	return fn.set.Finish(fn.deliver(ctx, emit, reject))
}

// Teardown drops work a failed bundle left.
func (fn *StageFn[R]) Teardown() { fn.set.Abandon() }

// deliver records usage and the role's metrics and emits one outcome, on
// the bundle's goroutine.
func (fn *StageFn[R]) deliver(ctx context.Context, emit func(sample.Sample), reject func(sample.Rejected)) func(Outcome) error {
	return func(o Outcome) error {
		fn.caller.usage.Record(ctx)
		if o.Fatal != nil {
			return o.Fatal
		}
		fn.Role.Count(ctx, o)
		if o.Rejected != nil {
			reject(*o.Rejected)
			return nil
		}
		emit(o.Sample)
		return nil
	}
}
