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

// TestGenerateInFlight runs the testgen stage's DoFn over one bundle of 48
// samples, as Beam calls it (StartBundle, ProcessElement per sample,
// FinishBundle), against the replay server's capacity simulator (a real
// HTTP server) with 8 requests at a time and a pending limit of 16, inside
// a Beam metrics context. Every sample is emitted exactly once, with
// tests, and the role's counters count every call once. scripts/test.sh
// runs this package with -race: Beam's metric cells and emitters are not
// safe for concurrent use, so emitting or counting off the bundle's
// goroutine is a race.
func TestGenerateInFlight(t *testing.T) {
	ctx := context.Background()
	url, _, stop, err := replay.Start(ctx, nil, replay.Options{Simulator: &replay.Simulator{Concurrency: 8, Latency: 5 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	fn := &llmcall.StageFn[role]{LLM: llmcall.Params{Config: llm.Config{BaseURL: url, Model: "simulated", MaxConcurrency: 8,
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
	emit := func(x sample.Sample) { emitted = append(emitted, x) }
	reject := func(r sample.Rejected) { rejected = append(rejected, r) }
	fn.StartBundle(mctx, emit, reject)
	duringBundle := 0
	for _, x := range batch {
		if err := fn.ProcessElement(mctx, x, emit, reject); err != nil {
			t.Fatal(err)
		}
		duringBundle = len(emitted)
	}
	if err := fn.FinishBundle(mctx, emit, reject); err != nil {
		t.Fatal(err)
	}
	if len(emitted) != n || len(rejected) != 0 {
		t.Fatalf("%d emitted, %d rejected (%v)", len(emitted), len(rejected), rejected)
	}
	if duringBundle == 0 {
		t.Errorf("nothing was emitted before FinishBundle: 48 calls with 16 in flight at most must emit early")
	}
	seen := map[string]bool{}
	for _, x := range emitted {
		if seen[x.Function.ID] {
			t.Fatalf("sample %s emitted twice", x.Function.ID)
		}
		seen[x.Function.ID] = true
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
