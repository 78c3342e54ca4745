package pipelines

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Peak memory of the benchmark process and of its sandbox workers, read
// from /proc. The Go figure is the kernel's high-water mark of resident
// memory (VmHWM), reset before each measured run. The Python workers and
// their forked job children are separate processes, so their figure is
// sampled: the largest sum, over all descendants of this process, of their
// proportional set size (Pss: pages shared after fork or with the
// preloaded libraries are split between the processes sharing them, so
// the sum does not count them several times).

// resetPeakRSS restarts the kernel's VmHWM accounting for this process.
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// startPeakRSS hands freed memory back to the OS, restarts VmHWM and
// returns the resident memory it restarts from, so a peak read later is
// that run's alone.
func startPeakRSS(b *testing.B) (start int64) {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	start, err := statusField("/proc/self/status", "VmRSS:")
	if err != nil {
		b.Fatal(err)
	}
	if err := resetPeakRSS(); err != nil {
		b.Fatalf("cannot reset VmHWM: %v", err)
	}
	return start
}

// peakRSSBytes is this process's VmHWM.
func peakRSSBytes() (int64, error) {
	return statusField("/proc/self/status", "VmHWM:")
}

// statusField reads a "Name:   N kB" line of a /proc status file.
func statusField(path, name string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	return kBField(b, name)
}

func kBField(b []byte, name string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, name))
		if len(f) == 0 {
			break
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s %q: %w", name, line, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no %s line", name)
}

// descendants maps each pid whose ancestry leads to root to its parent.
func descendants(root int) map[int]int {
	parent := map[int]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the process ended meanwhile
		}
		// The command name, in parentheses, may hold spaces: split after it.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:])) // state, ppid, ...
		if len(f) < 2 {
			continue
		}
		pid, err1 := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		ppid, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			continue
		}
		parent[pid] = ppid
	}
	out := map[int]int{}
	for pid := range parent {
		// The depth bound guards against a cycle made by pid reuse mid-scan.
		for p, depth := parent[pid], 0; p > 1 && depth < 64; p, depth = parent[p], depth+1 {
			if p == root {
				out[pid] = parent[pid]
				break
			}
		}
	}
	return out
}

// childMemory samples the summed Pss of this process's descendants.
type childMemory struct {
	stop chan struct{}
	done sync.WaitGroup
	// Peaks, in bytes: of the sum over all descendants, of the sum over
	// the direct children alone (the sandbox's warm workers, without the
	// job processes they fork), and of any one grandchild (a job).
	peak, workersPeak, jobPeak int64
	max                        int // most descendants seen at once
}

func sampleChildMemory(every time.Duration) *childMemory {
	m := &childMemory{stop: make(chan struct{})}
	m.done.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	})
	return m
}

func (m *childMemory) sample() {
	self := os.Getpid()
	pids := descendants(self)
	var sum, workers int64
	for pid, ppid := range pids {
		pss, err := statusField(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss:")
		if err != nil {
			continue
		}
		sum += pss
		if ppid == self {
			workers += pss
		} else {
			m.jobPeak = max(m.jobPeak, pss)
		}
	}
	m.peak = max(m.peak, sum)
	m.workersPeak = max(m.workersPeak, workers)
	m.max = max(m.max, len(pids))
}

// Stop ends sampling and returns the peak summed Pss and the most
// processes seen at once.
func (m *childMemory) Stop() (peakBytes int64, processes int) {
	close(m.stop)
	m.done.Wait()
	return m.peak, m.max
}
