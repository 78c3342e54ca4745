package llm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// outageConfig gives up after outage and probes at least every 100ms.
func outageConfig(url string, outage time.Duration) llm.Config {
	cfg := fastConfig(url, 1)
	cfg.OutageTimeout, cfg.ProbeIntervalMax, cfg.BreakerThreshold = outage, 100*time.Millisecond, 5
	return cfg
}

// callsResult is what concurrent calls got.
type callsResult struct {
	errs     []error
	took     []time.Duration
	waited   time.Duration // summed Completion.OutageWait
	sawPause atomic.Bool   // Outages listed the endpoint while the calls ran
	pause    llm.OutageState
}

// concurrentCalls makes n calls at once while watching Outages for url.
func concurrentCalls(t *testing.T, c *llm.Client, url string, n int) *callsResult {
	t.Helper()
	res := &callsResult{errs: make([]error, n), took: make([]time.Duration, n)}
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			for _, o := range llm.Outages() {
				if o.Endpoint == url && !res.sawPause.Load() {
					res.pause = o
					res.sawPause.Store(true)
				}
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range n {
		wg.Go(func() {
			start := time.Now()
			got, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(i))
			mu.Lock()
			defer mu.Unlock()
			res.errs[i], res.took[i] = err, time.Since(start)
			res.waited += got.OutageWait
		})
	}
	wg.Wait()
	close(done)
	<-watched
	return res
}

// An endpoint that goes down and comes back within the outage timeout
// costs time only: every call succeeds, and while it is down the breaker
// holds the calls (one probe at a time) instead of letting them hammer it.
func TestBreakerRidesOutShortOutage(t *testing.T) {
	for _, mode := range []replay.DownMode{replay.DownReset, replay.Down503} {
		t.Run(string(mode), func(t *testing.T) {
			url, srv := simServer(t, replay.Options{Outages: []replay.Outage{{After: 0, For: 700 * time.Millisecond, Mode: mode}}})
			pauses := llm.OutagePauses()
			res := concurrentCalls(t, newClient(t, outageConfig(url, 4*time.Second)), url, 20)
			for i, err := range res.errs {
				if err != nil {
					t.Errorf("call %d: %v", i, err)
				}
			}
			if !res.sawPause.Load() {
				t.Fatal("Outages never listed the endpoint while it was down")
			}
			o := res.pause
			if o.LastCause == "" || o.GivesUpAt.Sub(o.Since) != 4*time.Second || o.Since.IsZero() {
				t.Errorf("outage state %+v", o)
			}
			if llm.OutagePauses() <= pauses || res.waited == 0 {
				t.Errorf("pauses %d -> %d, waited %s: want a counted pause", pauses, llm.OutagePauses(), res.waited)
			}
			for _, o := range llm.Outages() {
				if o.Endpoint == url {
					t.Errorf("still listed after recovery: %+v", o)
				}
			}
			// Without the breaker, 20 calls retrying every few ms for
			// 700ms would send hundreds of requests; with it, the first
			// wave, the probes and the answers.
			if s := srv.Stats(); s.Total > 150 || s.ByStatus[200] != 20 {
				t.Errorf("server stats %+v: want 20 answers and few failed requests", s)
			}
		})
	}
}

// An endpoint that goes down for good after 3 requests (or never existed)
// makes every other call fail with ErrOutage about OutageTimeout after the
// breaker opened; no call ends with a sample-level error, and later calls
// fail at once.
func TestBreakerGivesUpWithErrOutage(t *testing.T) {
	down, _ := simServer(t, replay.Options{Outages: []replay.Outage{{After: 3}}})
	for _, tc := range []struct {
		name      string
		url       string
		successes int // at most
	}{{"stays down", down, 3}, {"nothing listening", deadURL(t), 0}} {
		url := tc.url
		t.Run(tc.name, func(t *testing.T) {
			const outage = time.Second
			c := newClient(t, outageConfig(url, outage))
			res := concurrentCalls(t, c, url, 20)
			successes := 0
			for i, err := range res.errs {
				if err == nil {
					successes++
					continue
				}
				var le *llm.Error
				if !errors.Is(err, llm.ErrOutage) || !errors.As(err, &le) || le.Kind != llm.KindOutage ||
					llm.Reason(err) != "llm:outage:connection" {
					t.Errorf("call %d: %v (reason %s), want ErrOutage", i, err, llm.Reason(err))
					continue
				}
				if !strings.Contains(err.Error(), url) {
					t.Errorf("call %d: %v does not name the endpoint", i, err)
				}
				if res.took[i] > outage+4*time.Second {
					t.Errorf("call %d gave up after %s, want about %s", i, res.took[i], outage)
				}
			}
			// Requests still in flight when the server goes down can be
			// cut off too (seen under -race), so up to After succeed.
			if successes > tc.successes || tc.successes > 0 && successes == 0 {
				t.Errorf("%d calls succeeded, want 1..%d", successes, tc.successes)
			}
			if !res.sawPause.Load() {
				t.Error("Outages never listed the endpoint")
			}
			start := time.Now()
			_, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(99))
			if !errors.Is(err, llm.ErrOutage) || time.Since(start) >= outage {
				t.Errorf("call after giving up: %v after %s, want ErrOutage at once", err, time.Since(start))
			}
		})
	}
}

// 400 refusals are the sample's: they fail at once, as before, and never
// open the breaker however many there are.
func TestRefusalsDoNotOpenTheBreaker(t *testing.T) {
	url, srv, stop, err := replay.Start(context.Background(), nil, replay.Options{}) // no recordings: 400 to all
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cfg := outageConfig(url, time.Second)
	cfg.BreakerThreshold = 2
	c := newClient(t, cfg)
	for i := range 10 {
		got, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(i))
		var le *llm.Error
		if !errors.As(err, &le) || le.Kind != llm.KindBadRequest || le.Status != 400 || got.Requests != 1 || got.OutageWait != 0 {
			t.Fatalf("call %d: %v after %d requests; want one 400", i, err, got.Requests)
		}
	}
	for _, o := range llm.Outages() {
		if o.Endpoint == url {
			t.Errorf("400s opened the breaker: %+v", o)
		}
	}
	if s := srv.Stats(); s.Total != 10 {
		t.Errorf("server saw %d requests, want 10", s.Total)
	}
}

// Malformed and empty bodies stay sample outcomes too, and an endpoint
// answering them is up: they close an open breaker.
func TestSampleFaultsStayRejectsDuringFlakiness(t *testing.T) {
	url, _ := simServer(t, replay.Options{Faults: []replay.FaultRule{
		{Mode: replay.FaultReset, First: 6},
		{Mode: replay.FaultMalformed, First: 7},
	}})
	got, err := newClient(t, outageConfig(url, 4*time.Second)).Complete(context.Background(), llm.RoleTestgen, prompt(1))
	if llm.Reason(err) != "llm:malformed_response" || got.Requests != 7 {
		t.Fatalf("%v after %d requests; want malformed_response after 6 resets", err, got.Requests)
	}
	for _, o := range llm.Outages() {
		if o.Endpoint == url {
			t.Errorf("an answering endpoint is still listed as down: %+v", o)
		}
	}
}
