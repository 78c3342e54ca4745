package llm

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/unitcoder/unitcoder/internal/perprocess"
)

// breaker is the circuit breaker of one endpoint. Like limiter it is
// shared by every Client in the process that talks to the same base URL,
// so all Beam DoFn instances on a worker pause together when the endpoint
// goes down, and resume together when it comes back.
//
// It opens after Config.BreakerThreshold consecutive infrastructure
// failures (Kind.Infrastructure) over all calls to the endpoint, and any
// answer from the endpoint (a success, a sample-level refusal such as a
// 400, or a 429) closes it. A consecutive count is used rather than a
// failure rate over a time window because a rate misfires at low traffic
// (two failures out of three calls in a quiet minute would open it, and a
// dead endpoint seen by one slow caller might never reach the window's
// minimum) and its outcome depends on timing, while a consecutive count
// does not: a dead endpoint fails every request, so it opens the breaker
// after exactly threshold requests whatever the load, and a flaky but
// working one keeps resetting the count with its successes.
//
// While open, calls do not send requests: they wait in admit. One request
// at a time is let through as a probe (half-open), after a growing,
// jittered wait capped at Config.ProbeIntervalMax; the call that makes it
// is an ordinary call, so a successful probe is also a useful answer. A
// probe that gets any answer closes the breaker and the waiting calls
// proceed. Once the breaker has been open for Config.OutageTimeout, every
// waiting and new call fails with ErrOutage, except that probes still go
// out on their schedule, so an endpoint that comes back later is used
// again.
type breaker struct {
	endpoint  string
	threshold int
	timeout   time.Duration
	probeBase time.Duration
	probeMax  time.Duration

	mu          sync.Mutex
	consecutive int       // infrastructure failures since the last answer
	open        bool      // requests are held
	openedAt    time.Time // when it last opened
	lastCause   *Error    // the latest infrastructure failure
	probing     bool      // a probe is in flight
	probes      int       // failed probes since it opened
	nextProbe   time.Time // earliest time of the next probe
	changed     chan struct{}
	pauses      int64 // times it has opened
}

var breakers perprocess.Map[string, *breaker]

// sharedBreaker returns the process-wide breaker for cfg's endpoint,
// creating it with cfg's settings (defaults applied) on first use.
func sharedBreaker(cfg Config) *breaker {
	endpoint := cfg.endpoint()
	b, _ := breakers.Get(endpoint, func() (*breaker, error) {
		return &breaker{endpoint: endpoint, threshold: cfg.BreakerThreshold, timeout: cfg.OutageTimeout,
			probeBase: min(cfg.BackoffBase, cfg.ProbeIntervalMax), probeMax: cfg.ProbeIntervalMax,
			changed: make(chan struct{})}, nil
	})
	return b
}

// broadcast wakes every call waiting in admit. Callers hold b.mu.
func (b *breaker) broadcast() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// admit returns when a request may be sent: at once while the breaker is
// closed; while it is open, once it closes or this call is chosen as the
// probe (probe is then true, and the caller must report the outcome to
// record). It fails with KindOutage once the breaker has been open for the
// outage timeout, or KindCanceled when ctx ends. waited is the time spent
// held (0 when the breaker is closed).
func (b *breaker) admit(ctx context.Context) (probe bool, waited time.Duration, err *Error) {
	b.mu.Lock()
	if !b.open {
		b.mu.Unlock()
		return false, 0, nil
	}
	b.mu.Unlock()
	start := time.Now()
	for {
		b.mu.Lock()
		if !b.open {
			b.mu.Unlock()
			return false, time.Since(start), nil
		}
		now := time.Now()
		if !b.probing && !now.Before(b.nextProbe) {
			b.probing = true
			b.mu.Unlock()
			return true, time.Since(start), nil
		}
		giveUp := b.openedAt.Add(b.timeout)
		if !now.Before(giveUp) {
			err := b.outageError(now)
			b.mu.Unlock()
			return false, time.Since(start), err
		}
		wait := giveUp.Sub(now)
		if !b.probing {
			wait = min(wait, b.nextProbe.Sub(now))
		}
		changed := b.changed
		b.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-changed:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false, time.Since(start), &Error{Kind: KindCanceled, Err: fmt.Errorf("%w: %w", errCanceled, ctx.Err())}
		}
		t.Stop()
	}
}

// transition is what record did to the breaker, for the caller to log.
type transition int

const (
	unchanged transition = iota
	opened
	closed
)

// record reports the outcome of a request admitted by admit: err is nil on
// success. Any answer of the endpoint closes the breaker; infrastructure
// failures count towards opening it and push the next probe back;
// canceled requests count for nothing.
func (b *breaker) record(probe bool, err *Error) transition {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	switch {
	case err != nil && err.Kind == KindCanceled:
		if probe {
			b.broadcast() // let another call probe
		}
		return unchanged
	case err == nil || !err.Kind.Infrastructure():
		b.consecutive = 0
		if !b.open {
			return unchanged
		}
		b.open = false
		b.broadcast()
		return closed
	}
	now := time.Now()
	b.consecutive++
	b.lastCause = err
	switch {
	case b.open && probe:
		b.probes++
		b.nextProbe = now.Add(backoff(b.probes, b.probeBase, b.probeMax))
		b.broadcast()
	case !b.open && b.consecutive >= b.threshold:
		b.open, b.openedAt, b.probes, b.pauses = true, now, 0, b.pauses+1
		b.nextProbe = now.Add(backoff(0, b.probeBase, b.probeMax))
		b.broadcast()
		return opened
	}
	return unchanged
}

// isOpen says whether requests are being held.
func (b *breaker) isOpen() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

// outageError is the error of a call given up on. Callers hold b.mu.
func (b *breaker) outageError(now time.Time) *Error {
	e := &Error{Kind: KindOutage, Err: fmt.Errorf("%s down since %s, gave up after %s: %w", b.endpoint,
		b.openedAt.Format(time.TimeOnly), now.Sub(b.openedAt).Round(time.Millisecond), b.lastCause)}
	if b.lastCause != nil {
		e.Status = b.lastCause.Status
	}
	return e
}

// OutageState describes an endpoint whose breaker is open: calls to it are
// paused, waiting for it to come back.
type OutageState struct {
	Endpoint  string    // base URL, without a trailing slash
	Since     time.Time // when the breaker opened
	GivesUpAt time.Time // when waiting calls fail with ErrOutage (Since + OutageTimeout)
	LastCause string    // the latest failure, API key redacted
	Probes    int       // probe requests that have failed since it opened
}

// Outages lists the endpoints whose breaker is open, by endpoint, for a
// progress display ("LLM paused: <endpoint> down since <Since>, giving up
// in <GivesUpAt - now>").
func Outages() []OutageState {
	var out []OutageState
	for _, b := range breakers.Values() {
		b.mu.Lock()
		if b.open {
			s := OutageState{Endpoint: b.endpoint, Since: b.openedAt, GivesUpAt: b.openedAt.Add(b.timeout), Probes: b.probes}
			if b.lastCause != nil {
				s.LastCause = b.lastCause.Error()
			}
			out = append(out, s)
		}
		b.mu.Unlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Endpoint < out[j].Endpoint })
	return out
}

// OutagePauses returns how many times, over the life of the process, an
// endpoint's breaker has opened and paused its calls.
func OutagePauses() int64 {
	var n int64
	for _, b := range breakers.Values() {
		b.mu.Lock()
		n += b.pauses
		b.mu.Unlock()
	}
	return n
}
