package verify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/sandbox"
)

func init() { register.Function1x0(emittedDespiteNoSandbox) }

func TestMain(m *testing.M) { ptest.Main(m) }

// emittedDespiteNoSandbox fails the pipeline if any result comes out.
func emittedDespiteNoSandbox(r sandbox.Result) {
	panic("a result was emitted although the sandbox never started: " + string(r.Status))
}

var passingJob = sandbox.Job{ID: "ok", Code: "def f(x):\n    return x\n", Test: "assert f(1) == 1\n", Timeout: 10 * time.Second}

// TestRunAllStopsOnAnUnavailableSandbox: a job the sandbox cannot run (here
// the pool is closed) is an infrastructure fault: RunAll returns an error
// for the bundle, never an env_error result that would reject the sample.
func TestRunAllStopsOnAnUnavailableSandbox(t *testing.T) {
	pool, err := sandbox.New(sandbox.Config{Isolation: sandbox.Basic, Workers: 1, Preload: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	results, err := RunAll(context.Background(), pool, []sandbox.Job{passingJob})
	if err != nil || len(results) != 1 || results[0].Status != sandbox.StatusPass {
		t.Fatalf("open pool: %v %+v, want one pass", err, results)
	}
	pool.Close()
	results, err = RunAll(context.Background(), pool, []sandbox.Job{passingJob, passingJob})
	if !errors.Is(err, sandbox.ErrClosed) || results != nil {
		t.Fatalf("closed pool: results %+v, err %v; want no results and ErrClosed", results, err)
	}
}

// TestPoolThatCannotStartFailsThePipeline: when the worker's pool cannot
// start, the verify stage fails the run with the cause instead of emitting
// env_error results.
func TestPoolThatCannotStartFailsThePipeline(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	results := Run(s, beam.Create(s, passingJob), Params{Isolation: "no-such-isolation", Workers: 1})
	beam.ParDo0(s, emittedDespiteNoSandbox, results)
	err := ptest.Run(p)
	if err == nil || !strings.Contains(err.Error(), "sandbox unavailable") {
		t.Fatalf("pipeline error %v; want the run stopped with \"sandbox unavailable\"", err)
	}
}
