package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"syscall"
)

// verdict turns the trusted worker's reply into a Result. A pass rests on
// one fact only: the kernel showed the worker that the job's suite thread
// ended while the job lived, which the harness lets happen only when every
// expected test ran and passed. The child's report is untrusted detail: it
// explains a failure, and a report that claims a pass the suite never
// reached is tamper.
func verdict(rp reply, iso Isolation) Result {
	r := Result{ID: rp.ID, Stdout: rp.Stdout, Stderr: rp.Stderr, DurationMS: rp.DurationMS,
		Isolation: iso, OutputTruncated: rp.StdoutTruncated || rp.StderrTruncated}
	set := func(s Status, reason string) Result { r.Status, r.Reason = s, reason; return r }
	if rp.ParseError != "" {
		return set(StatusLoadError, rp.ParseError)
	}
	if rp.Rejected != "" {
		return set(StatusRejected, "static guard "+rp.Rejected)
	}
	if rp.Alarm != "" {
		return set(StatusTamper, "denied by the sandbox: "+rp.Alarm)
	}
	if rp.SetupError != "" {
		return set(StatusCrash, "sandbox setup in the job process failed: "+rp.SetupError)
	}
	rep, repErr := parseReport(rp.Report)
	if rp.SuiteDone {
		return passVerdict(r, rep, repErr)
	}
	if rp.TimedOut {
		return set(StatusTimeout, "wall-clock deadline exceeded")
	}
	if rp.Signal != 0 {
		return signalVerdict(r, rp)
	}
	if repErr != nil {
		if rp.Report == "" && strings.Contains(rp.Stderr, "MemoryError") {
			return set(StatusMemory, "MemoryError before the harness could report")
		}
		return set(StatusTamper, repErr.Error())
	}
	if rep.OK {
		return set(StatusTamper, "the report claims every test passed, but the suite never completed (forged report)")
	}
	if rep.Tamper != "" {
		return set(StatusTamper, rep.Tamper)
	}
	r.Coverage = coverageOf(rep.Coverage)
	if rep.Load != nil {
		return loadVerdict(r, rep, rp)
	}
	if rep.Vacuous != "" {
		return set(StatusVacuous, rep.Vacuous)
	}
	if reason := checkNames(rp, rep); reason != "" {
		return set(StatusTamper, reason)
	}
	r = testsVerdict(r, rep, rp)
	if r.Status == StatusPass {
		// Every row says pass, yet the suite did not complete.
		return set(StatusTamper, "the report lists only passing tests, but the suite never completed (forged report)")
	}
	return r
}

// passVerdict is a completed suite: pass, with the report's detail when
// the report is readable and agrees.
func passVerdict(r Result, rep childReport, repErr error) Result {
	r.Status = StatusPass
	if repErr != nil || !rep.OK {
		r.Reason = "the suite completed; its report was unreadable or contradicted it"
		return r
	}
	r.Coverage = coverageOf(rep.Coverage)
	for _, t := range rep.Tests {
		r.Tests = append(r.Tests, TestResult{Name: t.Name, Outcome: t.Outcome, Message: t.Message, DurationMS: t.DurationMS})
	}
	return r
}

// parseReport reads the child's report line: one JSON object.
func parseReport(text string) (childReport, error) {
	var rep childReport
	if strings.TrimSpace(text) == "" {
		return rep, fmt.Errorf("job exited without a result (os._exit, sys.exit outside a test, or a killed harness)")
	}
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&rep); err != nil {
		return rep, fmt.Errorf("malformed result from the job: %v", err)
	}
	if dec.More() {
		return rep, fmt.Errorf("extra data on the result channel (forged or duplicated result)")
	}
	return rep, nil
}

// signalVerdict classifies a job child killed by a signal.
func signalVerdict(r Result, rp reply) Result {
	sig := syscall.Signal(rp.Signal)
	switch sig {
	case syscall.SIGXCPU:
		r.Status, r.Reason = StatusTimeout, "CPU time limit exceeded"
	case syscall.SIGKILL:
		r.Status, r.Reason = StatusCrash, "killed by SIGKILL (out of memory or killed)"
	default:
		r.Status, r.Reason = StatusCrash, fmt.Sprintf("killed by signal %d (%s)", rp.Signal, sig)
	}
	return r
}

// loadVerdict classifies a failure while loading the code or the tests.
func loadVerdict(r Result, rep childReport, rp reply) Result {
	l := rep.Load
	where := "code"
	if rep.Phase != "load_code" {
		where = "tests"
	}
	switch {
	case l.Kind == "exit":
		r.Status, r.Reason = StatusTamper, fmt.Sprintf("%s raised %s outside a test", where, l.Type)
	case l.Kind == "memory":
		r.Status, r.Reason = StatusMemory, where+": "+l.Type
	case l.Kind == "missing" && l.Missing != "" && !rp.Importable[l.Missing]:
		r.Status, r.MissingModule = StatusEnvError, topModule(l.Missing)
		r.Reason = "module not installed: " + r.MissingModule
	default:
		r.Status, r.Reason = StatusLoadError, fmt.Sprintf("%s failed to load: %s", where, lastLine(l.Message))
	}
	return r
}

// checkNames compares the tests the run discovered with the trusted
// pre-pass: every test the source spells out must be there, and any other
// must belong to a class the pre-pass marked dynamic.
func checkNames(rp reply, rep childReport) string {
	if len(rp.Expected) == 0 || rp.Style == "script" {
		return ""
	}
	got := map[string]bool{}
	for _, t := range rep.Tests {
		got[t.Name] = true
	}
	dynamic := map[string]bool{}
	for _, c := range rp.Dynamic {
		dynamic[c] = true
	}
	for _, n := range rp.Expected {
		if !got[n] {
			return fmt.Sprintf("test %s in the source has no result (reported %v)", n, slices.Sorted(maps.Keys(got)))
		}
	}
	for n := range got {
		if !slices.Contains(rp.Expected, n) && !dynamic[strings.SplitN(n, ".", 2)[0]] {
			return fmt.Sprintf("reported test %s is not in the source %v", n, rp.Expected)
		}
	}
	return ""
}

// testsVerdict aggregates per-test outcomes: env_error > memory > error >
// fail > pass, so a missing library is never mistaken for a code bug.
func testsVerdict(r Result, rep childReport, rp reply) Result {
	if len(rep.Tests) == 0 {
		r.Status, r.Reason = StatusVacuous, "no test ran"
		return r
	}
	rank := map[Status]int{StatusPass: 0, StatusSkipped: 1, StatusFail: 2, StatusError: 3, StatusMemory: 4, StatusEnvError: 5}
	worst := StatusPass
	for _, t := range rep.Tests {
		r.Tests = append(r.Tests, TestResult{Name: t.Name, Outcome: t.Outcome, Message: t.Message, DurationMS: t.DurationMS})
		s := testStatus(t, rp)
		if s == StatusEnvError && r.MissingModule == "" {
			r.MissingModule = topModule(t.Missing)
		}
		if rank[s] > rank[worst] {
			worst, r.Reason = s, t.Name+": "+lastLine(t.Message)
		}
	}
	r.Status = worst
	if worst == StatusEnvError {
		r.Reason = "module not installed: " + r.MissingModule
	}
	return r
}

func testStatus(t childTest, rp reply) Status {
	switch {
	case t.Outcome == "pass":
		return StatusPass
	case t.Outcome == "skip":
		// A skip proves nothing, and the code under test can raise
		// unittest.SkipTest itself: never a pass.
		return StatusSkipped
	case t.Kind == "missing" && t.Missing != "" && !rp.Importable[t.Missing]:
		return StatusEnvError
	case t.Kind == "memory":
		return StatusMemory
	case t.Outcome == "fail":
		return StatusFail
	}
	return StatusError
}

func coverageOf(c *childCov) *Coverage {
	if c == nil || c.Error != "" {
		return nil
	}
	cv := &Coverage{Lines: c.Lines, LinesCovered: c.LinesCovered, Branches: c.Branches, BranchesCovered: c.BranchesCovered,
		CoveredLines: c.Covered}
	if c.Lines > 0 {
		cv.LinePct = 100 * float64(c.LinesCovered) / float64(c.Lines)
	}
	if c.Branches > 0 {
		cv.BranchPct = 100 * float64(c.BranchesCovered) / float64(c.Branches)
	}
	return cv
}

func topModule(name string) string { return strings.SplitN(name, ".", 2)[0] }

// lastLine is the last non-empty line of a traceback: the exception itself.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
