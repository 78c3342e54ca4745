package format

import (
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name, program, fn       string
		prefix, completion, doc string
		head                    string
	}{
		{
			name:       "docstring",
			program:    "import numpy as np\n\ndef mean(xs):\n    \"\"\"\n    Mean of xs.\n\n    Returns:\n        float\n    \"\"\"\n    return np.mean(xs)\n",
			fn:         "mean",
			prefix:     "import numpy as np\n\ndef mean(xs):\n    \"\"\"\n    Mean of xs.\n\n    Returns:\n        float\n    \"\"\"\n",
			completion: "    return np.mean(xs)\n",
			doc:        "Mean of xs.\n\nReturns:\n    float",
			head:       "import numpy as np\n\ndef mean(xs):\n",
		},
		{
			name:       "no docstring, multi-line signature",
			program:    "def add(a,\n        b):\n    c = a + b\n    return c\n",
			fn:         "add",
			prefix:     "def add(a,\n        b):\n",
			completion: "    c = a + b\n    return c\n",
			head:       "def add(a,\n        b):\n",
		},
		{
			name:       "second function, decorated",
			program:    "import functools\n\ndef helper():\n    return 1\n\n@functools.lru_cache\ndef target(x):\n    'One line.'\n    return x\n",
			fn:         "target",
			prefix:     "import functools\n\ndef helper():\n    return 1\n\n@functools.lru_cache\ndef target(x):\n    'One line.'\n",
			completion: "    return x\n",
			doc:        "One line.",
			head:       "import functools\n\ndef helper():\n    return 1\n\n@functools.lru_cache\ndef target(x):\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := Split(tc.program, tc.fn)
			if !ok {
				t.Fatal("function not found")
			}
			if p.Prefix != tc.prefix || p.Completion != tc.completion || p.Docstring != tc.doc || p.Head != tc.head {
				t.Errorf("got prefix %q completion %q doc %q head %q", p.Prefix, p.Completion, p.Docstring, p.Head)
			}
			if p.Prefix+p.Completion != tc.program {
				t.Error("prefix + completion != program")
			}
		})
	}
	if _, ok := Split("def f(x):\n    return x\n", "g"); ok {
		t.Error("found a function that is not there")
	}
}

func TestRecordInstruction(t *testing.T) {
	x := sample.Sample{
		Function:  sample.Function{ID: "a_0", Name: "mean", Libs: []string{"numpy"}},
		Code:      "import numpy as np\n\ndef mean(xs):\n    \"\"\"Mean of xs.\"\"\"\n    return np.mean(xs)\n",
		Tests:     "class TestCases(unittest.TestCase):\n    def test_1(self):\n        pass\n",
		TestNames: []string{"TestCases.test_1"}, PassedRound: 1,
	}
	r, err := Record(x)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Instruction, "Mean of xs.") || !strings.Contains(r.Instruction, "def mean(xs):\n```") {
		t.Errorf("instruction: %q", r.Instruction)
	}
	if r.Response != x.Code || r.Rounds != 1 || r.TestCount != 1 || r.EntryPoint != "mean" {
		t.Errorf("record: %+v", r)
	}
	x.Code = "def other(xs):\n    return xs\n"
	if _, err := Record(x); err == nil {
		t.Error("a program without the entry point became a record")
	}
}
