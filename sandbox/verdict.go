package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"syscall"
)

// verdict turns the trusted worker's reply into a Result. The child's
// report is untrusted: it is believed only if it is a single JSON object
// carrying the job's nonce and exactly the test names the trusted pre-pass
// found in the test source.
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
	if rp.TimedOut {
		return set(StatusTimeout, "wall-clock deadline exceeded")
	}
	if rp.Signal != 0 {
		return signalVerdict(r, rp)
	}
	rep, err := parseReport(rp.Report, rp.Nonce)
	if err != nil {
		if rp.Report == "" && strings.Contains(rp.Stderr, "MemoryError") {
			return set(StatusMemory, "MemoryError before the harness could report")
		}
		return set(StatusTamper, err.Error())
	}
	if rep.SetupError != "" {
		return set(StatusCrash, "sandbox setup in the job process failed: "+rep.SetupError)
	}
	if rep.Tamper != "" {
		return set(StatusTamper, rep.Tamper)
	}
	r.Coverage = coverageOf(rep.Coverage)
	if rep.Load != nil {
		return loadVerdict(r, rep, rp)
	}
	if reason := checkNames(rp, rep); reason != "" {
		return set(StatusTamper, reason)
	}
	return testsVerdict(r, rep, rp)
}

// parseReport accepts exactly one JSON object with the right nonce: a second
// object (a forged report written on the result fd by job code) is tamper.
func parseReport(text, nonce string) (childReport, error) {
	var rep childReport
	if strings.TrimSpace(text) == "" {
		return rep, fmt.Errorf("job exited without a result (os._exit, sys.exit outside a test, or a killed harness)")
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return rep, fmt.Errorf("malformed result from the job: %v", err)
	}
	if dec.More() || dec.InputOffset() != int64(len(bytes.TrimRight([]byte(text), " \n\r\t"))) {
		return rep, fmt.Errorf("extra data on the result channel (forged or duplicated result)")
	}
	if rep.Nonce != nonce {
		return rep, fmt.Errorf("result carries the wrong nonce (forged result)")
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

// checkNames compares the reported tests with the trusted pre-pass.
func checkNames(rp reply, rep childReport) string {
	if len(rp.Expected) == 0 {
		return ""
	}
	got := make([]string, 0, len(rep.Tests))
	for _, t := range rep.Tests {
		got = append(got, t.Name)
	}
	want := append([]string(nil), rp.Expected...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		return fmt.Sprintf("reported tests %v do not match the tests in the source %v", got, want)
	}
	return ""
}

// testsVerdict aggregates per-test outcomes: env_error > memory > error >
// fail > pass, so a missing library is never mistaken for a code bug.
func testsVerdict(r Result, rep childReport, rp reply) Result {
	if len(rep.Tests) == 0 {
		r.Status, r.Reason = StatusLoadError, "the test source defines TestCase classes but no test methods"
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
	cv := &Coverage{Lines: c.Lines, LinesCovered: c.LinesCovered, Branches: c.Branches, BranchesCovered: c.BranchesCovered}
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
