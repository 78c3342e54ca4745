package extract

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

func extractOne(t *testing.T, src string, imports ...string) sample.Function {
	t.Helper()
	fs, rs := Extract(sample.FileDoc{ID: "f", Content: src, Imports: imports}, DefaultOptions())
	if len(rs) != 0 || len(fs) != 1 {
		t.Fatalf("want one function, got %d functions, rejects %+v", len(fs), rs)
	}
	return fs[0]
}

func TestExtractResolution(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		extra     []string
		imports   []string
		apis      []string
		libs      []string
		free      []string
		contained bool
	}{
		{
			name:    "alias",
			src:     "import numpy as np\nimport os\n\ndef f(x):\n    return np.mean(x)\n",
			imports: []string{"import numpy as np"}, apis: []string{"numpy.mean"}, libs: []string{"numpy"},
			free: []string{"np"}, contained: true,
		},
		{
			name:    "from submodule",
			src:     "from os import path, sep\n\ndef f(a):\n    return path.join(a, 'x')\n",
			imports: []string{"from os import path"}, apis: []string{"os.path.join"}, libs: []string{"os"},
			free: []string{"path"}, contained: true,
		},
		{
			name:    "from package attribute",
			src:     "from a.b import c as cc, d\n\ndef f(a):\n    return cc.d(a)\n",
			imports: []string{"from a.b import c as cc"}, apis: []string{"a.b.c.d"}, libs: []string{"a"},
			free: []string{"cc"}, contained: true,
		},
		{
			name:    "direct call",
			src:     "from math import sqrt, pi\n\ndef f(x):\n    return sqrt(x) * len([x])\n",
			imports: []string{"from math import sqrt"}, apis: []string{"math.sqrt"}, libs: []string{"math"},
			free: []string{"sqrt", "len"}, contained: true,
		},
		{
			name:    "split import statement",
			src:     "import os, sys, json as j\n\ndef f(x):\n    return j.dumps(sys.argv) + x\n",
			imports: []string{"import sys, json as j"}, apis: []string{"json.dumps"}, libs: []string{"json", "sys"},
			free: []string{"j", "sys"}, contained: true,
		},
		{
			name:    "dotted import",
			src:     "import os\nimport os.path\n\ndef f(p):\n    return os.path.exists(p)\n",
			imports: []string{"import os", "import os.path"}, apis: []string{"os.path.exists"}, libs: []string{"os"},
			free: []string{"os"}, contained: true,
		},
		{
			name:    "stage-1 import_code",
			src:     "def f(df):\n    return pd.DataFrame(df).mean()\n",
			extra:   []string{"import pandas as pd", "import numpy as np"},
			imports: []string{"import pandas as pd"}, apis: []string{"pandas.DataFrame"}, libs: []string{"pandas"},
			free: []string{"pd"}, contained: true,
		},
		{
			name:    "helper makes it not self-contained",
			src:     "import re\n\ndef helper(x):\n    return x\n",
			imports: []string{}, apis: []string{}, libs: []string{}, free: []string{}, contained: true,
		},
		{
			name:    "locals shadow imports",
			src:     "import numpy as np\n\ndef f(np):\n    return np.mean()\n",
			imports: []string{}, apis: []string{}, libs: []string{}, free: []string{}, contained: true,
		},
		{
			name:    "module global is free",
			src:     "CONST = 3\n\ndef f(x):\n    global CONST\n    CONST = x\n    return helper(x)\n",
			imports: []string{}, apis: []string{}, libs: []string{}, free: []string{"helper", "CONST"}, contained: false,
		},
		{
			name: "scopes",
			src: "import itertools\n\nasync def f(xs, *args, k=dflt, **kw):\n" +
				"    ys = [y for y in xs if (z := y)]\n" +
				"    g = lambda a, b=1: a + b + z\n" +
				"    with open(xs) as fh:\n        pass\n" +
				"    try:\n        pass\n    except ValueError as e:\n        print(e)\n" +
				"    for i, (j, *rest) in enumerate(ys):\n        total = i\n" +
				"    return itertools.chain(ys, args, kw, fh, g, total, rest, f'{unknown}')\n",
			imports: []string{"import itertools"}, apis: []string{"itertools.chain"}, libs: []string{"itertools"},
			free: []string{"dflt", "open", "ValueError", "print", "enumerate", "itertools", "unknown"}, contained: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, rs := Extract(sample.FileDoc{ID: "f", Content: tc.src, Imports: tc.extra}, DefaultOptions())
			if len(rs) != 0 || len(fs) == 0 {
				t.Fatalf("rejects %+v", rs)
			}
			f := fs[0]
			got := map[string]any{"imports": f.Imports, "apis": f.APIs, "libs": f.Libs, "free": orEmpty(f.FreeNames), "contained": f.Shape.SelfContained}
			want := map[string]any{"imports": tc.imports, "apis": tc.apis, "libs": tc.libs, "free": tc.free, "contained": tc.contained}
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		})
	}
}
