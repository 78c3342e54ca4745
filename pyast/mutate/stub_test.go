package mutate

import (
	"strings"
	"testing"
)

// TestStub: selected bodies (top-level and methods) become the raise, the
// rest of the source stays as it was.
func TestStub(t *testing.T) {
	src := "import math\n\n@functools.cache\ndef area(r):\n    \"\"\"Area.\"\"\"\n    return math.pi * r ** 2\n\n" +
		"def helper(x): return x\n\nclass Shape:\n    def size(self):\n        if self:\n            return 1\n        return 0\n"
	got, err := Stub(src, []string{"area", "Shape.size"})
	if err != nil {
		t.Fatal(err)
	}
	want := "import math\n\n@functools.cache\ndef area(r):\n    " + StubBody + "\n\n" +
		"def helper(x): return x\n\nclass Shape:\n    def size(self):\n        " + StubBody + "\n"
	if got != want {
		t.Errorf("stub:\n%s\nwant:\n%s", got, want)
	}
	all, err := Stub(src, nil)
	if err != nil || strings.Count(all, StubBody) != 3 {
		t.Errorf("stubbing every function: %v\n%s", err, all)
	}
	// A def under a module-level if is selected as Generate selects it.
	guarded, err := Stub("import sys\nif sys.version_info >= (3,):\n    def f(x):\n        return x\n", []string{"f"})
	if err != nil || !strings.Contains(guarded, "def f(x):\n        "+StubBody) {
		t.Errorf("stub of a def under if: %v\n%s", err, guarded)
	}
	if _, err := Stub(src, []string{"missing"}); err == nil {
		t.Errorf("no error for a function that is not there")
	}
	if _, err := Stub("def f(:\n", nil); err == nil {
		t.Errorf("no error for source that does not parse")
	}
}
