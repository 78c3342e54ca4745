package stage

import (
	"context"
	"errors"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/transforms/sample"
)

// Usage collects the completions of one ProcessElement's concurrent LLM
// calls, so that their Beam metrics are recorded from the DoFn's own
// goroutine afterwards: Beam's metric cells are not safe for concurrent
// use (two goroutines creating a counter in one bundle crash the process
// with a concurrent map write).
type Usage struct {
	role  llm.Role
	mu    sync.Mutex
	calls []llm.Completion
}

// NewUsage returns an empty Usage for role's calls.
func NewUsage(role llm.Role) *Usage { return &Usage{role: role} }

// Add keeps c for Record and returns its answers' cost as a sample's
// count. It is safe for concurrent use.
func (u *Usage) Add(c llm.Completion) sample.Tokens {
	u.mu.Lock()
	u.calls = append(u.calls, c)
	u.mu.Unlock()
	return sample.Tokens{Prompt: c.PromptTokens, Completion: c.CompletionTokens}
}

// Record records every added completion as Beam metrics under the role's
// name: tokens (what the answers cost, and what this run paid), requests,
// cache hits, calls and latency. Call it from the ProcessElement goroutine
// once the fan-out is over.
func (u *Usage) Record(ctx context.Context) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, c := range u.calls {
		account(ctx, u.role, c)
	}
	u.calls = nil
}

func account(ctx context.Context, role llm.Role, c llm.Completion) {
	ns := "llm_" + string(role)
	beam.NewCounter(ns, "prompt_tokens").Inc(ctx, int64(c.PromptTokens))
	beam.NewCounter(ns, "completion_tokens").Inc(ctx, int64(c.CompletionTokens))
	beam.NewCounter(ns, "paid_prompt_tokens").Inc(ctx, int64(c.PaidPromptTokens))
	beam.NewCounter(ns, "paid_completion_tokens").Inc(ctx, int64(c.PaidCompletionTokens))
	beam.NewCounter(ns, "requests").Inc(ctx, int64(c.Requests))
	beam.NewCounter(ns, "cached_candidates").Inc(ctx, int64(c.Cached))
	beam.NewCounter(ns, "calls").Inc(ctx, 1)
	beam.NewDistribution(ns, "latency_ms").Update(ctx, c.Latency.Milliseconds())
}

// ParseReason is the reject reason for a reply without usable code:
// "parse:<reason>".
func ParseReason(err error) string {
	var pe *llm.ParseError
	if errors.As(err, &pe) {
		return "parse:" + string(pe.Reason)
	}
	return "parse:other"
}
