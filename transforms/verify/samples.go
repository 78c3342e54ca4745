package verify

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/inflight"
)

func init() {
	register.DoFn3x1[context.Context, sample.Sample, func(sample.Sample), error](&verifySamplesFn{})
	register.Emitter1[sample.Sample]()
}

// Samples verifies each sample's pending programs against its tests and
// returns the samples with the verdicts applied (see Judge). Round 0
// verifies the original code; rounds 1..R verify fix candidates;
// sample.RefineRound verifies the refined program. Each sample is emitted
// as soon as its own jobs are done (see package inflight).
func Samples(s beam.Scope, samples beam.PCollection, round int, p Params) beam.PCollection {
	s = s.Scope(fmt.Sprintf("VerifyRound%d", round))
	inflight.GlobalWindow(s, samples)
	return beam.ParDo(s, &verifySamplesFn{Params: p.withDefaults(), Round: round}, samples)
}

type verifySamplesFn struct {
	Params Params `json:"params"`
	Round  int    `json:"round"`
	pool   *sandbox.Pool
	set    *inflight.Set[judged]
}

// judged is one sample with its round's verdicts.
type judged struct {
	sample  sample.Sample
	results []sandbox.Result
	err     error
}

func (fn *verifySamplesFn) Setup(ctx context.Context) error {
	var err error
	fn.pool, err = OpenPool(fn.Params)
	return err
}

func (fn *verifySamplesFn) StartBundle(ctx context.Context, _ func(sample.Sample)) {
	fn.set.Abandon()
	fn.set = inflight.Start[judged](ctx, fn.Params.pendingLimit())
}

func (fn *verifySamplesFn) ProcessElement(ctx context.Context, x sample.Sample, emit func(sample.Sample)) error {
	var jobs []sandbox.Job
	for c, code := range Pending(x, fn.Round) {
		jobs = append(jobs, sandbox.Job{
			ID:   fmt.Sprintf("%s#r%dc%d", x.Function.ID, fn.Round, c),
			Code: code, Test: x.Tests, Timeout: fn.Params.Timeout, Coverage: fn.Params.Coverage,
		})
	}
	return fn.set.Go(func(ctx context.Context) judged {
		results, err := RunAll(ctx, fn.pool, jobs)
		if err != nil {
			return judged{err: err}
		}
		return judged{sample: Judge(x, fn.Round, results, fn.Params.KeepPassing), results: results}
	}, fn.deliver(ctx, emit))
}

func (fn *verifySamplesFn) FinishBundle(ctx context.Context, emit func(sample.Sample)) error {
	return fn.set.Finish(fn.deliver(ctx, emit))
}

func (fn *verifySamplesFn) Teardown() { fn.set.Abandon() }

func (fn *verifySamplesFn) deliver(ctx context.Context, emit func(sample.Sample)) func(judged) error {
	return func(j judged) error {
		if j.err != nil {
			poolErrors.Inc(ctx, 1)
			return j.err
		}
		for _, r := range j.results {
			count(ctx, r)
		}
		emit(j.sample)
		return nil
	}
}

// Pending returns the programs a round verifies for a sample.
func Pending(x sample.Sample, round int) []string {
	if round == 0 {
		return []string{x.Code}
	}
	return x.Candidates
}
