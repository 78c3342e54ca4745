package sandbox

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
)

func reportJSON(t *testing.T, rep childReport) string {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVerdict(t *testing.T) {
	pass := childTest{Name: "T.test_a", Outcome: "pass"}
	fail := childTest{Name: "T.test_a", Outcome: "fail", Kind: "assert", Message: "AssertionError: 1 != 2"}
	good := func(tests ...childTest) childReport {
		return childReport{Phase: "tests", Tests: tests}
	}
	done := reply{SuiteDone: true}
	cases := []struct {
		name   string
		rp     reply
		rep    *childReport
		raw    string
		want   Status
		reason string
	}{
		{name: "pass", rp: done, rep: &childReport{Phase: "tests", OK: true, Tests: []childTest{pass}}, want: StatusPass},
		{name: "pass with an unreadable report", rp: done, raw: "junk", want: StatusPass, reason: "unreadable"},
		{name: "claimed pass, suite not done", rep: &childReport{Phase: "tests", OK: true, Tests: []childTest{pass}},
			want: StatusTamper, reason: "never completed"},
		{name: "passing rows, suite not done", rep: ptr(good(pass)), want: StatusTamper, reason: "never completed"},
		{name: "fail", rep: ptr(good(fail)), want: StatusFail},
		{name: "error beats fail", rep: ptr(good(fail, childTest{Name: "T.test_b", Outcome: "error", Kind: "exception"})),
			rp: reply{Expected: []string{"T.test_a", "T.test_b"}}, want: StatusError},
		{name: "env beats error", rep: ptr(good(childTest{Name: "T.test_a", Outcome: "error", Kind: "missing", Missing: "tensorflow.keras"})),
			want: StatusEnvError},
		{name: "missing but importable is error", rp: reply{Importable: map[string]bool{"numpy": true}},
			rep: ptr(good(childTest{Name: "T.test_a", Outcome: "error", Kind: "missing", Missing: "numpy"})), want: StatusError},
		{name: "memory in test", rep: ptr(good(childTest{Name: "T.test_a", Outcome: "error", Kind: "memory"})), want: StatusMemory},
		{name: "skip", rep: ptr(good(childTest{Name: "T.test_a", Outcome: "skip", Kind: "skip"})), want: StatusSkipped},
		{name: "timeout", rp: reply{TimedOut: true}, want: StatusTimeout},
		{name: "rejected by the guard", rp: reply{Rejected: "reflection: code uses sys._getframe (sys._getframe(1))"},
			want: StatusRejected, reason: "static guard reflection: code uses sys._getframe"},
		{name: "segv", rp: reply{Signal: int(syscall.SIGSEGV)}, want: StatusCrash, reason: "segmentation fault"},
		{name: "cpu limit", rp: reply{Signal: int(syscall.SIGXCPU)}, want: StatusTimeout},
		{name: "alarm", rp: reply{Alarm: "gc.get_objects is not available", Signal: int(syscall.SIGKILL)}, want: StatusTamper, reason: "gc.get_objects"},
		{name: "setup error", rp: reply{SetupError: "OSError"}, want: StatusCrash},
		{name: "no result", raw: "", want: StatusTamper, reason: "without a result"},
		{name: "two results", raw: `{"phase":"tests","tests":[]}{"phase":"tests"}`, want: StatusTamper, reason: "extra data"},
		{name: "garbage", raw: "PASS", want: StatusTamper, reason: "malformed"},
		{name: "name mismatch", rep: ptr(good(fail)), rp: reply{Expected: []string{"T.test_a", "T.test_b"}}, want: StatusTamper},
		{name: "dynamic class may add tests", rep: ptr(good(fail, childTest{Name: "T.test_dyn", Outcome: "pass"})),
			rp: reply{Expected: []string{"T.test_a"}, Dynamic: []string{"T"}}, want: StatusFail},
		{name: "undeclared extra test", rep: ptr(good(fail, childTest{Name: "T.test_dyn", Outcome: "pass"})),
			rp: reply{Expected: []string{"T.test_a"}}, want: StatusTamper, reason: "not in the source"},
		{name: "harness tamper flag", rep: &childReport{Tamper: "builtins.len"}, want: StatusTamper},
		{name: "vacuous", rep: &childReport{Phase: "tests", Vacuous: "no test called into the code under test"}, want: StatusVacuous},
		{name: "syntax in tests", rp: reply{ParseError: "bad"}, want: StatusLoadError},
		{name: "import error", rep: &childReport{Phase: "load_code", Load: &excInfo{Kind: "exception", Message: "x\nValueError: v"}},
			want: StatusLoadError, reason: "ValueError"},
		{name: "env at import", rep: &childReport{Phase: "load_code", Load: &excInfo{Kind: "missing", Missing: "keras"}},
			want: StatusEnvError},
		{name: "exit at import", rep: &childReport{Phase: "load_code", Load: &excInfo{Kind: "exit", Type: "SystemExit"}},
			want: StatusTamper},
		{name: "memory at import", rep: &childReport{Phase: "load_code", Load: &excInfo{Kind: "memory"}}, want: StatusMemory},
		{name: "no tests", rep: ptr(good()), want: StatusVacuous},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rp := c.rp
			if rp.Expected == nil && c.rep != nil && len(c.rep.Tests) > 0 {
				rp.Expected = []string{"T.test_a"}
			}
			rp.Report = c.raw
			if c.rep != nil {
				rp.Report = reportJSON(t, *c.rep)
			}
			r := verdict(rp, Basic)
			if r.Status != c.want || !strings.Contains(r.Reason, c.reason) {
				t.Errorf("verdict = %s (%q), want %s containing %q", r.Status, r.Reason, c.want, c.reason)
			}
			if r.Status == StatusEnvError && r.MissingModule == "" {
				t.Errorf("env_error without missing_module")
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestResultJSON(t *testing.T) {
	b, err := json.Marshal(Result{ID: "x", Status: StatusEnvError, MissingModule: "keras", DurationMS: 1.5, Isolation: Strict,
		Tests: []TestResult{{Name: "T.t", Outcome: "error", DurationMS: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"status":"env_error"`, `"missing_module":"keras"`, `"duration_ms":1.5`, `"isolation":"strict"`, `"tests":[{"name":"T.t","outcome":"error","duration_ms":2}]`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}
