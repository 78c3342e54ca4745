package sandbox

import (
	"time"
)

// Isolation is how strongly a job is separated from the host.
type Isolation string

// Isolation levels.
const (
	// Strict runs each worker in fresh PID, mount, network, IPC and UTS
	// namespaces with a private read-only root, on top of everything Basic does.
	Strict Isolation = "strict"
	// Basic is for containers that refuse namespaces: rlimits, an unprivileged
	// uid when running as root, process sweeping and a cleared environment.
	Basic Isolation = "basic"
)

// Status is the verdict on one job.
type Status string

// The verdicts. See the package documentation for their exact meaning.
const (
	StatusPass      Status = "pass"
	StatusSkipped   Status = "skipped"
	StatusVacuous   Status = "vacuous"
	StatusFail      Status = "fail"
	StatusError     Status = "error"
	StatusTimeout   Status = "timeout"
	StatusMemory    Status = "memory"
	StatusCrash     Status = "crash"
	StatusLoadError Status = "load_error"
	StatusEnvError  Status = "env_error"
	StatusTamper    Status = "tamper"
	StatusRejected  Status = "rejected"
)

// Job is one code+tests pair to verify.
type Job struct {
	ID   string
	Code string // executed as module solution.py
	Test string // unittest TestCase classes, or a plain script of asserts
	// Timeout is the wall-clock limit; zero means Config.DefaultTimeout.
	Timeout  time.Duration
	Coverage bool // measure line and branch coverage of Code
	// Seed seeds random and numpy.random before the code runs.
	Seed int64
	// TZ is the job's time zone (the TZ variable, applied before the code
	// runs); empty means UTC, whatever the host's zone.
	TZ string
	// FailFast stops the suite at the first failing test; the tests after
	// it are reported as skipped ("not run: fail-fast"). Mutation analysis
	// uses it: one failure decides a mutant.
	FailFast bool
}

// TestResult is the outcome of one test method (or of the whole script for
// script-style tests). Outcome is pass, fail, error or skip.
type TestResult struct {
	Name       string  `json:"name"`
	Outcome    string  `json:"outcome"`
	Message    string  `json:"message,omitempty"`
	DurationMS float64 `json:"duration_ms"`
}

// Coverage is the coverage of the code under test by its tests.
type Coverage struct {
	Lines           int     `json:"lines"`
	LinesCovered    int     `json:"lines_covered"`
	Branches        int     `json:"branches"`
	BranchesCovered int     `json:"branches_covered"`
	LinePct         float64 `json:"line_pct"`
	BranchPct       float64 `json:"branch_pct"`
	// CoveredLines are the 1-based lines of the code that ran, sorted. They
	// come from the job's own report, so they guide mutant selection but
	// never a verdict; they are not serialised.
	CoveredLines []int `json:"-"`
}

// Result is the verdict on one job with everything needed to explain it.
type Result struct {
	ID         string       `json:"id"`
	Status     Status       `json:"status"`
	Reason     string       `json:"reason,omitempty"`
	Tests      []TestResult `json:"tests,omitempty"`
	Stdout     string       `json:"stdout,omitempty"`
	Stderr     string       `json:"stderr,omitempty"`
	DurationMS float64      `json:"duration_ms"`
	Isolation  Isolation    `json:"isolation"`
	Coverage   *Coverage    `json:"coverage,omitempty"`
	// Retried is set when the job's worker died and the job ran again on a
	// fresh worker.
	Retried bool `json:"retried,omitempty"`
	// MissingModule is the module that is not installed, for env_error.
	MissingModule string `json:"missing_module,omitempty"`
	// OutputTruncated is set when stdout or stderr exceeded the output limit.
	OutputTruncated bool `json:"output_truncated,omitempty"`
	// Held is how long the job held its worker slot (fork, run, reap and
	// any restart): the pool's busy time for it. It is not serialised, so
	// result rows stay the same from run to run.
	Held time.Duration `json:"-"`
}

// FailingTests lists the names of tests whose outcome is fail or error.
func (r Result) FailingTests() []string {
	var out []string
	for _, t := range r.Tests {
		if t.Outcome == "fail" || t.Outcome == "error" {
			out = append(out, t.Name)
		}
	}
	return out
}
