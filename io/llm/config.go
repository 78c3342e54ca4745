package llm

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
)

// Role names one of the pipeline's LLM stages. Each role has its own prompt
// template and sampling parameters.
type Role string

// The roles the pipeline uses.
const (
	RoleTestgen Role = "testgen"
	RoleFix     Role = "fix"
	RoleRefine  Role = "refine"
)

// Roles lists every role in pipeline order.
var Roles = []Role{RoleTestgen, RoleFix, RoleRefine}

// Message is one chat message ("system", "user" or "assistant").
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// RoleParams are the sampling parameters of one role.
type RoleParams struct {
	Temperature float64  `json:"temperature"`
	MaxTokens   int      `json:"max_tokens"`
	N           int      `json:"n"` // candidates per call; 0 means 1
	Stop        []string `json:"stop,omitempty"`
}

// DefaultAPIKeyEnvs are the environment variables read, in order, when
// Config.APIKeyEnv is empty.
var DefaultAPIKeyEnvs = []string{"UNITCODER_LLM_API_KEY", "OPENAI_API_KEY"}

// Config configures a Client. Zero durations and counts take the defaults
// documented on each field. Everything but Cache and Logger is plain data,
// so a Config travels to workers inside a DoFn as it is.
type Config struct {
	BaseURL   string              `json:"base_url"` // e.g. http://vllm:8000/v1
	Model     string              `json:"model"`
	APIKeyEnv string              `json:"api_key_env,omitempty"` // env var holding the key; "" = DefaultAPIKeyEnvs
	Roles     map[Role]RoleParams `json:"roles"`

	// MaxConcurrency bounds in-flight HTTP requests per endpoint across the
	// whole process (default 64). The first client created for an endpoint
	// fixes the bound for that endpoint.
	MaxConcurrency int           `json:"max_concurrency"`
	Timeout        time.Duration `json:"timeout"` // per HTTP attempt (default 10m)
	// MaxRetries is the number of retries (after the first attempt) a
	// call makes on infrastructure failures and rate limits before it is
	// "stalled" (default 6; <0 = none). A stalled call logs a warning and
	// goes on retrying at BackoffMax; it never fails on these causes
	// except with ErrOutage, once it has also been failing for
	// OutageTimeout.
	MaxRetries  int           `json:"max_retries"`
	BackoffBase time.Duration `json:"backoff_base,omitempty"` // first backoff (default 1s)
	BackoffMax  time.Duration `json:"backoff_max,omitempty"`  // backoff and Retry-After cap (default 60s)

	// OutageTimeout is how long an endpoint may keep failing before calls
	// give up with ErrOutage (default 5m): measured from when the
	// endpoint's breaker opened for calls held by it, and from a call's
	// first failure for a call failing on its own. Like MaxConcurrency,
	// the breaker settings of the first client created for an endpoint
	// hold for the whole process.
	OutageTimeout time.Duration `json:"outage_timeout,omitempty"`
	// BreakerThreshold is the number of consecutive infrastructure
	// failures, over all calls to the endpoint, that opens its breaker
	// (default 5).
	BreakerThreshold int `json:"breaker_threshold,omitempty"`
	// ProbeIntervalMax caps the growing wait between probe requests while
	// the breaker is open (default 5s; the first wait is BackoffBase).
	ProbeIntervalMax time.Duration `json:"probe_interval_max,omitempty"`
	// MaxFallbackRequests bounds the extra requests made when a server
	// returns fewer choices than n (default 8).
	MaxFallbackRequests int          `json:"max_fallback_requests,omitempty"`
	Cache               *Cache       `json:"-"` // nil = no cache
	Logger              *slog.Logger `json:"-"` // nil = slog.Default(); the key is never logged
}

// Concurrency is the in-flight request bound in effect: MaxConcurrency,
// or its default.
func (c Config) Concurrency() int { return c.withDefaults().MaxConcurrency }

func (c Config) withDefaults() Config {
	if c.MaxConcurrency <= 0 {
		c.MaxConcurrency = 64
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Minute
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = 6
	} else if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = time.Second
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = 60 * time.Second
	}
	if c.OutageTimeout <= 0 {
		c.OutageTimeout = 5 * time.Minute
	}
	if c.BreakerThreshold <= 0 {
		c.BreakerThreshold = 5
	}
	if c.ProbeIntervalMax <= 0 {
		c.ProbeIntervalMax = 5 * time.Second
	}
	if c.MaxFallbackRequests <= 0 {
		c.MaxFallbackRequests = 8
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func (c Config) validate() error {
	if c.BaseURL == "" {
		return fmt.Errorf("llm config: base URL is empty")
	}
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("llm config: base URL %q is not http(s)", c.BaseURL)
	}
	if c.Model == "" {
		return fmt.Errorf("llm config: model is empty")
	}
	for role, p := range c.Roles {
		if p.N < 0 || p.MaxTokens < 0 || p.Temperature < 0 {
			return fmt.Errorf("llm config: role %s: negative n, max_tokens or temperature", role)
		}
	}
	return nil
}

// endpoint is the base URL without a trailing slash: the key of the
// process-wide limiter and breaker.
func (c Config) endpoint() string { return strings.TrimSuffix(c.BaseURL, "/") }

// apiKey reads the key from the configured environment variable(s).
func (c Config) apiKey() string {
	envs := DefaultAPIKeyEnvs
	if c.APIKeyEnv != "" {
		envs = []string{c.APIKeyEnv}
	}
	for _, e := range envs {
		if v := os.Getenv(e); v != "" {
			return v
		}
	}
	return ""
}

// params returns the role's parameters with n defaulted to 1.
func (c Config) params(role Role) (RoleParams, error) {
	p, ok := c.Roles[role]
	if !ok {
		return RoleParams{}, fmt.Errorf("llm: no parameters configured for role %q", role)
	}
	if p.N <= 0 {
		p.N = 1
	}
	return p, nil
}
