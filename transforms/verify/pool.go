package verify

import (
	"context"
	"fmt"
	stdlog "log"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/internal/perprocess"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

var pools perprocess.Map[string, *sandbox.Pool]

// SharedPool returns the process-wide pool for cfg, starting it on first use.
// Pools are shared by every DoFn instance in the process and live until
// CloseSharedPools.
func SharedPool(cfg sandbox.Config) (*sandbox.Pool, error) {
	keyed := cfg
	keyed.Logf = nil // functions are not comparable; the rest identifies the pool
	return pools.Get(fmt.Sprintf("%+v", keyed), func() (*sandbox.Pool, error) {
		if cfg.Logf == nil {
			// The active isolation level is announced once per pool.
			cfg.Logf = stdlog.Printf
		}
		return sandbox.New(cfg)
	})
}

// CloseSharedPools stops every shared pool; later calls to SharedPool start
// new ones.
func CloseSharedPools() {
	for _, p := range pools.Drain() {
		p.Close()
	}
}

// OpenPool opens the process's shared pool for p's settings, for a sandbox
// stage's Setup. A pool that cannot start stops the run: Setup returns the
// error.
func OpenPool(p Params) (*sandbox.Pool, error) {
	pool, err := SharedPool(p.SandboxConfig())
	if err != nil {
		return nil, runstats.RecordStop(fmt.Errorf("sandbox unavailable, run stopped: %w", err))
	}
	return pool, nil
}

// NewAnalyzer is the adequacy analyzer of a sandbox stage: p's shared pool
// for the baseline, stub and mutants, and a shared pool per flakiness
// rerun (RerunConfig).
func NewAnalyzer(p Params, checks adequacy.Params) (*adequacy.Analyzer, error) {
	pool, err := OpenPool(p)
	if err != nil {
		return nil, err
	}
	return &adequacy.Analyzer{Main: pool, Params: checks,
		Rerun: func(i int) (adequacy.Runner, error) { return SharedPool(RerunConfig(p, i)) }}, nil
}

// RerunConfig is the pool of flakiness rerun i: p's sandbox with
// PYTHONHASHSEED i, a quarter of the workers (reruns are two jobs in
// twenty-odd per suite) and job uids of its own, above the main pool's and
// RunFresh's, so that no two concurrent jobs share a uid (and its
// RLIMIT_NPROC).
func RerunConfig(p Params, i int) sandbox.Config {
	cfg := p.SandboxConfig()
	cfg.HashSeed = i
	cfg.Workers = max(1, p.PoolWorkers()/4)
	cfg.UIDBase = rerunUIDBase + 1000*i
	return cfg
}

// rerunUIDBase is above the uids of the main pool (61000 on) and of
// RunFresh (62000-62999).
const rerunUIDBase = 62000

// CountAdequacy records one measured suite in the adequacy counters and
// the sandbox's busy time. Call it from the bundle's goroutine.
func CountAdequacy(ctx context.Context, a *sample.Adequacy, w adequacy.Work) {
	runstats.AdequacySamples.Beam().Inc(ctx, 1)
	runstats.AdequacyJobs.Beam().Inc(ctx, int64(w.Jobs))
	runstats.AdequacyMutants.Beam().Inc(ctx, int64(a.Mutants))
	runstats.AdequacyKilled.Beam().Inc(ctx, int64(a.MutantsKilled))
	runstats.AdequacyInvalid.Beam().Inc(ctx, int64(w.Invalid))
	runstats.SandboxBusyMicros.Beam().Inc(ctx, w.Held.Microseconds())
}
