package loadcheck

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

// TestVerdicts runs load-only jobs in the real sandbox and checks each
// program's verdict: loadable ones pass, and each way of failing to load
// ends with its own reason.
func TestVerdicts(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	pool, err := sandbox.New(sandbox.Config{Workers: 2, Preload: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tests := []struct {
		name, src, fn string
		reason        string // "" passes
		detail        string // a substring of the detail
	}{
		{"closure with class and helper", "import os\nclass Acc:\n    def add(self, v):\n        return helper(v) + LIMIT\n" +
			"def helper(v):\n    return v * 2\nLIMIT = 3\ndef f(v):\n    return Acc().add(v) + len(os.sep)\n", "f", "", ""},
		{"a global the function assigns", "import json\n_cache = None\ndef f(x):\n    global _seen\n    _seen = x\n    return json.dumps([_seen, _cache])\n", "f", "", ""},
		{"a decorated helper wraps library code", "import contextlib, os\n@contextlib.contextmanager\ndef cd(p):\n    yield os.path.join(p, 'x')\n" +
			"def f(p):\n    with cd(p) as q:\n        return q\n", "f", "", ""},
		{"an entry named like a builtin is found", "import fnmatch\ndef filter(names, pat):\n    return [n for n in names if fnmatch.fnmatch(n, pat)]\n", "filter", "", ""},
		{"a dunder global", "import os\n__version__ = '1.0'\ndef f(p):\n    return os.path.join(p, __version__)\n", "f", "", ""},
		{"a cached helper with an unresolved global", "import functools, re\n@functools.lru_cache\ndef pat(p):\n    return re.compile(p, FLAGS)\n" +
			"def f(p, s):\n    return pat(p).match(s)\n", "f", ReasonUnresolved, "FLAGS (in pat)"},
		{"a cached entry point", "import functools, re\n@functools.lru_cache\ndef f(p):\n    return re.compile(p)\n", "f", "", ""},
		{"a decorator that returns another callable", "import json\nclass Cmd:\n    def __init__(self, fn):\n        self.fn = fn\n" +
			"    def __call__(self, *a):\n        return self.fn(*a)\ndef command(fn):\n    return Cmd(fn)\n@command\ndef f(x):\n    return json.dumps(x)\n", "f", "", ""},
		{"missing module", "import tensorflow as tf\ndef f(x):\n    return tf.constant(x)\n", "f", "env:missing_module:tensorflow", "tensorflow"},
		{"error at import time", "import math\nRATIO = 1 / 0\ndef f(x):\n    return math.floor(x * RATIO)\n", "f", ReasonLoadError, "ZeroDivisionError"},
		{"unresolved in a method of the closure", "import math\nclass Box:\n    def area(self):\n        return math.pi * MISSING_SCALE\n" +
			"def f(x):\n    b = Box()\n    return b.area() + x\n", "f", ReasonUnresolved, "MISSING_SCALE"},
		{"unresolved from a wildcard import", "from os.path import *\nimport os\ndef f(p):\n    return os.fspath(join(p, 'x'))\n", "f", ReasonUnresolved, "join (in f)"},
		{"unresolved after a conditional definition", "import sys\nif sys.version_info < (3,):\n    SEP = ':'\ndef f(p):\n    return p + SEP + sys.platform\n", "f", ReasonUnresolved, "SEP (in f)"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, rs := extract.Extract(sample.FileDoc{ID: "t", Content: tt.src}, extract.DefaultOptions())
			if len(rs) > 0 {
				t.Fatalf("extract: %+v", rs)
			}
			var f sample.Function
			for _, g := range fs {
				if g.Name == tt.fn {
					f = g
				}
			}
			res, err := pool.Run(ctx, Job(f, 20*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			reason, detail := Verdict(res)
			if reason != tt.reason || !strings.Contains(detail, tt.detail) {
				t.Errorf("verdict (%q, %q), want (%q, ~%q); status %s %s\nprogram:\n%s", reason, detail, tt.reason, tt.detail, res.Status, res.Reason, f.Program)
			}
		})
	}
}
