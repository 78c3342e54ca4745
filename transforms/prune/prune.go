// Package prune is the synthesis stage that keeps the corpus code when it
// fails its generated tests and the tests may be what is wrong (AceCoder's
// rule: drop the tests a trusted solution fails). The failing tests are
// removed, the original code is verified against the rest, and the sample
// passes with origin "pruned" when at least MinTests remain and they pass.
// Otherwise it goes on to the fix rounds (prune_then_fix) or is rejected
// (prune). How strong the remaining suite is, is judged later, with every
// other sample's, by the adequacy stage.
package prune

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/inflight"
	"github.com/unitcoder/unitcoder/transforms/testgen"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register.DoFn5x1[context.Context, sample.Sample, func(sample.Sample), func(sample.Sample), func(sample.Rejected), error](&pruneFn{})
}

var (
	tried  = beam.NewCounter("prune", "samples")
	pruned = beam.NewCounter("prune", "pruned")
)

// Modes of --on_fail: what happens to corpus code that fails its tests.
const (
	OnFailFix          = "fix"            // LLM fix rounds (UnitCoder)
	OnFailPrune        = "prune"          // drop the failing tests, or reject
	OnFailPruneThenFix = "prune_then_fix" // prune; fix what pruning cannot save
)

// Modes lists the --on_fail values.
var Modes = []string{OnFailFix, OnFailPrune, OnFailPruneThenFix}

// Params configures pruning.
type Params struct {
	// MinTests is the fewest tests a pruned suite may keep.
	MinTests int `json:"min_tests"`
	// Fallback sends samples pruning cannot save to the fix rounds instead
	// of rejecting them.
	Fallback bool `json:"fallback"`
	// Verify selects the sandbox pool.
	Verify verify.Params `json:"verify"`
}

// Reject reasons of the stage (stage verify: the original code's tests).
const (
	ReasonNoNamedFailure = "prune/no_failing_test_named"
	ReasonTooFewTests    = "prune/too_few_tests"
	ReasonStillFailing   = "prune/still_failing"
)

// Prune tries each failing round-0 sample with its failing tests removed.
// Out: pruned (passing, origin pruned), toFix (unchanged, only with
// Fallback) and rejected.
func Prune(s beam.Scope, failing beam.PCollection, p Params) (prunedOut, toFix, rejected beam.PCollection) {
	s = s.Scope("Prune")
	inflight.GlobalWindow(s, failing)
	return beam.ParDo3(s, &pruneFn{Params: p}, failing)
}

type pruneFn struct {
	Params Params `json:"params"`
	pool   *sandbox.Pool
	set    *inflight.Set[pruning]
}

// pruning is one sample's pruning: the pruned sample when it passed, the
// reason it could not be pruned otherwise.
type pruning struct {
	orig, pruned sample.Sample
	reason       string
	detail       string
	results      []sandbox.Result
	err          error
}

func (fn *pruneFn) Setup(ctx context.Context) error {
	var err error
	fn.pool, err = verify.OpenPool(fn.Params.Verify)
	return err
}

func (fn *pruneFn) StartBundle(ctx context.Context, _, _ func(sample.Sample), _ func(sample.Rejected)) {
	fn.set.Abandon()
	fn.set = inflight.Start[pruning](ctx, max(4*fn.Params.Verify.PoolWorkers(), 16))
}

func (fn *pruneFn) ProcessElement(ctx context.Context, x sample.Sample, ok, fix func(sample.Sample), rej func(sample.Rejected)) error {
	y, reason, detail := plan(x, fn.Params.MinTests)
	if reason != "" {
		return fn.deliver(ctx, ok, fix, rej)(pruning{orig: x, reason: reason, detail: detail})
	}
	job := sandbox.Job{ID: x.Function.ID + "#pruned", Code: y.Code, Test: y.Tests,
		Timeout: fn.Params.Verify.Timeout, Coverage: fn.Params.Verify.Coverage}
	return fn.set.Go(func(ctx context.Context) pruning {
		rs, err := verify.RunAll(ctx, fn.pool, []sandbox.Job{job})
		if err != nil {
			return pruning{err: err}
		}
		return judge(x, y, rs)
	}, fn.deliver(ctx, ok, fix, rej))
}

func (fn *pruneFn) FinishBundle(ctx context.Context, ok, fix func(sample.Sample), rej func(sample.Rejected)) error {
	return fn.set.Finish(fn.deliver(ctx, ok, fix, rej))
}

func (fn *pruneFn) Teardown() { fn.set.Abandon() }

func (fn *pruneFn) deliver(ctx context.Context, ok, fix func(sample.Sample), rej func(sample.Rejected)) func(pruning) error {
	return func(t pruning) error {
		if t.err != nil {
			return t.err
		}
		tried.Inc(ctx, 1)
		for _, r := range t.results {
			runstats.SandboxBusyMicros.Beam().Inc(ctx, r.Held.Microseconds())
		}
		switch {
		case t.reason == "":
			pruned.Inc(ctx, 1)
			ok(t.pruned)
		case fn.Params.Fallback:
			fix(t.orig)
		default:
			rej(t.orig.Reject(sample.StageVerify, t.reason, t.detail))
		}
		return nil
	}
}

// plan returns x with its failing tests removed, or why it cannot be
// pruned: no failing test is named (the whole job failed: a timeout, a
// crash), or fewer than minTests would remain.
func plan(x sample.Sample, minTests int) (sample.Sample, string, string) {
	var drop []string
	for _, f := range x.Failures {
		if slices.Contains(x.TestNames, f.Name) && !slices.Contains(drop, f.Name) {
			drop = append(drop, f.Name)
		}
	}
	if len(drop) == 0 {
		return x, ReasonNoNamedFailure, fmt.Sprintf("status %s names no failing test of the suite", x.Status)
	}
	keep := len(x.TestNames) - len(drop)
	if keep < minTests {
		return x, ReasonTooFewTests, fmt.Sprintf("%d of %d tests would remain; --min_tests=%d", keep, len(x.TestNames), minTests)
	}
	y := x
	y.GeneratedTests = len(x.TestNames)
	y.DroppedTests = drop
	y.Tests = testgen.RemoveTests(x.Tests, drop)
	y.TestNames = slices.DeleteFunc(slices.Clone(x.TestNames), func(n string) bool { return slices.Contains(drop, n) })
	y.Attempts = slices.Clone(x.Attempts)
	return y, "", ""
}

// judge applies the pruned suite's verdict: y (x pruned) when the
// original code passes it, else x with the reason.
func judge(x, y sample.Sample, results []sandbox.Result) pruning {
	y = verify.Judge(y, 0, results, 1)
	if n := len(y.Attempts); n > 0 {
		y.Attempts[n-1].Note = fmt.Sprintf("pruned suite: %d of %d generated tests dropped", len(y.DroppedTests), y.GeneratedTests)
	}
	if y.PassedRound != 0 {
		return pruning{orig: x, results: results, reason: ReasonStillFailing,
			detail: fmt.Sprintf("the original code still fails the pruned suite: %s", y.Status)}
	}
	y.Origin = sample.OriginPruned
	return pruning{orig: x, pruned: y, results: results}
}
