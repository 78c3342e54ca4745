package sandbox

import (
	"errors"
	"testing"
	"time"
)

// testPreload keeps worker start-up short in tests that do not need pandas.
var testPreload = []string{"numpy", "json", "unittest.mock"}

func newTestPool(t testing.TB, iso Isolation) *Pool {
	t.Helper()
	return newPoolWith(t, Config{Isolation: iso, Workers: 2, Preload: testPreload})
}

func newPoolWith(t testing.TB, cfg Config) *Pool {
	t.Helper()
	cfg.Logf = t.Logf
	p, err := New(cfg)
	if errors.Is(err, ErrStrictUnavailable) {
		// CI containers without namespaces: basic-level tests still run.
		t.Skipf("strict isolation unavailable here: %v", err)
	}
	if err != nil {
		t.Fatalf("New(%s): %v", cfg.Isolation, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// workerOf is the worker of the pool's first free slot (a pool of one:
// its only worker), started when New returned.
func workerOf(p *Pool) *worker {
	s := <-p.slots
	defer func() { p.slots <- s }()
	return s.w
}

func sleepMS(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }
