package decontam

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
)

// benchmarkIndex indexes HumanEval and the package's MBPP and BigCodeBench
// fixtures.
func benchmarkIndex(t *testing.T) *Index {
	t.Helper()
	idx, err := LoadBenchmarks([]string{humanEvalPath(t),
		filepath.Join("testdata", "mbpp.jsonl"), filepath.Join("testdata", "bigcodebench.jsonl.gz"),
		filepath.Join("testdata", "bigcodebench_prelude.jsonl")}, DefaultN)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// checkFlagged matches fns against idx, logs the hits and fails when more
// than maxFlagged (the count observed when the rules were set), or more
// than 0.5%, are flagged.
func checkFlagged(t *testing.T, idx *Index, fns []sample.Function, maxFlagged int) {
	t.Helper()
	var hits []string
	byRule := map[Rule]int{}
	for _, fn := range fns {
		if h, ok := idx.MatchRule(fn.Code); ok {
			byRule[h.Rule]++
			hits = append(hits, fmt.Sprintf("%s ~ %s (%s, overlap %d)", fn.ID, h.Task, h.Rule, h.Overlap))
		}
	}
	rate := float64(len(hits)) / float64(max(len(fns), 1))
	t.Logf("%d of %d functions flagged (%.3f%%; body rule %d, n-gram rule %d)%s",
		len(hits), len(fns), 100*rate, byRule[RuleBody], byRule[RuleNgram], strings.Join(append([]string{""}, hits...), "\n\t"))
	if len(hits) > maxFlagged || rate > 0.005 {
		t.Errorf("%d flagged (%.3f%%), want at most %d and 0.5%%", len(hits), 100*rate, maxFlagged)
	}
}

// TestFalsePositivesDemo: the 860 UnitCoder demo functions hold no
// benchmark code.
func TestFalsePositivesDemo(t *testing.T) {
	checkFlagged(t, benchmarkIndex(t), demoFunctions(t), 0)
}

// stdlibDir is Debian's Python standard library (about 3,300 module-level
// functions; its test suite is a separate package).
const stdlibDir = "/usr/lib/python3.11"

// TestFalsePositivesStdlib: the standard library's module-level functions
// predate the benchmarks. The one hit, getopt.long_has_args ~ HumanEval/29,
// shares the idiom [o for o in opts if o.startswith(opt)] with
// filter_by_prefix's one-line solution; it is not a copy.
func TestFalsePositivesStdlib(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole standard library")
	}
	fns := pythonFunctions(t, stdlibDir)
	if len(fns) < 3000 {
		t.Fatalf("only %d functions under %s", len(fns), stdlibDir)
	}
	checkFlagged(t, benchmarkIndex(t), fns, 1)
}

// pythonFunctions extracts the module-level functions of every .py file
// under dir, skipping the test when dir is absent. IDs are path:name.
func pythonFunctions(t *testing.T, dir string) []sample.Function {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no %s: %v", dir, err)
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil // unreadable parts are skipped
		case d.IsDir() && p != dir && (d.Name() == "site-packages" || d.Name() == "dist-packages"):
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".py"):
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []sample.Function
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		fns, _ := extract.Extract(sample.FileDoc{ID: p, Content: string(src)}, extract.DefaultOptions())
		for _, fn := range fns {
			fn.ID = strings.TrimPrefix(p, dir+"/") + ":" + fn.Name
			out = append(out, fn)
		}
	}
	return out
}

// TestFalsePositivesMore measures further directories of Python code,
// listed in $DECONTAM_FP_DIRS (colon-separated), e.g.
// /usr/lib/python3/dist-packages: 109,661 module-level functions, 3
// flagged by the n-gram rule, none by the body rule (see the package
// doc). It only holds the 0.5% bound.
func TestFalsePositivesMore(t *testing.T) {
	dirs := os.Getenv("DECONTAM_FP_DIRS")
	if dirs == "" {
		t.Skip("set DECONTAM_FP_DIRS to measure more code")
	}
	idx := benchmarkIndex(t)
	for _, dir := range filepath.SplitList(dirs) {
		t.Run(dir, func(t *testing.T) {
			fns := pythonFunctions(t, dir)
			checkFlagged(t, idx, fns, len(fns))
		})
	}
}
