package verify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/inflight"
)

func init() {
	register.DoFn3x1[context.Context, sandbox.Job, func(dataset.Row), error](&measureFn{})
	register.Emitter1[dataset.Row]()
}

// MeasuredRow is verify's result row with the adequacy of a passing
// suite (mutation_score, mutants, mutants_killed, surviving, vacuous,
// flaky) beside the result's own fields.
type MeasuredRow struct {
	sandbox.Result
	*sample.Adequacy
}

// RunMeasured verifies every job like Run and, for each that passes,
// measures its suite (package adequacy). Out: PCollection<dataset.Row>,
// one result row per job.
func RunMeasured(s beam.Scope, jobs beam.PCollection, p Params, checks adequacy.Params) beam.PCollection {
	s = s.Scope("Verify")
	inflight.GlobalWindow(s, jobs)
	return beam.ParDo(s, &measureFn{Params: p.withDefaults(), Checks: checks}, jobs)
}

type measureFn struct {
	Params   Params          `json:"params"`
	Checks   adequacy.Params `json:"checks"`
	analyzer *adequacy.Analyzer
	set      *inflight.Set[measured]
}

type measured struct {
	row  MeasuredRow
	work adequacy.Work
	err  error
}

func (fn *measureFn) Setup(ctx context.Context) error {
	var err error
	fn.analyzer, err = NewAnalyzer(fn.Params, fn.Checks)
	return err
}

func (fn *measureFn) StartBundle(ctx context.Context, _ func(dataset.Row)) {
	fn.set.Abandon()
	fn.set = inflight.Start[measured](ctx, fn.Params.pendingLimit())
}

func (fn *measureFn) ProcessElement(ctx context.Context, j sandbox.Job, emit func(dataset.Row)) error {
	if j.Timeout <= 0 {
		j.Timeout = fn.Params.Timeout
	}
	j.Coverage = j.Coverage || fn.Params.Coverage
	return fn.set.Go(func(ctx context.Context) measured {
		r, err := runOne(ctx, fn.analyzer.Main, j)
		if err != nil || r.Status != sandbox.StatusPass {
			return measured{row: MeasuredRow{Result: r}, err: err}
		}
		a, w, err := fn.analyzer.Analyze(ctx, adequacy.Input{ID: j.ID, Code: j.Code, Tests: j.Test, Timeout: j.Timeout})
		if err != nil {
			return measured{err: runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped: %w", err))}
		}
		return measured{row: MeasuredRow{Result: r, Adequacy: &a}, work: w}
	}, fn.deliver(ctx, emit))
}

func (fn *measureFn) FinishBundle(ctx context.Context, emit func(dataset.Row)) error {
	return fn.set.Finish(fn.deliver(ctx, emit))
}

func (fn *measureFn) Teardown() { fn.set.Abandon() }

func (fn *measureFn) deliver(ctx context.Context, emit func(dataset.Row)) func(measured) error {
	return func(m measured) error {
		if m.err != nil {
			poolErrors.Inc(ctx, 1)
			return m.err
		}
		count(ctx, m.row.Result)
		if m.row.Adequacy != nil {
			CountAdequacy(ctx, m.row.Adequacy, m.work)
		}
		b, err := json.Marshal(m.row)
		if err != nil {
			return fmt.Errorf("encode result %s: %w", m.row.ID, err)
		}
		emit(dataset.Row{ID: m.row.ID, Line: string(b)})
		return nil
	}
}
