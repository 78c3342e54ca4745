package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/adequacy"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
	"github.com/unitcoder/unitcoder/transforms/prune"
)

// Default adequacy thresholds of synthesize (see the README's "Test
// adequacy" section for the measurements behind them).
const (
	DefaultMinMutationScore = 0.7
	DefaultMinCoverage      = 60.0
)

func init() {
	register(command{
		name:     "synthesize",
		synopsis: "the whole UnitCoder method: retrieve, generate tests, verify, fix, refine, write",
		description: `Runs the UnitCoder pipeline: package-based retrieval over --input (or
function rows from --functions), LLM test generation, sandbox verification,
up to --rounds fix rounds of --candidates candidates each, refinement with a
BigCodeBench-style docstring and re-verification, and writes
  OUTPUT/data/part-*.jsonl.zst      records: prefix/completion, instruction/response,
                                    tests, libs, apis, rounds, coverage, tokens, history
                                    origin (original|pruned|fixed), dropped_tests, and with
                                    --mutation: mutation_score, mutants, surviving, vacuous, flaky
  OUTPUT/rejected/part-*.jsonl.zst  every function that did not make it: stage, reason, history
  OUTPUT/near_miss/part-*.jsonl.zst records that missed an adequacy bar (also rejects),
                                    with reason, pass_fraction and mutation_score
  OUTPUT/stats.json                 funnel, pass rate by round, reasons, tokens, stage times
The LLM is any OpenAI-compatible server (vLLM, SGLang, TGI, Ollama, OpenAI);
the API key is read from the environment variable --llm_api_key_env names.
The run exits non-zero if any function is unaccounted for.`,
		defineFlags: synthesizeFlags,
	})
}

// roleFlags are one LLM role's flags.
type roleFlags struct {
	url, model  *string
	temperature *float64
	maxTokens   *int
	stop        *string
}

func defineRole(fs *flagSet, role string, temperature float64, maxTokens int) roleFlags {
	return roleFlags{
		url:         fs.String(role+"_url", "", role+" endpoint, overriding --llm_url"),
		model:       fs.String(role+"_model", "", role+" model, overriding --llm_model"),
		temperature: fs.Float64(role+"_temperature", temperature, role+" sampling temperature"),
		maxTokens:   fs.Int(role+"_max_tokens", maxTokens, role+" max_tokens per reply"),
		stop:        fs.String(role+"_stop", "", role+" stop sequences, separated by '|'"),
	}
}

func synthesizeFlags(fs *flagSet) func(context.Context) error {
	params := retrievalFlags(fs)
	functions := fs.String("functions", "", "function rows to start from instead of a corpus (the data/ output of extract)")
	selectIDs := fs.String("select_ids", "", "file of function or corpus-row ids, one per line: only these reach the LLM stages")
	output := fs.String("output", "", "run directory, local or gs:// (required)")
	shards := fs.Int("shards", 4, "number of files in data/ and in rejected/")
	llmURL := fs.String("llm_url", "", "OpenAI-compatible API base URL, e.g. http://127.0.0.1:8000/v1 (required)")
	llmModel := fs.String("llm_model", "", "model name (required)")
	keyEnv := fs.String("llm_api_key_env", "", "environment variable holding the API key (default UNITCODER_LLM_API_KEY, then OPENAI_API_KEY)")
	concurrency := fs.Int("llm_concurrency", 64, "LLM requests in flight per worker process")
	llmTimeout := fs.Duration("llm_timeout", durationValue(10*time.Minute), "timeout of one LLM request")
	retries := fs.Int("llm_retries", 6, "retries of a failed LLM request before it is reported as stalled (429, 5xx, connection errors are retried until --llm_outage_timeout)")
	outageTimeout := fs.Duration("llm_outage_timeout", durationValue(5*time.Minute), "how long an LLM endpoint may keep failing (connection, 5xx, auth, unknown model, 429) before the run stops")
	skipPreflight := fs.Bool("skip_preflight", false, "do not check each LLM endpoint (reachable, model served, key accepted) before a local run")
	cache := fs.String("llm_cache", "", "response cache directory, local or gs:// (empty: no cache)")
	prompts := fs.String("prompts", "", "directory of prompt templates overriding the built-in ones")
	testgenRole := defineRole(fs, "testgen", 0.2, 4096)
	fixRole := defineRole(fs, "fix", 0.8, 4096)
	refineRole := defineRole(fs, "refine", 0.2, 4096)
	rounds := fs.Int("rounds", 3, "R: fix rounds")
	candidates := fs.Int("candidates", 3, "K: fix candidates per round")
	keep := fs.Int("keep_passing", 1, "M: passing variants kept per sample")
	onFail := fs.String("on_fail", prune.OnFailPruneThenFix, "corpus code that fails its tests: fix (LLM repair rounds), prune (keep the code, drop the failing tests) or prune_then_fix")
	minTests := fs.Int("min_tests", 3, "fewest tests a pruned suite may keep")
	sandboxFlags := addSandboxFlags(fs)
	adequacyFlags := addAdequacyFlags(fs, true)
	minScore := fs.Float64("min_mutation_score", DefaultMinMutationScore, "lowest mutation score a record may have; lower ones go to near_miss/")
	minCoverage := fs.Float64("min_coverage", DefaultMinCoverage, "lowest line coverage (percent) a record may have; lower ones go to near_miss/")
	loadCheck := fs.Bool("load_check", true, "load each function's program in the sandbox, without tests, before test generation; programs that cannot load end as load rejects and cost no LLM call")
	waveRows := fs.Int("wave_rows", pipelines.DefaultWaveRows, "with --functions on the local runner, process the function rows in waves of at most this many, one job each, so peak memory follows the wave, not the input; the output is identical (0: one job)")
	waveMB := fs.Float64("wave_mb", pipelines.DefaultWaveFunctionMB, "with waves (--wave_rows), also end a wave before its function rows pass this many MB: a function's program is copied into its samples, history and record, so a wave's memory follows its programs' bytes more than its row count (0: rows only)")
	prog := defineProgress(fs)
	return func(ctx context.Context) error {
		rp, err := params()
		if err != nil {
			return err
		}
		o := pipelines.SynthesizeOptions{Retrieval: rp, Functions: *functions, Output: *output, Shards: *shards, Rounds: *rounds,
			OnFail: *onFail, MinTests: *minTests, LoadCheck: *loadCheck}
		if !slices.Contains(prune.Modes, o.OnFail) {
			return fmt.Errorf("--on_fail=%q: want one of %s", o.OnFail, strings.Join(prune.Modes, ", "))
		}
		checks, err := adequacyFlags.params()
		if err != nil {
			return err
		}
		if checks != nil {
			o.Adequacy = &adequacy.Params{Checks: *checks, MinMutationScore: *minScore, MinCoverage: *minCoverage}
		}
		if *waveRows < 0 {
			return fmt.Errorf("--wave_rows=%d: want 0 (one job) or a positive count", *waveRows)
		}
		if *waveMB < 0 {
			return fmt.Errorf("--wave_mb=%v: want 0 (rows only) or a positive size", *waveMB)
		}
		if (o.Retrieval.Input == "") == (o.Functions == "") {
			return fmt.Errorf("give exactly one of --input (a corpus) and --functions (function rows)")
		}
		if o.Output == "" || *llmURL == "" && (*testgenRole.url == "" || *fixRole.url == "" || *refineRole.url == "") {
			return fmt.Errorf("--output and --llm_url are required")
		}
		if *llmModel == "" {
			return fmt.Errorf("--llm_model is required")
		}
		if *selectIDs != "" {
			ids, err := readLines(ctx, *selectIDs)
			if err != nil {
				return err
			}
			o.SelectIDs = ids
		}
		base := llmcall.Params{
			Config: llm.Config{
				BaseURL: *llmURL, Model: *llmModel, APIKeyEnv: *keyEnv, MaxConcurrency: *concurrency,
				Timeout: llmTimeout.Duration(), MaxRetries: *retries, OutageTimeout: outageTimeout.Duration(),
				Roles: map[llm.Role]llm.RoleParams{
					llm.RoleTestgen: testgenRole.params(1),
					llm.RoleFix:     fixRole.params(*candidates),
					llm.RoleRefine:  refineRole.params(1),
				},
			},
			CacheDir: *cache, PromptsDir: *prompts,
		}
		o.Testgen, o.Fix, o.Refine = forRole(base, testgenRole), forRole(base, fixRole), forRole(base, refineRole)
		o.Sandbox = sandboxFlags.params(*keep)
		// Only where the DoFns run in this process: a Dataflow or Flink
		// launcher often cannot reach an endpoint its workers reach, and
		// there the workers' circuit breakers stop the job instead.
		if !*skipPreflight && runsInProcess() {
			if err := preflight(ctx, o.Testgen, o.Fix, o.Refine); err != nil {
				return err
			}
		}

		recipe := runRecipe{name: "synthesize", output: o.Output, input: o.Retrieval.Input, stages: synthesizeProgress,
			collect: func(ctx context.Context, res beam.PipelineResult) (runstats.Stats, error) {
				return runstats.SynthesizeStats(ctx, o.Output, res, o.Functions == "", o.Rounds)
			},
			llmConcurrency: endpointSlots(o.Testgen, o.Fix, o.Refine), sandboxWorkers: o.Sandbox.PoolWorkers()}
		if o.Retrieval.Input != "" && runsInProcess() {
			warnLargeCorpus(ctx, os.Stderr, o.Retrieval.Input)
		}
		var st *runstats.Stats
		// Waves only where this process runs the jobs and waits for them;
		// a corpus (--input) runs as one job, since dedup spans it (run
		// extract, which has waves of its own, then --functions).
		if o.Functions != "" && *waveRows > 0 && runsInProcess() && !*jobopts.Async {
			if st, err = runSynthesizeWaves(ctx, fs, prog, recipe, o, *waveRows, int64(*waveMB*(1<<20))); err != nil {
				return err
			}
		}
		if st == nil {
			p, s := beam.NewPipelineWithRoot()
			pipelines.Synthesize(s, o)
			if st, err = runAndAccount(ctx, p, fs, prog, recipe); err != nil || st == nil {
				return err
			}
		}
		printSynthesisSummary(*st, o.Output)
		if st.Waves > 1 {
			if *waveMB > 0 {
				fmt.Printf("  in %d waves of at most %d function rows (--wave_rows) and, but for a longer row, %v MB (--wave_mb)\n", st.Waves, *waveRows, *waveMB)
			} else {
				fmt.Printf("  in %d waves of at most %d function rows (--wave_rows)\n", st.Waves, *waveRows)
			}
		}
		return st.Check()
	}
}

// params are the role's sampling parameters for n candidates.
func (r roleFlags) params(n int) llm.RoleParams {
	p := llm.RoleParams{Temperature: *r.temperature, MaxTokens: *r.maxTokens, N: n}
	if *r.stop != "" {
		p.Stop = strings.Split(*r.stop, "|")
	}
	return p
}

// endpointSlots is the requests a process may have in flight over the
// roles' endpoints: each distinct endpoint has its own limit.
func endpointSlots(roles ...llmcall.Params) int {
	seen, n := map[string]bool{}, 0
	for _, r := range roles {
		if !seen[r.BaseURL] {
			seen[r.BaseURL] = true
			n += r.Concurrency()
		}
	}
	return n
}

// forRole applies a role's endpoint, model and sampling overrides.
func forRole(base llmcall.Params, r roleFlags) llmcall.Params {
	p := base
	if *r.url != "" {
		p.BaseURL = *r.url
	}
	if *r.model != "" {
		p.Model = *r.model
	}
	return p
}

func printSynthesisSummary(st runstats.Stats, out string) {
	fmt.Printf("synthesize: %d functions in, %d verified programs written, %d rejected (%.1fs)\n",
		st.Functions.In, st.Functions.Accepted, st.Functions.RejectedTotal, st.Seconds)
	fmt.Printf("  passed by round: %s  refined: %d  LLM requests: %d (%d candidates from cache)\n",
		roundsLine(st.PassAtRound), st.Refined, st.LLM.Requests, st.LLM.CachedCandidates)
	fmt.Printf("  rejected: %s\n", reasonsLine(st.Reasons))
	fmt.Printf("  dataset: %s/data/\n  rejects: %s/rejected/\n  stats:   %s/stats.json\n", out, out, out)
}

// roundsLine renders per-round counts in round order: "r0=7 r1=5 r2=0".
func roundsLine(byRound map[string]int) string {
	rounds := make([]int, 0, len(byRound))
	for k := range byRound {
		if n, err := strconv.Atoi(k); err == nil {
			rounds = append(rounds, n)
		}
	}
	sort.Ints(rounds)
	parts := make([]string, len(rounds))
	for i, n := range rounds {
		parts[i] = fmt.Sprintf("r%d=%d", n, byRound[strconv.Itoa(n)])
	}
	return strings.Join(parts, " ")
}

// readLines reads an id list (local or gs://): one id a line, blank lines
// and # comments skipped. A list with no id is an error, not "all".
func readLines(ctx context.Context, path string) ([]string, error) {
	var out []string
	err := dataset.ReadLines(ctx, path, func(line []byte) error {
		if l := strings.TrimSpace(string(line)); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
		return nil
	})
	if err == nil && out == nil {
		err = fmt.Errorf("%s: no ids", path)
	}
	return out, err
}

// reasonsLine renders the reject histogram, largest first.
func reasonsLine(reasons map[string]int) string {
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if reasons[keys[i]] != reasons[keys[j]] {
			return reasons[keys[i]] > reasons[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, reasons[k])
	}
	return strings.Join(parts, " ")
}

// preflight checks each distinct endpoint and model the LLM stages use
// before anything runs, so that a wrong URL, model or key fails the
// command in seconds instead of stalling every sample.
func preflight(ctx context.Context, roles ...llmcall.Params) error {
	checked := map[string]bool{}
	for _, r := range roles {
		key := r.BaseURL + "\x00" + r.Model + "\x00" + r.APIKeyEnv
		if checked[key] {
			continue
		}
		checked[key] = true
		if err := llm.Preflight(ctx, r.Config); err != nil {
			return fmt.Errorf("%w (--skip_preflight skips this check)", err)
		}
	}
	return nil
}

// warnLargeCorpus says, for a corpus larger than one of extract's waves,
// that synthesize --input runs it as one job, whose memory on the local
// runner grows with the corpus, and what bounds it instead.
func warnLargeCorpus(ctx context.Context, w io.Writer, input string) {
	size, err := dataset.TotalSize(ctx, input)
	if err != nil || size <= pipelines.DefaultWaveMB<<20 {
		return
	}
	fmt.Fprintf(w, "synthesize: --input is %.0f MB, read as one job; on the local runner its memory grows with the corpus. "+
		"To bound it, run extract (in waves) and then synthesize --functions=OUT/data/part-* (in waves of --wave_rows)\n", float64(size)/(1<<20))
}
