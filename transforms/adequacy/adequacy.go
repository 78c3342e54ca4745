// Package adequacy is the synthesis stage that measures every verified
// sample's test strength (package adequacy: mutation score, vacuity,
// flakiness) and holds it to the run's thresholds. Samples that meet them
// go on to become records; the others are rejects (stage adequacy) and
// are also written, graded, to the near_miss output.
package adequacy

import (
	"context"
	"fmt"
	"strconv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/format"
	"github.com/unitcoder/unitcoder/transforms/inflight"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register.DoFn5x1[context.Context, sample.Sample, func(sample.Sample), func(sample.NearMiss), func(sample.Rejected), error](&checkFn{})
	register.Emitter1[sample.NearMiss]()
}

// Params are the checks' sizes and the thresholds a record must meet.
type Params struct {
	Checks adequacy.Params `json:"checks"`
	// MinMutationScore is the lowest mutation score a record may have.
	MinMutationScore float64 `json:"min_mutation_score"`
	// MinCoverage is the lowest line coverage (percent) a record may have.
	MinCoverage float64 `json:"min_coverage"`
	// Verify selects the sandbox pool (the stage shares verification's).
	Verify verify.Params `json:"verify"`
}

// Reject reasons of the stage.
const (
	ReasonVacuous = "adequacy/vacuous"
	ReasonFlaky   = "adequacy/flaky"
	ReasonWeak    = "adequacy/weak_tests"
)

// Check measures each sample of one branch of the graph (after is its
// scope, e.g. "AfterRound0") and splits them into those that meet the
// thresholds (with Adequacy set), near misses and rejects. Every near miss
// is also in rejected.
func Check(s beam.Scope, samples beam.PCollection, after string, p Params) (accepted, nearMiss, rejected beam.PCollection) {
	s = s.Scope("Adequacy").Scope(after)
	inflight.GlobalWindow(s, samples)
	return beam.ParDo3(s, &checkFn{Params: p}, samples)
}

type checkFn struct {
	Params   Params `json:"params"`
	analyzer *adequacy.Analyzer
	set      *inflight.Set[measured]
}

// measured is one sample with its adequacy, or the sandbox fault that
// must fail the bundle.
type measured struct {
	sample sample.Sample
	work   adequacy.Work
	err    error
}

func (fn *checkFn) Setup(ctx context.Context) error {
	var err error
	fn.analyzer, err = verify.NewAnalyzer(fn.Params.Verify, fn.Params.Checks)
	return err
}

func (fn *checkFn) StartBundle(ctx context.Context, _ func(sample.Sample), _ func(sample.NearMiss), _ func(sample.Rejected)) {
	fn.set.Abandon()
	// Each sample in flight queues twenty-odd jobs on the pool: a few
	// samples keep every worker busy.
	fn.set = inflight.Start[measured](ctx, max(fn.Params.Verify.PoolWorkers(), 4))
}

func (fn *checkFn) ProcessElement(ctx context.Context, x sample.Sample, ok func(sample.Sample), near func(sample.NearMiss), rej func(sample.Rejected)) error {
	timeout := fn.Params.Verify.Timeout
	return fn.set.Go(func(ctx context.Context) measured {
		a, w, err := fn.analyzer.Analyze(ctx, adequacy.Input{ID: x.Function.ID, Code: x.Code, Tests: x.Tests,
			Functions: []string{x.Function.Name}, Timeout: timeout})
		x.Adequacy = &a
		return measured{sample: x, work: w, err: err}
	}, fn.deliver(ctx, ok, near, rej))
}

func (fn *checkFn) FinishBundle(ctx context.Context, ok func(sample.Sample), near func(sample.NearMiss), rej func(sample.Rejected)) error {
	return fn.set.Finish(fn.deliver(ctx, ok, near, rej))
}

func (fn *checkFn) Teardown() { fn.set.Abandon() }

func (fn *checkFn) deliver(ctx context.Context, ok func(sample.Sample), near func(sample.NearMiss), rej func(sample.Rejected)) func(measured) error {
	return func(m measured) error {
		if m.err != nil {
			return runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped: %w", m.err))
		}
		x := m.sample
		verify.CountAdequacy(ctx, x.Adequacy, m.work)
		progress.Add(progress.Adequacy, 1)
		reason, detail := Judge(x, m.work.Coverage, fn.Params)
		if reason == "" {
			ok(x)
			return nil
		}
		rec, err := format.Record(x)
		if err != nil {
			// As format.Records would: without its entry point there is no
			// record, so no near miss either (one reject, not two outputs).
			rej(x.Reject(sample.StageWrite, "entry_point_missing", err.Error()))
			return nil
		}
		rej(x.Reject(sample.StageAdequacy, reason, detail))
		near(sample.NearMiss{Record: rec, Reason: reason, PassFraction: PassFraction(x)})
		return nil
	}
}

// Judge says which threshold a measured sample misses ("" for none) and
// the detail of the miss. Vacuity comes first, then flakiness, then
// strength: mutation score and line coverage (the baseline's when the run
// did not measure coverage).
func Judge(x sample.Sample, cov *sandbox.Coverage, p Params) (reason, detail string) {
	a := x.Adequacy
	switch {
	case a.Vacuous:
		return ReasonVacuous, "the tests pass against a stub of " + x.Function.Name + " that only raises"
	case a.Flaky:
		return ReasonFlaky, a.FlakyDetail
	case a.MutationScore < p.MinMutationScore:
		return ReasonWeak, fmt.Sprintf("mutation score %.2f < %.2f (%d of %d mutants killed)",
			a.MutationScore, p.MinMutationScore, a.MutantsKilled, a.Mutants)
	}
	line := x.Coverage
	if line == 0 && cov != nil {
		line = cov.LinePct
	}
	if line < p.MinCoverage {
		return ReasonWeak, "line coverage " + strconv.FormatFloat(line, 'f', 1, 64) + "% < " +
			strconv.FormatFloat(p.MinCoverage, 'f', 1, 64) + "%"
	}
	return "", ""
}

// PassFraction is the share of the generated tests the sample's code
// passes: 1, or for a pruned suite the tests kept over those generated.
func PassFraction(x sample.Sample) float64 {
	if x.GeneratedTests == 0 || len(x.DroppedTests) == 0 {
		return 1
	}
	return float64(x.GeneratedTests-len(x.DroppedTests)) / float64(x.GeneratedTests)
}
