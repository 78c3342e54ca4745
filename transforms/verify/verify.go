package verify

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/inflight"
)

func init() {
	beam.RegisterCoder(reflect.TypeOf(sandbox.Job{}), encodeJob, decodeJob)
	beam.RegisterCoder(reflect.TypeOf(sandbox.Result{}), encodeResult, decodeResult)
	register.DoFn3x1[context.Context, sandbox.Job, func(sandbox.Result), error](&runFn{})
	register.Emitter1[sandbox.Result]()
}

var (
	jobsRun    = beam.NewCounter("verify", "jobs")
	jobsPassed = beam.NewCounter("verify", "passed")
	poolErrors = beam.NewCounter("verify", "pool_errors")
)

// Params tunes the sandbox stage.
type Params struct {
	// Workers is the number of warm Python workers per process (0: one per core).
	Workers int `json:"workers"`
	// Timeout is the wall-clock limit of one job.
	Timeout time.Duration `json:"timeout"`
	// Coverage measures line and branch coverage of the code under test.
	Coverage bool `json:"coverage"`
	// Isolation is "strict" or "basic".
	Isolation string `json:"isolation"`
	// MemoryLimitMB caps each job's address space (0: sandbox default).
	MemoryLimitMB int `json:"memory_limit_mb"`
	// KeepPassing is M: how many passing programs of one round a sample
	// keeps (the first as its code, the rest as variants).
	KeepPassing int `json:"keep_passing"`
}

func (p Params) withDefaults() Params {
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	if p.KeepPassing <= 0 {
		p.KeepPassing = 1
	}
	if p.Isolation == "" {
		p.Isolation = string(sandbox.Strict)
	}
	return p
}

// SandboxConfig is the pool configuration these parameters select.
func (p Params) SandboxConfig() sandbox.Config {
	return sandbox.Config{
		Workers:       p.Workers,
		Isolation:     sandbox.Isolation(p.Isolation),
		MemoryLimitMB: p.MemoryLimitMB,
	}
}

// PoolWorkers is the number of sandbox workers per process these
// parameters give: Workers, or one per core.
func (p Params) PoolWorkers() int {
	if p.Workers <= 0 {
		return runtime.NumCPU()
	}
	return p.Workers
}

// pendingLimit is how many jobs (or samples) one bundle of a sandbox stage
// keeps in flight: enough to keep every worker of the pool busy while
// results are handed on.
func (p Params) pendingLimit() int { return max(4*p.PoolWorkers(), 16) }

// Run verifies every job and returns PCollection<sandbox.Result>, one per
// job, each emitted as soon as its job is done (see package inflight).
func Run(s beam.Scope, jobs beam.PCollection, p Params) beam.PCollection {
	s = s.Scope("Verify")
	inflight.GlobalWindow(s, jobs)
	return beam.ParDo(s, &runFn{Params: p.withDefaults()}, jobs)
}

// runFn runs jobs on the process's shared pool, in flight across the bundle.
type runFn struct {
	Params Params `json:"params"`
	pool   *sandbox.Pool
	set    *inflight.Set[outcome]
}

// outcome is one job's verdict, or the infrastructure fault that must
// fail the bundle.
type outcome struct {
	result sandbox.Result
	err    error
}

func (fn *runFn) Setup(ctx context.Context) error {
	var err error
	fn.pool, err = OpenPool(fn.Params)
	return err
}

func (fn *runFn) StartBundle(ctx context.Context, _ func(sandbox.Result)) {
	fn.set.Abandon()
	fn.set = inflight.Start[outcome](ctx, fn.Params.pendingLimit())
}

func (fn *runFn) ProcessElement(ctx context.Context, j sandbox.Job, emit func(sandbox.Result)) error {
	if j.Timeout <= 0 {
		j.Timeout = fn.Params.Timeout
	}
	j.Coverage = j.Coverage || fn.Params.Coverage
	return fn.set.Go(func(ctx context.Context) outcome {
		r, err := runOne(ctx, fn.pool, j)
		return outcome{r, err}
	}, fn.deliver(ctx, emit))
}

func (fn *runFn) FinishBundle(ctx context.Context, emit func(sandbox.Result)) error {
	return fn.set.Finish(fn.deliver(ctx, emit))
}

func (fn *runFn) Teardown() { fn.set.Abandon() }

func (fn *runFn) deliver(ctx context.Context, emit func(sandbox.Result)) func(outcome) error {
	return func(o outcome) error {
		if o.err != nil {
			poolErrors.Inc(ctx, 1)
			return o.err
		}
		count(ctx, o.result)
		emit(o.result)
		return nil
	}
}

// count records a verdict in the stage's metrics: jobs, passes and the
// time the job held a worker. Call it from the bundle's goroutine.
func count(ctx context.Context, r sandbox.Result) {
	jobsRun.Inc(ctx, 1)
	if r.Status == sandbox.StatusPass {
		jobsPassed.Inc(ctx, 1)
	}
	runstats.SandboxBusyMicros.Beam().Inc(ctx, r.Held.Microseconds())
}

// runOne runs one job on pool. A job the sandbox itself could not run (its
// worker would not start, the pool closed, the bundle was cancelled) is an
// infrastructure fault, never the code's: runOne then returns an error,
// which fails the bundle and stops the run, instead of a result that would
// reject the sample.
func runOne(ctx context.Context, pool adequacy.Runner, j sandbox.Job) (sandbox.Result, error) {
	r, err := pool.Run(ctx, j)
	if err != nil {
		if ctx.Err() != nil {
			return r, err // the bundle was cancelled, or another job failed first
		}
		return r, runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped (job %s): %w", j.ID, err))
	}
	return r, nil
}

// RunAll runs jobs concurrently on pool (the pool queues them for its
// workers) and returns one result per job in input order, or the first
// error runOne returns. It records no metrics, so it may run off the
// bundle's goroutine.
func RunAll(ctx context.Context, pool *sandbox.Pool, jobs []sandbox.Job) ([]sandbox.Result, error) {
	results := make([]sandbox.Result, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	for i, j := range jobs {
		g.Go(func() error {
			var err error
			results[i], err = runOne(gctx, pool, j)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
