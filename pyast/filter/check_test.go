package filter

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
)

func extractOne(t *testing.T, src string) sample.Function {
	t.Helper()
	fs, rs := extract.Extract(sample.FileDoc{ID: "t", Content: src}, extract.DefaultOptions())
	if len(rs) != 0 || len(fs) != 1 {
		t.Fatalf("want one function from %q, got %d, rejects %+v", src, len(fs), rs)
	}
	return fs[0]
}

func TestCheckRules(t *testing.T) {
	const good = "import numpy as np\n\ndef f(x, y):\n    z = np.asarray(x) + y\n    return z.sum()\n"
	tests := []struct {
		name, src, reason string
	}{
		{"kept", good, ""},
		{"no target library", "import foo\n\ndef f(x, y):\n    z = foo.asarray(x) + y\n    return z.sum()\n", ReasonNoTargetLibrary},
		{"imported but not called", "import numpy as np\n\ndef f(x, y):\n    z = isinstance(x, np.ndarray)\n    return z and y\n", ReasonNoTargetLibrary},
		{"too short", "import numpy as np\ndef f(x):\n    return np.abs(x)\n", ReasonTooShort},
		{"too long", "import numpy as np\n\ndef f(x):\n" + repeat("    x = np.abs(x)\n", 160) + "    return x\n", ReasonTooLong},
		{"no parameters", "import numpy as np\n\ndef f():\n    z = np.zeros(3) + 1\n    return z.sum()\n", ReasonNoParameters},
		{"no return", "import numpy as np\n\ndef f(x, y):\n    z = np.asarray(x) + y\n    print(z.sum())\n", ReasonNoReturn},
		{"nested def", "import numpy as np\n\ndef f(x, y):\n    def g(a):\n        return a\n    return np.asarray(g(x)) + y\n", ReasonNestedDef},
		{"nested class", "import numpy as np\n\ndef f(x, y):\n    class G:\n        pass\n    return np.asarray(x) + y\n", ReasonNestedClass},
		{"nested import", "import numpy as np\n\ndef f(x, y):\n    import os\n    return np.asarray(x) + y + os.sep\n", ReasonNestedImport},
		{"a constant joins the program", "import numpy as np\nSCALE = 2\n\ndef f(x, y):\n    z = np.asarray(x) + y\n    return z.sum() * SCALE\n", ""},
		{"not self-contained", "import numpy as np\nfrom consts import *\n\ndef f(x, y):\n    z = np.asarray(x) + y\n    return z.sum() * SCALE\n", ReasonNotSelfContained},
		{"closure too large", "import numpy as np\nclass Big:\n" + repeat("    a = 1\n", 150) + "\ndef f(x, y):\n    z = np.asarray(x) + y\n    return z.sum() * Big.a\n", ReasonClosureTooLarge},
		{"closure at the bound", "import numpy as np\nclass Big:\n" + repeat("    a = 1\n", 149) + "\ndef f(x, y):\n    z = np.asarray(x) + y\n    return z.sum() * Big.a\n", ""},
		{"windows path", "import pandas as pd\n\ndef f(x, y):\n    d = pd.read_csv('C:\\\\Users\\\\me\\\\a.csv')\n    return d[x] + y\n", ReasonHardcodedPath},
		{"home path", "import pandas as pd\n\ndef f(x, y):\n    d = pd.read_csv(r'/home/me/a.csv')\n    return d[x] + y\n", ReasonHardcodedPath},
		{"mac path", "import pandas as pd\n\ndef f(x, y):\n    d = pd.read_csv(f\"/Users/me/{x}.csv\")\n    return d[y]\n", ReasonHardcodedPath},
		{"relative path is fine", "import pandas as pd\n\ndef f(x, y):\n    d = pd.read_csv('data/a.csv')\n    return d[x] + y\n", ""},
		{"path in docstring is fine", "import pandas as pd\n\ndef f(x, y):\n    \"\"\"Reads e.g. /home/me/a.csv.\"\"\"\n    d = pd.read_csv(x)\n    return d[y]\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reason, ok := Check(extractOne(t, tc.src), DefaultRules())
			if reason != tc.reason || ok != (tc.reason == "") {
				t.Errorf("got (%q, %v), want %q", reason, ok, tc.reason)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestDefaultLibraries(t *testing.T) {
	libs := DefaultRules().Libraries
	if len(libs) != 139 || !libs["numpy"] || !libs["os"] || !libs["PIL"] || libs["#"] {
		t.Errorf("embedded list has %d names", len(libs))
	}
}

func TestLoadLibraries(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text string
		want       int
		wantErr    bool
	}{
		{"names and comments", "# mine\nnumpy\n\n  pandas  \n", 2, false},
		{"empty", "# nothing\n", 0, true},
		{"dotted name", "os.path\n", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "libs.txt")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			libs, err := LoadLibraries(p)
			if (err != nil) != tc.wantErr || len(libs) != tc.want {
				t.Errorf("got %d libs, err %v", len(libs), err)
			}
		})
	}
	if _, err := LoadLibraries(filepath.Join(dir, "absent.txt")); err == nil {
		t.Error("missing file gave no error")
	}
}
