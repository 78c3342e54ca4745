package inflight

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
)

// TestEveryElementOnceUnderRandomDurations runs 400 elements of random
// duration (0-3 ms, a few 30 ms) through one set with room for 8: each
// result is delivered exactly once, never more than 8 run at once, and
// results are handed on while the bundle is still taking elements.
func TestEveryElementOnceUnderRandomDurations(t *testing.T) {
	ctx := metrics.SetBundleID(context.Background(), "random-durations")
	rng := rand.New(rand.NewPCG(1, 2))
	const n, limit = 400, 8
	var running, most atomic.Int64
	s := Start[int](ctx, limit)
	got := make([]int, n)
	deliver := func(i int) error { got[i]++; return nil }
	deliveredBeforeFinish := 0
	for i := range n {
		d := time.Duration(rng.IntN(3000)) * time.Microsecond
		if rng.IntN(50) == 0 {
			d = 30 * time.Millisecond
		}
		err := s.Go(func(context.Context) int {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			time.Sleep(d)
			running.Add(-1)
			return i
		}, deliver)
		if err != nil {
			t.Fatal(err)
		}
		if s.Pending() > limit {
			t.Fatalf("%d pending, limit %d", s.Pending(), limit)
		}
	}
	for _, c := range got {
		deliveredBeforeFinish += c
	}
	if err := s.Finish(deliver); err != nil {
		t.Fatal(err)
	}
	for i, c := range got {
		if c != 1 {
			t.Fatalf("element %d delivered %d times", i, c)
		}
	}
	if most.Load() > limit {
		t.Errorf("%d ran at once, limit %d", most.Load(), limit)
	}
	if deliveredBeforeFinish < n-limit {
		t.Errorf("only %d of %d delivered before Finish: at most %d may be left", deliveredBeforeFinish, n, limit)
	}
	if s.Pending() != 0 {
		t.Errorf("%d pending after Finish", s.Pending())
	}
}

// TestFinishServesTheBundlesLaterStages chains two sets of one bundle as
// two fused stages: A's results feed B. A's last element is a straggler.
// While A's Finish waits for it, B's results that are done must move on
// at once, not after the straggler.
func TestFinishServesTheBundlesLaterStages(t *testing.T) {
	ctx := metrics.SetBundleID(context.Background(), "two-stages")
	a, b := Start[int](ctx, 16), Start[int](ctx, 16)
	start := time.Now()
	var outAt []time.Duration
	var out []int
	deliverB := func(i int) error {
		out = append(out, i)
		outAt = append(outAt, time.Since(start))
		return nil
	}
	deliverA := func(i int) error {
		return b.Go(func(context.Context) int { time.Sleep(time.Millisecond); return i }, deliverB)
	}
	const straggler = 300 * time.Millisecond
	for i := range 5 {
		d := time.Millisecond
		if i == 4 {
			d = straggler
		}
		if err := a.Go(func(context.Context) int { time.Sleep(d); return i }, deliverA); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Finish(deliverA); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish(deliverB); err != nil {
		t.Fatal(err)
	}
	if len(out) != 5 {
		t.Fatalf("B emitted %v", out)
	}
	if outAt[0] >= straggler/2 {
		t.Errorf("B's first result came out after %v: it waited for A's straggler (%v)", outAt[0], straggler)
	}
	groupsMu.Lock()
	left := len(groups)
	groupsMu.Unlock()
	if left != 0 {
		t.Errorf("%d bundle groups left after every set finished", left)
	}
}

// TestErrorStopsTheBundle: an error from deliver is returned, and every
// set of the bundle (here a second one, as another stage) is cancelled
// and dropped, its work's context cancelled.
func TestErrorStopsTheBundle(t *testing.T) {
	ctx := metrics.SetBundleID(context.Background(), "failing")
	s := Start[error](ctx, 4)
	other := Start[int](ctx, 4)
	otherStopped := make(chan struct{})
	if err := other.Go(func(ctx context.Context) int { <-ctx.Done(); close(otherStopped); return 0 },
		func(int) error { t.Error("the other stage delivered after the bundle failed"); return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	cancelled := make(chan struct{})
	deliver := func(err error) error { return err }
	if err := s.Go(func(ctx context.Context) error {
		<-ctx.Done()
		close(cancelled)
		return nil
	}, deliver); err != nil {
		t.Fatal(err)
	}
	if err := s.Go(func(context.Context) error { return boom }, deliver); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(deliver); !errors.Is(err, boom) {
		t.Fatalf("Finish returned %v, want boom", err)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the running work was not cancelled")
	}
	if err := s.Go(func(context.Context) error { return nil }, deliver); err == nil {
		t.Error("Go on a finished set succeeded")
	}
	select {
	case <-otherStopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the bundle's other set was not cancelled")
	}
	groupsMu.Lock()
	left := len(groups)
	groupsMu.Unlock()
	if left != 0 {
		t.Errorf("%d bundle groups left after the bundle failed", left)
	}
}

// TestAbandonCancels: a bundle that failed drops its set; its work sees a
// cancelled context and nothing is delivered.
func TestAbandonCancels(t *testing.T) {
	s := Start[int](metrics.SetBundleID(context.Background(), "abandoned"), 2)
	stopped := make(chan struct{})
	if err := s.Go(func(ctx context.Context) int { <-ctx.Done(); close(stopped); return 0 },
		func(int) error { t.Error("delivered after Abandon"); return nil }); err != nil {
		t.Fatal(err)
	}
	s.Abandon()
	<-stopped
	var nilSet *Set[int]
	nilSet.Abandon()
}
