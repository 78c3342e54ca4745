package report

import (
	"fmt"
	"html/template"
	"sort"
)

// The chart data of each report section, from the stats and the rows.

func (r *Run) funnelChart() template.HTML {
	items := make([]counted, len(r.Stats.Funnel))
	for i, s := range r.Stats.Funnel {
		items[i] = counted{s.Stage, float64(s.Count)}
	}
	return funnelChart("funnel", "Funnel: units left after each stage", items)
}

// passRateChart shows the cumulative share of verified samples that passed
// by each fix round (0: the original code).
func (r *Run) passRateChart() template.HTML {
	var items []counted
	for _, row := range r.passRows() {
		items = append(items, counted{fmt.Sprintf("round %d (+%d)", row.Round, row.Passed), row.Rate})
	}
	return vbars("pass-rate", "Cumulative pass rate by fix round", items, percent)
}

func (r *Run) reasonsChart() template.HTML {
	return hbars("reasons", "Rejection reasons (stage/reason)", topN(r.Stats.Reasons, 40), num)
}

// coverageChart buckets line coverage in tens, with 100% on its own: a
// fully covered program is the common case worth seeing apart.
func (r *Run) coverageChart() template.HTML {
	if len(r.Coverage) == 0 {
		return empty("coverage", "Coverage histogram")
	}
	items := make([]counted, 11)
	for i := 0; i < 10; i++ {
		items[i].Label = fmt.Sprintf("%d–%d", i*10, i*10+9)
	}
	items[10].Label = "100"
	for _, c := range r.Coverage {
		b := int(c / 10)
		b = max(0, min(b, 10))
		if c < 100 && b == 10 {
			b = 9
		}
		items[b].Count++
	}
	return vbars("coverage", "Line coverage of accepted programs by their tests (%)", items, num)
}

func (r *Run) libsChart() template.HTML {
	return hbars("libs", fmt.Sprintf("Libraries of accepted rows (top %d)", r.top), topN(r.Libs, r.top), num)
}

func (r *Run) apisChart() template.HTML {
	return hbars("apis", fmt.Sprintf("API calls of accepted rows (top %d)", r.top), topN(r.APIs, r.top), num)
}

// tokensChart shows, per LLM role, what the answers used cost and what this
// run paid for its requests (less when answers came from the cache, more
// when requests returned candidates that were dropped).
func (r *Run) tokensChart() template.HTML {
	var items []counted
	for _, role := range []string{"testgen", "fix", "refine"} {
		ns := "llm_" + role + "/"
		for _, kind := range []string{"prompt_tokens", "completion_tokens", "paid_prompt_tokens", "paid_completion_tokens"} {
			if v, ok := r.Stats.Counters[ns+kind]; ok {
				items = append(items, counted{role + " " + kind, float64(v)})
			}
		}
	}
	return hbars("tokens", "LLM tokens per role", items, num)
}

func (r *Run) timeChart() template.HTML {
	items := make([]counted, 0, len(r.Stats.StageSeconds))
	for k, v := range r.Stats.StageSeconds {
		items = append(items, counted{k, v})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].Count != items[j].Count {
			return items[i].Count > items[j].Count
		}
		return items[i].Label < items[j].Label
	})
	return hbars("time", "Processing time per stage (summed over workers)", items, seconds)
}

// busyChart shows how busy the run kept the LLM endpoint and the sandbox:
// each resource's busy time over its capacity times the wall time.
func (r *Run) busyChart() template.HTML {
	u := r.Stats.Utilization
	if u == nil {
		return ""
	}
	var items []counted
	if u.LLMConcurrency > 0 {
		items = append(items, counted{fmt.Sprintf("LLM (%.0f request-s over %d slots × %.0f s)", u.LLMBusyS, u.LLMConcurrency, u.WallS),
			100 * u.LLMBusyShare})
	}
	if u.SandboxWorkers > 0 {
		items = append(items, counted{fmt.Sprintf("sandbox (%.0f worker-s over %d workers × %.0f s)", u.SandboxBusyS, u.SandboxWorkers, u.WallS),
			100 * u.SandboxBusyShare})
	}
	return hbars("busy", "Busy share of each resource over the run", items, percent)
}

// mutationChart is the histogram of mutation scores over every measured
// suite (records and near misses), in tenths.
func (r *Run) mutationChart() template.HTML {
	a := r.Stats.Adequacy
	if a == nil || a.Measured == 0 {
		return ""
	}
	return vbars("mutation", fmt.Sprintf("Mutation score of measured suites (%d with a mutant to run; median %.2f)", a.Scored, a.MedianScore),
		scoreBins(a.ScoreHistogram), num)
}

// adequacyChart splits the records by where their passing suite came from
// and counts the suites that were vacuous or flaky and the near misses.
func (r *Run) adequacyChart() template.HTML {
	a := r.Stats.Adequacy
	if a == nil || a.Measured == 0 {
		return ""
	}
	var items []counted
	for _, o := range []string{"original", "pruned", "fixed"} {
		items = append(items, counted{"records, origin " + o, float64(a.Records[o])})
	}
	items = append(items, counted{"vacuous suites", float64(a.Vacuous)}, counted{"flaky suites", float64(a.Flaky)})
	for _, n := range topN(a.NearMisses, 0) {
		items = append(items, counted{"near miss: " + n.Label, n.Count})
	}
	return hbars("origin", "Records by origin; vacuous, flaky and near-miss suites", items, num)
}

// yieldChart shows what retrieval did for yield: the functions kept
// because their program carries same-file definitions, and the functions
// rejected as unloadable before any LLM call, by reason.
func (r *Run) yieldChart() template.HTML {
	y := r.Stats.Yield
	if y == nil || (y.ClosureRescued == 0 && y.UnloadableBeforeLLM == 0) {
		return ""
	}
	items := []counted{{"kept thanks to a closure", float64(y.ClosureRescued)},
		{"unloadable, rejected before any LLM call", float64(y.UnloadableBeforeLLM)}}
	for _, n := range topN(y.Unloadable, 8) {
		items = append(items, counted{"  load/" + n.Label, n.Count})
	}
	return hbars("yield", "Retrieval yield: rescued by dependency closures, rejected before any LLM call", items, num)
}
