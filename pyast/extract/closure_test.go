package extract

import (
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

// named returns the function called name among the file's functions.
func named(t *testing.T, src, name string) sample.Function {
	t.Helper()
	fs, rs := Extract(sample.FileDoc{ID: "f", Content: src}, DefaultOptions())
	if len(rs) != 0 {
		t.Fatalf("rejects %+v", rs)
	}
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return sample.Function{}
}

func TestClosure(t *testing.T) {
	tests := []struct {
		name, src, fn string
		closure       []string
		unresolved    []string
		imports       []string
		program       string // "" skips the check
	}{
		{
			name: "helper and constant, transitively",
			src: "import os\nimport secrets as s\n\nDEFAULT = 32\n\ndef token_bytes(n=None):\n    return os.urandom(n or DEFAULT)\n\n" +
				"class Unused:\n    pass\n\ndef token_hex(nbytes):\n    return token_bytes(nbytes).hex()\n",
			fn: "token_hex", closure: []string{"DEFAULT", "token_bytes"}, imports: []string{"import os"},
			program: "import os\n\nDEFAULT = 32\n\ndef token_bytes(n=None):\n    return os.urandom(n or DEFAULT)\n\n" +
				"def token_hex(nbytes):\n    return token_bytes(nbytes).hex()\n",
		},
		{
			name: "class with base, decorator and method helper",
			src: "import functools\n\nclass Base:\n    pass\n\ndef util(x):\n    return x * 2\n\n@functools.total_ordering\nclass Box(Base):\n" +
				"    def double(self):\n        return util(self.v)\n\ndef make(v):\n    b = Box()\n    b.v = v\n    return b.double()\n",
			fn: "make", closure: []string{"Base", "util", "Box"}, imports: []string{"import functools"},
		},
		{
			name: "recursion needs nothing",
			src:  "def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)\n",
			fn:   "fact", closure: nil,
		},
		{
			name: "mutual recursion: a cycle is followed once",
			src:  "def even(n):\n    return True if n == 0 else odd(n - 1)\n\ndef odd(n):\n    return False if n == 0 else even(n - 1)\n",
			fn:   "even", closure: []string{"odd"},
			program: "def odd(n):\n    return False if n == 0 else even(n - 1)\n\ndef even(n):\n    return True if n == 0 else odd(n - 1)\n",
		},
		{
			name: "a local shadows the module name",
			src:  "LIMIT = 3\n\ndef f(x):\n    LIMIT = 5\n    return x + LIMIT\n",
			fn:   "f", closure: nil,
		},
		{
			name: "a definition shadows a builtin",
			src:  "def open(p):\n    return p.upper()\n\ndef f(p):\n    return open(p) + str(len(p))\n",
			fn:   "f", closure: []string{"open"},
		},
		{
			name: "the last binding of an import-bound name wins",
			src:  "def json(x):\n    return x\n\nimport json\n\ndef f(x):\n    return json.dumps(x)\n",
			fn:   "f", closure: nil, imports: []string{"import json"},
		},
		{
			name: "every binding of a rebound constant, in order",
			src:  "SIZE = 2\nSIZE = SIZE * 8\n\ndef f(x):\n    return x[:SIZE]\n",
			fn:   "f", closure: []string{"SIZE"}, program: "SIZE = 2\n\nSIZE = SIZE * 8\n\ndef f(x):\n    return x[:SIZE]\n",
		},
		{
			name: "a dispatch table that uses the function keeps source order",
			src:  "def f(x):\n    return HANDLERS['f'] is f and x\n\nHANDLERS = {'f': f}\n",
			fn:   "f", closure: []string{"HANDLERS"},
			program: "def f(x):\n    return HANDLERS['f'] is f and x\n\nHANDLERS = {'f': f}\n",
		},
		{
			name: "future imports always, TYPE_CHECKING imports never",
			src: "from __future__ import annotations\nfrom typing import TYPE_CHECKING\nimport os\nif TYPE_CHECKING:\n    from .models import Model\n\n" +
				"def f(m: Model, p):\n    return os.path.join(p, str(m))\n",
			fn: "f", imports: []string{"from __future__ import annotations", "import os"}, unresolved: []string{"Model"},
		},
		{
			name: "import fallbacks stay fallbacks",
			src: "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\ntry:\n    from urllib.parse import quote\n" +
				"except ImportError:\n    try:\n        from urllib2 import quote\n    except ImportError:\n        from urllib import quote\nimport os\n\n" +
				"def f(x):\n    return quote(os.sep) + str(pickle.dumps(x))\n",
			fn: "f", imports: []string{
				"try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle",
				"try:\n    from urllib.parse import quote\nexcept ImportError:\n    try:\n        from urllib2 import quote\n    except ImportError:\n        from urllib import quote",
				"import os"},
		},
		{
			name: "chained targets",
			src:  "a = b = None\n\ndef f(x):\n    return b or x\n",
			fn:   "f", closure: []string{"a", "b"},
		},
		{
			name: "tuple targets and annotations",
			src:  "(A, B) = range(2)\nC: int = 4\n\ndef f(x):\n    return x + A + C\n",
			fn:   "f", closure: []string{"A", "B", "C"},
		},
		{
			name: "conditional definitions stay unresolved",
			src:  "import sys\nif sys.platform == 'win32':\n    SEP = '\\\\'\nelse:\n    SEP = '/'\n\ndef f(a, b):\n    return a + SEP + b\n",
			fn:   "f", closure: nil, unresolved: []string{"SEP"},
		},
		{
			name: "a closure's imports join the program's",
			src:  "import re\nimport json\n\nPAT = re.compile('a+')\n\ndef f(s):\n    return json.dumps(PAT.findall(s))\n",
			fn:   "f", closure: []string{"PAT"}, imports: []string{"import re", "import json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := named(t, tt.src, tt.fn)
			if !reflect.DeepEqual(f.Closure, tt.closure) {
				t.Errorf("closure %v, want %v", f.Closure, tt.closure)
			}
			if !reflect.DeepEqual(f.Shape.Unresolved, tt.unresolved) || f.Shape.SelfContained != (len(tt.unresolved) == 0) {
				t.Errorf("unresolved %v (self-contained %v), want %v", f.Shape.Unresolved, f.Shape.SelfContained, tt.unresolved)
			}
			if tt.imports != nil && !reflect.DeepEqual(f.Imports, tt.imports) {
				t.Errorf("imports %v, want %v", f.Imports, tt.imports)
			}
			if tt.program != "" && f.Program != tt.program {
				t.Errorf("program:\n%s\nwant:\n%s", f.Program, tt.program)
			}
			if !strings.Contains(f.Program, f.Code+"\n") {
				t.Errorf("program lacks the function:\n%s", f.Program)
			}
			if (f.Shape.ClosureLines == 0) != (len(f.Closure) == 0) {
				t.Errorf("closure lines %d for closure %v", f.Shape.ClosureLines, f.Closure)
			}
		})
	}
}

// TestClosureNeedsSkippedStatements checks that a function reading a
// class or constant that statement selection skips gets it: the file is
// parsed again with those statements, and a fault in them keeps the first
// parse's result instead of rejecting the file.
func TestClosureNeedsSkippedStatements(t *testing.T) {
	src := "class Point:\n    def __init__(self, x):\n        self.x = x\n\nORIGIN = Point(0)\n\ndef shift(d):\n    return Point(ORIGIN.x + d)\n"
	f := named(t, src, "shift")
	if !reflect.DeepEqual(f.Closure, []string{"Point", "ORIGIN"}) || !f.Shape.SelfContained || f.Shape.ClosureLines != 4 {
		t.Errorf("closure %v, self-contained %v, lines %d", f.Closure, f.Shape.SelfContained, f.Shape.ClosureLines)
	}
	py2 := "class Old:\n    def m(self):\n        print 'x'\n\ndef f(x):\n    return Old()\n"
	g := named(t, py2, "f")
	if !reflect.DeepEqual(g.Shape.Unresolved, []string{"Old"}) {
		t.Errorf("python 2 class: unresolved %v", g.Shape.Unresolved)
	}
}

// TestClosureProgramsRun runs each fixture's program with the system
// Python: the closure must make the function callable on its own.
func TestClosureProgramsRun(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	src := "import os\nBASE = 10\nclass Acc:\n    def __init__(self):\n        self.total = BASE\n    def add(self, v):\n" +
		"        self.total += helper(v)\n        return self\n\ndef helper(v):\n    return v * SCALE\n\nSCALE = 3\n\n" +
		"def run(values):\n    a = Acc()\n    for v in values:\n        a.add(v)\n    return a.total + len(os.sep)\n"
	f := named(t, src, "run")
	out, err := exec.Command(py, "-c", f.Program+"\nprint(run([1, 2]))\n").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "20" {
		t.Fatalf("program failed: %v\n%s\n%s", err, out, f.Program)
	}
	// Import fallbacks: the first alternative is missing, the last loads.
	fb := named(t, "try:\n    import cPickle as pickle\nexcept ImportError:\n    try:\n        import cloudpickle_absent as pickle\n"+
		"    except ImportError:\n        import pickle\n\ndef g(x):\n    return len(pickle.dumps(x)) > 0\n", "g")
	out, err = exec.Command(py, "-c", fb.Program+"\nprint(g([1]))\n").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "True" {
		t.Fatalf("fallback program failed: %v\n%s\n%s", err, out, fb.Program)
	}
}

func TestImportedModules(t *testing.T) {
	if alts := ImportAlternatives("try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle"); !reflect.DeepEqual(alts, []string{"import cPickle as pickle", "import pickle"}) {
		t.Errorf("alternatives %q", alts)
	}
	mods, rel := ImportedModules([]string{"import os.path, numpy  as  np", "from a.b import c as d, e",
		"from . import sibling", "from ..pkg.mod import x", "import os", "from __future__ import annotations",
		"from . pkg import y", "import\tjson"})
	if !reflect.DeepEqual(mods, []string{"os", "numpy", "a", "__future__", "json"}) {
		t.Errorf("modules %v", mods)
	}
	if !reflect.DeepEqual(rel, []string{"from . import sibling", "from ..pkg.mod import x", "from . pkg import y"}) {
		t.Errorf("relative %v", rel)
	}
}

// TestClosureOptions checks the two limits retrieval sets: closures only
// for functions the filter could keep, and no parse past the line bound.
func TestClosureOptions(t *testing.T) {
	src := "import numpy as np\nimport os\n\nclass Big:\n" + strings.Repeat("    a = 1\n", 20) +
		"\nSCALE = 2\n\ndef uses_np(x):\n    return np.asarray(x) * SCALE\n\ndef no_lib(x):\n    return os.sep + str(SCALE)\n\n" +
		"def big(x):\n    return Big.a * np.asarray(x)\n"
	fs, _ := Extract(sample.FileDoc{ID: "f", Content: src}, Options{ClosureLibraries: map[string]bool{"numpy": true}, MaxClosureLines: 10})
	if len(fs) != 3 {
		t.Fatalf("%d functions", len(fs))
	}
	if f := fs[0]; !reflect.DeepEqual(f.Closure, []string{"SCALE"}) || !f.Shape.SelfContained {
		t.Errorf("uses_np: closure %v, unresolved %v", f.Closure, f.Shape.Unresolved)
	}
	if f := fs[1]; f.Closure != nil || !reflect.DeepEqual(f.Shape.Unresolved, []string{"SCALE"}) || strings.Contains(f.Program, "SCALE =") {
		t.Errorf("no_lib (calls no listed library): closure %v, unresolved %v", f.Closure, f.Shape.Unresolved)
	}
	if f := fs[2]; f.Closure != nil || f.Shape.ClosureLines <= 10 || strings.Contains(f.Program, "class Big") ||
		!reflect.DeepEqual(f.APIs, []string{"numpy.asarray"}) {
		t.Errorf("big (over the bound): closure %v, lines %d, program:\n%s", f.Closure, f.Shape.ClosureLines, f.Program)
	}
}
