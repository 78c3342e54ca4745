package llm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

func TestFaultsAreRetriedOrClassified(t *testing.T) {
	for _, tc := range []struct {
		name         string
		rule         replay.FaultRule
		timeout      time.Duration
		wantKind     llm.Kind // "" = success
		wantRequests int      // for outages, the least number of requests
		wantReason   string
	}{
		{"429 burst", replay.FaultRule{Mode: replay.Fault429, First: 3}, 0, "", 4, ""},
		{"500s", replay.FaultRule{Mode: replay.Fault500, First: 2}, 0, "", 3, ""},
		{"connection resets", replay.FaultRule{Mode: replay.FaultReset, First: 2}, 0, "", 3, ""},
		{"slower than timeout", replay.FaultRule{Mode: replay.FaultSlow, First: 1, Delay: 3 * time.Second}, 200 * time.Millisecond, "", 2, ""},
		// Infrastructure failures never end a call as a sample reject:
		// past its retry budget it waits, then gives up with ErrOutage.
		{"500 forever", replay.FaultRule{Mode: replay.Fault500, First: 1000}, 0, llm.KindOutage, 5, "llm:outage:server_error"},
		{"resets forever", replay.FaultRule{Mode: replay.FaultReset, First: 1000}, 0, llm.KindOutage, 5, "llm:outage:connection"},
		{"401 forever", replay.FaultRule{Mode: replay.FaultEcho, First: 1000}, 0, llm.KindOutage, 5, "llm:outage:auth"},
		{"429 forever", replay.FaultRule{Mode: replay.Fault429, First: 1000}, 0, llm.KindOutage, 5, "llm:outage:rate_limited"},
		{"malformed json", replay.FaultRule{Mode: replay.FaultMalformed, First: 1}, 0, llm.KindMalformed, 1, "llm:malformed_response"},
		{"truncated", replay.FaultRule{Mode: replay.FaultTruncated, First: 1}, 0, llm.KindTruncated, 1, "llm:truncated"},
		{"empty choices", replay.FaultRule{Mode: replay.FaultEmpty, First: 1}, 0, llm.KindEmpty, 1, "llm:empty_choices"},
		{"401 once", replay.FaultRule{Mode: replay.FaultEcho, First: 1}, 0, "", 2, ""},
		{"every 2nd 500", replay.FaultRule{Mode: replay.Fault500, Every: 2}, 0, "", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, srv := simServer(t, replay.Options{Faults: []replay.FaultRule{tc.rule}})
			cfg := fastConfig(url, 1)
			if tc.timeout > 0 {
				cfg.Timeout = tc.timeout
			}
			c := newClient(t, cfg)
			got, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(1))
			if tc.wantKind == llm.KindOutage {
				if got.Requests < tc.wantRequests || int(srv.Stats().Total) < tc.wantRequests {
					t.Errorf("requests: client %d, server %d; want at least %d", got.Requests, srv.Stats().Total, tc.wantRequests)
				}
			} else if got.Requests != tc.wantRequests || int(srv.Stats().Total) < tc.wantRequests {
				t.Errorf("requests: client %d, server %d; want %d", got.Requests, srv.Stats().Total, tc.wantRequests)
			}
			if tc.wantKind == "" {
				if err != nil || len(got.Texts) != 1 {
					t.Fatalf("err %v, texts %d; want success", err, len(got.Texts))
				}
				if got.Retries != tc.wantRequests-1 || got.CompletionTokens == 0 {
					t.Errorf("retries %d tokens %d; want %d retries and counted tokens", got.Retries, got.CompletionTokens, tc.wantRequests-1)
				}
				return
			}
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != tc.wantKind {
				t.Fatalf("err %v; want kind %s", err, tc.wantKind)
			}
			if r := llm.Reason(err); r != tc.wantReason {
				t.Errorf("reason %q, want %q", r, tc.wantReason)
			}
			if errors.Is(err, llm.ErrOutage) != (tc.wantKind == llm.KindOutage) || errors.Is(err, llm.ErrRetryBudget) {
				t.Errorf("errors.Is(ErrOutage) wrong, or ErrRetryBudget matched, for %v", err)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	url, srv := simServer(t, replay.Options{Faults: []replay.FaultRule{{Mode: replay.Fault429, First: 1, RetryAfter: time.Second}}})
	cfg := fastConfig(url, 1)
	cfg.BackoffMax = 5 * time.Second // the 1ms backoff alone would retry at once
	got, err := newClient(t, cfg).Complete(context.Background(), llm.RoleTestgen, prompt(1))
	if err != nil || got.Requests != 2 || srv.Stats().ByStatus[429] != 1 {
		t.Fatalf("err %v requests %d stats %+v", err, got.Requests, srv.Stats())
	}
	if got.Latency < time.Second {
		t.Errorf("retried after %s, before the server's Retry-After of 1s", got.Latency)
	}
}

func TestCanceledContextStopsRetrying(t *testing.T) {
	url, _ := simServer(t, replay.Options{Faults: []replay.FaultRule{{Mode: replay.Fault429, First: 1000, RetryAfter: 10 * time.Second}}})
	cfg := fastConfig(url, 1)
	cfg.BackoffMax = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := newClient(t, cfg).Complete(ctx, llm.RoleTestgen, prompt(1))
	if llm.Reason(err) != "llm:canceled" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v (reason %s); want canceled wrapping the deadline", err, llm.Reason(err))
	}
}

func TestFallbackWhenServerIgnoresN(t *testing.T) {
	url, srv := simServer(t, replay.Options{IgnoreN: true})
	got, err := newClient(t, fastConfig(url, 3)).Complete(context.Background(), llm.RoleFix, prompt(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Texts) != 3 || got.Requests != 3 || srv.Stats().Total != 3 {
		t.Fatalf("texts %d requests %d server %d; want 3 candidates from 3 requests", len(got.Texts), got.Requests, srv.Stats().Total)
	}
	if got.Texts[0] == got.Texts[1] || got.Texts[1] == got.Texts[2] {
		t.Errorf("fallback candidates repeat: %q", got.Texts)
	}
}

func TestSharedConcurrencyLimit(t *testing.T) {
	url, srv := simServer(t, replay.Options{Simulator: &replay.Simulator{Concurrency: 100, Latency: 30 * time.Millisecond}})
	cfg := fastConfig(url, 1)
	cfg.MaxConcurrency = 4
	a, b := newClient(t, cfg), newClient(t, cfg) // two clients, one endpoint
	var wg sync.WaitGroup
	for i := range 24 {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Go(func() {
			if _, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := srv.Stats().MaxConcurrent; m > 4 || m < 2 {
		t.Errorf("server saw %d concurrent requests; want at most the shared limit 4 (and some overlap)", m)
	}
}

func TestConfigIsValidated(t *testing.T) {
	ok := fastConfig("http://127.0.0.1:1/v1", 1)
	for _, tc := range []struct {
		name string
		edit func(*llm.Config)
		want string
	}{
		{"no url", func(c *llm.Config) { c.BaseURL = "" }, "base URL is empty"},
		{"bad scheme", func(c *llm.Config) { c.BaseURL = "ftp://x" }, "not http"},
		{"no model", func(c *llm.Config) { c.Model = "" }, "model is empty"},
		{"negative n", func(c *llm.Config) { c.Roles = map[llm.Role]llm.RoleParams{llm.RoleFix: {N: -1}} }, "negative"},
	} {
		cfg := ok
		tc.edit(&cfg)
		if _, err := llm.NewClient(cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
	c := newClient(t, ok)
	cfg := ok
	cfg.Roles = map[llm.Role]llm.RoleParams{}
	if _, err := newClient(t, cfg).Complete(context.Background(), llm.RoleFix, prompt(1)); err == nil || !strings.Contains(err.Error(), "no parameters") {
		t.Errorf("unconfigured role: err %v", err)
	}
	if _, err := c.Complete(context.Background(), llm.RoleFix, nil); err == nil {
		t.Error("no messages: want an error")
	}
}
