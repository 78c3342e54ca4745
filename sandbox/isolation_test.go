package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNoLeakBetweenJobs: a job that patches modules, opens figures, changes
// env and cwd, imports modules and leaves files behind does not affect the
// next job on the same worker, and every job starts from the same seed.
func TestNoLeakBetweenJobs(t *testing.T) {
	for _, iso := range []Isolation{Strict, Basic} {
		t.Run(string(iso), func(t *testing.T) {
			p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: []string{"numpy", "matplotlib", "matplotlib.pyplot"},
				Guard: GuardConfig{Disabled: true}})
			dirty := `import math, os, random, string, sys, numpy as np
import matplotlib.pyplot as plt
import xml.dom.minidom
from unittest import mock
print(repr(random.random()), repr(float(np.random.rand())))
string.digits = "x"
plt.figure(); plt.plot([1, 2])
os.environ["LEAK"] = "1"
open("leak.txt", "w").write("x")
os.chdir("/")
mock.patch("os.getcwd", return_value="/patched").start()
sys.modules["fake_leak"] = math
`
			r1, err := p.Run(context.Background(), Job{ID: "dirty", Code: dirty, Test: "assert True\n"})
			if err != nil || r1.Status != StatusPass {
				t.Fatalf("dirty job: %v %s %s %s", err, r1.Status, r1.Reason, r1.Stderr)
			}
			vals := strings.Fields(r1.Stdout)
			if len(vals) != 2 {
				t.Fatalf("dirty job stdout %q", r1.Stdout)
			}
			clean := fmt.Sprintf(`import math, os, random, string, sys, numpy as np
import matplotlib.pyplot as plt
assert repr(random.random()) == %q, "random not reseeded"
assert repr(float(np.random.rand())) == %q, "numpy not reseeded"
assert string.digits == "0123456789", "string.digits leaked"
assert plt.get_fignums() == [], "figures leaked"
assert "LEAK" not in os.environ, "env leaked"
assert not os.path.exists("leak.txt"), "files leaked"
assert os.getcwd() != "/patched", "mock leaked"
assert os.path.basename(os.getcwd()).startswith("job"), os.getcwd()
assert "fake_leak" not in sys.modules, "sys.modules leaked"
assert "xml.dom.minidom" not in sys.modules, "imports leaked"
assert plt.get_backend().lower() == "agg", plt.get_backend()
`, vals[0], vals[1])
			r2, err := p.Run(context.Background(), Job{ID: "clean", Code: "x = 1\n", Test: clean})
			if err != nil || r2.Status != StatusPass {
				t.Fatalf("clean job: %v %s %s", err, r2.Status, r2.Reason)
			}
		})
	}
}

// TestWorkerRestartAndRetry: a worker is replaced after MaxJobsPerWorker
// jobs, and a job whose worker dies is retried once and marked Retried.
func TestWorkerRestartAndRetry(t *testing.T) {
	p := newPoolWith(t, Config{Isolation: Strict, Workers: 1, Preload: testPreload, MaxJobsPerWorker: 2})
	pids := map[string]bool{}
	for i := 0; i < 4; i++ {
		r, err := p.Run(context.Background(), okJob)
		if err != nil || r.Status != StatusPass {
			t.Fatalf("job %d: %v %s", i, err, r.Status)
		}
		s := <-p.slots
		if s.w != nil {
			pids[s.w.pid()] = true
		}
		p.slots <- s
	}
	if len(pids) < 2 {
		t.Errorf("worker pids %v: want a restart after 2 jobs", pids)
	}
	// Kill the worker while a job runs: the job must be retried on a fresh
	// worker. The job sleeps, so the kill lands mid-job on the first try.
	s := <-p.slots
	if s.w == nil {
		w, err := startWorker(context.Background(), p.cfg, s.idx)
		if err != nil {
			t.Fatal(err)
		}
		s.w = w
	}
	victim := s.w
	p.slots <- s
	done := make(chan Result, 1)
	go func() {
		r, _ := p.Run(context.Background(), Job{ID: "slow", Code: "import time\ntime.sleep(1)\n", Test: "assert True\n"})
		done <- r
	}()
	sleepMS(400) // the job sleeps 1 s, so the kill lands while it runs
	victim.kill()
	r := <-done
	if r.Status != StatusPass || !r.Retried {
		t.Errorf("after worker death: %s retried=%v (%s)", r.Status, r.Retried, r.Reason)
	}
}

// TestClosedAndCancelled: pool-level failures are errors, not verdicts.
func TestClosedAndCancelled(t *testing.T) {
	p := newTestPool(t, Basic)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { sleepMS(300); cancel() }()
	_, err := p.Run(ctx, Job{ID: "c", Code: "import time\ntime.sleep(5)\n", Test: "assert True\n"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err=%v, want context.Canceled", err)
	}
	if r, err := p.Run(context.Background(), okJob); err != nil || r.Status != StatusPass {
		t.Errorf("run after cancel: %v %s", err, r.Status)
	}
	p.Close()
	if _, err := p.Run(context.Background(), okJob); !errors.Is(err, ErrClosed) {
		t.Errorf("run on closed pool: err=%v, want ErrClosed", err)
	}
}

// TestOuterDeadline: when the worker itself stops answering (simulated by
// SIGSTOP from outside), the Go side kills it once the job's deadline plus
// grace has passed, reports timeout, and the next job gets a fresh worker.
func TestOuterDeadline(t *testing.T) {
	for _, iso := range []Isolation{Strict, Basic} {
		t.Run(string(iso), func(t *testing.T) {
			p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: []string{}})
			s := <-p.slots
			pid := s.w.cmd.Process.Pid
			p.slots <- s
			if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r, err := p.Run(context.Background(), Job{ID: "stuck", Code: "x = 1\n", Test: "assert x == 1\n", Timeout: time.Second})
			if err != nil || r.Status != StatusTimeout || !strings.Contains(r.Reason, "outside") {
				t.Fatalf("stuck worker: %v %s (%s)", err, r.Status, r.Reason)
			}
			if el := time.Since(start); el > time.Second+deadlineGrace+5*time.Second {
				t.Errorf("outer deadline took %v", el)
			}
			if err := syscall.Kill(pid, 0); err == nil {
				if st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); !strings.Contains(string(st), ") Z ") {
					t.Errorf("stuck worker %d still alive", pid)
				}
			}
			if r, err := p.Run(context.Background(), okJob); err != nil || r.Status != StatusPass {
				t.Errorf("next job: %v %s", err, r.Status)
			}
		})
	}
}

// TestCloseRemovesDirs: a closed pool leaves no host directories behind.
func TestCloseRemovesDirs(t *testing.T) {
	for _, iso := range []Isolation{Strict, Basic} {
		p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: []string{}})
		if r, err := p.Run(context.Background(), okJob); err != nil || r.Status != StatusPass {
			t.Fatalf("%s: %v %s", iso, err, r.Status)
		}
		s := <-p.slots
		dirs := append([]string(nil), s.w.dirs...)
		p.slots <- s
		if iso == Strict && len(dirs) != 0 {
			t.Errorf("strict worker created host dirs %v; its root lives in its own mount namespace", dirs)
		}
		if iso == Basic && len(dirs) == 0 {
			t.Fatalf("basic worker has no dirs")
		}
		p.Close()
		for _, d := range dirs {
			if _, err := os.Stat(d); !os.IsNotExist(err) {
				t.Errorf("%s: %s left behind after Close (%v)", iso, d, err)
			}
		}
	}
}
