package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

// FuzzExtract checks that no input makes Extract panic and that every
// input ends as functions or exactly one file reject.
func FuzzExtract(f *testing.F) {
	for _, p := range []string{"/usr/lib/python3.11/textwrap.py", "/usr/lib/python3.11/glob.py", "/usr/lib/python3.11/fnmatch.py"} {
		if b, err := os.ReadFile(filepath.Clean(p)); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("def f(x):\n    print x\n")
	f.Add("def f(x):\n    return `x` <> 1\n")
	f.Add("@d\nasync def f(*, a=lambda: [y for y in z], **k) -> int:\n    match a:\n        case P(x=1) | [y, *_]: return y\n")
	f.Fuzz(func(t *testing.T, src string) {
		fs, rs := Extract(sample.FileDoc{ID: "fz", Content: src}, DefaultOptions())
		if (len(fs) == 0) == (len(rs) == 0) || len(rs) > 1 {
			t.Fatalf("got %d functions and %d rejects", len(fs), len(rs))
		}
	})
}
