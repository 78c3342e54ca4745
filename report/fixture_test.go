package report

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// A fixed, small run directory, built the way the pipelines write one:
// stats.json plus zstd JSONL shards in data/ and rejected/.

func intp(v int) *int { return &v }

// fixtureStats is a synthesize run's stats.json with every section filled.
func fixtureStats() runstats.Stats {
	return runstats.Stats{
		Command:     "synthesize",
		CommandLine: []string{"unitcoder", "synthesize", "--input=corpus/*.jsonl.zst", "--output=out/run", "--llm_url=http://127.0.0.1:8000/v1", "--llm_model=Qwen/Qwen2.5-Coder-7B-Instruct", "--select_ids=my ids.txt"},
		Parameters: map[string]string{"input": "corpus/*.jsonl.zst", "output": "out/run", "rounds": "2", "candidates": "3", "prompts": "", "license_field": "license|detected",
			"min_mutation_score": "0.5", "min_coverage": "50", "mutants": "20", "reruns": "2"},
		Seconds: 12.5,
		Files:   &runstats.UnitStats{In: 3, Accepted: 3, Rejected: map[string]map[string]int{}, Conserved: true},
		Functions: runstats.UnitStats{In: 7, Accepted: 3, RejectedTotal: 4, Conserved: true, Rejected: map[string]map[string]int{
			"filter": {"no_target_library": 1}, "load": {"env:missing_module:tensorflow": 1}, "fix": {"exhausted:fail": 1}, "adequacy": {"adequacy/weak_tests": 1}}},
		Funnel: []runstats.FunnelStep{{Stage: "files_in", Count: 3}, {Stage: "functions_found", Count: 6},
			{Stage: "filter", Count: 5}, {Stage: "load", Count: 4}, {Stage: "testgen", Count: 4}, {Stage: "verify", Count: 4}, {Stage: "fix", Count: 4}, {Stage: "adequacy", Count: 3}, {Stage: "write", Count: 3}},
		Reasons:         map[string]int{"filter/no_target_library": 1, "load/env:missing_module:tensorflow": 1, "fix/exhausted:fail": 1, "adequacy/adequacy/weak_tests": 1},
		Yield:           &runstats.YieldStats{ClosureRescued: 2, UnloadableBeforeLLM: 1, Unloadable: map[string]int{"env:missing_module:tensorflow": 1}, LoadJobs: 4},
		PassAtRound:     map[string]int{"0": 1, "1": 1, "2": 1},
		PassRateAtRound: map[string]float64{"0": 0.25, "1": 0.5, "2": 0.75},
		Refined:         2,
		LLM: &runstats.LLMStats{PromptTokens: 900, CompletionTokens: 1200, PaidPromptTokens: 900, PaidCompletionTokens: 1200, Requests: 9,
			CallsByRole: map[string]int64{"testgen": 4, "fix": 3, "refine": 3}, RequestsByRole: map[string]int64{"testgen": 4, "fix": 2, "refine": 3}},
		TokensPerVerified: 700,
		StageSeconds:      map[string]float64{"GenerateTests": 4.5, "VerifyRound0": 2.25, "FixRound1": 1.5},
		Adequacy: &runstats.AdequacyStats{Measured: 4, Scored: 4, ScoreHistogram: []int{0, 0, 0, 1, 0, 0, 0, 1, 0, 2},
			MedianScore: 0.85, MeanScore: 0.76, Mutants: 62, MutantsKilled: 47, Vacuous: 0, Flaky: 0,
			Records: map[string]int{"original": 1, "pruned": 1, "fixed": 1}, NearMisses: map[string]int{"adequacy/weak_tests": 1}},
		Utilization: &runstats.Utilization{WallS: 10, LLMBusyS: 48, LLMConcurrency: 8, SandboxBusyS: 13, SandboxWorkers: 2,
			LLMBusyShare: 0.6, SandboxBusyShare: 0.65},
		Counters: map[string]int64{"llm_testgen/prompt_tokens": 400, "llm_testgen/completion_tokens": 600,
			"llm_fix/prompt_tokens": 300, "llm_fix/completion_tokens": 400, "llm_refine/prompt_tokens": 200, "llm_refine/completion_tokens": 200},
	}
}

func fixtureRecords() []sample.Record {
	return []sample.Record{
		{ID: "b", Provenance: sample.Provenance{FileID: "f2", Repo: "acme/stats", License: "MIT"}, EntryPoint: "mean_of",
			Response: "import numpy as np\n\ndef mean_of(xs):\n    return np.mean(xs)\n", Tests: "class TestCases(unittest.TestCase): ...",
			Libs: []string{"numpy"}, APIs: []string{"numpy.mean"}, Rounds: 1, TestCount: 3, Coverage: 100, Refined: true,
			History: []sample.Attempt{{Round: 0, Status: "fail", FailingTests: []string{"TestCases.test_empty"}, Coverage: 80}, {Round: 1, Status: "pass", Coverage: 100}},
			Origin:  sample.OriginFixed, Adequacy: &sample.Adequacy{MutationScore: 0.95, Mutants: 20, MutantsKilled: 19,
				Surviving: []sample.Survivor{{Line: 4, Operator: "return_none", Original: "return np.mean(xs)", Replacement: "return None"}}}},
		{ID: "a", Provenance: sample.Provenance{FileID: "f1", Repo: "acme/web", License: "Apache-2.0"}, EntryPoint: "fetch",
			Response: "import json\n\ndef fetch(s):\n    return json.loads(s)  # </pre><script>alert(1)</script>\n", Tests: "tests",
			Libs: []string{"json"}, APIs: []string{"json.loads"}, Rounds: 0, TestCount: 2, Coverage: 45.5,
			History: []sample.Attempt{{Round: 0, Status: "pass", Coverage: 45.5}},
			Origin:  sample.OriginOriginal, Adequacy: &sample.Adequacy{MutationScore: 1, Mutants: 2, MutantsKilled: 2}},
		{ID: "c", Provenance: sample.Provenance{FileID: "f3"}, EntryPoint: "table",
			Response: "import pandas as pd\nimport numpy as np\n\ndef table(n):\n    return pd.DataFrame(np.zeros(n))\n", Tests: "tests",
			Libs: []string{"numpy", "pandas"}, APIs: []string{"numpy.zeros", "pandas.DataFrame"}, Rounds: 2, TestCount: 4, Coverage: 92, Refined: true,
			History: []sample.Attempt{{Round: 0, Status: "error"}, {Round: 1, Candidate: 2, Status: "fail"}, {Round: 2, Status: "pass", Coverage: 92}},
			Origin:  sample.OriginPruned, DroppedTests: []string{"TestCases.test_io"},
			Adequacy: &sample.Adequacy{MutationScore: 0.75, Mutants: 20, MutantsKilled: 15}},
	}
}

func fixtureRejects() []sample.Rejected {
	return []sample.Rejected{
		{ID: "d", Unit: sample.UnitFunction, Stage: sample.StageFilter, Reason: "no_target_library"},
		{ID: "e", Unit: sample.UnitFunction, Stage: sample.StageFix, Reason: "exhausted:fail", Detail: "3 rounds",
			History: []sample.Attempt{{Round: 0, Status: "fail"}, {Round: 1, Status: "fail"}, {Round: 2, Status: "fail"}}},
		{ID: "g", Unit: sample.UnitFunction, Stage: sample.StageAdequacy, Reason: "adequacy/weak_tests",
			Detail: "mutation score 0.35 < 0.50 (7 of 20 mutants killed)"},
	}
}

func fixtureNearMisses() []sample.NearMiss {
	return []sample.NearMiss{{Record: sample.Record{ID: "g", EntryPoint: "scale", Response: "def scale(x):\n    return 2 * x\n",
		Tests: "tests", TestCount: 2, Coverage: 100, Origin: sample.OriginOriginal, Libs: []string{}, APIs: []string{},
		History:  []sample.Attempt{{Round: 0, Status: "pass", Coverage: 100}},
		Adequacy: &sample.Adequacy{MutationScore: 0.35, Mutants: 20, MutantsKilled: 7}},
		Reason: "adequacy/weak_tests", PassFraction: 1}}
}

// writeRun writes stats and rows (one zstd shard per directory) into a new
// run directory and returns it.
func writeRun[R any, J any](t *testing.T, st runstats.Stats, data []R, rejected []J) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.WriteFileAtomic(ctx, filepath.Join(dir, runstats.StatsFile), b); err != nil {
		t.Fatal(err)
	}
	writeShard(t, filepath.Join(dir, runstats.DataDir, "part-00000-of-00001.jsonl.zst"), data)
	writeShard(t, filepath.Join(dir, runstats.RejectedDir, "part-00000-of-00001.jsonl.zst"), rejected)
	return dir
}

func writeShard[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	var plain strings.Builder
	for _, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		plain.Write(b)
		plain.WriteByte('\n')
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	if err := dataset.WriteFileAtomic(context.Background(), path, enc.EncodeAll([]byte(plain.String()), nil)); err != nil {
		t.Fatal(err)
	}
}

func synthesizeRun(t *testing.T) string {
	dir := writeRun(t, fixtureStats(), fixtureRecords(), fixtureRejects())
	writeShard(t, filepath.Join(dir, runstats.NearMissDir, "part-00000-of-00001.jsonl.zst"), fixtureNearMisses())
	return dir
}

// extractRun is an extract run: function rows, no tests, no LLM, and a
// stats.json recorded before command lines were kept.
func extractRun(t *testing.T) string {
	st := runstats.Stats{Command: "extract", Parameters: map[string]string{"input": "corpus/*.jsonl", "output": "out/ex", "shards": "1"},
		Seconds: 1.25, Files: &runstats.UnitStats{In: 2, Accepted: 2, Rejected: map[string]map[string]int{}, Conserved: true},
		Functions: runstats.UnitStats{In: 3, Accepted: 2, RejectedTotal: 1, Conserved: true,
			Rejected: map[string]map[string]int{"filter": {"too_short": 1}}},
		Funnel:  []runstats.FunnelStep{{Stage: "files_in", Count: 2}, {Stage: "functions_found", Count: 3}, {Stage: "filter", Count: 2}},
		Reasons: map[string]int{"filter/too_short": 1}, Counters: map[string]int64{"extract/functions_found": 3}}
	rows := []runstats.FunctionOut{
		{ID: "x", Name: "norm", Code: "def norm(v):\n    return np.linalg.norm(v)\n", Imports: []string{"import numpy as np"},
			APIs: []string{"numpy.linalg.norm"}, Libs: []string{"numpy"}, Provenance: sample.Provenance{FileID: "x", License: "bsd-3-clause"}},
		{ID: "y", Name: "now", Code: "def now():\n    return datetime.now()\n", Imports: []string{"from datetime import datetime"},
			APIs: []string{"datetime.datetime.now"}, Libs: []string{"datetime"}, Provenance: sample.Provenance{FileID: "y", License: "bsd-3-clause"}},
	}
	return writeRun(t, st, rows, []sample.Rejected{{ID: "z", Unit: sample.UnitFunction, Stage: sample.StageFilter, Reason: "too_short"}})
}
