package runstats

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
)

// Output sub-directories of a run.
const (
	DataDir     = "data"
	RejectedDir = "rejected"
	// NearMissDir holds synthesize's near misses: samples that verified
	// but missed an adequacy threshold, graded.
	NearMissDir = "near_miss"
	StatsFile   = "stats.json"
)

// Stats is a run's stats.json: the funnel, reasons, conservation checks
// and the counters they come from. Counts of outputs come from reading the
// written shards back, not from metrics alone.
type Stats struct {
	Command string `json:"command"`
	// Incomplete, when set, says why the run stopped before it finished
	// (an LLM endpoint outage, the sandbox unavailable). Such a run wrote
	// no dataset; its paid LLM answers are in the cache, so a rerun with
	// the same --llm_cache resumes without paying for them again.
	Incomplete string `json:"incomplete,omitempty"`
	// Waves is the number of jobs the local runner split the run into:
	// waves of corpus files (extract --wave_mb) or of function rows
	// (synthesize --wave_rows); 0 for one job.
	Waves int `json:"waves,omitempty"`
	// CommandLine is the exact command the run was started with (the
	// dataset card repeats it).
	CommandLine []string          `json:"command_line,omitempty"`
	Parameters  map[string]string `json:"parameters"`
	Seconds     float64           `json:"seconds"`
	Files       *UnitStats        `json:"files,omitempty"`
	Functions   UnitStats         `json:"functions"`
	// Funnel lists how many units are left after each stage, in order.
	Funnel []FunnelStep `json:"funnel"`
	// Reasons is the histogram of reject reasons, keyed "stage/reason".
	Reasons map[string]int `json:"reasons"`
	// PassAtRound counts the samples that passed verification (records
	// and near misses) by the fix round whose code passed (0: the
	// original code, pruned suites included), and PassRateAtRound is the cumulative
	// share of verified samples that had passed by that round.
	PassAtRound     map[string]int     `json:"pass_at_round,omitempty"`
	PassRateAtRound map[string]float64 `json:"pass_rate_at_round,omitempty"`
	Refined         int                `json:"refined,omitempty"`
	LLM             *LLMStats          `json:"llm,omitempty"`
	// TokensPerVerified is (prompt + completion tokens of every LLM answer
	// used, for accepted and rejected samples alike) / accepted records.
	TokensPerVerified float64 `json:"tokens_per_verified,omitempty"`
	// StageSeconds is the processing time spent in each stage, summed over
	// workers (from Beam's per-step execution-time metrics where the
	// runner reports them).
	StageSeconds map[string]float64 `json:"stage_seconds,omitempty"`
	// Verify counts a verify run's results by status.
	Verify *VerifySummary `json:"verify,omitempty"`
	// Adequacy summarises the measured test strength (mutation score,
	// vacuity, flakiness) of records and near misses, or of verify's
	// passing rows.
	Adequacy *AdequacyStats `json:"adequacy,omitempty"`
	// Yield is what retrieval rescued with dependency closures and what it
	// rejected as unloadable before any LLM call.
	Yield *YieldStats `json:"yield,omitempty"`
	// Utilization is how busy the LLM endpoint and the sandbox were.
	Utilization *Utilization     `json:"utilization,omitempty"`
	Counters    map[string]int64 `json:"counters"`
}

// Utilization is how busy a run kept its two costly resources. Busy times
// are summed over the run's worker processes; the shares divide them by
// one process's capacity (llm_concurrency requests, sandbox_workers
// workers) over the wall time, so they are exact for a local run and,
// on a distributed runner, are to be divided by the number of workers.
type Utilization struct {
	// WallS is the pipeline's run time, without reading outputs back.
	WallS float64 `json:"wall_s"`
	// LLMBusyS sums the LLM requests' durations (from holding an endpoint
	// slot to the reply; queueing and backoff excluded).
	LLMBusyS float64 `json:"llm_busy_s"`
	// LLMConcurrency is the per-process bound on requests in flight
	// (0: the run makes no LLM calls).
	LLMConcurrency int `json:"llm_concurrency"`
	// SandboxBusyS sums the time sandbox jobs held a worker.
	SandboxBusyS float64 `json:"sandbox_busy_s"`
	// SandboxWorkers is the per-process sandbox pool size.
	SandboxWorkers int `json:"sandbox_workers"`
	// LLMBusyShare is LLMBusyS / (LLMConcurrency × WallS).
	LLMBusyShare float64 `json:"llm_busy_share,omitempty"`
	// SandboxBusyShare is SandboxBusyS / (SandboxWorkers × WallS).
	SandboxBusyShare float64 `json:"sandbox_busy_share,omitempty"`
}

// NewUtilization reads the busy-time counters of a run that took wall
// seconds with the given per-process capacities.
func NewUtilization(counters map[string]int64, wall float64, llmConcurrency, sandboxWorkers int) *Utilization {
	u := &Utilization{WallS: wall, LLMConcurrency: llmConcurrency, SandboxWorkers: sandboxWorkers,
		SandboxBusyS: float64(counters[SandboxBusyMicros.Key()]) / 1e6}
	for _, r := range llm.Roles {
		u.LLMBusyS += float64(counters[LLMCounter(string(r), LLMBusyMicros).Key()]) / 1e6
	}
	if wall > 0 && llmConcurrency > 0 {
		u.LLMBusyShare = u.LLMBusyS / (float64(llmConcurrency) * wall)
	}
	if wall > 0 && sandboxWorkers > 0 {
		u.SandboxBusyShare = u.SandboxBusyS / (float64(sandboxWorkers) * wall)
	}
	return u
}

// LLMStats sums LLM usage over the roles. Tokens are what the answers
// used cost when generated; Paid* sums the usage of every request this run
// made: less than the tokens when answers came from the cache, more when
// requests returned candidates that were dropped as repeats of earlier
// ones.
type LLMStats struct {
	PromptTokens         int64            `json:"prompt_tokens"`
	CompletionTokens     int64            `json:"completion_tokens"`
	PaidPromptTokens     int64            `json:"paid_prompt_tokens"`
	PaidCompletionTokens int64            `json:"paid_completion_tokens"`
	Requests             int64            `json:"requests"`
	CachedCandidates     int64            `json:"cached_candidates"`
	CallsByRole          map[string]int64 `json:"calls_by_role"`
	RequestsByRole       map[string]int64 `json:"requests_by_role"`
}

// UnitStats accounts for one kind of unit (corpus files or functions).
type UnitStats struct {
	In       int                       `json:"in"`
	Accepted int                       `json:"accepted"`
	Rejected map[string]map[string]int `json:"rejected"`
	// RejectedTotal is Σ Rejected.
	RejectedTotal int `json:"rejected_total"`
	// Duplicates counts ids that ended in more than one output row.
	Duplicates int `json:"duplicates"`
	// Conserved is In == Accepted + RejectedTotal with no duplicates (and,
	// for synthesize, one adequacy reject per near miss).
	Conserved bool `json:"conserved"`
	// NearMissMismatch says how near misses and adequacy rejects differ,
	// when they do.
	NearMissMismatch string `json:"near_miss_mismatch,omitempty"`
}

// FunnelStep is the number of units left after a stage.
type FunnelStep struct {
	Stage string `json:"stage"`
	Count int    `json:"count"`
}

// ErrNotConserved is returned when a run lost or duplicated units.
var ErrNotConserved = fmt.Errorf("conservation violated")

// Counters sums a pipeline result's counters by "namespace/name".
func Counters(res beam.PipelineResult) map[string]int64 {
	out := map[string]int64{}
	if res == nil {
		return out
	}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		out[c.Namespace()+"/"+c.Name()] += c.Result()
	}
	return out
}

// StageSeconds sums per-step processing time by stage: the scope just
// below the pipeline's own scope (e.g. "GenerateTests", "FixRound1"). The
// runner reports time per transform id, which p's graph maps to scopes.
func StageSeconds(res beam.PipelineResult, p *beam.Pipeline) map[string]float64 {
	out := map[string]float64{}
	if res == nil || p == nil {
		return out
	}
	stages := map[string]string{}
	if edges, _, err := p.Build(); err == nil {
		for _, e := range edges {
			stages[fmt.Sprintf("e%d", e.ID())] = stageOf(e.Scope().String())
		}
	}
	for _, m := range res.Metrics().AllMetrics().Msecs() {
		v := m.Result()
		if v.Total == 0 {
			continue
		}
		name, ok := stages[m.Key.Step]
		if !ok {
			name = stageOf(m.Key.Step)
		}
		out[name] += v.Total.Seconds()
	}
	return out
}

// stageOf maps a scope path like "root/synthesize/GenerateTests/batch" to
// its stage, "GenerateTests": the component after the pipeline's scope
// (after "Retrieve" for the retrieval stages).
func stageOf(path string) string {
	parts := strings.Split(path, "/")
	for i := 0; i < len(parts)-1; i++ {
		switch parts[i] {
		case "synthesize", "extract", "verify", "Retrieve":
			if parts[i+1] != "Retrieve" {
				return parts[i+1]
			}
		}
	}
	return parts[len(parts)-1]
}

// readRejected reads rejected rows back and accounts for them by unit.
func readRejected(ctx context.Context, outDir string, files, functions *UnitStats, reasons map[string]int, seen map[string]int) error {
	return dataset.ReadLines(ctx, dataset.JoinPath(dataset.JoinPath(outDir, RejectedDir), "part-*"), func(line []byte) error {
		var r sample.Rejected
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("rejected row: %w", err)
		}
		u := functions
		if r.Unit == sample.UnitFile {
			u = files
		} else {
			seen[r.ID]++
		}
		if u.Rejected[string(r.Stage)] == nil {
			u.Rejected[string(r.Stage)] = map[string]int{}
		}
		u.Rejected[string(r.Stage)][r.Reason]++
		u.RejectedTotal++
		reasons[string(r.Stage)+"/"+r.Reason]++
		return nil
	})
}

func newUnitStats() *UnitStats {
	return &UnitStats{Rejected: map[string]map[string]int{}}
}

// conserve fills Conserved from the counts and the per-id tally.
func (u *UnitStats) conserve(seen map[string]int) {
	for _, n := range seen {
		if n > 1 {
			u.Duplicates++
		}
	}
	u.Conserved = u.In == u.Accepted+u.RejectedTotal && u.Duplicates == 0
}

// Check returns ErrNotConserved, with the numbers, when a unit was lost or
// duplicated.
func (s Stats) Check() error {
	var bad []string
	if s.Files != nil && !s.Files.Conserved {
		bad = append(bad, fmt.Sprintf("files: in %d != parsed %d + rejected %d",
			s.Files.In, s.Files.Accepted, s.Files.RejectedTotal))
	}
	if !s.Functions.Conserved {
		bad = append(bad, fmt.Sprintf("functions: in %d != accepted %d + rejected %d (duplicate ids: %d)",
			s.Functions.In, s.Functions.Accepted, s.Functions.RejectedTotal, s.Functions.Duplicates))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrNotConserved, strings.Join(bad, "; "))
	}
	return nil
}

// WriteStats writes stats.json into the run's directory.
func WriteStats(ctx context.Context, outDir string, s Stats) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return dataset.WriteFileAtomic(ctx, dataset.JoinPath(outDir, StatsFile), append(b, '\n'))
}

// funnel builds the funnel from the number of units that entered and the
// rejects per stage, in the stages' fixed order.
func funnel(in int, stages []sample.Stage, rejected map[string]map[string]int) []FunnelStep {
	steps := []FunnelStep{{Stage: "in", Count: in}}
	left := in
	for _, st := range stages {
		for _, n := range rejected[string(st)] {
			left -= n
		}
		steps = append(steps, FunnelStep{Stage: string(st), Count: left})
	}
	return steps
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// YieldStats is the retrieval yield: functions kept thanks to their
// same-file dependency closure, and functions rejected before any LLM call
// because their program cannot load (stage load), by reason.
type YieldStats struct {
	ClosureRescued int `json:"closure_rescued"`
	// UnloadableBeforeLLM is Σ Unloadable.
	UnloadableBeforeLLM int            `json:"unloadable_before_llm"`
	Unloadable          map[string]int `json:"unloadable,omitempty"`
	// LoadJobs counts the load-only sandbox jobs that were run.
	LoadJobs int `json:"load_jobs,omitempty"`
}

// yieldStats reads the yield from the counters and the load rejects.
func yieldStats(counters map[string]int64, functions *UnitStats) *YieldStats {
	y := &YieldStats{ClosureRescued: int(counters[ClosureRescued.Key()]), LoadJobs: int(counters[LoadJobs.Key()]),
		Unloadable: map[string]int{}}
	for reason, n := range functions.Rejected[string(sample.StageLoad)] {
		y.Unloadable[reason] += n
		y.UnloadableBeforeLLM += n
	}
	return y
}
