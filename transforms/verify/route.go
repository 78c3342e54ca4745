package verify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

func init() {
	register.DoFn5x0[context.Context, sample.Sample, func(sample.Sample), func(sample.Sample), func(sample.Rejected)](&routeFn{})
}

// Route splits verified samples after a round into those that passed,
// those that go on to the next fix round, and rejects.
//
// After round 0, only code errors (fail, error, timeout, memory, crash) go
// to fix rounds; env_error, load_error (tests or code that do not load),
// vacuous (no test ran or called the code), tamper and guard rejections
// end as stage "verify" rejects, because no change to the code can make
// them verifiable. After the last fix round,
// still-failing samples end as stage "fix" rejects ("exhausted:<status>").
func Route(s beam.Scope, verified beam.PCollection, round int, last bool) (passed, failing, rejected beam.PCollection) {
	s = s.Scope(fmt.Sprintf("Route%d", round))
	return beam.ParDo3(s, &routeFn{Round: round, Last: last}, verified)
}

type routeFn struct {
	Round int  `json:"round"`
	Last  bool `json:"last"`

	// The round's counters, named once in Setup.
	passedCount                      beam.Counter
	progressVerified, progressPassed *progress.Counter
}

func (fn *routeFn) Setup() {
	fn.passedCount = beam.NewCounter("verify", fmt.Sprintf("passed_round_%d", fn.Round))
	fn.progressVerified = progress.Get(progress.VerifiedRound + strconv.Itoa(fn.Round))
	fn.progressPassed = progress.Get(progress.PassedRound + strconv.Itoa(fn.Round))
}

func (fn *routeFn) ProcessElement(ctx context.Context, x sample.Sample, passed, failing func(sample.Sample), rejected func(sample.Rejected)) {
	fn.progressVerified.Add(1)
	if x.PassedRound >= 0 {
		fn.passedCount.Inc(ctx, 1)
		fn.progressPassed.Add(1)
		passed(x)
		return
	}
	if fn.Round == 0 {
		if reason, stop := Unfixable(x); stop {
			rejected(x.Reject(sample.StageVerify, reason, detail(x)))
			return
		}
	}
	if fn.Last {
		rejected(x.Reject(sample.StageFix, "exhausted:"+x.Status, detail(x)))
		return
	}
	failing(x)
}

// Unfixable says whether the original code's verdict rules out fix rounds,
// and the reject reason: env_error:<module>, load_error, vacuous, tamper or
// guard_rejected.
func Unfixable(x sample.Sample) (string, bool) {
	switch sandbox.Status(x.Status) {
	case sandbox.StatusEnvError:
		if n := len(x.Attempts); n > 0 && strings.HasPrefix(x.Attempts[n-1].Note, "missing module ") {
			return "env_error:" + strings.TrimPrefix(x.Attempts[n-1].Note, "missing module "), true
		}
		return "env_error", true
	case sandbox.StatusLoadError:
		return "load_error", true
	case sandbox.StatusVacuous:
		return "vacuous", true
	case sandbox.StatusTamper:
		return "tamper", true
	case sandbox.StatusRejected:
		return "guard_rejected", true
	}
	return "", false
}

func detail(x sample.Sample) string {
	var parts []string
	for _, f := range x.Failures {
		parts = append(parts, f.Name+": "+firstLine(f.Message))
	}
	return strings.Join(parts, "; ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:] // a traceback's last line names the error
	}
	return s
}
