package llm_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// TestAPIKeyNeverLeaks sends a distinctive key to servers that echo the
// request headers in their error (401) or fail in other ways, and checks
// the key appears in no error string and no log line.
func TestAPIKeyNeverLeaks(t *testing.T) {
	const key = "sk-unitcoder-DISTINCTIVE-7f3a9c"
	const other = "sk-ambient-OPENAI-KEY-41b2"
	t.Setenv("UNITCODER_TEST_KEY", key)
	t.Setenv("OPENAI_API_KEY", other) // must not be sent when another env is configured
	for _, tc := range []struct {
		name   string
		faults []replay.FaultRule
	}{
		// 401s are retried (auth is an endpoint fault) until the call
		// gives up with ErrOutage, whose message holds the last cause.
		{"401 echoing headers", []replay.FaultRule{{Mode: replay.FaultEcho, First: 100}}},
		{"429 then echo", []replay.FaultRule{{Mode: replay.Fault429, First: 2}, {Mode: replay.FaultEcho, First: 100}}},
		{"500 budget", []replay.FaultRule{{Mode: replay.Fault500, First: 100}}},
		{"resets", []replay.FaultRule{{Mode: replay.FaultReset, First: 100}}},
		{"malformed", []replay.FaultRule{{Mode: replay.FaultMalformed, First: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			url, _ := simServer(t, replay.Options{Faults: tc.faults})
			cfg := fastConfig(url, 1)
			cfg.APIKeyEnv = "UNITCODER_TEST_KEY"
			cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			_, err := newClient(t, cfg).Complete(context.Background(), llm.RoleTestgen, prompt(1))
			if err == nil {
				t.Fatal("want an error")
			}
			text := err.Error() + "\n" + logs.String() + "\n" + llm.Reason(err)
			for _, secret := range []string{key, other, "DISTINCTIVE", "OPENAI-KEY"} {
				if strings.Contains(text, secret) {
					t.Fatalf("secret %q leaked:\n%s", secret, text)
				}
			}
			if strings.Contains(tc.name, "echo") && !strings.Contains(err.Error(), "Bearer [redacted]") {
				t.Errorf("the server echoed the headers, so the error should show the redacted key: %v", err)
			}
		})
	}
}
