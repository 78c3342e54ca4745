package decontam

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/internal/perprocess"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
)

// ReasonOverlap is the Rejected.Reason of a function that overlaps a
// benchmark task; its Detail is the task id and the rule that hit, e.g.
// "HumanEval/0 (body)" or "HumanEval/0 (ngram)".
const ReasonOverlap = "benchmark_overlap"

var (
	decontamIn      = beam.NewCounter("decontaminate", "in")
	decontamKept    = beam.NewCounter("decontaminate", "kept")
	decontamOverlap = beam.NewCounter("decontaminate", "benchmark_overlap")
)

func init() {
	register.DoFn4x0[context.Context, sample.Function, func(sample.Function), func(sample.Rejected)](&decontamFn{})
	register.Emitter1[sample.Function]()
	register.Emitter1[sample.Rejected]()
}

// Decontaminate rejects functions whose code overlaps a benchmark task in
// p.Paths (ReasonOverlap) and keeps the rest. With no paths every function
// is kept. It panics at construction if p (after WithDefaults) is invalid,
// including an unreadable benchmark file, so a misconfigured run fails
// before any work starts.
func Decontaminate(s beam.Scope, in beam.PCollection, p Params) (kept, rejected beam.PCollection) {
	s = s.Scope("Decontaminate")
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		panic(err)
	}
	return beam.ParDo2(s, &decontamFn{Params: p}, in)
}

// decontamFn matches each function against the benchmark index, built once
// per worker process in Setup.
type decontamFn struct {
	Params Params
	idx    *Index
}

// Setup loads (or reuses) the index for the DoFn's parameters.
func (f *decontamFn) Setup() error {
	idx, err := cachedIndex(f.Params)
	if err != nil {
		return err
	}
	f.idx = idx
	return nil
}

// ProcessElement keeps fn or rejects it naming the matching task.
func (f *decontamFn) ProcessElement(ctx context.Context, fn sample.Function,
	keep func(sample.Function), reject func(sample.Rejected)) {
	decontamIn.Inc(ctx, 1)
	if r, ok := f.idx.Reject(fn); ok {
		decontamOverlap.Inc(ctx, 1)
		reject(r)
		return
	}
	decontamKept.Inc(ctx, 1)
	progress.Add(progress.Kept, 1)
	keep(fn)
}

// indexes shares one index per parameter set across all DoFn instances
// of a worker process: bundles and parallel instances must not each re-read
// the benchmarks.
// Reject is fn's reject when it overlaps a benchmark task, as
// [Decontaminate] writes it.
func (idx *Index) Reject(fn sample.Function) (sample.Rejected, bool) {
	h, ok := idx.MatchRule(fn.Code)
	if !ok {
		return sample.Rejected{}, false
	}
	return sample.RejectFunction(fn.ID, sample.StageDecontaminate, ReasonOverlap, h.Detail()), true
}

// LoadIndex loads the benchmarks p names (defaults applied), once per
// process, as [Decontaminate]'s workers do: for checks outside a pipeline.
func LoadIndex(p Params) (*Index, error) {
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return cachedIndex(p)
}

var indexes perprocess.Map[string, *Index]

func cachedIndex(p Params) (*Index, error) {
	key, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("decontam: cache key: %w", err)
	}
	return indexes.Get(string(key), func() (*Index, error) {
		idx, err := LoadBenchmarks(p.Paths, p.N)
		if err == nil {
			idx.MinOverlap, idx.MinCoverage = p.MinOverlap, p.MinCoverage
		}
		return idx, err
	})
}
