package adequacy_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/adequacy"
	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/pyast/mutate"
	"github.com/unitcoder/unitcoder/sandbox"
)

// pandasPrograms are pandas-heavy functions with unittest suites: every
// job imports pandas, as BigCodeBench-style programs do.
var pandasPrograms = []struct{ name, code, tests string }{
	{"group_mean", "import pandas as pd\n\ndef group_mean(df, key, col):\n    if df.empty:\n        return pd.Series(dtype=float)\n    out = df.groupby(key)[col].mean()\n    return out.sort_index()\n",
		header + "    def test_mean(self):\n        import pandas as pd\n        df = pd.DataFrame({'k': ['a', 'b', 'a'], 'v': [1.0, 2.0, 3.0]})\n" +
			"        r = group_mean(df, 'k', 'v')\n        self.assertEqual(r['a'], 2.0)\n        self.assertEqual(r['b'], 2.0)\n" +
			"    def test_empty(self):\n        import pandas as pd\n        self.assertTrue(group_mean(pd.DataFrame({'k': [], 'v': []}), 'k', 'v').empty)\n"},
	{"fill_and_scale", "import pandas as pd\n\ndef fill_and_scale(s, factor=2):\n    s = s.fillna(0)\n    if factor <= 0:\n        raise ValueError('factor')\n    return s * factor + 1\n",
		header + "    def test_scale(self):\n        import pandas as pd\n        r = fill_and_scale(pd.Series([1.0, None, 3.0]), 3)\n" +
			"        self.assertEqual(list(r), [4.0, 1.0, 10.0])\n    def test_bad(self):\n        import pandas as pd\n" +
			"        with self.assertRaises(ValueError):\n            fill_and_scale(pd.Series([1.0]), 0)\n"},
	{"top_rows", "import pandas as pd\n\ndef top_rows(df, col, n=2):\n    if n < 1:\n        return df.iloc[0:0]\n    return df.sort_values(col, ascending=False).head(n)\n",
		header + "    def test_top(self):\n        import pandas as pd\n        df = pd.DataFrame({'x': [3, 1, 2, 5]})\n" +
			"        self.assertEqual(list(top_rows(df, 'x')['x']), [5, 3])\n        self.assertEqual(len(top_rows(df, 'x', 0)), 0)\n" +
			"        self.assertEqual(list(top_rows(df, 'x', 3)['x']), [5, 3, 2])\n"},
	{"merge_counts", "import pandas as pd\n\ndef merge_counts(a, b):\n    m = a.merge(b, on='id', how='left')\n    m['n'] = m['n'].fillna(0).astype(int)\n    return m[m['n'] > 0]\n",
		header + "    def test_merge(self):\n        import pandas as pd\n        a = pd.DataFrame({'id': [1, 2, 3]})\n        b = pd.DataFrame({'id': [1, 3], 'n': [2, 0]})\n" +
			"        r = merge_counts(a, b)\n        self.assertEqual(list(r['id']), [1])\n        self.assertEqual(list(r['n']), [2])\n"},
}

// BenchmarkMutantThroughput runs the same mutants (HumanEval-type jobs,
// then pandas-heavy ones) through the warm pool, as the adequacy stage
// does, and through a fresh python3 per mutant, as mutmut and cosmic-ray
// run them; it reports mutants/s for each and their ratio. Both sides use
// the same isolation, harness and concurrency (one job per core); the
// fresh side imports only what the job imports.
func BenchmarkMutantThroughput(b *testing.B) {
	workers := runtime.NumCPU()
	pool, err := sandbox.New(sandbox.Config{Workers: workers})
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	// mutants makes up to max mutants of one program, each with the time
	// limit the adequacy stage would give it (from the original's run).
	mutants := func(id, code, fn, tests string, max int) []sandbox.Job {
		base, err := pool.Run(context.Background(), sandbox.Job{ID: id, Code: code, Test: tests, Timeout: 30 * time.Second})
		if err != nil || base.Status != sandbox.StatusPass {
			b.Fatalf("%s: the original does not pass: %v %s %s", id, err, base.Status, base.Reason)
		}
		ms, _, err := mutate.Generate(code, mutate.Options{Functions: []string{fn}, Max: max})
		if err != nil {
			b.Fatal(err)
		}
		var jobs []sandbox.Job
		for i, m := range ms {
			jobs = append(jobs, sandbox.Job{ID: fmt.Sprintf("%s#m%d", id, i), Code: m.Code, Test: tests,
				Timeout: adequacy.MutantTimeout(base.DurationMS, 30*time.Second), FailFast: true})
		}
		return jobs
	}
	var humaneval, pandas []sandbox.Job
	for _, task := range testfixtures.HumanEval(b)[:20] {
		humaneval = append(humaneval, mutants(task.TaskID, task.Prompt+task.CanonicalSolution, task.EntryPoint,
			task.Test+"\ncheck("+task.EntryPoint+")\n", 4)...)
	}
	for _, p := range pandasPrograms {
		pandas = append(pandas, mutants(p.name, p.code, p.name, p.tests, 6)...)
	}
	for _, set := range []struct {
		name string
		jobs []sandbox.Job
	}{{"humaneval", humaneval}, {"pandas", pandas}} {
		b.Run(set.name, func(b *testing.B) {
			fresh := sandbox.Config{Workers: 1, Preload: []string{}}
			var warmS, freshS float64
			var timeouts int
			for i := 0; i < b.N; i++ {
				var s float64
				s, timeouts = runJobs(b, set.jobs, workers, func(j sandbox.Job) (sandbox.Result, error) { return pool.Run(context.Background(), j) })
				warmS += s
				s, _ = runJobs(b, set.jobs, workers, func(j sandbox.Job) (sandbox.Result, error) {
					return sandbox.RunFresh(context.Background(), fresh, j)
				})
				freshS += s
			}
			n := float64(len(set.jobs) * b.N)
			b.ReportMetric(float64(len(set.jobs)), "mutants")
			b.ReportMetric(float64(timeouts), "timeouts")
			b.ReportMetric(n/warmS, "warm_mutants/s")
			b.ReportMetric(n/freshS, "fresh_mutants/s")
			b.ReportMetric(freshS/warmS, "warm/fresh")
		})
	}
}

// runJobs runs jobs with the given concurrency and returns the wall
// seconds and how many timed out; verdicts are not judged here, only that
// every job ran.
func runJobs(b *testing.B, jobs []sandbox.Job, concurrency int, run func(sandbox.Job) (sandbox.Result, error)) (float64, int) {
	start := time.Now()
	var mu sync.Mutex
	timeouts := 0
	ch := make(chan sandbox.Job)
	var wg sync.WaitGroup
	for k := 0; k < concurrency; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				r, err := run(j)
				if testing.Verbose() {
					b.Logf("%s %s %.0f ms held %v", j.ID, r.Status, r.DurationMS, r.Held)
				}
				if err != nil || r.Status == sandbox.StatusCrash {
					b.Errorf("%s: %v %s %s", j.ID, err, r.Status, r.Reason)
				}
				if r.Status == sandbox.StatusTimeout {
					mu.Lock()
					timeouts++
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	return time.Since(start).Seconds(), timeouts
}
