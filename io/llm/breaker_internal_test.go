package llm

import (
	"context"
	"testing"
	"time"
)

func TestBreakerOpensOnConsecutiveInfrastructureFailures(t *testing.T) {
	b := &breaker{endpoint: "http://x", threshold: 3, timeout: time.Hour, probeBase: time.Hour, probeMax: time.Hour,
		changed: make(chan struct{})}
	conn := &Error{Kind: KindConnection}
	for i, tc := range []struct {
		err  *Error
		want transition
	}{
		{conn, unchanged},
		{conn, unchanged},
		{nil, unchanged}, // an answer resets the count
		{conn, unchanged},
		{&Error{Kind: KindRateLimited}, unchanged}, // so does a 429
		{conn, unchanged},
		{&Error{Kind: KindCanceled}, unchanged}, // a cancellation counts for nothing
		{&Error{Kind: KindServer}, unchanged},
		{&Error{Kind: KindNotFound}, opened},
		{conn, unchanged},
		{&Error{Kind: KindBadRequest}, closed}, // the endpoint answers
	} {
		if got := b.record(false, tc.err); got != tc.want {
			t.Fatalf("step %d: %v, want %v", i, got, tc.want)
		}
	}
	if b.pauses != 1 || b.isOpen() {
		t.Errorf("pauses %d open %v", b.pauses, b.isOpen())
	}
}

func TestBreakerLetsOneProbeThrough(t *testing.T) {
	b := &breaker{endpoint: "http://x", threshold: 1, timeout: time.Hour, probeBase: time.Millisecond,
		probeMax: time.Millisecond, changed: make(chan struct{})}
	b.record(false, &Error{Kind: KindConnection})
	time.Sleep(2 * time.Millisecond)
	probe, _, err := b.admit(context.Background())
	if !probe || err != nil {
		t.Fatalf("first admit: probe %v err %v", probe, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if probe, _, err := b.admit(ctx); probe || err == nil || err.Kind != KindCanceled {
		t.Fatalf("second admit while probing: probe %v err %v; want held until canceled", probe, err)
	}
	released := make(chan bool, 1)
	go func() {
		p, waited, err := b.admit(context.Background())
		released <- err == nil && !p && waited > 0
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case <-released:
		t.Fatal("a call was admitted while the probe was out")
	default: // held, as it should be
	}
	if b.record(true, nil) != closed {
		t.Fatal("a successful probe did not close the breaker")
	}
	if !<-released {
		t.Error("a held call was not released as an ordinary call")
	}
}

func TestBreakerGivesUpAfterTimeout(t *testing.T) {
	b := &breaker{endpoint: "http://x", threshold: 1, timeout: 30 * time.Millisecond, probeBase: time.Hour,
		probeMax: time.Hour, changed: make(chan struct{})}
	b.record(false, &Error{Kind: KindServer, Status: 503})
	start := time.Now()
	_, waited, err := b.admit(context.Background())
	if err == nil || err.Kind != KindOutage || err.Status != 503 || waited < 25*time.Millisecond || time.Since(start) > 2*time.Second {
		t.Fatalf("admit: %v after %s", err, waited)
	}
}
