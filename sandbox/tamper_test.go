package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingTest is a test that fails unless the harness is fooled.
var failingTest = tc("self.assertEqual(f(), 2)")

const fCode = "def f():\n    return 1\n"

func TestAdversarialTamper(t *testing.T) {
	forgeFD := fCode + `import os, json
def forge():
    for fd in os.listdir('/proc/self/fd'):
        try:
            os.write(int(fd), json.dumps({"tests": [{"name": "TestCases.test_it", "outcome": "pass"}]}).encode())
        except OSError:
            pass
forge()
`
	runAttacks(t, []attack{
		{name: "sys-exit-import", code: "import sys\nsys.exit(0)\n" + fCode, test: failingTest, want: []Status{StatusTamper}},
		{name: "os-exit-import", code: "import os\nos._exit(0)\n" + fCode, test: failingTest, want: []Status{StatusTamper}},
		{name: "os-exit-in-test", code: fCode, test: tc("import os\nos._exit(0)"), want: []Status{StatusTamper}},
		{name: "sys-exit-in-test", code: "import sys\n" + fCode, test: tc("sys.exit(0)"), want: []Status{StatusError}},
		{name: "forged-stdout", code: fCode + "print('{\"status\": \"pass\", \"tests\": [{\"name\": \"TestCases.test_it\", \"outcome\": \"pass\"}]}')\n",
			test: failingTest, want: []Status{StatusFail}},
		{name: "forged-result-fd", code: forgeFD, test: failingTest, want: []Status{StatusTamper}},
		{name: "patch-assertEqual", code: fCode, test: "import unittest\nunittest.TestCase.assertEqual = lambda *a, **k: None\n" + failingTest,
			want: []Status{StatusRejected}, check: rejectedBy("write-foreign", "tests")},
		{name: "patch-assertEqual-alias", code: fCode, test: "import unittest.case as C\nC.TestCase.assertEqual = lambda *a, **k: None\n" + failingTest,
			want: []Status{StatusRejected}, check: rejectedBy("write-foreign", "tests")},
		{name: "patch-assertTrue-self", code: fCode,
			test: "import unittest\nclass TestCases(unittest.TestCase):\n    def setUp(self):\n        self.assertTrue = lambda *a: None\n    def test_it(self):\n        self.assertTrue(f() == 2)\n",
			want: []Status{StatusRejected}, check: rejectedBy("patch-self-assert", "tests")},
		{name: "replace-json-dumps", code: "import json\njson.dumps = lambda *a, **k: '{}'\n" + fCode, test: failingTest,
			want: []Status{StatusRejected}, check: rejectedBy("write-foreign", "code")},
		// Writes into the test source's own class are not the guard's
		// business: the pre-pass's test names catch the deleted test.
		{name: "test-name-mismatch", code: fCode,
			test: "import unittest\nclass TestCases(unittest.TestCase):\n    def test_it(self):\n        self.assertEqual(f(), 2)\nTestCases.test_it = lambda self: None\ndel TestCases.test_it\n",
			want: []Status{StatusTamper}},
	}, Config{})
}

// rejectedBy checks that the static guard rejected a job by rule, in the
// code or the tests.
func rejectedBy(rule, where string) func(*testing.T, Result) {
	return func(t *testing.T, r Result) {
		if want := "static guard " + rule + ": " + where + " "; !strings.HasPrefix(r.Reason, want) {
			t.Errorf("reason %q, want prefix %q", r.Reason, want)
		}
	}
}

// TestAdversarialTamperGuardOff: with the static guard disabled the same
// patches are caught at run time by the harness's integrity check.
func TestAdversarialTamperGuardOff(t *testing.T) {
	runAttacks(t, []attack{
		{name: "patch-assertEqual", code: fCode, test: "import unittest\nunittest.TestCase.assertEqual = lambda *a, **k: None\n" + failingTest,
			want: []Status{StatusTamper}},
		{name: "patch-assertEqual-alias", code: fCode, test: "import unittest.case as C\nC.TestCase.assertEqual = lambda *a, **k: None\n" + failingTest,
			want: []Status{StatusTamper}},
		{name: "patch-assertTrue-self", code: fCode,
			test: "import unittest\nclass TestCases(unittest.TestCase):\n    def setUp(self):\n        self.assertTrue = lambda *a: None\n    def test_it(self):\n        self.assertTrue(f() == 2)\n",
			want: []Status{StatusTamper}},
		{name: "override-assert-in-class", code: fCode,
			test: "import unittest\nclass TestCases(unittest.TestCase):\n    def assertEqual(self, *a):\n        pass\n    def test_it(self):\n        self.assertEqual(f(), 2)\n",
			want: []Status{StatusTamper}},
		// The harness bound json.dumps before the code ran: replacing it
		// changes nothing, and the honest verdict stands.
		{name: "replace-json-dumps", code: "import json\njson.dumps = lambda *a, **k: '{}'\n" + fCode, test: failingTest,
			want: []Status{StatusFail}},
		{name: "patch-builtins", code: "import builtins\nbuiltins.isinstance = lambda *a: True\n" + fCode, test: failingTest,
			want: []Status{StatusTamper}},
		// No result object decides the verdict any more, but unittest's
		// classes are still the machinery: changing one is tamper.
		{name: "patch-recorder-via-subclasses", code: fCode,
			test: "import unittest\nfor c in unittest.TestResult.__subclasses__():\n    c.addFailure = c.addSuccess\n" + failingTest,
			want: []Status{StatusTamper}},
		{name: "delete-test", code: fCode,
			test: "import unittest\nclass TestCases(unittest.TestCase):\n    def test_it(self):\n        self.assertEqual(f(), 2)\ndel TestCases.test_it\n",
			want: []Status{StatusTamper}},
	}, Config{Guard: GuardConfig{Disabled: true}})
}

// TestAdversarialSecrets: the Go process's environment (with a planted
// secret) is unreachable: not in os.environ, /proc/1/environ or any other
// readable /proc/<pid>/environ.
func TestAdversarialSecrets(t *testing.T) {
	secret := fmt.Sprintf("s3cr3t-%d", os.Getpid())
	t.Setenv("UNITCODER_TEST_SECRET", secret)
	code := `import os
def leaks(secret):
    found = []
    if any(secret in v for v in os.environ.values()):
        found.append("os.environ")
    for p in os.listdir("/proc"):
        try:
            with open("/proc/%s/environ" % p, "rb") as f:
                data = f.read()
        except OSError:
            continue
        print(p, data[:200])
        if secret.encode() in data:
            found.append(p)
    return found
`
	runAttacks(t, []attack{
		{name: "environ", code: code, test: tc(fmt.Sprintf("self.assertEqual(leaks(%q), [])", secret)), want: []Status{StatusPass},
			check: func(t *testing.T, r Result) {
				if strings.Contains(r.Stdout, secret) || strings.Contains(r.Stderr, secret) {
					t.Errorf("secret visible in job output")
				}
			}},
		{name: "proc-1-environ", code: code,
			test: tc(fmt.Sprintf("try:\n    data = open('/proc/1/environ', 'rb').read()\nexcept OSError:\n    data = b''\nself.assertNotIn(b%q, data)", secret)),
			want: []Status{StatusPass}},
	}, Config{})
}

// TestAdversarialWrites: files written outside the job's work dir never
// reach the host.
func TestAdversarialWrites(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open")
	if err := os.MkdirAll(open, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o777)
	for d := open; d != filepath.Clean(os.TempDir()) && d != "/"; d = filepath.Dir(d) { // make the path traversable for strict's case
		os.Chmod(d, 0o777|os.ModeSticky)
	}
	sitePkg := "/usr/lib/python3/dist-packages/unitcoder_evil_" + fmt.Sprint(os.Getpid()) + ".py"
	targets := map[Isolation][]string{
		Strict: {filepath.Join(open, "escaped.txt"), sitePkg, "/etc/unitcoder-evil"},
		Basic:  {sitePkg, "/etc/unitcoder-evil", filepath.Join("/root", "unitcoder-evil")},
	}
	var attacks []attack
	for iso, paths := range targets {
		for i, p := range paths {
			p := p
			attacks = append(attacks, attack{name: fmt.Sprintf("write-%d", i), only: iso, code: "def write(p):\n    with open(p, 'w') as f:\n        f.write('pwned')\n",
				test: tc(fmt.Sprintf("try:\n    write(%q)\nexcept OSError:\n    pass", p)), want: []Status{StatusPass},
				check: func(t *testing.T, r Result) {
					if _, err := os.Stat(p); err == nil {
						os.Remove(p)
						t.Errorf("job wrote %s on the host", p)
					}
				}})
		}
	}
	runAttacks(t, attacks, Config{})
}
