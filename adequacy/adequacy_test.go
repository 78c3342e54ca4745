package adequacy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

var testPreload = []string{"numpy", "json", "unittest.mock"}

// pools starts a main pool and the rerun pools (hash seeds 1..n).
func analyzer(t testing.TB, p adequacy.Params) *adequacy.Analyzer {
	t.Helper()
	open := func(seed, workers int) *sandbox.Pool {
		pool, err := sandbox.New(sandbox.Config{Workers: workers, Preload: testPreload, HashSeed: seed})
		if errors.Is(err, sandbox.ErrStrictUnavailable) {
			t.Skipf("strict isolation unavailable here: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pool.Close() })
		return pool
	}
	main := open(0, 2)
	reruns := map[int]*sandbox.Pool{}
	return &adequacy.Analyzer{Main: main, Params: p, Rerun: func(i int) (adequacy.Runner, error) {
		if reruns[i] == nil {
			reruns[i] = open(i, 1)
		}
		return reruns[i], nil
	}}
}

const header = "import unittest\nclass TestCases(unittest.TestCase):\n"

// TestVacuousAndFlaky: suites built to be vacuous or flaky (by seed, hash
// seed or time zone) are caught; sound suites are neither.
func TestVacuousAndFlaky(t *testing.T) {
	a := analyzer(t, adequacy.Params{Mutants: 5})
	cases := []struct {
		name, code, tests string
		vacuous, flaky    bool
	}{
		{"sound", "def add(a, b):\n    return a + b\n",
			header + "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n        self.assertEqual(add(-1, 1), 0)\n", false, false},
		{"vacuous_swallowed", "def add(a, b):\n    return a + b\n",
			header + "    def test_runs(self):\n        try:\n            self.assertIsNotNone(add(1, 2))\n        except Exception:\n            pass\n", true, false},
		{"vacuous_raises", "def parse(s):\n    return int(s)\n",
			header + "    def test_bad(self):\n        with self.assertRaises(Exception):\n            parse('x')\n", true, false},
		{"flaky_seed", "import random\ndef roll():\n    return random.randint(1, 1000)\n",
			header + "    def test_roll(self):\n        self.assertEqual(roll(), 865)\n", false, true},
		{"flaky_hash_seed", "def names():\n    return list({'apple', 'banana', 'cherry', 'date', 'elder'})\n",
			header + "    def test_order(self):\n        self.assertEqual(names(), ['banana', 'apple', 'cherry', 'elder', 'date'])\n", false, true},
		{"flaky_time_zone", "import datetime\ndef epoch_hour():\n    return datetime.datetime.fromtimestamp(0).hour\n",
			header + "    def test_hour(self):\n        self.assertEqual(epoch_hour(), 0)\n", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, w, err := a.Analyze(context.Background(), adequacy.Input{ID: c.name, Code: c.code, Tests: c.tests})
			if err != nil {
				t.Fatal(err)
			}
			if got.Vacuous != c.vacuous || got.Flaky != c.flaky {
				t.Errorf("vacuous=%v flaky=%v (%s), want %v %v", got.Vacuous, got.Flaky, got.FlakyDetail, c.vacuous, c.flaky)
			}
			if c.flaky && !strings.Contains(got.FlakyDetail, "rerun") {
				t.Errorf("flaky detail %q does not name the rerun", got.FlakyDetail)
			}
			// base + stub + 2 reruns + the mutants.
			if w.Jobs != 4+got.Mutants+w.Invalid {
				t.Errorf("jobs %d, want %d", w.Jobs, 4+got.Mutants+w.Invalid)
			}
		})
	}
}

// TestMutationScoreSurvivors: a suite that checks one input of clamp()
// lets the mutants it cannot see survive, and they are reported by line
// and operator; a thorough suite kills them all.
func TestMutationScoreSurvivors(t *testing.T) {
	a := analyzer(t, adequacy.Params{Mutants: 50, Reruns: -1})
	code := "def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    if x > hi:\n        return hi\n    return x\n"
	weak := header + "    def test_mid(self):\n        self.assertEqual(clamp(5, 0, 10), 5)\n"
	strong := header + "    def test_all(self):\n" +
		"        self.assertEqual(clamp(5, 0, 10), 5)\n        self.assertEqual(clamp(-1, 0, 10), 0)\n" +
		"        self.assertEqual(clamp(11, 0, 10), 10)\n        self.assertEqual(clamp(0, 0, 10), 0)\n" +
		"        self.assertEqual(clamp(10, 0, 10), 10)\n        self.assertEqual(clamp(1, 0, 10), 1)\n" +
		"        self.assertEqual(clamp(9, 0, 10), 9)\n"
	w, _, err := a.Analyze(context.Background(), adequacy.Input{ID: "weak", Code: code, Tests: weak})
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := a.Analyze(context.Background(), adequacy.Input{ID: "strong", Code: code, Tests: strong})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("weak %d/%d, strong %d/%d, survivors %+v", w.MutantsKilled, w.Mutants, s.MutantsKilled, s.Mutants, w.Surviving)
	// The strong suite's survivors are the two boundary swaps (x < lo to
	// x <= lo, x > hi to x >= hi): equivalent mutants, which return lo
	// or hi exactly when they equal x.
	if w.MutationScore >= s.MutationScore || s.Mutants-s.MutantsKilled != 2 {
		t.Errorf("weak score %.2f, strong %.2f (%d survive): want weak < strong, 2 equivalent survivors",
			w.MutationScore, s.MutationScore, s.Mutants-s.MutantsKilled)
	}
	if len(w.Surviving) == 0 || len(w.Surviving) > adequacy.MaxSurvivors {
		t.Fatalf("survivors %v", w.Surviving)
	}
	for _, sv := range w.Surviving {
		if sv.Line < 2 || sv.Line > 6 || sv.Operator == "" {
			t.Errorf("survivor %+v: line outside the body or no operator", sv)
		}
	}
	// Only covered lines are mutated: the weak suite never reaches
	// "return lo" or "return hi", so no mutant sits on lines 3 or 5.
	if w.Mutants >= s.Mutants {
		t.Errorf("weak suite ran %d mutants, strong %d: uncovered lines were mutated", w.Mutants, s.Mutants)
	}
	for _, sv := range w.Surviving {
		if sv.Line == 3 || sv.Line == 5 {
			t.Errorf("survivor on uncovered line: %+v", sv)
		}
	}
}

// TestMutantTimeout: a mutant that loops forever (the increment removed)
// is killed by its timeout.
func TestMutantTimeout(t *testing.T) {
	a := analyzer(t, adequacy.Params{Mutants: 50, Reruns: -1})
	code := "def count(n):\n    i = 0\n    while i < n:\n        i += 1\n    return i\n"
	tests := header + "    def test_count(self):\n        self.assertEqual(count(3), 3)\n        self.assertEqual(count(0), 0)\n"
	got, _, err := a.Analyze(context.Background(), adequacy.Input{ID: "loop", Code: code, Tests: tests,
		Timeout: 60_000_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if got.MutationScore != 1 {
		t.Errorf("score %.2f, survivors %+v: the removed increment (an endless loop) should time out", got.MutationScore, got.Surviving)
	}
}

// TestHumanEval: the canonical solutions with their own checks get
// scores, and a check cut down to its first assertion scores lower than
// the full one on most problems.
func TestHumanEval(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 3,900 sandbox jobs")
	}
	a := analyzer(t, adequacy.Params{Mutants: 10, Reruns: -1})
	tasks := testfixtures.HumanEval(t)
	type scored struct {
		full, cut       sample.Adequacy
		fullOK, cutOK   bool    // the baseline passed
		fullCov, cutCov float64 // line coverage, percent
	}
	res := make([]scored, len(tasks))
	errs := make(chan error, len(tasks))
	sem := make(chan struct{}, 8)
	for i, task := range tasks {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			in := adequacy.Input{ID: task.TaskID, Code: task.Prompt + task.CanonicalSolution,
				Functions: []string{task.EntryPoint}}
			full, cut := in, in
			full.Tests = task.Test + "\ncheck(" + task.EntryPoint + ")\n"
			cut.Tests = firstAssertion(task.Test) + "\ncheck(" + task.EntryPoint + ")\n"
			var err error
			var wf, wc adequacy.Work
			if res[i].full, wf, err = a.Analyze(context.Background(), full); err == nil {
				res[i].cut, wc, err = a.Analyze(context.Background(), cut)
			}
			// The baseline's coverage is there only when the suite passed.
			res[i].fullOK, res[i].cutOK = wf.Coverage != nil, wc.Coverage != nil
			if res[i].fullOK && res[i].cutOK {
				res[i].fullCov, res[i].cutCov = wf.Coverage.LinePct, wc.Coverage.LinePct
			}
			errs <- err
		}()
	}
	for range tasks {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// Compared: the problems whose cut-down check still passes (a check
	// whose first assert sits in a loop or needs later setup can break).
	var both []scored
	fullPass, perfect := 0, 0
	for _, r := range res {
		if r.fullOK {
			fullPass++
		}
		if r.full.MutationScore == 1 && r.full.Mutants > 0 {
			perfect++
		}
		if r.fullOK && r.cutOK {
			both = append(both, r)
		}
	}
	lower, equal, higher := 0, 0, 0
	sumFull, sumCut := 0.0, 0.0
	for _, r := range both {
		sumFull += r.full.MutationScore
		sumCut += r.cut.MutationScore
		switch {
		case r.cut.MutationScore < r.full.MutationScore:
			lower++
		case r.cut.MutationScore == r.full.MutationScore:
			equal++
		default:
			higher++
		}
	}
	for _, thr := range []float64{0.5, 0.6, 0.7, 0.8} {
		fullBelow, cutBelow := 0, 0
		for _, r := range both {
			if r.full.MutationScore < thr {
				fullBelow++
			}
			if r.cut.MutationScore < thr {
				cutBelow++
			}
		}
		t.Logf("mutation score below %.1f: %d full suites, %d one-assertion suites", thr, fullBelow, cutBelow)
	}
	for _, thr := range []float64{50, 60, 70, 80} {
		fullBelow, cutBelow := 0, 0
		for _, r := range both {
			if r.fullCov < thr {
				fullBelow++
			}
			if r.cutCov < thr {
				cutBelow++
			}
		}
		t.Logf("line coverage below %.0f%%: %d full suites, %d one-assertion suites", thr, fullBelow, cutBelow)
	}
	n := float64(len(both))
	t.Logf("full suites: %d of %d pass, %d perfect; compared on %d whose cut-down check passes: mean %.3f full, %.3f one assertion; cut lower on %d, equal on %d, higher on %d",
		fullPass, len(tasks), perfect, len(both), sumFull/n, sumCut/n, lower, equal, higher)
	if fullPass != len(tasks) {
		t.Errorf("%d of %d canonical solutions passed their own checks in the baseline", fullPass, len(tasks))
	}
	// Observed: 164 of 164 pass; 152 compared; cut lower on 84, equal on
	// 67, higher on 1.
	if len(both) < 145 || lower*2 <= len(both) || higher > 3 {
		t.Errorf("compared %d problems: one-assertion suites scored lower on %d and higher on %d", len(both), lower, higher)
	}
}

// firstAssertion cuts a HumanEval check down to its first assert
// statement: the lines before it, the statement itself (continuation
// lines included, by bracket balance), and nothing after it in check.
func firstAssertion(test string) string {
	lines := strings.SplitAfter(test, "\n")
	var out strings.Builder
	inCheck, done := false, false
	depth := 0
	inAssert := false
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "def check("):
			inCheck = true
			out.WriteString(l)
			continue
		case inCheck && trimmed != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t"):
			inCheck = false
		}
		if !inCheck {
			out.WriteString(l)
			continue
		}
		if done {
			continue
		}
		if !inAssert && strings.HasPrefix(trimmed, "assert") {
			inAssert = true
		}
		out.WriteString(l)
		if inAssert {
			depth += strings.Count(l, "(") + strings.Count(l, "[") + strings.Count(l, "{") -
				strings.Count(l, ")") - strings.Count(l, "]") - strings.Count(l, "}")
			if depth <= 0 && !strings.HasSuffix(strings.TrimRight(l, " \n"), "\\") {
				done = true
			}
		}
	}
	return out.String()
}
