package retrieval

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.DoFn4x0[context.Context, dataset.Line, func(sample.Function), func(sample.Rejected)](&parseFunctionFn{})
	register.DoFn4x0[context.Context, sample.Function, func(sample.Function), func(sample.Rejected)](&selectFn{})
}

var functionsRead = runstats.FunctionsRead.Beam()

// ReadFunctions reads function rows (extract's data/ output) matching
// glob. A line that is not a function row becomes a read reject.
func ReadFunctions(s beam.Scope, glob string) (functions, rejected beam.PCollection) {
	s = s.Scope("ReadFunctions")
	return beam.ParDo2(s, &parseFunctionFn{}, dataset.ReadJSONLines(s, glob))
}

// ReadSpilledFunctions is [ReadFunctions] over lines read earlier and
// spilled to the local file at path (dataset.ReadSpilledLines): the same
// rows, rejects and counters as reading them from their own files.
func ReadSpilledFunctions(s beam.Scope, path string) (functions, rejected beam.PCollection) {
	s = s.Scope("ReadFunctions")
	return beam.ParDo2(s, &parseFunctionFn{}, dataset.ReadSpilledLines(s, path))
}

type parseFunctionFn struct{}

func (fn *parseFunctionFn) ProcessElement(ctx context.Context, l dataset.Line, emit func(sample.Function), reject func(sample.Rejected)) {
	functionsRead.Inc(ctx, 1)
	id := fmt.Sprintf("%s#%d", l.Source, l.Number)
	if l.Err != "" {
		reject(sample.RejectFunction(id, sample.StageRead, "unreadable", l.Err))
		return
	}
	var f runstats.FunctionOut
	if err := json.Unmarshal([]byte(l.Text), &f); err != nil {
		reject(sample.RejectFunction(id, sample.StageRead, "bad_row", err.Error()))
		return
	}
	if f.ID == "" || f.Name == "" || strings.TrimSpace(f.Code) == "" {
		reject(sample.RejectFunction(id, sample.StageRead, "bad_row", "a function row needs id, name and code"))
		return
	}
	emit(f.Function())
}

// Select keeps functions whose id or corpus-row id is in ids (all of them
// when ids is empty); the rest end as testgen rejects "not_selected".
func Select(s beam.Scope, functions beam.PCollection, ids []string) (selected, rejected beam.PCollection) {
	s = s.Scope("Select")
	return beam.ParDo2(s, &selectFn{IDs: ids}, functions)
}

type selectFn struct {
	IDs []string `json:"ids"`
	set map[string]bool
}

func (fn *selectFn) Setup() {
	fn.set = map[string]bool{}
	for _, id := range fn.IDs {
		fn.set[id] = true
	}
}

func (fn *selectFn) ProcessElement(ctx context.Context, f sample.Function, emit func(sample.Function), reject func(sample.Rejected)) {
	if len(fn.set) == 0 || fn.set[f.ID] || fn.set[f.Provenance.FileID] {
		progress.Add(progress.Selected, 1)
		emit(f)
		return
	}
	reject(sample.RejectFunction(f.ID, sample.StageTestgen, "not_selected", ""))
}
