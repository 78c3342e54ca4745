package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

// guardIn is one input of the Python guard: Role "job" runs guard_job on
// Code and Test; any other role runs guard_source(Code, Role, Allow).
type guardIn struct {
	Code  string   `json:"code"`
	Test  string   `json:"test"`
	Role  string   `json:"role"`
	Allow []string `json:"allow"`
}

// guardDriver runs after guard.py: it reads {"cases": [...], "repeat": N}
// on stdin. Without repeat it answers every case; with it, it times N
// calls cycling through the cases instead.
const guardDriver = `
import json as _json, sys as _sys, time as _time
_req = _json.load(_sys.stdin)
def _one(c):
    if c["role"] == "job":
        return guard_job(c["code"], c["test"], c["allow"] or ())
    return guard_source(c["code"], c["role"], c["allow"] or ())
_out = {"rules": list(GUARD_RULES)}
_n = _req.get("repeat", 0)
if _n:
    _cs = _req["cases"]
    _t0 = _time.perf_counter()
    for _i in range(_n):
        _one(_cs[_i % len(_cs)])
    _out["seconds"] = _time.perf_counter() - _t0
else:
    _out["results"] = [_one(c) for c in _req["cases"]]
_json.dump(_out, _sys.stdout)
`

type guardOut struct {
	Rules   []string `json:"rules"`
	Results []string `json:"results"`
	Seconds float64  `json:"seconds"`
}

// runGuard runs the real Python guard once over all cases, the way the
// worker runs it (python3 -I), without starting a worker per case.
func runGuard(t testing.TB, cases []guardIn, repeat int) guardOut {
	t.Helper()
	if cases == nil {
		cases = []guardIn{}
	}
	in, err := json.Marshal(map[string]any{"cases": cases, "repeat": repeat})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", "-I", "-c", guardPy+"\n"+guardDriver)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("guard driver: %v\n%s", err, stderr.String())
	}
	var res guardOut
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("guard driver output %.300q: %v", out, err)
	}
	if repeat == 0 && len(res.Results) != len(cases) {
		t.Fatalf("guard driver answered %d of %d cases", len(res.Results), len(cases))
	}
	return res
}

// guardRule is the rule a guard answer names ("" when it allowed the job).
func guardRule(answer string) string {
	rule, _, _ := strings.Cut(answer, ":")
	return rule
}

type guardCase struct {
	name, code, test string
	rule             string // "" = allowed
	role             string // "" = a job (guard_job); else a guard_source role
}

const tcHead = "import unittest\nclass TestCases(unittest.TestCase):\n"

// guardCases: every form each rule must catch (aliases and the call forms
// included), and the legitimate forms next to them that it must not.
var guardCases = []guardCase{
	// write-foreign
	{name: "testcase attr", test: "import unittest\nunittest.TestCase.assertEqual = lambda *a: None\n", rule: "write-foreign"},
	{name: "module alias", test: "import unittest.case as C\nC.TestCase.assertEqual = lambda *a: None\n", rule: "write-foreign"},
	{name: "from-import alias", test: "from unittest import TestCase as TC\nTC.assertTrue = lambda *a: None\n", rule: "write-foreign"},
	{name: "name alias", test: "import unittest\nT = unittest.TestCase\nT.run = print\n", rule: "write-foreign"},
	{name: "numpy allclose", code: "import numpy as np\nnp.allclose = lambda *a, **k: True\n", rule: "write-foreign"},
	{name: "pandas equals", code: "import pandas as pd\npd.DataFrame.equals = lambda self, other: True\n", rule: "write-foreign"},
	{name: "builtins attr", code: "import builtins\nbuiltins.len = lambda x: 0\n", rule: "write-foreign"},
	{name: "json loads", code: "import json\njson.loads = lambda s: {}\n", rule: "write-foreign"},
	{name: "os.path.exists", code: "import os\nos.path.exists = lambda p: True\n", rule: "write-foreign"},
	{name: "sys.stdout.write", code: "import sys\nsys.stdout.write = len\n", rule: "write-foreign"},
	{name: "augmented", code: "import math\nmath.pi += 1\n", rule: "write-foreign"},
	{name: "del", test: "import unittest\ndel unittest.TestCase.assertEqual\n", rule: "write-foreign"},
	{name: "setattr", code: "import unittest\nsetattr(unittest.TestCase, 'assertEqual', print)\n", rule: "write-foreign"},
	{name: "setattr alias", code: "import json\ns = setattr\ns(json, 'dumps', str)\n", rule: "write-foreign"},
	{name: "delattr", code: "import json\ndelattr(json, 'dumps')\n", rule: "write-foreign"},
	{name: "object.__setattr__", code: "import json\nobject.__setattr__(json, 'dumps', str)\n", rule: "write-foreign"},
	{name: "type.__setattr__", code: "import unittest\ntype.__setattr__(unittest.TestCase, 'run', print)\n", rule: "write-foreign"},
	{name: "module __setattr__", code: "import json\njson.__setattr__('dumps', str)\n", rule: "write-foreign"},
	{name: "vars item", code: "import json\nvars(json)['dumps'] = str\n", rule: "write-foreign"},
	{name: "__dict__ item", code: "import numpy as np\nnp.__dict__['allclose'] = print\n", rule: "write-foreign"},
	{name: "__dict__ update", code: "import numpy as np\nnp.__dict__.update(allclose=print)\n", rule: "write-foreign"},
	{name: "vars update", code: "import math\nvars(math).update({'isclose': print})\n", rule: "write-foreign"},
	{name: "getattr chain", code: "import unittest\ngetattr(unittest, 'TestCase').assertEqual = print\n", rule: "write-foreign"},
	{name: "__import__ chain", code: "__import__('unittest').TestCase.assertEqual = print\n", rule: "write-foreign"},
	{name: "import_module chain", code: "import importlib\nimportlib.import_module('numpy.testing').assert_allclose = print\n", rule: "write-foreign"},
	{name: "sys.modules item chain", code: "import sys\nsys.modules['numpy'].allclose = print\n", rule: "write-foreign"},
	{name: "sys.modules replace", code: "import sys\nsys.modules['unittest'] = None\n", rule: "write-foreign"},
	{name: "sys.modules submodule", code: "import sys\nsys.modules['numpy.testing'] = object()\n", rule: "write-foreign"},
	{name: "sys.modules del verdict", code: "import sys\ndel sys.modules['json']\n", rule: "write-foreign"},
	{name: "sys.modules update", code: "import sys\nsys.modules.update({'json': None})\n", rule: "write-foreign"},
	{name: "param flow", code: "import numpy as np\ndef patch(m):\n    m.allclose = print\npatch(np)\n", rule: "write-foreign"},
	{name: "keyword param flow", code: "import numpy as np\ndef patch(name, mod=None):\n    setattr(mod, name, print)\npatch('allclose', mod=np)\n", rule: "write-foreign"},
	{name: "lambda param flow", code: "import json\np = lambda m: setattr(m, 'dumps', str)\np(json)\n", rule: "write-foreign"},
	{name: "loop over modules", code: "import numpy, pandas\nfor m in (numpy, pandas):\n    m.testing = None\n", rule: "write-foreign"},
	{name: "globals binding", code: "import unittest\nglobals()['T'] = unittest.TestCase\nT.assertEqual = print\n", rule: "write-foreign"},
	{name: "star import", code: "from unittest import *\nTestCase.assertEqual = print\n", rule: "write-foreign"},
	{name: "global declaration", code: "def setup():\n    global np\n    import numpy as np\ndef patch():\n    np.allclose = print\n", rule: "write-foreign"},
	{name: "tests use the code's import", code: "import unittest as u\n", test: "u.TestCase.assertEqual = print\n", rule: "write-foreign"},
	{name: "os.environ", code: "import os\nos.environ['X'] = '1'\ndel os.environ['X']\nos.environ.update(Y='2')\n"},
	{name: "environ imported", code: "from os import environ\nenviron['X'] = '1'\n"},
	{name: "sys.path", code: "import sys\nsys.path.append('/x')\nsys.path.insert(0, '/y')\nsys.path[:] = sys.path[1:]\nsys.argv = ['prog']\n"},
	{name: "stdout rebind", code: "import io, sys\nsys.stdout = io.StringIO()\nsys.stderr = sys.stdout\nsys.stdin = io.StringIO('x')\n"},
	{name: "sys.modules own entries", code: "import sys, types\nname = 'plug'\nmodule = types.ModuleType(name)\nsys.modules[name] = module\nsys.modules['myplugin'] = module\ndel sys.modules['myplugin']\nsys.modules.pop('plug', None)\n"},
	{name: "sys.modules __name__", code: "import sys\nsetattr(sys.modules[__name__], 'f', len)\nglobals()['g'] = len\n"},
	{name: "pandas options", code: "import pandas as pd\npd.options.display.max_rows = 5\npd.options.mode.chained_assignment = None\n"},
	{name: "rcParams", code: "import matplotlib\nimport matplotlib.pyplot as plt\nfrom matplotlib import rcParams\nplt.rcParams['font.size'] = 8\nmatplotlib.rcParams['axes.grid'] = True\nrcParams['lines.linewidth'] = 2\nplt.rcParams.update({'a': 1})\n"},
	{name: "tempdir and ssl", code: "import ssl, tempfile\ntempfile.tempdir = '/tmp'\nssl._create_default_https_context = ssl._create_unverified_context\n"},
	{name: "maxDiff", test: "import unittest\nunittest.TestCase.maxDiff = None\nunittest.TestCase.longMessage = False\n"},
	{name: "logging", code: "import logging\nlogging.root.level = logging.DEBUG\nlogging.root.handlers = []\nlogging.raiseExceptions = False\nlogging.getLogger('x').propagate = False\n"},
	{name: "flask.g", code: "import flask\nflask.g.user = 'ann'\n"},
	{name: "own module", test: "import solution\nfrom unittest import mock\nsolution.helper = mock.Mock()\n"},
	{name: "mock.patch builtins.open", test: "from unittest.mock import patch\n@patch('builtins.open')\ndef t(m): pass\n"},
	{name: "comparison and reads", test: "import sys, os, json\nassert sys.modules['os'] == os\nx = sys.modules['json']\n"},
	{name: "local objects", code: "import numpy as np, pandas as pd\narr = np.zeros(3)\narr[0] = 1\ndf = pd.DataFrame({'a': [1]})\ndf['b'] = 2\ndf.loc[0, 'a'] = 3\ndf.attrs['k'] = 1\n"},
	{name: "own class attributes", code: "class Counter:\n    n = 0\n    def inc(self):\n        self.__class__.n += 1\n        type(self).n += 1\n        Counter.n += 1\n"},
	{name: "setattr on locals", code: "class C:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n            setattr(self, k, v)\n        self.__dict__.update(kw)\n        object.__setattr__(self, 'x', 1)\n"},
	{name: "dynamic test methods", test: tcHead + "    def test_a(self):\n        pass\nfor i in range(3):\n    setattr(TestCases, 'test_%d' % i, lambda self: None)\nT = type('T', (unittest.TestCase,), {'test_x': lambda self: None})\n"},
	{name: "free names", code: "def f(key, res):\n    cache[key] = res\n    request['x'] = 1\n"},

	// builtins-rebind
	{name: "rebind __builtins__", code: "__builtins__ = {}\n", rule: "builtins-rebind"},
	{name: "__builtins__ item", code: "__builtins__['len'] = None\n", rule: "builtins-rebind"},
	{name: "__builtins__ attr", code: "__builtins__.len = None\n", rule: "builtins-rebind"},
	{name: "__builtins__ update", code: "__builtins__.update(len=None)\n", rule: "builtins-rebind"},
	{name: "__builtins__ via globals", code: "globals()['__builtins__'] = {}\n", rule: "builtins-rebind"},
	{name: "__builtins__ globals update", code: "globals().update({'__builtins__': {}})\n", rule: "builtins-rebind"},
	{name: "__builtins__ import as", code: "import builtins as __builtins__\n", rule: "builtins-rebind"},
	{name: "__builtins__ for target", code: "for __builtins__ in [{}]:\n    pass\n", rule: "builtins-rebind"},
	{name: "eval with empty builtins", code: "def calc(e):\n    return eval(e, {'__builtins__': {}}, {})\nok = isinstance(__builtins__, dict)\n"},

	// reflection
	{name: "sys._getframe", code: "import sys\ndef f():\n    return sys._getframe(1).f_locals\n", rule: "reflection"},
	{name: "_getframe alias", code: "from sys import _getframe as g\ndef f():\n    return g(1)\n", rule: "reflection"},
	{name: "_getframe reference", code: "import sys\nfns = [sys._getframe]\n", rule: "reflection"},
	{name: "inspect alias", code: "import inspect as i\ndef f():\n    return i.stack()\n", rule: "reflection"},
	{name: "currentframe", code: "from inspect import currentframe\ndef f():\n    return currentframe()\n", rule: "reflection"},
	{name: "alias shadowing a builtin", code: "from inspect import currentframe as print\nprint()\n", rule: "reflection"},
	{name: "parameter default", code: "import numpy\ndef f(m=numpy):\n    m.allclose = print\n", rule: "write-foreign"},
	{name: "nonlocal", code: "import json\ndef outer():\n    m = None\n    def inner():\n        nonlocal m\n        m = json\n    inner()\n    m.dumps = str\n", rule: "write-foreign"},
	{name: "getattr inspect", code: "import inspect\ndef f():\n    return getattr(inspect, 'currentframe')()\n", rule: "reflection"},
	{name: "f_back", code: "def f(fr):\n    return fr.f_back\n", rule: "reflection"},
	{name: "tb_frame", test: "try:\n    1 / 0\nexcept Exception as e:\n    fr = e.__traceback__.tb_frame\n", rule: "reflection"},
	{name: "gi_frame", code: "def f(g):\n    return g.gi_frame\n", rule: "reflection"},
	{name: "__globals__", test: "g = f.__globals__\n", rule: "reflection"},
	{name: "cell_contents", code: "def f(fn):\n    return fn.__closure__[0].cell_contents\n", rule: "reflection"},
	{name: "getattr __globals__", code: "def f(fn):\n    return getattr(fn, '__globals__')\n", rule: "reflection"},
	{name: "attrgetter", code: "import operator\nget = operator.attrgetter('f_back')\n", rule: "reflection"},
	{name: "__getattribute__", code: "def f(fn):\n    return object.__getattribute__(fn, '__globals__')\n", rule: "reflection"},
	{name: "store __code__", test: "def a(): pass\ndef b(): pass\na.__code__ = b.__code__\n", rule: "reflection"},
	{name: "store f_lineno", code: "def jump(fr):\n    fr.f_lineno = 3\n", rule: "reflection"},
	{name: "gc.get_objects", code: "import gc\nobjs = gc.get_objects()\n", rule: "reflection"},
	{name: "gc.get_referrers alias", code: "from gc import get_referrers as refs\nx = refs(1)\n", rule: "reflection"},
	{name: "traceback.walk_stack", code: "import traceback\nfor fr, _ in traceback.walk_stack(None):\n    pass\n", rule: "reflection"},
	{name: "object subclasses", code: "for c in object.__subclasses__():\n    pass\n", rule: "reflection"},
	{name: "type subclasses", code: "x = type.__subclasses__(type)\n", rule: "reflection"},
	{name: "builtin type subclasses", code: "x = int.__subclasses__()\n", rule: "reflection"},
	{name: "imported class subclasses", test: "import unittest\nfor c in unittest.TestResult.__subclasses__():\n    pass\n", rule: "reflection"},
	{name: "class graph walk", code: "x = ().__class__.__base__.__subclasses__()\n", rule: "reflection"},
	{name: "mro walk", code: "def f(o):\n    return o.__class__.__mro__[-1].__subclasses__()\n", rule: "reflection"},
	{name: "type(x) walk", code: "def f(o):\n    return type(o).__subclasses__()\n", rule: "reflection"},
	{name: "getattr __subclasses__", code: "x = getattr(object, '__subclasses__')()\n", rule: "reflection"},
	{name: "subclasses through a parameter", code: "def walk(c):\n    return c.__subclasses__()\nwalk(object)\n", rule: "reflection"},
	{name: "own class subclasses", code: "class Base:\n    pass\nclass A(Base):\n    pass\nx = Base.__subclasses__()\n"},
	{name: "parameter subclasses", code: "def all_subclasses(cls):\n    out = set(cls.__subclasses__())\n    for s in list(out):\n        out |= all_subclasses(s)\n    return out\nclass B:\n    pass\nall_subclasses(B)\n"},
	{name: "inspect and traceback uses", code: "import inspect, traceback, numpy as np\ndef f(fn):\n    stack = []\n    stack.append(inspect.signature(fn))\n    traceback.print_exc()\n    return traceback.format_exc(), np.trace(np.eye(2)), traceback.extract_stack()\n"},
	{name: "gc housekeeping", code: "import gc\ngc.collect()\ngc.disable()\n"},

	// raw-memory
	{name: "import ctypes", code: "import ctypes\n", rule: "raw-memory"},
	{name: "from ctypes", code: "from ctypes import CDLL\n", rule: "raw-memory"},
	{name: "ctypes.util", code: "import ctypes.util as u\n", rule: "raw-memory"},
	{name: "__import__ ctypes", code: "c = __import__('ctypes')\n", rule: "raw-memory"},
	{name: "import_module _ctypes", code: "import importlib\nc = importlib.import_module('_ctypes')\n", rule: "raw-memory"},
	{name: "cffi", code: "import cffi\n", rule: "raw-memory"},
	{name: "numpy .ctypes", code: "import numpy as np\np = np.zeros(2).ctypes.data\n", rule: "raw-memory"},
	{name: "numpy ctypeslib", code: "from numpy import ctypeslib\n", rule: "raw-memory"},
	{name: "sys.modules ctypes", code: "import sys\nc = sys.modules['ctypes']\n", rule: "raw-memory"},

	// always-equal
	{name: "eq returns True", code: "class R:\n    def __eq__(self, other):\n        return True\ndef f():\n    return R()\n", rule: "always-equal"},
	{name: "eq returns 1", code: "class R(str):\n    def __eq__(self, other):\n        if other:\n            return 1\n        return not None\n", rule: "always-equal"},
	{name: "eq lambda", code: "class R:\n    __eq__ = lambda *a: True\n", rule: "always-equal"},
	{name: "eq own function", code: "def yes(a, b):\n    return True\nclass R:\n    __eq__ = yes\n", rule: "always-equal"},
	{name: "ne returns False", code: "class R:\n    def __ne__(self, other):\n        return False\n", rule: "always-equal"},
	{name: "eq set later", code: "class R:\n    pass\nR.__eq__ = lambda s, o: True\n", rule: "always-equal"},
	{name: "eq setattr", code: "class R:\n    pass\nsetattr(R, '__eq__', lambda s, o: True)\n", rule: "always-equal"},
	{name: "eq type()", code: "R = type('R', (), {'__eq__': lambda s, o: True})\n", rule: "always-equal"},
	{name: "real eq", code: "class P:\n    def __eq__(self, other):\n        if not isinstance(other, P):\n            return NotImplemented\n        return self.x == other.x\n    def __ne__(self, other):\n        return not self == other\n"},
	{name: "matcher in tests", test: "class Anything:\n    def __eq__(self, other):\n        return True\n"},

	// patch-self-assert
	{name: "self assert", test: tcHead + "    def setUp(self):\n        self.assertEqual = print\n", rule: "patch-self-assert"},
	{name: "self fail", test: tcHead + "    def setUp(self):\n        self.fail = print\n", rule: "patch-self-assert"},
	{name: "self run", test: tcHead + "    def setUp(me):\n        me.run = print\n", rule: "patch-self-assert"},
	{name: "self subTest", test: tcHead + "    def setUp(self):\n        self.subTest = print\n", rule: "patch-self-assert"},
	{name: "self _callTestMethod", test: tcHead + "    def setUp(self):\n        self._callTestMethod = print\n", rule: "patch-self-assert"},
	{name: "setattr self", test: tcHead + "    def setUp(self):\n        setattr(self, 'assertTrue', print)\n", rule: "patch-self-assert"},
	{name: "self __dict__", test: tcHead + "    def setUp(self):\n        self.__dict__['assertEqual'] = print\n", rule: "patch-self-assert"},
	{name: "type(self)", test: tcHead + "    def setUp(self):\n        type(self).assertEqual = print\n", rule: "patch-self-assert"},
	{name: "self.__class__", test: tcHead + "    def setUp(self):\n        self.__class__.skipTest = print\n", rule: "patch-self-assert"},
	{name: "cls in setUpClass", test: tcHead + "    @classmethod\n    def setUpClass(cls):\n        cls.assertEqual = print\n", rule: "patch-self-assert"},
	{name: "test class after", test: tcHead + "    def test_a(self):\n        pass\nTestCases.fail = print\n", rule: "patch-self-assert"},
	{name: "aliased TestCase", test: "from unittest import TestCase as TC\nclass T(TC):\n    def setUp(self):\n        self.assertIn = print\n", rule: "patch-self-assert"},
	{name: "mixin", test: "import unittest\nclass Mixin:\n    def setUp(self):\n        self.assertEqual = print\nclass T(Mixin, unittest.TestCase):\n    pass\n", rule: "patch-self-assert"},
	{name: "self debug and failures", test: tcHead + "    def setUp(self):\n        self.debug = True\n        self.failures = []\n        self.failureException = AssertionError\n        self.assertValid = print\n"},
	{name: "thread run", code: "import threading\nclass W(threading.Thread):\n    def run(self):\n        self.result = 1\n"},
	{name: "custom assert helper", test: tcHead + "    def assertFrameOk(self, df):\n        pass\n"},

	// sources that do not parse are the loader's business
	{name: "syntax error", code: "def f(:\n", test: "unittest.TestCase.x = 1\n"},
	{name: "NUL byte", code: "x = 1\x00\n"},

	// dynamic sources: their globals are unknown, so a free name is foreign
	{name: "dynamic testcase", role: "dynamic", code: "unittest.TestCase.assertEqual = None\n", rule: "write-foreign"},
	{name: "dynamic free name", role: "dynamic", code: "np.allclose = None\n", rule: "write-foreign"},
	{name: "dynamic frame", role: "dynamic", code: "sys._getframe(1)\n", rule: "reflection"},
	{name: "dynamic eq", role: "dynamic", code: "class R:\n    def __eq__(s, o):\n        return True\n", rule: "always-equal"},
	{name: "namedtuple source", role: "dynamic", code: "lambda _cls, x, y: _tuple_new(_cls, (x, y))"},
	{name: "dataclass source", role: "dynamic",
		code: "def __create_fn__(_type_a, MISSING, __dataclass_builtins_object__, _return_type):\n def __init__(self, a:_type_a) -> _return_type:\n  __dataclass_builtins_object__.__setattr__(self,'a',a)\n def __eq__(self, other):\n  if other.__class__ is self.__class__:\n   return ()==()\n  return NotImplemented\n return __init__\n"},
}

func TestGuard(t *testing.T) {
	var in []guardIn
	for _, c := range guardCases {
		role := c.role
		if role == "" {
			role = "job"
		}
		in = append(in, guardIn{Code: c.code, Test: c.test, Role: role})
		if c.rule != "" {
			in = append(in, guardIn{Code: c.code, Test: c.test, Role: role, Allow: []string{c.rule}})
		}
	}
	out := runGuard(t, in, 0).Results
	k := 0
	for _, c := range guardCases {
		got := out[k]
		k++
		switch {
		case c.rule == "" && got != "":
			t.Errorf("%s: rejected: %s", c.name, got)
		case c.rule != "" && guardRule(got) != c.rule:
			t.Errorf("%s: got %q, want rule %s", c.name, got, c.rule)
		case c.rule != "" && c.role == "" && !regexp.MustCompile(`^[a-z-]+: (code|tests) .+ \(.*\)$`).MatchString(got):
			t.Errorf("%s: answer %q is not \"<rule>: code|tests <reason> (<snippet>)\"", c.name, got)
		}
		if c.rule != "" {
			if g := out[k]; guardRule(g) == c.rule {
				t.Errorf("%s: Allow did not skip %s: %s", c.name, c.rule, g)
			}
			k++
		}
	}
}

// TestGuardRuleNames: the documented Go list is the Python guard's.
func TestGuardRuleNames(t *testing.T) {
	rules := runGuard(t, nil, 0).Rules
	if !slices.Equal(rules, GuardRuleNames) {
		t.Errorf("guard.py rules %v, GuardRuleNames %v", rules, GuardRuleNames)
	}
}

// guardAttacks are complete forgeries: each makes the failing test pass
// (or reaches the harness) unless the guard stops it before it runs.
var guardAttacks = []attack{
	{name: "alias-module", code: fCode, test: "import unittest.case as C\nC.TestCase.assertEqual = lambda *a, **k: None\n" + failingTest},
	{name: "setattr-testcase", code: "import unittest\nsetattr(unittest.TestCase, 'assertEqual', lambda *a, **k: None)\n" + fCode, test: failingTest},
	{name: "vars-unittest", code: "import unittest\nvars(unittest.case)['TestCase'].assertEqual = lambda *a, **k: None\n" + fCode, test: failingTest},
	{name: "dict-update-numpy", code: "import numpy\nnumpy.__dict__.update(allclose=lambda *a, **k: True)\ndef f():\n    return [1.0]\n",
		test: tc("import numpy\nself.assertTrue(numpy.allclose(f(), [2.0]))")},
	{name: "object-setattr-pandas", code: "import pandas as pd\nobject.__setattr__(pd.DataFrame, 'equals', lambda s, o: True)\ndef f():\n    return pd.DataFrame({'a': [1]})\n",
		test: tc("import pandas as pd\nself.assertTrue(f().equals(pd.DataFrame({'a': [2]})))")},
	{name: "builtins-alias", code: "import builtins as b\nb.isinstance = lambda *a: True\ndef f():\n    return 1\n", test: tc("self.assertTrue(isinstance(f(), str))")},
	{name: "always-equal", code: "class Anything:\n    def __eq__(self, other):\n        return True\ndef f():\n    return Anything()\n", test: failingTest},
	{name: "always-equal-lambda", code: "class Anything(int):\n    __eq__ = lambda s, o: True\ndef f():\n    return Anything(1)\n", test: failingTest},
	{name: "frame-walk", code: "import sys\ndef f():\n    sys._getframe(1).f_locals['self'].assertEqual = lambda *a: None\n    return 1\n", test: failingTest},
	{name: "inspect-stack", code: "from inspect import stack as st\ndef f():\n    st()[1].frame.f_locals['self'].assertEqual = lambda *a: None\n    return 1\n", test: failingTest},
	{name: "subclasses-object", code: fCode,
		test: "for c in object.__subclasses__():\n    if c.__name__ == '_Recorder':\n        c.addFailure = c.addSuccess\n" + failingTest},
	{name: "subclasses-tuple-class", code: fCode,
		test: "for c in ().__class__.__base__.__subclasses__():\n    if c.__name__ == 'TestResult':\n        for s in c.__subclasses__():\n            s.addFailure = s.addSuccess\n" + failingTest},
	{name: "subclasses-type", code: "def f():\n    for c in type.__subclasses__(type):\n        pass\n    return 1\n", test: failingTest},
	{name: "ctypes", code: "import ctypes\ndef f():\n    return 1\n", test: failingTest},
	{name: "ctypes-import-module", code: "import importlib\nc = importlib.import_module('ctypes')\n" + fCode, test: failingTest},
	{name: "self-assert", code: fCode, test: "import unittest\nclass TestCases(unittest.TestCase):\n    def setUp(self):\n        type(self).assertEqual = lambda *a: None\n    def test_it(self):\n        self.assertEqual(f(), 2)\n"},
	{name: "sys-modules-numpy", code: "import sys, types\nfake = types.ModuleType('numpy')\nfake.allclose = lambda *a, **k: True\nsys.modules['numpy'] = fake\n" + fCode,
		test: tc("import numpy as np\nself.assertTrue(np.allclose(f(), 2))")},
	{name: "builtins-rebind", code: "__builtins__.len = lambda x: 2\n" + fCode, test: tc("self.assertEqual(len([f()]), 2)")},
}

var guardAttackRules = map[string]string{
	"alias-module": "write-foreign", "setattr-testcase": "write-foreign", "vars-unittest": "write-foreign",
	"dict-update-numpy": "write-foreign", "object-setattr-pandas": "write-foreign", "builtins-alias": "write-foreign",
	"always-equal": "always-equal", "always-equal-lambda": "always-equal", "frame-walk": "reflection",
	"inspect-stack": "reflection", "subclasses-object": "reflection", "subclasses-tuple-class": "reflection",
	"subclasses-type": "reflection", "ctypes": "raw-memory", "ctypes-import-module": "raw-memory",
	"self-assert": "patch-self-assert", "sys-modules-numpy": "write-foreign", "builtins-rebind": "builtins-rebind",
}

// TestGuardAttacks runs each forgery through a pool: it must come back
// rejected by its rule, without running.
func TestGuardAttacks(t *testing.T) {
	var in []guardIn
	for _, a := range guardAttacks {
		in = append(in, guardIn{Code: a.code, Test: a.test, Role: "job"})
	}
	for i, got := range runGuard(t, in, 0).Results {
		if want := guardAttackRules[guardAttacks[i].name]; guardRule(got) != want {
			t.Errorf("%s: guard answered %q, want rule %s", guardAttacks[i].name, got, want)
		}
	}
	p := newPoolWith(t, Config{Isolation: Basic, Workers: 1, Preload: testPreload})
	for _, a := range guardAttacks {
		r, err := p.Run(context.Background(), Job{ID: a.name, Code: a.code, Test: a.test})
		if err != nil {
			t.Fatal(err)
		}
		want := "static guard " + guardAttackRules[a.name] + ": "
		if r.Status != StatusRejected || !strings.HasPrefix(r.Reason, want) {
			t.Errorf("%s: %s (%s), want rejected %q...", a.name, r.Status, r.Reason, want)
		}
		if r.Stdout != "" || len(r.Tests) != 0 {
			t.Errorf("%s: a rejected job ran: tests=%v stdout=%q", a.name, r.Tests, r.Stdout)
		}
	}
}

// legitProgram is one program of testdata/guard_legit.
type legitProgram struct {
	name, code, test string
	status           Status // the verdict it gets; pass unless the file says
}

func loadLegitCorpus(t testing.TB) []legitProgram {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "guard_legit", "*.py"))
	if err != nil || len(files) < 15 {
		t.Fatalf("guard_legit corpus: %d files, %v", len(files), err)
	}
	status := regexp.MustCompile(`(?m)^# sandbox-status: (\w+)$`)
	var out []legitProgram
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code, test, ok := strings.Cut(string(b), "### TEST\n")
		if !ok {
			t.Fatalf("%s: no ### TEST line", f)
		}
		p := legitProgram{name: strings.TrimSuffix(filepath.Base(f), ".py"), code: code, test: test, status: StatusPass}
		if m := status.FindStringSubmatch(code); m != nil {
			p.status = Status(m[1])
		}
		out = append(out, p)
	}
	return out
}

// TestGuardLegitCorpus: no program of the legitimate corpus is rejected,
// and each gets its verdict (pass, but for the dynamic-test forms the
// pre-pass cannot see) in both isolation levels.
func TestGuardLegitCorpus(t *testing.T) {
	progs := loadLegitCorpus(t)
	var in []guardIn
	for _, p := range progs {
		in = append(in, guardIn{Code: p.code, Test: p.test, Role: "job"})
	}
	for i, got := range runGuard(t, in, 0).Results {
		if got != "" {
			t.Errorf("%s: false rejection: %s", progs[i].name, got)
		}
	}
	for _, iso := range []Isolation{Basic, Strict} {
		t.Run(string(iso), func(t *testing.T) {
			pool := newPoolWith(t, Config{Isolation: iso, Workers: 2,
				Preload: []string{"numpy", "pandas", "matplotlib", "matplotlib.pyplot", "unittest.mock", "json"}})
			var jobs []Job
			for _, p := range progs {
				jobs = append(jobs, Job{ID: p.name, Code: p.code, Test: p.test, Timeout: 30e9})
			}
			for i, r := range runAll(t, pool, jobs) {
				if r.Status != progs[i].status {
					t.Errorf("%s: %s (%s), want %s; stderr=%.500s", progs[i].name, r.Status, r.Reason, progs[i].status, r.Stderr)
				}
			}
		})
	}
}

// realDataJobs are the shared data's programs as the pipeline verifies
// them: the 860 stage-1 corpus functions (import lines + function, no
// tests), HumanEval's canonical solutions with their checks, every recorded
// demo pair of stage 2 and 3, and the heavy-import benchmark jobs.
func realDataJobs(t testing.TB) (names []string, in []guardIn) {
	add := func(name, code, test string) {
		names = append(names, name)
		in = append(in, guardIn{Code: code, Test: test, Role: "job"})
	}
	for _, r := range testfixtures.Stage1(t) {
		add("stage1:"+r.ID, strings.Join(r.ImportCode, "")+r.Content, "")
	}
	for _, r := range loadHumanEval(t) {
		j := humanEvalJob(r, r.CanonicalSolution)
		add(j.ID, j.Code, j.Test)
	}
	for _, f := range []string{"stage2_passed.jsonl", "stage2_failed.jsonl", "stage3_polished.jsonl"} {
		for _, d := range loadDemo(t, f) {
			add(d.Where, d.Code, d.Test)
		}
	}
	for _, j := range heavyJobs(t) {
		add("heavy:"+j.ID, j.Code, j.Test)
	}
	return names, in
}

// TestGuardRealData: the guard rejects none of the real programs.
func TestGuardRealData(t *testing.T) {
	names, in := realDataJobs(t)
	rejected := 0
	for i, got := range runGuard(t, in, 0).Results {
		if got != "" {
			rejected++
			t.Errorf("%s: false rejection: %s", names[i], got)
		}
	}
	t.Logf("%d programs, %d rejected", len(in), rejected)
}

// TestGuardConfig: Allow must name a rule; Extra rules still apply Go-side.
func TestGuardConfig(t *testing.T) {
	if _, err := (Config{Guard: GuardConfig{Allow: []string{"patch-testcase"}}}).withDefaults(); err == nil {
		t.Errorf("an unknown rule in Allow was accepted")
	}
	extra := GuardRule{Name: "no-eval", Pattern: regexp.MustCompile(`\beval\(`), Reason: "calls eval"}
	for _, g := range []GuardConfig{{Allow: []string{"reflection"}}, {Extra: []GuardRule{extra}, Allow: []string{"no-eval"}}} {
		if _, err := (Config{Guard: g}).withDefaults(); err != nil {
			t.Errorf("%+v: %v", g, err)
		}
	}
	j := Job{Code: "x = eval('1')\n", Test: "assert x == 1\n"}
	if got := guard(GuardConfig{Extra: []GuardRule{extra}}, j); !strings.HasPrefix(got, "static guard no-eval: code calls eval") {
		t.Errorf("Extra rule: %q", got)
	}
	if got := guard(GuardConfig{Extra: []GuardRule{extra}, Allow: []string{"no-eval"}}, j); got != "" {
		t.Errorf("allowed Extra rule still applied: %q", got)
	}
	if got := guard(GuardConfig{Extra: []GuardRule{extra}, Disabled: true}, j); got != "" {
		t.Errorf("disabled guard applied an Extra rule: %q", got)
	}
}

// BenchmarkGuard measures the guard's cost per job on the 860 stage-1
// functions (the worker runs it before every fork) and on the demo's
// code+tests pairs. guard-µs/job is timed inside Python, without the
// interpreter's start-up.
func BenchmarkGuard(b *testing.B) {
	_, all := realDataJobs(b)
	var stage1, pairs []guardIn
	for _, j := range all {
		if j.Test == "" {
			stage1 = append(stage1, j)
		} else {
			pairs = append(pairs, j)
		}
	}
	for _, s := range []struct {
		name string
		jobs []guardIn
	}{{"stage1", stage1}, {"pairs", pairs}} {
		b.Run(s.name, func(b *testing.B) {
			out := runGuard(b, s.jobs, b.N)
			b.ReportMetric(out.Seconds/float64(b.N)*1e6, "guard-µs/job")
		})
	}
}
