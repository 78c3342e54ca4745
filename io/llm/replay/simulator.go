package replay

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
)

// simulate queues on the capacity semaphore, holds a slot for a service
// time drawn when it gets one and sends the role's simulated reply. Queue
// wait and slot time (up to the reply being ready) are accounted apart;
// arrival is when chat got the request.
func (s *Server) simulate(w http.ResponseWriter, r *http.Request, role string, msgs []llm.Message, n int, seq int64, arrival time.Time) {
	queued := time.Now()
	if s.slots != nil {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		case <-r.Context().Done():
			s.stats.abandonQueue(time.Since(queued))
			s.stats.count(role, 499)
			return
		}
	}
	start := time.Now()
	s.stats.takeSlot(start, start.Sub(queued))
	if d := s.service.next(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			now := time.Now()
			s.stats.releaseSlot(start, now.Sub(start), now.Sub(arrival), false)
			s.stats.count(role, 499)
			return
		}
	}
	answers := make([]string, n)
	for i := range answers {
		answers[i] = simulatedReply(llm.Role(role), msgs, seq)
	}
	// Accounted before the reply is sent (and the slot released), so a
	// client that saw it finds it in Stats, and no more than Concurrency
	// requests are ever accounted in flight.
	now := time.Now()
	s.stats.releaseSlot(start, now.Sub(start), now.Sub(arrival), true)
	s.stats.count(role, http.StatusOK)
	writeJSON(w, http.StatusOK, completion(s.opts.Model, nil, answers, "stop"))
}

// serviceTimes draws the simulator's service times: Latency when
// LatencySigma is 0, else exp(mu + sigma*N(0,1)) with mu = ln(Latency) -
// sigma²/2, so that the mean is Latency. Safe for concurrent use; the
// draws are deterministic given Seed and the order of calls.
type serviceTimes struct {
	fixed     time.Duration
	mu, sigma float64 // of the log of the time in seconds
	lock      sync.Mutex
	rng       *rand.Rand
}

func newServiceTimes(mean time.Duration, sigma float64, seed int64) *serviceTimes {
	st := &serviceTimes{fixed: max(mean, 0)}
	if sigma > 0 && mean > 0 {
		st.sigma = sigma
		st.mu = math.Log(mean.Seconds()) - sigma*sigma/2
		st.rng = rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	}
	return st
}

// maxService caps a draw so that it fits a time.Duration.
const maxService = 24 * time.Hour

// next returns the next service time.
func (st *serviceTimes) next() time.Duration {
	if st.rng == nil {
		return st.fixed
	}
	st.lock.Lock()
	z := st.rng.NormFloat64()
	st.lock.Unlock()
	secs := math.Exp(st.mu + st.sigma*z)
	if secs >= maxService.Seconds() {
		return maxService
	}
	return time.Duration(secs * float64(time.Second))
}

// simulatedReply is the simulator's answer to a prompt. It is role-aware so
// that a pipeline run against the simulator takes the path of a model that
// always succeeds (testgen -> verify -> refine -> re-verify -> write), and
// the benchmark measures the pipeline and the sandbox, not rejections:
//   - testgen: a unittest TestCases class whose one test calls every
//     top-level function of the prompt's code with placeholder arguments
//     (None for each required one), ignoring what they raise, so it runs
//     the code (a suite that never calls it is vacuous) and passes against
//     any code that loads;
//   - fix and refine: the prompt's code under work echoed back unchanged;
//   - anything else (no role marker, no code block): a small function.
//
// Every reply ends with the request's sequence number, so candidates of
// different requests differ (the client's n-fallback relies on that).
func simulatedReply(role llm.Role, msgs []llm.Message, seq int64) string {
	switch role {
	case llm.RoleTestgen:
		code, _ := promptCode(msgs)
		return simulatedTests(topLevelFunctions(code), seq)
	case llm.RoleFix, llm.RoleRefine:
		if code, ok := promptCode(msgs); ok && strings.TrimSpace(code) != "" {
			return strings.TrimRight(code, "\n") + fmt.Sprintf("\n\n# simulated reply %d\n", seq)
		}
	}
	return fmt.Sprintf("def simulated():\n    return %d\n", seq)
}

// topLevelDef matches a module-level function definition.
var topLevelDef = regexp.MustCompile(`(?m)^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(`)

// topLevelFunctions names the module-level functions of code, in order.
func topLevelFunctions(code string) []string {
	var names []string
	for _, m := range topLevelDef.FindAllStringSubmatch(code, -1) {
		names = append(names, m[1])
	}
	return names
}

// simulatedTests is the testgen reply: one test that calls each named
// function (looked up at run time, so a missing one is skipped).
func simulatedTests(functions []string, seq int64) string {
	quoted := make([]string, len(functions))
	for i, f := range functions {
		quoted[i] = strconv.Quote(f)
	}
	return fmt.Sprintf(`import inspect
import unittest


class TestCases(unittest.TestCase):
    def test_simulated(self):
        for name in [%s]:
            fn = globals().get(name)
            if not callable(fn):
                continue
            params = inspect.signature(fn).parameters.values()
            args = [None for p in params if p.default is p.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            kwargs = {p.name: None for p in params if p.default is p.empty and p.kind == p.KEYWORD_ONLY}
            try:
                result = fn(*args, **kwargs)
                if inspect.isgenerator(result):
                    next(result, None)
                elif inspect.iscoroutine(result):
                    result.close()
            except Exception:
                pass
        self.assertEqual(%d, %d)
`, strings.Join(quoted, ", "), seq, seq)
}
