package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// anonHugePages is the bytes of pid's anonymous memory on transparent huge
// pages, as the kernel accounts them.
func anonHugePages(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "AnonHugePages:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("smaps_rollup: %q: %v", sc.Text(), err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no AnonHugePages in /proc/%d/smaps_rollup", pid)
	return 0
}

// kernelAtLeast reports whether the running kernel is major.minor or later.
func kernelAtLeast(t *testing.T, major, minor int) bool {
	t.Helper()
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b.WriteByte(byte(c))
	}
	var got [2]int
	if _, err := fmt.Sscanf(b.String(), "%d.%d", &got[0], &got[1]); err != nil {
		t.Fatalf("kernel release %q: %v", b.String(), err)
	}
	return got[0] > major || got[0] == major && got[1] >= minor
}

// TestWorkerHeapOnHugePages: a worker moves its preloaded heap onto
// transparent huge pages (both the hello and the kernel's own count show
// at least one), part of it stays there after jobs have run, and the jobs'
// verdicts are the usual ones. With smallPages the worker has none.
func TestWorkerHeapOnHugePages(t *testing.T) {
	if size := transparentHugePageBytes(); size != 2<<20 {
		t.Skipf("this kernel has no 2 MiB transparent huge pages (size %d), or they are off", size)
	}
	if status, _ := os.ReadFile("/proc/self/status"); strings.Contains(string(status), "THP_enabled:\t0") {
		t.Skip("transparent huge pages are disabled for this process tree (PR_SET_THP_DISABLE)")
	}
	if !kernelAtLeast(t, 6, 1) {
		t.Skip("MADV_COLLAPSE needs Linux 6.1")
	}
	ctx := context.Background()
	code := "def inc(x):\n    return x + 1\n"
	tests := func(want int) string {
		return fmt.Sprintf("import unittest\nfrom solution import inc\n\nclass T(unittest.TestCase):\n"+
			"    def test_inc(self):\n        self.assertEqual(inc(1), %d)\n", want)
	}
	for _, iso := range []Isolation{Strict, Basic} {
		t.Run(string(iso), func(t *testing.T) {
			// The default preload: a heap as large as the pipeline's, most
			// of which the worker itself never writes again.
			p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: DefaultPreload})
			w := workerOf(p)
			pid := w.cmd.Process.Pid
			reported, kernel := w.hello.HugePageBytes, anonHugePages(t, pid)
			if reported < 2<<20 || kernel < 2<<20 {
				t.Fatalf("worker heap on huge pages: hello says %d bytes, the kernel %d; want at least one 2 MiB page", reported, kernel)
			}
			for i := 0; i < 20; i++ {
				want, status := 2, StatusPass
				if i%2 == 1 {
					want, status = 3, StatusFail
				}
				r, err := p.Run(ctx, Job{ID: fmt.Sprint(i), Code: code, Test: tests(want)})
				if err != nil || r.Status != status {
					t.Fatalf("job %d: status %q (err %v), want %q; %+v", i, r.Status, err, status, r)
				}
			}
			if after := anonHugePages(t, pid); after <= 0 {
				t.Errorf("after 20 jobs no huge page is left in the worker (%d bytes at start)", kernel)
			}
		})
	}
	p := newPoolWith(t, Config{Isolation: Basic, Workers: 1, Preload: testPreload, smallPages: true})
	w := workerOf(p)
	if n, k := w.hello.HugePageBytes, anonHugePages(t, w.cmd.Process.Pid); n != 0 || k != 0 {
		t.Errorf("smallPages: hello says %d bytes on huge pages, the kernel %d; want 0", n, k)
	}
}
