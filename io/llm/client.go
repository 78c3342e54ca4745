package llm

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// Completion is the result of one Complete call. Token counts cover the
// requests actually made (cache hits cost nothing); the pipeline turns
// them into Beam metrics.
type Completion struct {
	Texts []string // candidates, in candidate-index order
	// PromptTokens and CompletionTokens are what the returned candidates
	// cost when they were generated, whether now or in a cached earlier
	// run, so they do not depend on the cache's state.
	PromptTokens     int
	CompletionTokens int
	// PaidPromptTokens and PaidCompletionTokens are summed over the
	// requests this call made.
	PaidPromptTokens     int
	PaidCompletionTokens int
	Latency              time.Duration // wall time of the call, retries included
	// RequestTime is the summed duration of the call's HTTP requests,
	// each from the moment it held an endpoint slot: the server's busy
	// time, without queueing for a slot or backing off.
	RequestTime time.Duration
	Cached      int // candidates served from the cache
	Requests    int // HTTP attempts made, retries included
	Retries     int // attempts that failed and were retried
	Truncated   int // candidates dropped: finish_reason "length"
	// OutageWait is the time the call spent held by its endpoint's open
	// circuit breaker (see Outages).
	OutageWait time.Duration
}

// Client calls an OpenAI-compatible chat completions endpoint. It is safe
// for concurrent use.
type Client struct {
	cfg     Config
	api     openai.Client
	limit   *limiter
	breaker *breaker
	key     string
}

// NewClient validates cfg and builds a client. The SDK's own retries are
// disabled: the client retries itself so it can honour Retry-After per
// attempt, release its endpoint slot while waiting, and classify failures.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	key := cfg.apiKey()
	transport := &http.Transport{Proxy: http.ProxyFromEnvironment}
	if t, ok := http.DefaultTransport.(*http.Transport); ok { // not when wrapped, e.g. by otelhttp
		transport = t.Clone()
	}
	// The default of 2 idle connections per host would make every request
	// beyond the second open a new connection.
	transport.MaxIdleConnsPerHost = cfg.MaxConcurrency
	transport.MaxIdleConns = cfg.MaxConcurrency * 2
	opts := []option.RequestOption{
		option.WithBaseURL(strings.TrimSuffix(cfg.BaseURL, "/") + "/"),
		option.WithMaxRetries(0),
		option.WithHTTPClient(&http.Client{Transport: transport}),
		// Always set (even empty): it overrides the SDK's own read of
		// OPENAI_API_KEY, so only the configured variable is ever sent.
		option.WithAPIKey(key),
	}
	return &Client{
		cfg:     cfg,
		api:     openai.NewClient(opts...),
		limit:   sharedLimiter(cfg.endpoint(), cfg.MaxConcurrency),
		breaker: sharedBreaker(cfg),
		key:     key,
	}, nil
}

// redact removes the API key from text that may have come from the server.
func (c *Client) redact(s string) string {
	if c.key == "" {
		return s
	}
	return strings.ReplaceAll(s, c.key, "[redacted]")
}

// Complete asks for the role's N candidates. Candidates found in the cache
// are not requested again; the rest are requested with n set, and if the
// server returns fewer choices than asked, further requests make up the
// difference (see fill). Fewer than N texts come back only when the server
// keeps repeating itself or truncates.
func (c *Client) Complete(ctx context.Context, role Role, messages []Message) (Completion, error) {
	start := time.Now()
	p, err := c.cfg.params(role)
	if err != nil {
		return Completion{}, err
	}
	if len(messages) == 0 {
		return Completion{}, fmt.Errorf("llm %s: no messages", role)
	}
	var out Completion
	slots, err := c.cachedSlots(ctx, p, messages, &out)
	if err != nil {
		return out, err
	}
	if err := refusal(slots); err != nil {
		out.Latency = time.Since(start)
		return out, fmt.Errorf("llm %s: %w", role, err)
	}
	if err := c.fill(ctx, p, messages, slots, &out); err != nil {
		out.Latency = time.Since(start)
		return out, fmt.Errorf("llm %s: %w", role, err)
	}
	out.Latency = time.Since(start)
	for _, s := range slots {
		if s.entry != nil {
			out.PromptTokens += s.entry.PromptTokens
			out.CompletionTokens += s.entry.CompletionTokens
		}
		switch {
		case s.entry == nil || s.entry.Missing || s.entry.Refused != "":
		case s.entry.FinishReason == "length":
			out.Truncated++
		default:
			out.Texts = append(out.Texts, s.entry.Text)
		}
	}
	if len(out.Texts) == 0 && out.Truncated > 0 {
		return out, fmt.Errorf("llm %s: %w", role, &Error{Kind: KindTruncated, Attempts: out.Requests,
			Err: fmt.Errorf("all %d candidate(s) stopped at max_tokens=%d", out.Truncated, p.MaxTokens)})
	}
	return out, nil
}
