package llmcall

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/sample"
)

// TestUsageRecordsFromOneGoroutine adds completions from many goroutines
// (as the LLM stages' fan-out does) and records them afterwards in a real
// Beam metrics context: each sample gets its own cost back, and the
// counters hold the sums.
func TestUsageRecordsFromOneGoroutine(t *testing.T) {
	ctx := metrics.SetPTransformID(metrics.SetBundleID(context.Background(), "bundle"), "testgen")
	u := NewUsage(llm.RoleTestgen)
	const n = 64
	var wg sync.WaitGroup
	tokens := make([]sample.Tokens, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tokens[i] = u.Add(llm.Completion{PromptTokens: 10 + i, CompletionTokens: 1, PaidPromptTokens: 10 + i,
				PaidCompletionTokens: 1, Requests: 2, Cached: 1, Latency: time.Millisecond})
		}()
	}
	wg.Wait()
	for i, tk := range tokens {
		if tk != (sample.Tokens{Prompt: 10 + i, Completion: 1}) {
			t.Fatalf("sample %d got %+v", i, tk)
		}
	}
	u.Record(ctx)
	u.Record(ctx) // a second Record adds nothing: the calls were recorded
	got := map[string]int64{}
	err := metrics.Extractor{SumInt64: func(l metrics.Labels, v int64) {
		if l.Namespace() == "llm_testgen" {
			got[l.Name()] = v
		}
	}}.ExtractFrom(metrics.GetStore(ctx))
	if err != nil {
		t.Fatal(err)
	}
	prompt := int64(n*10 + n*(n-1)/2)
	want := map[string]int64{"prompt_tokens": prompt, "completion_tokens": n, "paid_prompt_tokens": prompt,
		"paid_completion_tokens": n, "requests": 2 * n, "cached_candidates": n, "calls": n}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("counter %s = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
}
