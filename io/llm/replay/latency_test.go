package replay

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServiceTimesAreLognormalWithMeanLatency: seeded draws have the
// configured mean and log standard deviation (deterministic: a fixed seed
// gives the same sample every run).
func TestServiceTimesAreLognormalWithMeanLatency(t *testing.T) {
	for _, tc := range []struct {
		latency time.Duration
		sigma   float64
	}{{2 * time.Second, 0.5}, {100 * time.Millisecond, 1}, {30 * time.Millisecond, 0.2}} {
		st := newServiceTimes(tc.latency, tc.sigma, 42)
		const n = 200_000
		var sum, logSum, logSq float64
		for range n {
			d := st.next()
			if d <= 0 {
				t.Fatalf("draw %s: want > 0", d)
			}
			sum += d.Seconds()
			l := math.Log(d.Seconds())
			logSum += l
			logSq += l * l
		}
		mean := sum / n
		logMean := logSum / n
		logStd := math.Sqrt(logSq/n - logMean*logMean)
		wantMu := math.Log(tc.latency.Seconds()) - tc.sigma*tc.sigma/2
		if rel := math.Abs(mean/tc.latency.Seconds() - 1); rel > 0.02 {
			t.Errorf("latency %s sigma %g: sample mean %.4gs is %.1f%% off", tc.latency, tc.sigma, mean, 100*rel)
		}
		if math.Abs(logStd-tc.sigma) > 0.02*tc.sigma {
			t.Errorf("latency %s sigma %g: std of the log %.4g", tc.latency, tc.sigma, logStd)
		}
		if math.Abs(logMean-wantMu) > 0.02 {
			t.Errorf("latency %s sigma %g: mean of the log %.4g, want mu %.4g", tc.latency, tc.sigma, logMean, wantMu)
		}
	}
}

// TestServiceTimesSeedAndFixed: the same seed gives the same draws, another
// seed others; sigma 0 is the fixed latency.
func TestServiceTimesSeedAndFixed(t *testing.T) {
	draws := func(sim Simulator) []time.Duration {
		st := newServiceTimes(sim.Latency, sim.LatencySigma, sim.Seed)
		out := make([]time.Duration, 20)
		for i := range out {
			out[i] = st.next()
		}
		return out
	}
	sim := Simulator{Latency: time.Second, LatencySigma: 0.8, Seed: 7}
	a, b := draws(sim), draws(sim)
	sim.Seed = 8
	c := draws(sim)
	distinct := map[time.Duration]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d: %s then %s with the same seed", i, a[i], b[i])
		}
		distinct[a[i]] = true
	}
	if len(distinct) < 15 {
		t.Errorf("20 draws, %d distinct: %v", len(distinct), a)
	}
	if strings.Join(durations(a), " ") == strings.Join(durations(c), " ") {
		t.Error("seeds 7 and 8 gave the same draws")
	}
	for _, d := range draws(Simulator{Latency: 250 * time.Millisecond, Seed: 7}) {
		if d != 250*time.Millisecond {
			t.Fatalf("sigma 0: draw %s, want 250ms", d)
		}
	}
	for _, d := range draws(Simulator{LatencySigma: 1}) {
		if d != 0 {
			t.Fatalf("latency 0: draw %s, want 0", d)
		}
	}
}

func durations(ds []time.Duration) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// TestSimulatorHoldsSlotsForTheDraws: requests sent one at a time to a
// lognormal simulator hold their slot for the seeded draws, in order:
// GET /stats reports busy time at least their sum and not much more.
func TestSimulatorHoldsSlotsForTheDraws(t *testing.T) {
	sim := Simulator{Concurrency: 1, Latency: 30 * time.Millisecond, LatencySigma: 0.7, Seed: 3}
	url, _, stop, err := Start(context.Background(), nil, Options{Simulator: &sim})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	want := newServiceTimes(sim.Latency, sim.LatencySigma, sim.Seed)
	const n = 12
	var sum, shortest, longest time.Duration
	for i := range n {
		d := want.next()
		sum += d
		if i == 0 || d < shortest {
			shortest = d
		}
		longest = max(longest, d)
		resp, err := http.Post(url+"/chat/completions", "application/json",
			strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
	}
	if longest < 2*shortest {
		t.Fatalf("draws from %s to %s: the seed should give a spread", shortest, longest)
	}
	resp, err := http.Get(strings.TrimSuffix(url, "/v1") + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	busy := time.Duration(st.BusySeconds * float64(time.Second))
	if st.RequestsServed != n || busy < sum || busy > sum+n*40*time.Millisecond {
		t.Errorf("stats %+v: want %d served, busy from the draws' sum %s to %s", st, n, sum, sum+n*40*time.Millisecond)
	}
	if st.MaxInFlight != 1 || st.QueueWaitSeconds > 0.05 {
		t.Errorf("stats %+v: one request at a time never queues", st)
	}
}
