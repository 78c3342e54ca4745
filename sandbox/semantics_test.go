package sandbox

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSemantics covers the status taxonomy and the two test styles on
// small, hand-checked jobs.
func TestSemantics(t *testing.T) {
	p := newTestPool(t, Strict)
	twoTests := "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n    def test_two(self):\n        self.assertEqual(f(2), 3)\n"
	cases := []struct {
		name     string
		code     string
		test     string
		want     Status
		outcomes map[string]string
		missing  string
	}{
		{"unittest pass", "def f(x):\n    return x + 1\n", twoTests, StatusPass,
			map[string]string{"TestCases.test_one": "pass", "TestCases.test_two": "pass"}, ""},
		{"one fails", "def f(x):\n    return 2\n", twoTests, StatusFail,
			map[string]string{"TestCases.test_one": "pass", "TestCases.test_two": "fail"}, ""},
		{"code raises", "def f(x):\n    return {}[x]\n", twoTests, StatusError,
			map[string]string{"TestCases.test_one": "error", "TestCases.test_two": "error"}, ""},
		{"script pass", "def f(x):\n    return x + 1\n", "assert f(1) == 2\n", StatusPass, map[string]string{"script": "pass"}, ""},
		{"script fail", "def f(x):\n    return x\n", "def check(c):\n    assert c(1) == 2\ncheck(f)\n", StatusFail, map[string]string{"script": "fail"}, ""},
		{"syntax in code", "def f(x) return x\n", twoTests, StatusLoadError, nil, ""},
		{"syntax in tests", "def f(x):\n    return x\n", "class T(:\n", StatusLoadError, nil, ""},
		{"import-time raise", "raise ValueError('at import')\n", twoTests, StatusLoadError, nil, ""},
		{"missing lib in code", "import tensorflow as tf\ndef f(x):\n    return x\n", twoTests, StatusEnvError, nil, "tensorflow"},
		{"missing dotted lib", "from google.protobuf import message\ndef f(x):\n    return x\n", twoTests, StatusEnvError, nil, "google"},
		{"missing lib in test", "def f(x):\n    return x + 1\n",
			"import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        import keras\n    def test_two(self):\n        self.assertEqual(f(2), 3)\n",
			StatusEnvError, map[string]string{"TestCases.test_one": "error", "TestCases.test_two": "pass"}, "keras"},
		{"unknown top-level module is env_error", "from my_helpers import g\ndef f(x):\n    return x\n", twoTests, StatusEnvError, nil, "my_helpers"},
		{"setUpClass fails", "def f(x):\n    return x + 1\n",
			"import unittest\nclass TestCases(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n        raise RuntimeError('fixture')\n    def test_one(self):\n        pass\n",
			StatusError, map[string]string{"TestCases.test_one": "error"}, ""},
		{"tearDownClass fails after the tests passed", "def f(x):\n    return x + 1\n",
			"import unittest\nclass TestCases(unittest.TestCase):\n    @classmethod\n    def tearDownClass(cls):\n        raise RuntimeError('cleanup')\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n",
			StatusError, map[string]string{"TestCases.test_one": "error"}, ""},
		{"setUpModule fails", "def f(x):\n    return x + 1\n",
			"import unittest\ndef setUpModule():\n    raise RuntimeError('module fixture')\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n",
			StatusError, map[string]string{"TestCases.test_one": "error"}, ""},
		{"subtest fails", "def f(x):\n    return x + 1\n",
			"import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        for i in range(3):\n            with self.subTest(i=i):\n                self.assertLess(f(i), 3)\n",
			StatusFail, map[string]string{"TestCases.test_one": "fail"}, ""},
		{"a skipped test is not a pass", "def f(x):\n    return x\n",
			"import unittest\nclass TestCases(unittest.TestCase):\n    @unittest.skip('later')\n    def test_one(self):\n        self.fail()\n",
			StatusSkipped, map[string]string{"TestCases.test_one": "skip"}, ""},
		{"code under test raises SkipTest", "import unittest\ndef f(x):\n    raise unittest.SkipTest('not today')\n", twoTests,
			StatusSkipped, map[string]string{"TestCases.test_one": "skip", "TestCases.test_two": "skip"}, ""},
		{"code skips one test, the other passes", "import unittest\ndef f(x):\n    if x == 2:\n        raise unittest.SkipTest('two')\n    return x + 1\n", twoTests,
			StatusSkipped, map[string]string{"TestCases.test_one": "pass", "TestCases.test_two": "skip"}, ""},
		{"a failure outranks a skip", "import unittest\ndef f(x):\n    if x == 2:\n        raise unittest.SkipTest('two')\n    return 0\n", twoTests,
			StatusFail, map[string]string{"TestCases.test_one": "fail", "TestCases.test_two": "skip"}, ""},
		{"inherited tests", "def f(x):\n    return x + 1\n",
			"import unittest\nclass Base(unittest.TestCase):\n    def test_base(self):\n        self.assertEqual(f(0), 1)\nclass TestCases(Base):\n    def test_more(self):\n        self.assertEqual(f(1), 2)\n",
			StatusPass, map[string]string{"Base.test_base": "pass", "TestCases.test_base": "pass", "TestCases.test_more": "pass"}, ""},
		{"main guard ignored", "def f(x):\n    return x + 1\n", twoTests + "if __name__ == '__main__':\n    unittest.main()\n", StatusPass, nil, ""},
		{"patch __main__", "import os\ndef f(x):\n    return os.getcwd()\n",
			"import unittest\nfrom unittest.mock import patch\nclass TestCases(unittest.TestCase):\n    @patch('__main__.os.getcwd', return_value='/x')\n    def test_one(self, m):\n        self.assertEqual(f(1), '/x')\n",
			StatusPass, nil, ""},
		{"TestCase under an alias runs as unittest", "def f(x):\n    return x\n",
			"from unittest import TestCase as TC\nclass Checks(TC):\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n",
			StatusFail, map[string]string{"Checks.test_one": "fail"}, ""},
		{"TestCase defined under an if runs", "def f(x):\n    return x\n",
			"import unittest\nif True:\n    class TestCases(unittest.TestCase):\n        def test_one(self):\n            self.assertEqual(f(1), 2)\n",
			StatusFail, map[string]string{"TestCases.test_one": "fail"}, ""},
		{"TestCase built with type() runs", "def f(x):\n    return x\n",
			"import unittest\nTestCases = type('TestCases', (unittest.TestCase,), {'test_one': lambda self: self.assertEqual(f(1), 2)})\n",
			StatusFail, map[string]string{"TestCases.test_one": "fail"}, ""},
		{"TestCase built by a function the pre-pass cannot read never passes vacuously", "def f(x):\n    return x\n",
			"import unittest\ndef make():\n    class TestCases(unittest.TestCase):\n        def test_one(self):\n            self.assertEqual(f(1), 1)\n    return TestCases\nTestCases = make()\n",
			StatusLoadError, nil, ""},
		{"code uses a global the tests define", "def f(x):\n    return helper(x) + CFG['step']\n",
			"import unittest\nCFG = {'step': 1}\ndef helper(x):\n    return x\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n",
			StatusPass, map[string]string{"TestCases.test_one": "pass"}, ""},
		{"a helper the tests redefine replaces the code's, as in one file", "def helper(x):\n    return x\ndef f(x):\n    return helper(x)\n",
			"import unittest\ndef helper(x):\n    raise ValueError('stand-in')\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(f(1), 1)\n",
			StatusError, map[string]string{"TestCases.test_one": "error"}, ""},
		{"no test methods", "def f(x):\n    return x\n", "import unittest\nclass TestCases(unittest.TestCase):\n    pass\n", StatusVacuous, nil, ""},
		{"no test calls the code", "def f(x):\n    return x\n", "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(1, 1)\n", StatusPass, map[string]string{"TestCases.test_one": "pass"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := p.Run(context.Background(), Job{ID: c.name, Code: c.code, Test: c.test})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != c.want || r.MissingModule != c.missing {
				t.Fatalf("got %s missing=%q (%s), want %s missing=%q; stderr=%s", r.Status, r.MissingModule, r.Reason, c.want, c.missing, r.Stderr)
			}
			if c.outcomes != nil {
				got := map[string]string{}
				for _, tr := range r.Tests {
					got[tr.Name] = tr.Outcome
				}
				if len(got) != len(c.outcomes) {
					t.Errorf("tests %v, want %v", got, c.outcomes)
				}
				for k, v := range c.outcomes {
					if got[k] != v {
						t.Errorf("test %s = %q, want %q (all: %v)", k, got[k], v, got)
					}
				}
			}
		})
	}
}

// TestFailureMessages: a failing test's message is the traceback the fix
// prompt shows the model: the test's own source line (the tests are never on
// disk), the code's frames, and none of the worker's.
func TestFailureMessages(t *testing.T) {
	p := newTestPool(t, Strict)
	code := "def f(x):\n    return helper(x)\n"
	test := "import unittest\ndef helper(x):\n    return x * 10\nclass TestCases(unittest.TestCase):\n" +
		"    def test_eq(self):\n        self.assertEqual(f(1), 2)\n" +
		"    def test_raise(self):\n        f(None)\n"
	r, err := p.Run(context.Background(), Job{ID: "msg", Code: code, Test: test})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"TestCases.test_eq":    {"test_solution.py\", line 6, in test_eq\n    self.assertEqual(f(1), 2)\n", "AssertionError: 10 != 2"},
		"TestCases.test_raise": {"    f(None)\n", "solution.py\", line 2, in f\n    return helper(x)\n", "in helper\n    return x * 10\n", "TypeError"},
	}
	for _, tr := range r.Tests {
		for _, w := range want[tr.Name] {
			if !strings.Contains(tr.Message, w) {
				t.Errorf("%s: message lacks %q:\n%s", tr.Name, w, tr.Message)
			}
		}
		if strings.Contains(tr.Message, "<worker>") {
			t.Errorf("%s: message shows the worker's frames:\n%s", tr.Name, tr.Message)
		}
		delete(want, tr.Name)
	}
	if len(want) != 0 {
		t.Errorf("tests %v did not run (%s %s)", want, r.Status, r.Reason)
	}
}

// TestNoTestCalledTheCode: with coverage on, a suite that passes without
// running a line of the code under test is vacuous, however the code ran
// while it loaded; a call from anywhere in the tests counts.
func TestNoTestCalledTheCode(t *testing.T) {
	p := newTestPool(t, Strict)
	code := "def f(x):\n    return x + 1\n"
	selfCalling := "def f(x):\n    return x + 1\nASSERTED = f(1)\n"
	cases := []struct {
		name, code, test string
		coverage         bool
		want             Status
	}{
		{"tests never call the code", code, "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(1, 1)\n", true, StatusVacuous},
		{"the code calls itself while loading, the tests never do", selfCalling, "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(ASSERTED, 2)\n", true, StatusVacuous},
		{"a script that never calls the code", code, "assert True\n", true, StatusVacuous},
		{"the same function, called by a test", selfCalling, "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n", true, StatusPass},
		{"called once, at the test module's top level", code, "import unittest\nRESULT = f(1)\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(RESULT, 2)\n", true, StatusPass},
		{"called from a thread a test starts", code, "import unittest, threading\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        out = []\n        th = threading.Thread(target=lambda: out.append(f(1)))\n        th.start()\n        th.join()\n        self.assertEqual(out, [2])\n", true, StatusPass},
		{"called from setUpClass", code, "import unittest\nclass TestCases(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n        cls.r = f(1)\n    def test_one(self):\n        self.assertEqual(self.r, 2)\n", true, StatusPass},
		{"not judged without coverage", code, "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(1, 1)\n", false, StatusPass},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := p.Run(context.Background(), Job{ID: c.name, Code: c.code, Test: c.test, Coverage: c.coverage})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != c.want {
				t.Fatalf("got %s (%s), want %s; stderr=%s", r.Status, r.Reason, c.want, r.Stderr)
			}
			if c.want == StatusVacuous && r.Reason != "no test called into the code under test" {
				t.Errorf("reason %q", r.Reason)
			}
		})
	}
}

// TestCoverage: line and branch coverage of solution.py only.
func TestCoverage(t *testing.T) {
	p := newTestPool(t, Strict)
	code := "def sign(x):\n    if x > 0:\n        return 1\n    if x < 0:\n        return -1\n    return 0\n"
	test := "import unittest\nclass TestCases(unittest.TestCase):\n    def test_pos(self):\n        self.assertEqual(sign(5), 1)\n"
	r, err := p.Run(context.Background(), Job{ID: "cov", Code: code, Test: test, Coverage: true})
	if err != nil || r.Status != StatusPass {
		t.Fatalf("%v %s %s", err, r.Status, r.Reason)
	}
	// 6 statements (def + 5 body lines); the test runs def, line 2, line 3.
	// Branches: 2 ifs x 2 arms = 4, of which only "x > 0 taken" ran.
	want := Coverage{Lines: 6, LinesCovered: 3, Branches: 4, BranchesCovered: 1, LinePct: 50, BranchPct: 25,
		CoveredLines: []int{1, 2, 3}}
	if r.Coverage == nil || !reflect.DeepEqual(*r.Coverage, want) {
		t.Errorf("coverage %+v, want %+v", r.Coverage, want)
	}
	r, _ = p.Run(context.Background(), Job{ID: "nocov", Code: code, Test: test})
	if r.Coverage != nil {
		t.Errorf("coverage measured although not asked for")
	}
}

// TestJobEnvironment checks, from inside a job, the privileges, limits and
// environment each isolation level promises.
func TestJobEnvironment(t *testing.T) {
	common := `import os, resource, errno
assert os.getuid() != 0 and os.getgid() != 0, (os.getuid(), os.getgid())
assert os.getgroups() == [], os.getgroups()
assert "NoNewPrivs:\t1" in open("/proc/self/status").read()
assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
assert resource.getrlimit(resource.RLIMIT_NPROC)[0] == 256
assert resource.getrlimit(resource.RLIMIT_NOFILE) == (256, 256)
assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == 64 * 2**20
assert resource.getrlimit(resource.RLIMIT_AS)[0] > 0
assert sorted(os.environ) == sorted(["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "MPLBACKEND", "MPLCONFIGDIR",
    "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PYTHONHASHSEED", "USER", "LOGNAME", "TZ"]), sorted(os.environ)
assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
assert os.environ["TZ"] == "UTC" and os.environ["PYTHONHASHSEED"] == "0", (os.environ["TZ"], os.environ["PYTHONHASHSEED"])
assert os.getcwd() == os.environ["HOME"]
import signal  # the worker blocks SIGCHLD for itself, not for the job
assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == set(), signal.pthread_sigmask(signal.SIG_BLOCK, [])
`
	strict := `import socket
assert socket.gethostname() == "sandbox"
assert b"python3" in open("/proc/1/cmdline", "rb").read()  # the worker is init of the PID namespace
assert os.getpid() < 100, os.getpid()
for path in ("/usr/evil", "/etc/evil", "/evil"):
    try:
        open(path, "w")
        raise AssertionError(path + " is writable")
    except OSError as e:
        assert e.errno in (errno.EROFS, errno.EACCES), e
assert not os.path.exists("/etc/shadow")
assert sorted(os.listdir("/dev")) == sorted(["fd", "full", "null", "random", "shm", "stderr", "stdin", "stdout", "urandom", "zero"]), os.listdir("/dev")
assert [l.split()[0] for l in open("/proc/net/dev").read().splitlines()[2:]] == ["lo:"]
`
	for _, c := range []struct {
		iso  Isolation
		test string
	}{{Strict, common + strict}, {Basic, common}} {
		t.Run(string(c.iso), func(t *testing.T) {
			p := newPoolWith(t, Config{Isolation: c.iso, Workers: 1, Preload: []string{}})
			r, err := p.Run(context.Background(), Job{ID: "env", Code: "x = 1\n", Test: c.test})
			if err != nil || r.Status != StatusPass {
				t.Fatalf("%v %s: %s", err, r.Status, r.Reason)
			}
		})
	}
}

// TestLegitProgramsPass: ordinary programs that the sandbox used to
// refuse or misjudge pass in both isolation levels: a pool of 100
// threads, a server and client on 127.0.0.1 inside the job (strict's
// loopback was down), getpass.getuser() (the job uid has no passwd
// entry), and a suite whose tearDownClass cleans up without error.
func TestLegitProgramsPass(t *testing.T) {
	jobs := []Job{
		{ID: "100 threads", Code: "import threading\ndef f(n):\n    out = []\n    ts = [threading.Thread(target=out.append, args=(i,)) for i in range(n)]\n    for t in ts:\n        t.start()\n    for t in ts:\n        t.join()\n    return sorted(out)\n",
			Test: "assert f(100) == list(range(100))\n"},
		{ID: "loopback inside the job", Code: "import socket, threading\ndef echo(msg):\n    srv = socket.create_server(('127.0.0.1', 0))\n    port = srv.getsockname()[1]\n    def serve():\n        c, _ = srv.accept()\n        c.sendall(c.recv(100))\n        c.close()\n    t = threading.Thread(target=serve)\n    t.start()\n    with socket.create_connection(('127.0.0.1', port), timeout=5) as c:\n        c.sendall(msg)\n        got = c.recv(100)\n    t.join()\n    srv.close()\n    return got\n",
			Test: "assert echo(b'hi') == b'hi'\n"},
		{ID: "getpass", Code: "import getpass\ndef who():\n    return getpass.getuser()\n", Test: "assert who() == 'unitcoder'\n"},
		{ID: "tearDownClass", Code: "def f(x):\n    return x + 1\n",
			Test: "import unittest\nclass TestCases(unittest.TestCase):\n    @classmethod\n    def tearDownClass(cls):\n        cls.done = True\n    def test_one(self):\n        self.assertEqual(f(1), 2)\n"},
	}
	for _, iso := range []Isolation{Strict, Basic} {
		p := newTestPool(t, iso)
		for _, j := range jobs {
			r, err := p.Run(context.Background(), j)
			if err != nil || r.Status != StatusPass {
				t.Errorf("%s, %s: %v %s (%s) stderr=%s", iso, j.ID, err, r.Status, r.Reason, r.Stderr)
			}
		}
	}
}

// TestCleanupSurvivesADeepTree: a job that leaves a directory tree
// thousands of levels deep (deeper than shutil.rmtree's recursion) does not
// kill its worker, and the next job on that worker runs normally.
func TestCleanupSurvivesADeepTree(t *testing.T) {
	for _, iso := range []Isolation{Strict, Basic} {
		p := newPoolWith(t, Config{Isolation: iso, Workers: 1, Preload: testPreload})
		deep := Job{ID: "deep", Code: "import os\ndef dig(n):\n    for _ in range(n):\n        os.mkdir('d')\n        os.chdir('d')\n    return n\n",
			Test: "assert dig(3000) == 3000\n", Timeout: 60 * time.Second}
		if r, err := p.Run(context.Background(), deep); err != nil || r.Status != StatusPass {
			t.Fatalf("%s: deep job %v %s (%s) %s", iso, err, r.Status, r.Reason, r.Stderr)
		}
		next := Job{ID: "next", Code: "import os\ndef f():\n    return sorted(os.listdir('.'))\n", Test: "assert 'd' not in f(), f()\n"}
		if r, err := p.Run(context.Background(), next); err != nil || r.Status != StatusPass {
			t.Errorf("%s: the job after the deep tree: %v %s (%s) %s", iso, err, r.Status, r.Reason, r.Stderr)
		}
	}
}

// TestIPCDoesNotCrossJobs: in strict, a System V shared-memory segment a
// job creates (and leaves behind) is gone for the next job on the worker.
func TestIPCDoesNotCrossJobs(t *testing.T) {
	// Planting a System V segment takes ctypes, which the guard rejects.
	p := newPoolWith(t, Config{Isolation: Strict, Workers: 1, Preload: testPreload,
		Guard: GuardConfig{Allow: []string{"raw-memory"}}})
	if p.Isolation() != Strict {
		t.Skip("strict isolation unavailable here")
	}
	// A fresh interpreter (no audit hook, so ctypes works) in the job's
	// namespaces plants the segment.
	plant := Job{ID: "plant", Code: "import subprocess, sys\ndef plant():\n    prog = 'import ctypes; print(ctypes.CDLL(None).shmget(0x5eed, 4096, 0o1666))'\n    return int(subprocess.run([sys.executable, '-c', prog], capture_output=True, text=True).stdout)\n",
		Test: "assert plant() >= 0\nassert '5eed' in open('/proc/sysvipc/shm').read().lower() or str(0x5eed) in open('/proc/sysvipc/shm').read()\n"}
	if r, err := p.Run(context.Background(), plant); err != nil || r.Status != StatusPass {
		t.Fatalf("plant: %v %s (%s) %s", err, r.Status, r.Reason, r.Stderr)
	}
	look := Job{ID: "look", Code: "def segments():\n    return open('/proc/sysvipc/shm').read().splitlines()[1:]\n",
		Test: "assert segments() == [], segments()\n"}
	if r, err := p.Run(context.Background(), look); err != nil || r.Status != StatusPass {
		t.Errorf("the next job sees the planted segment: %v %s (%s)", err, r.Status, r.Reason)
	}
}

// TestFailFast: with FailFast the suite stops at its first failing test;
// the rest are reported skipped, and the verdict is still the failure.
func TestFailFast(t *testing.T) {
	p := newTestPool(t, Strict)
	code := "def inc(x):\n    return x + 2\n"
	test := "import unittest\nclass TestCases(unittest.TestCase):\n" +
		"    def test_a(self):\n        self.assertEqual(inc(1), 2)\n" +
		"    def test_b(self):\n        self.assertEqual(inc(2), 3)\n" +
		"    def test_c(self):\n        self.assertEqual(inc(0), 2)\n"
	for _, ff := range []bool{false, true} {
		r, err := p.Run(context.Background(), Job{ID: "ff", Code: code, Test: test, FailFast: ff})
		if err != nil || r.Status != StatusFail {
			t.Fatalf("failfast=%v: %v %s %s", ff, err, r.Status, r.Reason)
		}
		var got []string
		for _, tr := range r.Tests {
			got = append(got, tr.Name+"="+tr.Outcome)
		}
		want := []string{"TestCases.test_a=fail", "TestCases.test_b=fail", "TestCases.test_c=pass"}
		if ff {
			want = []string{"TestCases.test_a=fail", "TestCases.test_b=skip", "TestCases.test_c=skip"}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("failfast=%v: tests %v, want %v", ff, got, want)
		}
	}
}

// TestTimeZoneAndHashSeed: a job sees the time zone it asks for, and the
// workers' str hashing follows Config.HashSeed (the same in every worker,
// different under another seed).
func TestTimeZoneAndHashSeed(t *testing.T) {
	p := newTestPool(t, Strict)
	code := "import time\ndef tz():\n    return time.strftime('%Z', time.localtime(0))\n" +
		"def h():\n    return hash('unitcoder')\n"
	test := "import unittest\nclass TestCases(unittest.TestCase):\n" +
		"    def test_tz(self):\n        print('TZ', tz())\n        print('HASH', h())\n"
	run := func(p *Pool, tz string) (string, string) {
		r, err := p.Run(context.Background(), Job{ID: "tz", Code: code, Test: test, TZ: tz})
		if err != nil || r.Status != StatusPass {
			t.Fatalf("%v %s %s", err, r.Status, r.Reason)
		}
		var zone, hash string
		fmt.Sscanf(r.Stdout, "TZ %s\nHASH %s", &zone, &hash)
		return zone, hash
	}
	zone, h0 := run(p, "")
	if zone != "UTC" {
		t.Errorf("default zone %q, want UTC", zone)
	}
	if zone, _ = run(p, "Asia/Tokyo"); zone != "JST" {
		t.Errorf("zone %q under TZ=Asia/Tokyo, want JST", zone)
	}
	if _, h := run(p, ""); h != h0 {
		t.Errorf("hash of a str differs between jobs of one pool: %s vs %s", h, h0)
	}
	other := newPoolWith(t, Config{Workers: 1, Isolation: Strict, Preload: testPreload, HashSeed: 7})
	if _, h := run(other, ""); h == h0 || h == "" {
		t.Errorf("HashSeed 7 gives the same str hash as seed 0 (%s)", h)
	}
}
