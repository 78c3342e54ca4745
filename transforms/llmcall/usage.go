package llmcall

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// Usage sums the usage of a stage's concurrent LLM calls, so that their
// Beam metrics are recorded from the bundle's own goroutine afterwards: Beam's metric cells are not safe for concurrent use (two
// goroutines creating a counter in one bundle crash the process with a
// concurrent map write).
type Usage struct {
	role      llm.Role
	mu        sync.Mutex
	sums      [len(runstats.LLMUsage)]int64
	latencies []int64 // ms, one per call, for the latency distribution
}

// NewUsage returns an empty Usage for role's calls.
func NewUsage(role llm.Role) *Usage { return &Usage{role: role} }

// Add adds c's usage and returns its answers' cost as a sample's count. It
// is safe for concurrent use.
func (u *Usage) Add(c llm.Completion) sample.Tokens {
	u.mu.Lock()
	for i, v := range [len(runstats.LLMUsage)]int{c.PromptTokens, c.CompletionTokens, c.PaidPromptTokens,
		c.PaidCompletionTokens, c.Requests, c.Cached, 1, int(c.RequestTime.Microseconds())} {
		u.sums[i] += int64(v)
	}
	u.latencies = append(u.latencies, c.Latency.Milliseconds())
	u.mu.Unlock()
	return sample.Tokens{Prompt: c.PromptTokens, Completion: c.CompletionTokens}
}

// Record records what was added as Beam metrics under "llm_<role>" (see
// runstats.LLMUsage, plus the latency_ms distribution) and starts over. Call
// it from the bundle's goroutine.
func (u *Usage) Record(ctx context.Context) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.latencies) == 0 {
		return
	}
	for i, name := range runstats.LLMUsage {
		runstats.LLMCounter(string(u.role), name).Beam().Inc(ctx, u.sums[i])
	}
	latency := beam.NewDistribution(runstats.LLMNamespace(string(u.role)), runstats.LLMLatency)
	for _, ms := range u.latencies {
		latency.Update(ctx, ms)
	}
	u.sums, u.latencies = [len(runstats.LLMUsage)]int64{}, nil
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

// Fatal is the error that must stop the run, not end a sample, when an LLM
// call failed with err: the bundle was cancelled, the endpoint is in an
// outage (llm.ErrOutage), or the client is misconfigured (an error that is
// no *llm.Error, such as a role without parameters). An infrastructure
// fault is never a sample's outcome; nil means err is the sample's own (a
// refusal, a bad reply).
func Fatal(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if _, ok := errors.AsType[*llm.Error](err); !ok {
		return runstats.RecordStop(fmt.Errorf("LLM client misconfigured, run stopped: %w", err))
	}
	if errors.Is(err, llm.ErrOutage) {
		return runstats.RecordStop(fmt.Errorf("LLM endpoint unavailable, run stopped; answers already paid for are cached, "+
			"so a rerun with the same --llm_cache resumes without paying for them again: %w", err))
	}
	return nil
}
