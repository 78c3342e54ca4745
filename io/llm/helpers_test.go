package llm_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// simServer starts a replay server in simulator mode (it answers any
// prompt) with the given options.
func simServer(t testing.TB, opts replay.Options) (string, *replay.Server) {
	t.Helper()
	if opts.Simulator == nil {
		opts.Simulator = &replay.Simulator{Concurrency: 64}
	}
	url, srv, stop, err := replay.Start(context.Background(), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url, srv
}

// fastConfig retries quickly, and gives up on a failing endpoint after
// half a second, so fault tests stay short.
func fastConfig(url string, n int) llm.Config {
	p := llm.RoleParams{Temperature: 0.2, MaxTokens: 512, N: n}
	return llm.Config{BaseURL: url, Model: "m", APIKeyEnv: "UNITCODER_TEST_NO_KEY",
		Roles:       map[llm.Role]llm.RoleParams{llm.RoleTestgen: p, llm.RoleFix: p, llm.RoleRefine: p},
		Logger:      slog.New(slog.DiscardHandler),
		BackoffBase: time.Millisecond, BackoffMax: 20 * time.Millisecond, MaxRetries: 4, Timeout: 5 * time.Second,
		OutageTimeout: 500 * time.Millisecond, ProbeIntervalMax: 50 * time.Millisecond}
}

func newClient(t testing.TB, cfg llm.Config) *llm.Client {
	t.Helper()
	c, err := llm.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Test servers come and go on reused ports; a later one must not
	// find this one's breaker.
	t.Cleanup(func() { llm.ForgetEndpoint(cfg.BaseURL) })
	return c
}

func prompt(i int) []llm.Message { return promptFor(llm.RoleTestgen, i) }

// promptFor is a small marked prompt; the simulator answers any prompt.
func promptFor(role llm.Role, i int) []llm.Message {
	return []llm.Message{{Role: "system", Content: llm.RoleMarker(role)},
		{Role: "user", Content: "```python\ndef f():\n    return " + itoa(i) + "\n```"}}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
