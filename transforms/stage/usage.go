package stage

import (
	"context"
	"errors"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/transforms/sample"
)

// Usage sums the usage of one ProcessElement's concurrent LLM calls, so
// that their Beam metrics are recorded from the DoFn's own goroutine
// afterwards: Beam's metric cells are not safe for concurrent use (two
// goroutines creating a counter in one bundle crash the process with a
// concurrent map write).
type Usage struct {
	role      llm.Role
	mu        sync.Mutex
	sums      [len(usageCounters)]int64
	latencies []int64 // ms, one per call, for the latency distribution
}

// usageCounters are the Beam counters Record sets, in the order of
// Usage.sums: tokens (what the answers cost, and what this run paid),
// requests, cache hits and calls.
var usageCounters = [...]string{"prompt_tokens", "completion_tokens", "paid_prompt_tokens",
	"paid_completion_tokens", "requests", "cached_candidates", "calls"}

// NewUsage returns an empty Usage for role's calls.
func NewUsage(role llm.Role) *Usage { return &Usage{role: role} }

// Add adds c's usage and returns its answers' cost as a sample's count. It
// is safe for concurrent use.
func (u *Usage) Add(c llm.Completion) sample.Tokens {
	u.mu.Lock()
	for i, v := range [len(usageCounters)]int{c.PromptTokens, c.CompletionTokens, c.PaidPromptTokens,
		c.PaidCompletionTokens, c.Requests, c.Cached, 1} {
		u.sums[i] += int64(v)
	}
	u.latencies = append(u.latencies, c.Latency.Milliseconds())
	u.mu.Unlock()
	return sample.Tokens{Prompt: c.PromptTokens, Completion: c.CompletionTokens}
}

// Record records what was added as Beam metrics under "llm_<role>" (see
// usageCounters, plus the latency_ms distribution) and starts over. Call
// it from the ProcessElement goroutine once the fan-out is over.
func (u *Usage) Record(ctx context.Context) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.latencies) == 0 {
		return
	}
	ns := "llm_" + string(u.role)
	for i, name := range usageCounters {
		beam.NewCounter(ns, name).Inc(ctx, u.sums[i])
	}
	latency := beam.NewDistribution(ns, "latency_ms")
	for _, ms := range u.latencies {
		latency.Update(ctx, ms)
	}
	u.sums, u.latencies = [len(usageCounters)]int64{}, nil
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
