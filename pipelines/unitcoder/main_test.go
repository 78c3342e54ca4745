package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

// runMainEnv makes the test binary behave as the unitcoder binary: the
// tests re-execute os.Args[0] with it set, so they run the real CLI (flag
// parsing, exit codes, stdout) as a subprocess without a separate build.
const runMainEnv = "UNITCODER_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// cli builds the command `unitcoder args...`. The child gets exactly the
// arguments the real binary would (subcommand first), never go test's
// -test.* flags, which stay in this process's os.Args.
func cli(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// result is what a finished CLI run left behind.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs `unitcoder args...` to completion (at most limit) and
// returns its exit code and output.
func runCLI(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := cli(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	default:
		t.Fatalf("unitcoder %v: %v\nstderr:\n%s", args, err, res.stderr)
	}
	if ctx.Err() != nil {
		t.Fatalf("unitcoder %v: ran past %s\nstderr:\n%s", args, limit, res.stderr)
	}
	return res
}

// sharedData is the shared data directory beside the repository.
func sharedData(t *testing.T) string { return testfixtures.SharedData(t) }
