package decontam

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/pyast/pytok/pytoktest"
)

func loadHumanEval(t *testing.T) *Index {
	t.Helper()
	idx, err := LoadBenchmarks([]string{humanEvalPath(t)}, DefaultN)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// disguise renames the code's own names, re-indents it and adds a comment.
func disguise(code string) string {
	return "# found in some repo\n" + pytoktest.Reindent(pytoktest.RenameBound(code, "_v"), 2)
}

// TestMatchHumanEval matches whole HumanEval tasks (prompt with its
// imports and helpers, plus the solution) and bare solution bodies; the
// corpus shape, one def, is TestMatchHumanEvalEntryFunctions'.
func TestMatchHumanEval(t *testing.T) {
	idx := loadHumanEval(t)
	if idx.Tasks() != 164 {
		t.Fatalf("indexed %d tasks, want 164", idx.Tasks())
	}
	if got := strings.Join(idx.Unmatchable(), ","); got != "HumanEval/23,HumanEval/31,HumanEval/41" {
		t.Errorf("Unmatchable = %s", got)
	}
	variants := []struct {
		name            string
		make            func(testfixtures.HumanEvalTask) string
		wantBody, wantN int // of the 164 tasks, by each rule
	}{
		{"verbatim", func(r testfixtures.HumanEvalTask) string { return r.Prompt + r.CanonicalSolution }, 164, 0},
		{"renamed and reindented", func(r testfixtures.HumanEvalTask) string { return disguise(r.Prompt + r.CanonicalSolution) }, 164, 0},
		// A new signature changes the body key: only n-grams can tell.
		{"body only, renamed", func(r testfixtures.HumanEvalTask) string {
			return disguise("def solve(*args):\n" + r.CanonicalSolution)
		}, 0, 144},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			hits := map[Rule]int{}
			for _, r := range humanEvalRows(t) {
				h, ok := idx.MatchRule(v.make(r))
				switch {
				case ok && h.Task != r.TaskID:
					t.Errorf("%s matched %s (%s, overlap %d)", r.TaskID, h.Task, h.Rule, h.Overlap)
				case ok:
					hits[h.Rule]++
				}
			}
			t.Logf("of 164: %d caught by the body rule, %d by the n-gram rule", hits[RuleBody], hits[RuleNgram])
			if hits[RuleBody] != v.wantBody || hits[RuleNgram] != v.wantN {
				t.Errorf("caught %d, %d; want %d, %d", hits[RuleBody], hits[RuleNgram], v.wantBody, v.wantN)
			}
		})
	}
}

func TestMatchEdgeCases(t *testing.T) {
	idx := loadHumanEval(t)
	tests := []struct{ name, code string }{
		{"empty", ""},
		{"shorter than n", "def f(): pass"},
		{"binary garbage", "\x00\xff\xfe'''\"\"\"((((]]]"},
		{"generic loop", "def f(xs):\n    out = []\n    for i in range(len(xs)):\n        out.append(xs[i])\n    return out\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, _, ok := idx.Match(tt.code); ok {
				t.Errorf("matched %s", id)
			}
		})
	}
}

func TestMatchFixtures(t *testing.T) {
	idx, err := LoadBenchmarks([]string{
		filepath.Join("testdata", "mbpp.jsonl"),
		filepath.Join("testdata", "bigcodebench.jsonl.gz"),
		filepath.Join("testdata", "mbpp.jsonl"), // listed twice: ids dedup
	}, DefaultN)
	if err != nil {
		t.Fatal(err)
	}
	if idx.Tasks() != 5 {
		t.Errorf("indexed %d tasks, want 5", idx.Tasks())
	}
	tests := []struct {
		name, code, want string
	}{
		{"mbpp prime check", "def check(num):\n    flag = False\n    for k in range(2, int(math.sqrt(num)) + 1):\n        if num % k == 0:\n            flag = True\n    return flag\n", "MBPP/3"},
		{"bcb body", disguise("def analyse(frame, col):\n    values = frame[col].astype(float)\n    std = values.std(ddof=0)\n    if std == 0:\n        raise ValueError('column is constant')\n    z = (values - values.mean()) / std\n    out = frame.assign(zscore=z)\n    return out[np.abs(out['zscore']) > 2].sort_values('zscore', ascending=False)\n"), "BigCodeBench/fixture-0"},
		{"unrelated", "def add(a, b):\n    return a + b\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, overlap, ok := idx.Match(tt.code)
			if id != tt.want || ok != (tt.want != "") {
				t.Errorf("Match = %q, %d, %v; want %q", id, overlap, ok, tt.want)
			}
		})
	}
}

func TestLoadBenchmarksErrors(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		n     int
	}{
		{"zero n", []string{humanEvalPath(t)}, 0},
		{"missing file", []string{"testdata/nope.jsonl"}, 10},
		{"bad line", []string{"testdata/bad.jsonl"}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadBenchmarks(tt.paths, tt.n); err == nil {
				t.Error("no error")
			}
		})
	}
}
