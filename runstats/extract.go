package runstats

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/sample"
)

// FunctionOut is the kept-function row the extract pipeline writes and
// synthesize --functions reads: a sample.Function without the analysis
// fields. It is a type of its own, not sample.Function, because the
// dataset card declares its features from this type.
type FunctionOut struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Code    string   `json:"code"`
	Imports []string `json:"imports"`
	APIs    []string `json:"apis"`
	Libs    []string `json:"libs"`
	// Program is what is tested: imports, closure, then code.
	Program string `json:"program,omitempty"`
	// Closure names the same-file definitions Program adds.
	Closure    []string          `json:"closure,omitempty"`
	Provenance sample.Provenance `json:"provenance"`
}

// KeptFunction is f's output row.
func KeptFunction(f sample.Function) FunctionOut {
	return FunctionOut{ID: f.ID, Name: f.Name, Code: f.Code, Imports: f.Imports,
		APIs: f.APIs, Libs: f.Libs, Program: f.Program, Closure: f.Closure, Provenance: f.Provenance}
}

// Function is the row as a sample.Function to analyse again.
func (o FunctionOut) Function() sample.Function {
	return sample.Function{ID: o.ID, Name: o.Name, Code: o.Code, Imports: o.Imports,
		APIs: o.APIs, Libs: o.Libs, Program: o.Program, Closure: o.Closure, Provenance: o.Provenance}
}

// retrievalStages are the stages a function passes in retrieval, in order.
var retrievalStages = []sample.Stage{sample.StageFilter, sample.StageLoad, sample.StageDedup, sample.StageDecontaminate}

// ExtractStats reads an extract run's outputs back and accounts for every
// corpus row and every function found.
func ExtractStats(ctx context.Context, outDir string, res beam.PipelineResult) (Stats, error) {
	return ExtractStatsFromCounters(ctx, outDir, Counters(res))
}

// ExtractStatsFromCounters is [ExtractStats] for a run made of several
// jobs (the local runner's waves): counters are their sums.
func ExtractStatsFromCounters(ctx context.Context, outDir string, counters map[string]int64) (Stats, error) {
	files, functions := newUnitStats(), newUnitStats()
	st := Stats{Command: "extract", Reasons: map[string]int{}, Counters: counters}
	seen := map[string]int{}
	if err := readRejected(ctx, outDir, files, functions, st.Reasons, seen); err != nil {
		return st, err
	}
	err := dataset.ReadLines(ctx, dataset.JoinPath(dataset.JoinPath(outDir, DataDir), "part-*"), func(line []byte) error {
		var f FunctionOut
		if err := json.Unmarshal(line, &f); err != nil {
			return fmt.Errorf("data row: %w", err)
		}
		functions.Accepted++
		seen[f.ID]++
		return nil
	})
	if err != nil {
		return st, err
	}
	fileStats(files, counters)
	functions.In = int(counters[FunctionsFound.Key()])
	functions.conserve(seen)
	st.Files, st.Functions = files, *functions
	st.Yield = yieldStats(counters, functions)
	st.Funnel = append(fileFunnel(files), FunnelStep{Stage: "functions_found", Count: functions.In})
	st.Funnel = append(st.Funnel, funnel(functions.In, retrievalStages, functions.Rejected)[1:]...)
	return st, nil
}

// fileStats fills corpus-row accounting from the read and extract counters.
func fileStats(files *UnitStats, counters map[string]int64) {
	files.In = int(counters[RowsEmitted.Key()] + counters[RowsRejected.Key()])
	files.Accepted = int(counters[FilesParsed.Key()])
	files.conserve(nil)
}

// fileFunnel is the head of the funnel: rows in, rows read, rows parsed,
// then functions found.
func fileFunnel(files *UnitStats) []FunnelStep {
	read := files.In
	for _, n := range files.Rejected[string(sample.StageRead)] {
		read -= n
	}
	return []FunnelStep{
		{Stage: "files_in", Count: files.In},
		{Stage: "files_read", Count: read},
		{Stage: "files_parsed", Count: files.Accepted},
	}
}
