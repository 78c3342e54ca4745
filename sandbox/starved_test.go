package sandbox

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// spinJob is a job whose test burns cpu seconds of its own CPU time
// (time.process_time), whatever else the machine runs.
func spinJob(id string, cpu float64, timeout time.Duration) Job {
	return Job{ID: id, Timeout: timeout,
		Code: "import time\n\ndef spin(seconds):\n    end = time.process_time() + seconds\n    while time.process_time() < end:\n        pass\n    return seconds\n",
		Test: fmt.Sprintf("import unittest\n\n\nclass TestCases(unittest.TestCase):\n    def test_spin(self):\n        self.assertEqual(spin(%g), %g)\n", cpu, cpu)}
}

// TestTimeoutIsTheJobsOwnTime: with twice as many CPU-bound jobs running
// beside it as there are cores (as in a pool oversubscribed past the core
// count), a job that needs 1 s of CPU under a 2 s timeout takes more than
// 2 s of wall time, yet passes: the time it waited for a CPU is not held
// against it. A job that needs 4 s of CPU under the same timeout still
// times out.
func TestTimeoutIsTheJobsOwnTime(t *testing.T) {
	hogs := 2 * runtime.NumCPU()
	// Nothing preloaded: the workers start (and restart after the hogs are
	// cancelled) in a moment.
	p := newPoolWith(t, Config{Isolation: Strict, Workers: hogs + 1, Preload: []string{}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for i := range hogs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Run(ctx, spinJob(fmt.Sprintf("hog-%d", i), 60, 5*time.Minute))
		}()
	}
	time.Sleep(time.Second) // the hogs' workers start and spin
	start := time.Now()
	r, err := p.Run(ctx, spinJob("fits", 1, 2*time.Second))
	wall := time.Since(start)
	if err != nil || r.Status != StatusPass {
		t.Fatalf("1 s of CPU under a 2 s timeout beside %d hogs: %v %s %s (wall %v)", hogs, err, r.Status, r.Reason, wall)
	}
	t.Logf("1 s of CPU beside %d hogs took %v of wall time", hogs, wall)
	if wall < 2*time.Second {
		t.Errorf("the hogs did not slow the job past its timeout (%v): the test shows nothing", wall)
	}
	r, err = p.Run(ctx, spinJob("too-long", 4, 2*time.Second))
	if err != nil || r.Status != StatusTimeout {
		t.Fatalf("4 s of CPU under a 2 s timeout: %v %s %s", err, r.Status, r.Reason)
	}
}
