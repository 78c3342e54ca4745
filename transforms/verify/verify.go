package verify

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"golang.org/x/sync/errgroup"

	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/batching"
)

func init() {
	beam.RegisterCoder(reflect.TypeOf(sandbox.Job{}), encodeJob, decodeJob)
	beam.RegisterCoder(reflect.TypeOf(sandbox.Result{}), encodeResult, decodeResult)
	register.DoFn2x0[sandbox.Job, func(int64, sandbox.Job)](&keyJobFn{})
	register.DoFn4x1[context.Context, int64, []sandbox.Job, func(sandbox.Result), error](&runBatchFn{})
	register.Emitter2[int64, sandbox.Job]()
	batching.RegisterBatching[sandbox.Job]()
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
	// Params batches the jobs: BatchSize jobs per ProcessElement call,
	// formed under Parallelism keys.
	batching.Params
	// KeepPassing is M: how many passing programs of one round a sample
	// keeps (the first as its code, the rest as variants).
	KeepPassing int `json:"keep_passing"`
}

func (p Params) withDefaults() Params {
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	if p.BatchSize <= 0 {
		p.BatchSize = 16
	}
	if p.Parallelism <= 0 {
		p.Parallelism = 8
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

// Run verifies every job and returns PCollection<sandbox.Result>, one per job.
func Run(s beam.Scope, jobs beam.PCollection, p Params) beam.PCollection {
	s = s.Scope("Verify")
	p = p.withDefaults()
	keyed := beam.ParDo(s, &keyJobFn{Parallelism: p.Parallelism, Timeout: p.Timeout, Coverage: p.Coverage}, jobs)
	batches := batching.GroupIntoBatches[sandbox.Job](s, keyed, p.BatchSize)
	return beam.ParDo(s, &runBatchFn{Params: p}, batches)
}

// keyJobFn spreads jobs over Parallelism keys and fills in the stage's
// defaults.
type keyJobFn struct {
	Parallelism int           `json:"parallelism"`
	Timeout     time.Duration `json:"timeout"`
	Coverage    bool          `json:"coverage"`
}

func (fn *keyJobFn) ProcessElement(j sandbox.Job, emit func(int64, sandbox.Job)) {
	if j.Timeout <= 0 {
		j.Timeout = fn.Timeout
	}
	j.Coverage = j.Coverage || fn.Coverage
	emit(batching.Key(j.ID, fn.Parallelism), j)
}

// runBatchFn runs one batch of jobs concurrently on the shared pool.
type runBatchFn struct {
	Params Params `json:"params"`
	pool   *sandbox.Pool
}

func (fn *runBatchFn) Setup(ctx context.Context) error {
	var err error
	fn.pool, err = openPool(fn.Params)
	return err
}

func (fn *runBatchFn) ProcessElement(ctx context.Context, _ int64, jobs []sandbox.Job, emit func(sandbox.Result)) error {
	results, err := RunAll(ctx, fn.pool, jobs)
	if err != nil {
		return err
	}
	for _, r := range results {
		jobsRun.Inc(ctx, 1)
		if r.Status == sandbox.StatusPass {
			jobsPassed.Inc(ctx, 1)
		}
		emit(r)
	}
	return ctx.Err()
}

// RunAll runs jobs concurrently on pool, at most pool-size at a time, and
// returns one result per job in input order. A job the sandbox itself
// could not run (its worker would not start, the pool closed, the bundle
// was cancelled) is an infrastructure fault, never the code's: RunAll then
// returns an error, which fails the bundle and stops the run, instead of a
// result that would reject the sample.
func RunAll(ctx context.Context, pool *sandbox.Pool, jobs []sandbox.Job) ([]sandbox.Result, error) {
	results := make([]sandbox.Result, len(jobs))
	var failed atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	// The pool queues jobs for its workers; this only bounds goroutines.
	g.SetLimit(maxInFlight)
	for i, j := range jobs {
		g.Go(func() error {
			r, err := pool.Run(gctx, j)
			if err != nil {
				failed.Add(1)
				if gctx.Err() != nil {
					return err // the bundle was cancelled, or another job failed first
				}
				return runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped (job %s): %w", j.ID, err))
			}
			results[i] = r
			return nil
		})
	}
	err := g.Wait()
	// Beam's metric cells are not safe for concurrent use: count here.
	if n := failed.Load(); n > 0 {
		poolErrors.Inc(ctx, n)
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// openPool opens the process's shared pool for p's settings. A pool that
// cannot start stops the run: Setup returns the error.
func openPool(p Params) (*sandbox.Pool, error) {
	pool, err := SharedPool(p.SandboxConfig())
	if err != nil {
		return nil, runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped: %w", err))
	}
	return pool, nil
}

// maxInFlight bounds the goroutines one batch uses to wait on the pool.
const maxInFlight = 64
