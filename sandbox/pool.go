package sandbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrClosed is returned by Run on a closed pool.
var ErrClosed = errors.New("sandbox: pool is closed")

// Pool is a set of warm fork-server workers. Run is safe for concurrent use;
// at most Config.Workers jobs run at once.
type Pool struct {
	cfg     Config
	slots   chan *slot
	closeCh chan struct{}
	once    sync.Once
}

// slot is one worker position; w is nil while the worker is (re)starting
// lazily. The slot index fixes the unprivileged uid its jobs run as.
type slot struct {
	idx int
	w   *worker
}

// New starts cfg.Workers warm workers. With strict isolation it fails fast,
// wrapping ErrStrictUnavailable, where the kernel refuses namespaces.
func New(cfg Config) (*Pool, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Pool{cfg: cfg, slots: make(chan *slot, cfg.Workers), closeCh: make(chan struct{})}
	started := make([]*slot, cfg.Workers)
	errs := make([]error, cfg.Workers)
	var wg sync.WaitGroup
	for i := range started {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w, err := startWorker(context.Background(), cfg, i)
			started[i], errs[i] = &slot{idx: i, w: w}, err
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, s := range started {
			if s.w != nil {
				s.w.kill()
			}
		}
		return nil, err
	}
	for _, s := range started {
		p.slots <- s
	}
	h := started[0].w.hello
	cfg.Logf("sandbox: isolation=%s workers=%d seccomp=%v huge_pages=%d MiB preloaded=%v preload_failed=%v", cfg.Isolation, cfg.Workers, h.Seccomp, h.HugePageBytes>>20, h.Preloaded, h.PreloadFailed)
	return p, nil
}

// Isolation is the pool's active isolation level.
func (p *Pool) Isolation() Isolation { return p.cfg.Isolation }

// Run verifies one job. Every verdict, including timeouts, crashes and
// rejections, is a Result; the error is only for pool-level failure: a
// closed pool, a cancelled ctx, or a worker that cannot be started.
func (p *Pool) Run(ctx context.Context, j Job) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if r, done := precheck(p.cfg, j); done {
		return r, nil
	}
	var s *slot
	select {
	case s = <-p.slots:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	case <-p.closeCh:
		return Result{}, ErrClosed
	}
	defer p.release(s)
	select {
	case <-p.closeCh:
		return Result{}, ErrClosed
	default:
	}
	held := time.Now()
	get := func() (*worker, error) {
		if s.w == nil {
			w, err := startWorker(ctx, p.cfg, s.idx)
			if err != nil {
				return nil, err
			}
			s.w = w
		}
		return s.w, nil
	}
	drop := func() {
		if s.w != nil {
			s.w.kill()
			s.w = nil
		}
	}
	r, err := runJob(ctx, p.cfg, j, get, drop)
	if s.w != nil && s.w.jobs >= p.cfg.MaxJobsPerWorker {
		drop()
	}
	r.Held = time.Since(held)
	return r, err
}

// release returns a slot to the pool. A slot whose worker was dropped is
// restarted in the background first, so the start-up cost (preloading) is
// not paid by the next caller when another worker is free.
func (p *Pool) release(s *slot) {
	if s.w != nil {
		p.slots <- s
		return
	}
	select {
	case <-p.closeCh:
		p.slots <- s
		return
	default:
	}
	go func() {
		w, err := startWorker(context.Background(), p.cfg, s.idx)
		if err != nil {
			p.cfg.Logf("sandbox: restart worker %d: %v (retried at its next job)", s.idx, err)
		}
		s.w = w
		p.slots <- s
	}()
}

// precheck applies the user's Extra guard rules; done is true when the job
// needs no run. The built-in guard runs in the worker (guard.py).
func precheck(cfg Config, j Job) (Result, bool) {
	if reason := guard(cfg.Guard, j); reason != "" {
		return Result{ID: j.ID, Status: StatusRejected, Reason: reason, Isolation: cfg.Isolation}, true
	}
	return Result{}, false
}

// runJob runs j on the worker get returns, retrying once on a fresh worker
// when the worker dies. drop discards the current worker.
func runJob(ctx context.Context, cfg Config, j Job, get func() (*worker, error), drop func()) (Result, error) {
	rq := newRequest(cfg, j)
	start := time.Now()
	for attempt := 0; attempt < 2; attempt++ {
		w, err := get()
		if err != nil {
			return Result{}, err
		}
		rp, err := w.do(ctx, rq)
		switch {
		case err == nil:
			r := verdict(rp, cfg.Isolation)
			r.Retried = attempt > 0
			return r, nil
		case ctx.Err() != nil:
			drop()
			return Result{}, ctx.Err()
		case errors.Is(err, errDeadline):
			drop()
			return Result{ID: j.ID, Status: StatusTimeout, Isolation: cfg.Isolation, Retried: attempt > 0,
				Reason: "deadline exceeded; worker killed from outside", DurationMS: msSince(start)}, nil
		case errors.Is(err, errWorkerDied):
			cfg.Logf("sandbox: job %s: worker %s died (%v); stderr: %s", j.ID, w.pid(), err, w.stderr.String())
			drop()
			continue
		default:
			drop()
			return Result{}, err
		}
	}
	return Result{ID: j.ID, Status: StatusCrash, Isolation: cfg.Isolation, Retried: true,
		Reason: "worker died twice running this job", DurationMS: msSince(start)}, nil
}

func newRequest(cfg Config, j Job) request {
	timeout := j.Timeout
	if timeout <= 0 {
		timeout = cfg.DefaultTimeout
	}
	return request{ID: j.ID, Code: j.Code, Test: j.Test, TimeoutMS: timeout.Milliseconds(),
		Coverage: j.Coverage, Seed: j.Seed, TZ: j.TZ, FailFast: j.FailFast, MemoryMB: cfg.MemoryLimitMB, OutputLimit: cfg.OutputLimitBytes,
		GuardOff: cfg.Guard.Disabled, GuardAllow: cfg.Guard.Allow}
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

// Close stops all workers, waiting for running jobs to finish first.
func (p *Pool) Close() error {
	p.once.Do(func() {
		close(p.closeCh)
		for i := 0; i < p.cfg.Workers; i++ {
			s := <-p.slots
			if s.w != nil {
				s.w.kill()
				s.w = nil
			}
		}
	})
	return nil
}

// String describes the pool for logs.
func (p *Pool) String() string {
	return fmt.Sprintf("sandbox.Pool{isolation=%s workers=%d}", p.cfg.Isolation, p.cfg.Workers)
}
