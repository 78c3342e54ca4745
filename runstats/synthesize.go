package runstats

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
)

// synthesisStages are the stages a function passes, in order.
var synthesisStages = []sample.Stage{
	sample.StageRead, sample.StageFilter, sample.StageLoad, sample.StageDedup, sample.StageDecontaminate,
	sample.StageTestgen, sample.StageVerify, sample.StageFix, sample.StageRefine, sample.StageAdequacy, sample.StageWrite,
}

// SynthesizeStats reads a synthesis run's outputs back and accounts for
// every function (and corpus row, when the run read a corpus).
func SynthesizeStats(ctx context.Context, outDir string, res beam.PipelineResult, fromCorpus bool, rounds int) (Stats, error) {
	return SynthesizeStatsFromCounters(ctx, outDir, Counters(res), fromCorpus, rounds)
}

// SynthesizeStatsFromCounters is [SynthesizeStats] for a run made of
// several jobs (the local runner's waves): counters are their sums.
func SynthesizeStatsFromCounters(ctx context.Context, outDir string, counters map[string]int64, fromCorpus bool, rounds int) (Stats, error) {
	files, functions := newUnitStats(), newUnitStats()
	st := Stats{Command: "synthesize", Reasons: map[string]int{}, Counters: counters,
		PassAtRound: map[string]int{}, PassRateAtRound: map[string]float64{}}
	seen := map[string]int{}
	if err := readRejected(ctx, outDir, files, functions, st.Reasons, seen); err != nil {
		return st, err
	}
	byRound := make([]int, rounds+1)
	adq := newAdequacyStats()
	err := dataset.ReadLines(ctx, dataset.JoinPath(dataset.JoinPath(outDir, DataDir), "part-*"), func(line []byte) error {
		var r sample.Record
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		functions.Accepted++
		seen[r.ID]++
		if r.Rounds >= 0 && r.Rounds <= rounds {
			byRound[r.Rounds]++
		}
		if r.Refined {
			st.Refined++
		}
		if r.Adequacy != nil {
			adq.add(r.Adequacy)
			adq.Records[r.Origin]++
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	// A near miss passed verification too (in its round); it counts in
	// the pass rate, which is about verification, not about the bar.
	nearRounds, err := readNearMisses(ctx, outDir, adq)
	if err != nil {
		return st, err
	}
	for _, r := range nearRounds {
		if r >= 0 && r <= rounds {
			byRound[r]++
		}
	}
	st.Adequacy = adq.finish()
	if fromCorpus {
		fileStats(files, counters)
		st.Files = files
		functions.In = int(counters[FunctionsFound.Key()])
	} else {
		functions.In = int(counters[FunctionsRead.Key()])
	}
	functions.conserve(seen)
	// Every near miss is also an adequacy reject: one row each.
	nearMisses, adequacyRejects := 0, 0
	for _, n := range adq.NearMisses {
		nearMisses += n
	}
	for _, n := range functions.Rejected[string(sample.StageAdequacy)] {
		adequacyRejects += n
	}
	if nearMisses != adequacyRejects {
		functions.Conserved = false
		functions.NearMissMismatch = fmt.Sprintf("%d near misses, %d adequacy rejects", nearMisses, adequacyRejects)
	}
	st.Functions = *functions
	st.Yield = yieldStats(counters, functions)

	// Pass rate at round r: the share of samples that were verified (had
	// tests) whose code had passed by round r (pruned suites pass in
	// round 0; adequacy rejects passed too).
	verified := functions.Accepted
	for _, stg := range []sample.Stage{sample.StageVerify, sample.StageFix, sample.StageAdequacy, sample.StageWrite} {
		for _, n := range functions.Rejected[string(stg)] {
			verified += n
		}
	}
	cum := 0
	for r, n := range byRound {
		cum += n
		st.PassAtRound[strconv.Itoa(r)] = n
		if verified > 0 {
			st.PassRateAtRound[strconv.Itoa(r)] = float64(cum) / float64(verified)
		}
	}
	st.LLM = llmStats(counters)
	if functions.Accepted > 0 {
		st.TokensPerVerified = float64(st.LLM.PromptTokens+st.LLM.CompletionTokens) / float64(functions.Accepted)
	}
	if fromCorpus {
		st.Funnel = append(fileFunnel(files), FunnelStep{Stage: "functions_found", Count: functions.In})
	} else {
		st.Funnel = []FunnelStep{{Stage: "functions_in", Count: functions.In}}
	}
	st.Funnel = append(st.Funnel, funnel(functions.In, synthesisStages, functions.Rejected)[1:]...)
	return st, nil
}

func llmStats(counters map[string]int64) *LLMStats {
	l := &LLMStats{CallsByRole: map[string]int64{}, RequestsByRole: map[string]int64{}}
	for _, r := range llm.Roles {
		role := string(r)
		n := func(name string) int64 { return counters[LLMCounter(role, name).Key()] }
		l.PromptTokens += n(LLMPromptTokens)
		l.CompletionTokens += n(LLMCompletionTokens)
		l.PaidPromptTokens += n(LLMPaidPromptTokens)
		l.PaidCompletionTokens += n(LLMPaidCompletionTokens)
		l.Requests += n(LLMRequests)
		l.CachedCandidates += n(LLMCachedCandidates)
		l.CallsByRole[role] = n(LLMCalls)
		l.RequestsByRole[role] = n(LLMRequests)
	}
	return l
}
