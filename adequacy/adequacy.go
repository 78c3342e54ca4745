// Package adequacy measures how much a passing test suite constrains the
// code it tests: a mutation score (mutants of the code, killed when any
// test fails), a vacuity check (the suite run against a stub whose body
// raises) and a flakiness check (the passing suite rerun under other
// seeds, hash seeds and time zones). It drives the sandbox; it has no Beam
// dependency.
package adequacy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/pyast/mutate"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

// Params sets how much of each check runs.
type Params struct {
	// Mutants caps the mutants run per program (0: DefaultMutants; a
	// negative value runs none).
	Mutants int `json:"mutants"`
	// Reruns is how many times the passing suite is rerun for flakiness
	// (0: DefaultReruns; negative: none).
	Reruns int `json:"reruns"`
}

// Defaults of Params.
const (
	DefaultMutants = 20
	DefaultReruns  = 2
)

// WithDefaults fills zero fields.
func (p Params) WithDefaults() Params {
	if p.Mutants == 0 {
		p.Mutants = DefaultMutants
	}
	if p.Reruns == 0 {
		p.Reruns = DefaultReruns
	}
	return p
}

// MaxSurvivors is how many survivors a report lists.
const MaxSurvivors = 5

// Input is one passing program and its suite.
type Input struct {
	ID    string
	Code  string
	Tests string
	// Functions are the functions whose bodies are mutated and stubbed
	// (top-level names or "Class.method"); empty means all of them.
	Functions []string
	// Timeout is the job's own limit; mutant runs get a limit scaled from
	// the original's time, never above it.
	Timeout time.Duration
}

// Runner runs one sandbox job; *sandbox.Pool is one.
type Runner interface {
	Run(ctx context.Context, j sandbox.Job) (sandbox.Result, error)
}

// Analyzer runs the checks. Main runs the baseline, the stub and the
// mutants; Rerun(i) runs flakiness rerun i (1-based) and should be a pool
// whose workers have another hash seed (sandbox.Config.HashSeed = i); nil
// runs the reruns on Main, with the same hash seed.
type Analyzer struct {
	Main   Runner
	Rerun  func(i int) (Runner, error)
	Params Params
}

// Work is the sandbox work behind one report, and what the baseline run
// measured.
type Work struct {
	Jobs    int           // sandbox jobs run
	Held    time.Duration // worker time they held
	Invalid int           // mutants dropped: they did not compile in Python
	// Coverage is the baseline run's coverage of the code (nil when the
	// baseline did not pass).
	Coverage *sandbox.Coverage
}

// rerunZones are the time zones flakiness reruns use in turn: far from
// UTC on both sides, and one with a half-hour offset.
var rerunZones = []string{"Pacific/Kiritimati", "America/Adak", "Asia/Kolkata"}

// Analyze measures in's suite. A sandbox that cannot run a job is an
// error; every verdict of the code under test is a result.
func (a *Analyzer) Analyze(ctx context.Context, in Input) (sample.Adequacy, Work, error) {
	p := a.Params.WithDefaults()
	var work Work
	run := func(ctx context.Context, r Runner, j sandbox.Job) (sandbox.Result, error) {
		res, err := r.Run(ctx, j)
		if err != nil {
			return res, fmt.Errorf("adequacy of %s: %w", in.ID, err)
		}
		return res, nil
	}
	base, err := run(ctx, a.Main, sandbox.Job{ID: in.ID + "#base", Code: in.Code, Test: in.Tests,
		Timeout: in.Timeout, Coverage: true})
	if err != nil {
		return sample.Adequacy{}, work, err
	}
	work.Jobs, work.Held = 1, base.Held
	var adq sample.Adequacy
	if base.Status != sandbox.StatusPass {
		// Nothing else is measured against a suite that does not pass.
		adq.Flaky = true
		adq.FlakyDetail = fmt.Sprintf("the passing program gave %s when run again: %s", base.Status, base.Reason)
		return adq, work, nil
	}
	var covered map[int]bool
	if base.Coverage != nil {
		work.Coverage = base.Coverage
		covered = map[int]bool{}
		for _, l := range base.Coverage.CoveredLines {
			covered[l] = true
		}
	}
	var mutants []mutate.Mutant
	if p.Mutants > 0 {
		mutants, _, err = mutate.Generate(in.Code, mutate.Options{Functions: in.Functions, Covered: covered, Max: p.Mutants})
		if err != nil {
			mutants = nil // code tree-sitter cannot parse has no mutants (score 1 of 0, see sample.Adequacy)
		}
	}
	stub, stubErr := mutate.Stub(in.Code, in.Functions)
	mutantTimeout := MutantTimeout(base.DurationMS, in.Timeout)

	results := make([]sandbox.Result, len(mutants))
	var stubRes sandbox.Result
	reruns := make([]sandbox.Result, max(p.Reruns, 0))
	g, gctx := errgroup.WithContext(ctx)
	for i, m := range mutants {
		g.Go(func() (err error) {
			results[i], err = run(gctx, a.Main, sandbox.Job{ID: fmt.Sprintf("%s#m%d", in.ID, i), Code: m.Code,
				Test: in.Tests, Timeout: mutantTimeout, FailFast: true})
			return err
		})
	}
	if stubErr == nil {
		g.Go(func() (err error) {
			stubRes, err = run(gctx, a.Main, sandbox.Job{ID: in.ID + "#stub", Code: stub, Test: in.Tests,
				Timeout: mutantTimeout, FailFast: true})
			return err
		})
	}
	for i := range reruns {
		g.Go(func() error {
			var r Runner = a.Main
			if a.Rerun != nil {
				var err error
				if r, err = a.Rerun(i + 1); err != nil {
					return fmt.Errorf("adequacy of %s: rerun pool: %w", in.ID, err)
				}
			}
			reruns[i], err = run(gctx, r, sandbox.Job{ID: fmt.Sprintf("%s#rerun%d", in.ID, i+1), Code: in.Code,
				Test: in.Tests, Timeout: in.Timeout, Seed: int64(i + 1), TZ: rerunZones[i%len(rerunZones)]})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return sample.Adequacy{}, work, err
	}

	for i, r := range results {
		work.Jobs++
		work.Held += r.Held
		if invalidMutant(r) {
			work.Invalid++
			continue
		}
		adq.Mutants++
		if r.Status != sandbox.StatusPass {
			adq.MutantsKilled++
			continue
		}
		if len(adq.Surviving) < MaxSurvivors {
			m := mutants[i]
			adq.Surviving = append(adq.Surviving, sample.Survivor{Line: m.Line, Operator: string(m.Operator),
				Original: m.Original, Replacement: m.Replacement})
		}
	}
	adq.MutationScore = 1
	if adq.Mutants > 0 {
		adq.MutationScore = float64(adq.MutantsKilled) / float64(adq.Mutants)
	}
	if stubErr == nil {
		work.Jobs++
		work.Held += stubRes.Held
		adq.Vacuous = stubRes.Status == sandbox.StatusPass
	}
	for i, r := range reruns {
		work.Jobs++
		work.Held += r.Held
		if r.Status != sandbox.StatusPass && !adq.Flaky {
			adq.Flaky = true
			adq.FlakyDetail = fmt.Sprintf("rerun %d (seed %d, PYTHONHASHSEED=%d, TZ=%s) gave %s: %s",
				i+1, i+1, i+1, rerunZones[i%len(rerunZones)], r.Status, r.Reason)
		}
	}
	return adq, work, nil
}

// MutantTimeout is a mutant's time limit, from the original's run time
// (baseMS): five times it plus half a second, never above the job's own
// limit. A mutant that loops forever is killed in about a second instead
// of the full limit; the sandbox already moves a deadline out by the time
// a job waited for a CPU, so a busy machine does not turn slow mutants
// into kills.
func MutantTimeout(baseMS float64, limit time.Duration) time.Duration {
	t := 5*time.Duration(baseMS*float64(time.Millisecond)) + 500*time.Millisecond
	if limit > 0 && t > limit {
		t = limit
	}
	return t
}

// invalidMutant: the mutant measures nothing about the tests. It did not
// compile (the harness compiles the code before anything runs, and the
// verdict's reason then starts with the compiler's error), the static
// guard refused it, or it needs a module that is not installed.
func invalidMutant(r sandbox.Result) bool {
	switch r.Status {
	case sandbox.StatusRejected, sandbox.StatusEnvError:
		return true
	case sandbox.StatusLoadError:
		for _, e := range []string{"SyntaxError", "IndentationError", "TabError"} {
			if strings.HasPrefix(r.Reason, "code failed to load: "+e) {
				return true
			}
		}
	}
	return false
}
