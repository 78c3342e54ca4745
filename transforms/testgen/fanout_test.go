package testgen

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/llmcall"
)

// TestGenerateBatchConcurrently runs the testgen DoFn on one batch of 48
// samples, whose LLM calls run concurrently, against the replay server's
// capacity simulator (a real HTTP server), inside a Beam metrics context.
// Every sample gets tests, and the role's counters count every call once.
// scripts/test.sh runs this package with -race: Beam's metric cells are
// not safe for concurrent use, so counting inside the fan-out is a race
// (and, rarely, a "concurrent map writes" crash).
func TestGenerateBatchConcurrently(t *testing.T) {
	ctx := context.Background()
	url, _, stop, err := replay.Start(ctx, nil, replay.Options{Simulator: &replay.Simulator{Concurrency: 64}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	fn := &generateFn{LLM: llmcall.Params{Config: llm.Config{BaseURL: url, Model: "simulated", MaxConcurrency: 64,
		Timeout: time.Minute, BackoffBase: 10 * time.Millisecond,
		Roles: map[llm.Role]llm.RoleParams{llm.RoleTestgen: {MaxTokens: 1024, N: 1}}}}}
	if err := fn.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 48
	var batch []sample.Sample
	for i := range n {
		code := fmt.Sprintf("def f%d(x):\n    return x + %d\n", i, i)
		batch = append(batch, sample.Sample{Function: sample.Function{ID: fmt.Sprintf("fn_%d", i), Name: fmt.Sprintf("f%d", i), Code: code}, Code: code})
	}
	mctx := metrics.SetPTransformID(metrics.SetBundleID(ctx, "bundle"), "GenerateTests")
	var emitted []sample.Sample
	var rejected []sample.Rejected
	err = fn.ProcessElement(mctx, 0, batch, func(x sample.Sample) { emitted = append(emitted, x) },
		func(r sample.Rejected) { rejected = append(rejected, r) })
	if err != nil || len(emitted) != n || len(rejected) != 0 {
		t.Fatalf("err %v, %d emitted, %d rejected (%v)", err, len(emitted), len(rejected), rejected)
	}
	for _, x := range emitted {
		if len(x.TestNames) == 0 || x.Tokens.Completion == 0 {
			t.Fatalf("sample %s: tests %v, tokens %+v", x.Function.ID, x.TestNames, x.Tokens)
		}
	}
	got := map[string]int64{}
	err = metrics.Extractor{SumInt64: func(l metrics.Labels, v int64) { got[l.Namespace()+"/"+l.Name()] = v }}.
		ExtractFrom(metrics.GetStore(mctx))
	if err != nil {
		t.Fatal(err)
	}
	if got["llm_testgen/calls"] != n || got["testgen/generated"] != n {
		t.Errorf("counters %v: want llm_testgen/calls and testgen/generated = %d", got, n)
	}
}
