package verify

import (
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

func TestStableMessage(t *testing.T) {
	in := "Traceback (most recent call last):\n  File \"/work/job17/test_solution.py\", line 6, in test_b\nValueError: <object object at 0x7fd84125a770>\n"
	want := "Traceback (most recent call last):\n  File \"test_solution.py\", line 6, in test_b\nValueError: <object object at 0x...>\n"
	if got := StableMessage(in); got != want {
		t.Errorf("got %q", got)
	}
}

func result(status sandbox.Status, outcomes ...string) sandbox.Result {
	r := sandbox.Result{Status: status}
	for i, o := range outcomes {
		r.Tests = append(r.Tests, sandbox.TestResult{Name: string(rune('a' + i)), Outcome: o, Message: "boom"})
	}
	return r
}

func TestJudgeFixRound(t *testing.T) {
	x := sample.Sample{Code: "orig", PassedRound: -1, Candidates: []string{"c0", "c1", "c2", "c3"}}
	tests := []struct {
		name     string
		results  []sandbox.Result
		keep     int
		code     string
		passed   int
		variants int
	}{
		{"none passes: most passing tests wins", []sandbox.Result{
			result(sandbox.StatusFail, "fail", "fail"), result(sandbox.StatusFail, "pass", "fail"),
			result(sandbox.StatusError, "error", "error"), result(sandbox.StatusFail, "pass", "fail"),
		}, 1, "c1", -1, 0},
		{"first pass wins", []sandbox.Result{
			result(sandbox.StatusFail, "fail"), result(sandbox.StatusPass, "pass"),
			result(sandbox.StatusPass, "pass"), result(sandbox.StatusPass, "pass"),
		}, 1, "c1", 2, 0},
		{"keep M=2 passing", []sandbox.Result{
			result(sandbox.StatusFail, "fail"), result(sandbox.StatusPass, "pass"),
			result(sandbox.StatusPass, "pass"), result(sandbox.StatusPass, "pass"),
		}, 2, "c1", 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Judge(x, 2, tc.results, tc.keep)
			if got.Code != tc.code || got.PassedRound != tc.passed || len(got.Variants) != tc.variants {
				t.Errorf("code %q passed %d variants %v", got.Code, got.PassedRound, got.Variants)
			}
			if len(got.Attempts) != 4 || got.Candidates != nil {
				t.Errorf("attempts %d candidates %v", len(got.Attempts), got.Candidates)
			}
		})
	}
}

func TestJudgeRefineKeepsVerifiedCodeOnFailure(t *testing.T) {
	x := sample.Sample{Code: "verified", PassedRound: 0, Status: "pass", Candidates: []string{"refined"}}
	got := Judge(x, sample.RefineRound, []sandbox.Result{result(sandbox.StatusFail, "pass", "fail")}, 1)
	if got.Code != "verified" || got.Refined || got.RefineNote == "" {
		t.Errorf("failed refinement: %+v", got)
	}
	got = Judge(x, sample.RefineRound, []sandbox.Result{result(sandbox.StatusPass, "pass")}, 1)
	if got.Code != "refined" || !got.Refined {
		t.Errorf("passing refinement: %+v", got)
	}
}

// A skipped sample is not verified: it goes on with every skipped and
// failing test as feedback for the fix round.
func TestJudgeSkippedIsNotVerified(t *testing.T) {
	x := sample.Sample{Function: sample.Function{ID: "s"}, Code: "c", PassedRound: -1}
	got := Judge(x, 0, []sandbox.Result{result(sandbox.StatusSkipped, "pass", "skip")}, 1)
	if got.PassedRound >= 0 || got.Status != string(sandbox.StatusSkipped) {
		t.Fatalf("skipped run judged passed=%d status=%s", got.PassedRound, got.Status)
	}
	if len(got.Failures) != 1 || got.Failures[0].Name != "b" || !strings.Contains(got.Failures[0].Message, "skipped") {
		t.Errorf("failures %+v, want the skipped test", got.Failures)
	}
}
