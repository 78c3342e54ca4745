package decontam

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.Function1x1(functionID)
}

func functionID(f sample.Function) string { return f.ID }

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func TestDecontaminatePipeline(t *testing.T) {
	demo := demoFunctions(t)[:200]
	rows := humanEvalRows(t)
	fns := append([]sample.Function(nil), demo...)
	var wantKept []string
	for _, f := range demo {
		wantKept = append(wantKept, f.ID)
	}
	var wantRejected []sample.Rejected
	plant := func(id, code, task string) {
		fns = append(fns, sample.Function{ID: id, Code: code})
		wantRejected = append(wantRejected, sample.Rejected{ID: id, Unit: sample.UnitFunction,
			Stage: sample.StageDecontaminate, Reason: ReasonOverlap, Detail: task})
	}
	plant("he0-verbatim", rows[0].Prompt+rows[0].CanonicalSolution, "HumanEval/0 (body)")
	plant("he12-disguised", disguise(rows[12].Prompt+rows[12].CanonicalSolution), "HumanEval/12 (body)")
	plant("he80-body", disguise("def happy(*args):\n"+rows[80].CanonicalSolution), "HumanEval/80 (ngram)")
	plant("he129-verbatim", rows[129].Prompt+rows[129].CanonicalSolution, "HumanEval/129 (body)")
	plant("he23-renamed", "def size(s: str) -> int:\n    return len(s)\n", "HumanEval/23 (body)")
	// A bad element must not stop the stage.
	fns = append(fns, sample.Function{ID: "garbage", Code: "\x00\xff'''(((["})
	wantKept = append(wantKept, "garbage")

	p, s := beam.NewPipelineWithRoot()
	kept, rejected := Decontaminate(s, beam.CreateList(s, fns), Params{Paths: []string{humanEvalPath(t)}})
	passert.Equals(s, beam.ParDo(s, functionID, kept), anySlice(wantKept)...)
	passert.Equals(s, rejected, anySlice(wantRejected)...)
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
}

func TestDecontaminateNoBenchmarks(t *testing.T) {
	fns := demoFunctions(t)[:20]
	var ids []string
	for _, f := range fns {
		ids = append(ids, f.ID)
	}
	p, s := beam.NewPipelineWithRoot()
	kept, rejected := Decontaminate(s, beam.CreateList(s, fns), Params{})
	passert.Equals(s, beam.ParDo(s, functionID, kept), anySlice(ids)...)
	passert.Empty(s, rejected)
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name    string
		p       Params
		wantErr string
	}{
		{"defaults", Params{}.WithDefaults(), ""},
		{"benchmarks", Params{Paths: []string{filepath.Join("testdata", "mbpp.jsonl")}}.WithDefaults(), ""},
		{"missing file", Params{Paths: []string{filepath.Join("testdata", "nope.jsonl")}}.WithDefaults(), "no such file"},
		{"negative n", Params{N: -1}.WithDefaults(), "N -1"},
		{"coverage above 1", Params{MinCoverage: 2}.WithDefaults(), "MinCoverage"},
		{"negative overlap", Params{MinOverlap: -3}.WithDefaults(), "MinOverlap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestDecontaminatePanicsOnBadParams(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic for a missing benchmark file")
		}
	}()
	_, s := beam.NewPipelineWithRoot()
	Decontaminate(s, beam.Create(s, sample.Function{ID: "x"}), Params{Paths: []string{"testdata/nope.jsonl"}})
}

func TestCachedIndexSharesOneLoad(t *testing.T) {
	p := Params{Paths: []string{filepath.Join("testdata", "mbpp.jsonl")}}.WithDefaults()
	a, err := cachedIndex(p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cachedIndex(p)
	if a != b {
		t.Error("same params loaded twice")
	}
	p.MinCoverage = 0.9
	c, _ := cachedIndex(p)
	if c == a || c.MinCoverage != 0.9 {
		t.Error("different params share an index")
	}
}
