package verify

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

// Judge applies one round's verdicts to a sample: results[i] is the verdict
// on Pending(x, round)[i]. Every verified program is appended to the
// attempt history.
//
//   - Round 0 and fix rounds: the first passing program becomes Code and up
//     to keep-1 further passing ones become Variants. When none passes, the
//     candidate passing the most tests becomes Code, so the next round's
//     feedback is about the best attempt so far.
//   - The refine round: a passing refined program replaces Code; otherwise
//     Code stays the verified unrefined program and RefineNote says why.
func Judge(x sample.Sample, round int, results []sandbox.Result, keep int) sample.Sample {
	programs := Pending(x, round)
	x.Candidates = nil
	for i, r := range results {
		x.Attempts = append(x.Attempts, attempt(round, i, programs[i], r))
	}
	if round == sample.RefineRound {
		return judgeRefined(x, programs, results)
	}
	best := -1
	for i, r := range results {
		if r.Status != sandbox.StatusPass {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		if len(x.Variants)+1 < keep && programs[i] != programs[best] {
			x.Variants = append(x.Variants, programs[i])
		}
	}
	if best >= 0 {
		x.PassedRound = round
	} else {
		best = mostPassing(results)
	}
	if best < 0 {
		x.Status = "no_candidate"
		return x
	}
	x.Code = programs[best]
	apply(&x, results[best])
	return x
}

func judgeRefined(x sample.Sample, programs []string, results []sandbox.Result) sample.Sample {
	if len(results) == 0 {
		if x.RefineNote == "" {
			x.RefineNote = "no refined program"
		}
		return x
	}
	r := results[0]
	if r.Status != sandbox.StatusPass {
		x.RefineNote = fmt.Sprintf("refined program %s: %s", r.Status, summary(r))
		return x
	}
	x.Code = programs[0]
	x.Refined = true
	apply(&x, r)
	return x
}

func apply(x *sample.Sample, r sandbox.Result) {
	x.Status = string(r.Status)
	x.Failures = Failures(r)
	if r.Coverage != nil {
		x.Coverage = r.Coverage.LinePct
		x.BranchCoverage = r.Coverage.BranchPct
	}
}

// mostPassing returns the index of the result with the most passing tests
// (the first on ties), or -1 when there are none.
func mostPassing(results []sandbox.Result) int {
	best, bestN := -1, -1
	for i, r := range results {
		n := 0
		for _, t := range r.Tests {
			if t.Outcome == "pass" {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return best
}

// Failures turns a verdict into fix-round feedback: each failing test with
// its message, or the whole-run reason when no test ran. Messages are
// made run-independent (see StableMessage), so the fix prompt, and with it
// the LLM cache key, is the same on every run.
func Failures(r sandbox.Result) []sample.TestFailure {
	var out []sample.TestFailure
	for _, t := range r.Tests {
		switch t.Outcome {
		case "fail", "error":
			out = append(out, sample.TestFailure{Name: t.Name, Message: StableMessage(t.Message)})
		case "skip":
			out = append(out, sample.TestFailure{Name: t.Name,
				Message: "the test was skipped (unittest.SkipTest); a skipped test does not count as passing"})
		}
	}
	if len(out) == 0 && r.Status != sandbox.StatusPass {
		msg := r.Reason
		if msg == "" {
			msg = r.Stderr
		}
		out = append(out, sample.TestFailure{Name: "ALL", Message: StableMessage(fmt.Sprintf("%s: %s", r.Status, msg))})
	}
	return out
}

var (
	jobDir  = regexp.MustCompile(`/[\w./-]*/job\d+/`)
	address = regexp.MustCompile(`0x[0-9a-fA-F]{6,}`)
)

// StableMessage removes what differs between two runs of the same job from
// a sandbox message: the job's work directory and object addresses.
func StableMessage(m string) string {
	m = jobDir.ReplaceAllString(m, "")
	return address.ReplaceAllString(m, "0x...")
}

func attempt(round, candidate int, code string, r sandbox.Result) sample.Attempt {
	a := sample.Attempt{Round: round, Candidate: candidate, Code: code, Status: string(r.Status)}
	for _, f := range Failures(r) {
		a.FailingTests = append(a.FailingTests, f.Name)
	}
	sort.Strings(a.FailingTests)
	if r.Coverage != nil {
		a.Coverage = r.Coverage.LinePct
	}
	if r.Status == sandbox.StatusEnvError && r.MissingModule != "" {
		a.Note = "missing module " + r.MissingModule
	}
	return a
}

func summary(r sandbox.Result) string {
	names := make([]string, 0, len(r.Tests))
	for _, f := range Failures(r) {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}
