package replay_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/sandbox"
)

// TestSimulatorRepliesByRole: prompts rendered from the real templates get
// a unittest class that passes against the code and runs it (testgen: the
// sandbox, coverage on, says pass and not vacuous) or their own code back
// (fix, refine);
// an unmarked prompt gets the generic function. Replies of different
// requests differ.
func TestSimulatorRepliesByRole(t *testing.T) {
	url, _, stop, err := replay.Start(context.Background(), nil, replay.Options{Simulator: &replay.Simulator{Concurrency: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	p := llm.RoleParams{Temperature: 0.2, MaxTokens: 512, N: 1}
	client, err := llm.NewClient(llm.Config{BaseURL: url, Model: "m", APIKeyEnv: "UNITCODER_TEST_NO_KEY",
		Roles:  map[llm.Role]llm.RoleParams{llm.RoleTestgen: p, llm.RoleFix: p, llm.RoleRefine: p},
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	prompts, err := llm.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	// area raises on the placeholder argument; scale needs a keyword.
	code := "import math\n\n\ndef area(r):\n    return math.pi * r * r\n\n\ndef scale(xs, *, by, step=1):\n    return [x * by for x in xs]\n"
	in := llm.PromptInput{Code: code, Tests: "import unittest\n",
		Failures: []llm.TestFailure{{Name: "TestCases.test_a", Traceback: "AssertionError"}}}
	for _, tc := range []struct {
		role  llm.Role
		check func(t *testing.T, reply string)
	}{
		{llm.RoleTestgen, passesAndRuns(code)},
		{llm.RoleFix, echoes(code)},
		{llm.RoleRefine, echoes(code)},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			msgs, err := prompts.Render(tc.role, in)
			if err != nil {
				t.Fatal(err)
			}
			first := complete(t, client, tc.role, msgs)
			tc.check(t, first)
			if second := complete(t, client, tc.role, msgs); second == first {
				t.Errorf("two requests got the same reply %q", first)
			}
		})
	}
	t.Run("unmarked", func(t *testing.T) {
		reply := complete(t, client, llm.RoleTestgen, []llm.Message{{Role: "user", Content: "hello"}})
		if !strings.HasPrefix(reply, "def simulated():") {
			t.Errorf("unmarked prompt: got %q, want the generic function", reply)
		}
	})
}

func complete(t *testing.T, c *llm.Client, role llm.Role, msgs []llm.Message) string {
	t.Helper()
	got, err := c.Complete(context.Background(), role, msgs)
	if err != nil || len(got.Texts) != 1 {
		t.Fatalf("complete: %v, %d texts", err, len(got.Texts))
	}
	code, err := llm.ExtractCode(got.Texts[0])
	if err != nil {
		t.Fatalf("reply is not a code block: %v", err)
	}
	return code
}

// echoes checks that the reply is the prompt's code under work.
func echoes(code string) func(t *testing.T, reply string) {
	return func(t *testing.T, reply string) {
		if !strings.HasPrefix(reply, strings.TrimRight(code, "\n")+"\n") {
			t.Errorf("reply does not echo the code:\n%s", reply)
		}
	}
}

// passesAndRuns checks, in the sandbox with coverage on, that the reply's
// TestCases pass against code and call into it (not vacuous).
func passesAndRuns(code string) func(t *testing.T, reply string) {
	return func(t *testing.T, reply string) {
		if _, err := os.Stat("/usr/bin/python3"); err != nil {
			t.Skipf("/usr/bin/python3: %v", err)
		}
		if !strings.Contains(reply, "class TestCases(unittest.TestCase)") {
			t.Errorf("reply has no TestCases class:\n%s", reply)
		}
		pool, err := sandbox.New(sandbox.Config{Isolation: sandbox.Strict, Workers: 1, Preload: []string{}})
		if errors.Is(err, sandbox.ErrStrictUnavailable) {
			pool, err = sandbox.New(sandbox.Config{Isolation: sandbox.Basic, Workers: 1, Preload: []string{}})
		}
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		r, err := pool.Run(context.Background(), sandbox.Job{ID: "simulated", Code: code, Test: reply, Coverage: true})
		if err != nil || r.Status != sandbox.StatusPass {
			t.Errorf("simulated tests against the code: %v %s (%s)\n%s", err, r.Status, r.Reason, reply)
		}
		// Every line runs: the imports and defs at load, each function's
		// body from the test.
		if r.Coverage == nil || r.Coverage.Lines == 0 || r.Coverage.LinesCovered != r.Coverage.Lines {
			t.Errorf("simulated tests did not run every function: %+v", r.Coverage)
		}
	}
}
