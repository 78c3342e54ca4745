package sandbox

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// okJob is the well-behaved job run after every attack on the same pool: it
// must pass, proving the attack left the worker usable and unaffected.
var okJob = Job{ID: "after", Code: "def add(a, b):\n    return a + b\n",
	Test: "import unittest\nclass TestCases(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n"}

// attack is one adversarial job and what must hold afterwards.
type attack struct {
	name    string
	code    string
	test    string
	timeout time.Duration
	want    []Status
	only    Isolation // run only under this level ("" = both)
	check   func(t *testing.T, r Result)
}

// tc wraps test-method bodies into a TestCases class.
func tc(body string) string {
	return "import unittest\nclass TestCases(unittest.TestCase):\n    def test_it(self):\n" + indent(body, "        ") + "\n"
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = pre + lines[i]
	}
	return strings.Join(lines, "\n")
}

func runAttacks(t *testing.T, attacks []attack, cfg Config) {
	for _, iso := range []Isolation{Strict, Basic} {
		t.Run(string(iso), func(t *testing.T) {
			c := cfg
			c.Isolation, c.Workers = iso, 1
			if c.Preload == nil {
				c.Preload = testPreload
			}
			p := newPoolWith(t, c)
			for _, a := range attacks {
				if a.only != "" && a.only != iso {
					continue
				}
				t.Run(a.name, func(t *testing.T) {
					timeout := a.timeout
					if timeout == 0 {
						timeout = 5 * time.Second
					}
					r, err := p.Run(context.Background(), Job{ID: a.name, Code: a.code, Test: a.test, Timeout: timeout})
					if err != nil {
						t.Fatalf("Run: %v", err)
					}
					if !hasStatus(a.want, r.Status) {
						t.Errorf("status %s (%s), want one of %v; stderr=%.500s", r.Status, r.Reason, a.want, r.Stderr)
					}
					if r.Isolation != iso {
						t.Errorf("result isolation %s, want %s", r.Isolation, iso)
					}
					if a.check != nil {
						a.check(t, r)
					}
					next, err := p.Run(context.Background(), okJob)
					if err != nil || next.Status != StatusPass || next.Retried {
						t.Errorf("next job after %s: %v %s (%s) retried=%v", a.name, err, next.Status, next.Reason, next.Retried)
					}
				})
			}
		})
	}
}

func hasStatus(want []Status, s Status) bool {
	for _, w := range want {
		if w == s {
			return true
		}
	}
	return false
}

func TestAdversarialResources(t *testing.T) {
	runAttacks(t, []attack{
		{name: "infinite-loop", code: "def spin():\n    while True:\n        pass\n", test: tc("spin()"),
			timeout: 1500 * time.Millisecond, want: []Status{StatusTimeout}},
		{name: "long-sleep", code: "import time\ndef nap():\n    time.sleep(1000)\n", test: tc("nap()"),
			timeout: 1500 * time.Millisecond, want: []Status{StatusTimeout}},
		{name: "fork-bomb", code: "import os\ndef bomb():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n",
			test: tc("bomb()"), timeout: 2 * time.Second, want: []Status{StatusTimeout}},
		{name: "memory-bytearray", code: "def hog():\n    return bytearray(50 * 1024**3)\n", test: tc("hog()"),
			want: []Status{StatusMemory}},
		{name: "memory-numpy", code: "import numpy as np\ndef hog():\n    return np.ones((60000, 60000))\n", test: tc("hog()"),
			want: []Status{StatusMemory}},
		{name: "memory-gradual", code: "def hog():\n    xs = []\n    while True:\n        xs.append(' ' * 2**20)\n", test: tc("hog()"),
			timeout: 30 * time.Second, want: []Status{StatusMemory}},
		{name: "disk-fill", code: "def fill():\n    with open('big.bin', 'wb') as f:\n        while True:\n            f.write(b'x' * 2**20)\n",
			test: tc("fill()"), want: []Status{StatusError},
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "File too large") && !strings.Contains(r.Reason, "No space left") {
					t.Errorf("disk fill reason %q, want EFBIG or ENOSPC", r.Reason)
				}
			}},
		{name: "stdout-1GB", code: "import sys\ndef shout():\n    for _ in range(1024):\n        sys.stdout.write('x' * 2**20)\n",
			test: tc("shout()"), want: []Status{StatusError},
			check: func(t *testing.T, r Result) {
				if len(r.Stdout) > 64<<10 || !r.OutputTruncated {
					t.Errorf("stdout %d bytes truncated=%v, want <= 64 KiB and truncated", len(r.Stdout), r.OutputTruncated)
				}
			}},
		// A C-stack overflow (repr of a deeply nested list once the recursion
		// limit is lifted): a segfault without ctypes, which the guard rejects.
		{name: "segfault", code: "import sys\ndef boom():\n    sys.setrecursionlimit(1 << 30)\n    x = []\n    for _ in range(10 ** 6):\n        x = [x]\n    return repr(x)\n", test: tc("boom()"),
			want: []Status{StatusCrash},
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "segmentation fault") {
					t.Errorf("reason %q, want SIGSEGV", r.Reason)
				}
			}},
		{name: "kill-parent", code: "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\ndef f():\n    return 1\n",
			test: tc("self.assertEqual(f(), 1)"), want: []Status{StatusLoadError},
			check: func(t *testing.T, r Result) {
				if r.Retried || !strings.Contains(r.Reason, "PermissionError") {
					t.Errorf("retried=%v reason %q: the worker must refuse the signal (different uid)", r.Retried, r.Reason)
				}
			}},
	}, Config{MemoryLimitMB: 256}) // a small limit keeps the gradual bomb fast on a loaded machine
}

// TestAdversarialEscape: a setsid + double-forked child must be dead once the
// job's Result is back. A goroutine watches the host's /proc to prove the
// escapee really existed while the job ran.
func TestAdversarialEscape(t *testing.T) {
	for _, iso := range []Isolation{Strict, Basic} {
		t.Run(string(iso), func(t *testing.T) {
			p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: testPreload})
			marker := fmt.Sprintf("unitcoder-escape-%d-%s", os.Getpid(), iso)
			code := `import os, time
def escape(marker):
    r, w = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(w, b"x")
            os.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(300)", marker])
        os._exit(0)
    os.read(r, 1)
    time.sleep(1.5)  # give the host-side watcher time to see the escapee
`
			var seen atomic.Bool
			stop := make(chan struct{})
			go func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if len(procsWith(marker)) > 0 {
						seen.Store(true)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}()
			r, err := p.Run(context.Background(), Job{ID: "escape", Code: code, Test: tc(fmt.Sprintf("escape(%q)", marker))})
			close(stop)
			if err != nil || r.Status != StatusPass {
				t.Fatalf("escape job: %v %s %s %s", err, r.Status, r.Reason, r.Stderr)
			}
			if !seen.Load() {
				t.Fatalf("the escapee never appeared on the host; the test proves nothing")
			}
			if left := procsWith(marker); len(left) > 0 {
				t.Errorf("escaped processes still alive after the job: %v", left)
			}
			next, err := p.Run(context.Background(), okJob)
			if err != nil || next.Status != StatusPass {
				t.Errorf("next job: %v %s", err, next.Status)
			}
		})
	}
}

// procsWith lists host pids whose command line contains marker.
func procsWith(marker string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(b), marker) {
			st, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
			if !strings.Contains(string(st), ") Z ") { // a zombie is already dead
				out = append(out, e.Name())
			}
		}
	}
	return out
}

// TestAdversarialNetwork: strict workers have a network namespace with no
// usable interface: loopback of the host, outside addresses and DNS all fail.
func TestAdversarialNetwork(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	sock := "import socket\n"
	runAttacks(t, []attack{
		{name: "loopback", only: Strict, code: sock,
			test: tc(fmt.Sprintf("with self.assertRaises(OSError):\n    socket.create_connection(('127.0.0.1', %d), timeout=2)", port)),
			want: []Status{StatusPass},
			check: func(t *testing.T, r Result) {
				if n := accepted.Load(); n != 0 {
					t.Errorf("host listener accepted %d connections from the sandbox", n)
				}
			}},
		{name: "outside", only: Strict, code: sock,
			test: tc("with self.assertRaises(OSError):\n    socket.create_connection(('1.1.1.1', 53), timeout=2)"),
			want: []Status{StatusPass}},
		{name: "dns", only: Strict, code: sock,
			test: tc("with self.assertRaises(OSError):\n    socket.getaddrinfo('example.com', 80)"),
			want: []Status{StatusPass}},
	}, Config{})
	// The control: the same host listener is reachable from this process,
	// so a refused connection above is the sandbox's doing.
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 2*time.Second)
	if err != nil {
		t.Fatalf("control dial: %v", err)
	}
	c.Close()
}
