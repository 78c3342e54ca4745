package verify

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/batching"
)

func init() {
	register.DoFn4x1[context.Context, int64, []sample.Sample, func(sample.Sample), error](&verifySamplesFn{})
}

// Samples verifies each sample's pending programs against its tests and
// returns the samples with the verdicts applied (see Judge). Round 0
// verifies the original code; rounds 1..R verify fix candidates;
// sample.RefineRound verifies the refined program.
func Samples(s beam.Scope, samples beam.PCollection, round int, p Params) beam.PCollection {
	s = s.Scope(fmt.Sprintf("VerifyRound%d", round))
	p = p.withDefaults()
	batches := batching.Batches(s, samples, p.BatchSize, p.Parallelism)
	return beam.ParDo(s, &verifySamplesFn{Params: p, Round: round}, batches)
}

type verifySamplesFn struct {
	Params Params `json:"params"`
	Round  int    `json:"round"`
	pool   *sandbox.Pool
}

func (fn *verifySamplesFn) Setup(ctx context.Context) error {
	var err error
	fn.pool, err = openPool(fn.Params)
	return err
}

func (fn *verifySamplesFn) ProcessElement(ctx context.Context, _ int64, batch []sample.Sample, emit func(sample.Sample)) error {
	var jobs []sandbox.Job
	var owner []int
	for i, x := range batch {
		for c, code := range Pending(x, fn.Round) {
			jobs = append(jobs, sandbox.Job{
				ID:   fmt.Sprintf("%s#r%dc%d", x.Function.ID, fn.Round, c),
				Code: code, Test: x.Tests, Timeout: fn.Params.Timeout, Coverage: fn.Params.Coverage,
			})
			owner = append(owner, i)
		}
	}
	results, err := RunAll(ctx, fn.pool, jobs)
	if err != nil {
		return err
	}
	per := make([][]sandbox.Result, len(batch))
	for k, r := range results {
		jobsRun.Inc(ctx, 1)
		per[owner[k]] = append(per[owner[k]], r)
	}
	for i, x := range batch {
		emit(Judge(x, fn.Round, per[i], fn.Params.KeepPassing))
	}
	return nil
}

// Pending returns the programs a round verifies for a sample.
func Pending(x sample.Sample, round int) []string {
	if round == 0 {
		return []string{x.Code}
	}
	return x.Candidates
}
