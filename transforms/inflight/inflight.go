// Package inflight is the asynchronous DoFn pattern that the sandbox and
// LLM stages share (after Beam Python's async DoFn). ProcessElement hands
// each element's work to a goroutine and returns. Completed results are
// emitted from the bundle's own goroutine as soon as the DoFn runs again:
// in a later ProcessElement, while it waits for room, and in
// FinishBundle, which waits for the rest. There is no state, no timer and
// no barrier, so an element moves on as soon as its own work is done.
//
// The stages of one synthesize run fuse into one bundle, and Beam finishes
// a bundle's DoFns one after the other, upstream first. While one stage's
// FinishBundle waits, it also emits what the bundle's other unfinished
// stages have completed, so a slow straggler in one stage does not hold
// back the samples that are ready in the next. A bundle's sets find each
// other through the bundle's metrics store, which Beam makes anew for each
// bundle attempt.
//
// Beam's rules hold: emitters and metric cells are only used from the
// bundle's goroutine; everything a bundle started is emitted before its
// FinishBundle returns, and when any set of a bundle fails, every set of
// the bundle is cancelled and dropped, so a failed and retried bundle
// loses and repeats nothing; outputs go to the global window, so the
// stages must run in it (GlobalWindow checks this when the graph is
// built).
package inflight

import (
	"context"
	"fmt"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph/window"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
)

// Set is one bundle's in-flight work for one DoFn. It is used from the
// bundle's goroutine only; the work itself runs on goroutines of its own.
type Set[R any] struct {
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan R
	pending int
	limit   int
	deliver func(R) error
	group   *group
	state   setState
}

type setState int

const (
	running setState = iota
	finishing
	closed
)

// Start returns the Set for one bundle of a DoFn: call it from
// StartBundle with the bundle's context. At most limit elements are in
// flight at once (at least 1).
func Start[R any](ctx context.Context, limit int) *Set[R] {
	limit = max(limit, 1)
	wctx, cancel := context.WithCancel(ctx)
	s := &Set[R]{ctx: wctx, cancel: cancel, done: make(chan R, limit), limit: limit}
	s.group = join(metrics.GetStore(ctx), s)
	return s
}

// Go starts work for one element on its own goroutine. Before it returns,
// deliver is called with every result of the set that is already complete
// (this element's or earlier ones); when limit elements are in flight, Go
// first waits for one to complete. deliver runs on the caller's goroutine
// and may emit; an error from it is returned and ends the bundle.
func (s *Set[R]) Go(work func(context.Context) R, deliver func(R) error) error {
	if s.state != running {
		return fmt.Errorf("inflight: Go on a set that is %v", s.state)
	}
	s.deliver = deliver
	if err := s.ready(); err != nil {
		return err
	}
	for s.pending >= s.limit {
		if err := s.take(<-s.done); err != nil {
			return err
		}
	}
	s.pending++
	go func() {
		r := work(s.ctx)
		s.done <- r
		s.group.wake()
	}()
	return nil
}

// Finish waits for the set's work, delivering each result as it completes.
// While it waits it also delivers what the bundle's other unfinished sets
// have completed, each through its own deliver. Call it from FinishBundle.
func (s *Set[R]) Finish(deliver func(R) error) error {
	defer s.close()
	s.deliver = deliver
	s.state = finishing
	for s.pending > 0 {
		select {
		case r := <-s.done:
			if err := s.take(r); err != nil {
				return err
			}
		case <-s.group.woken():
			if err := s.group.serveOthers(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// Abandon cancels the set's work and drops its results: the bundle failed.
// It is safe to call on a finished set, and on nil.
func (s *Set[R]) Abandon() {
	if s != nil {
		s.close()
	}
}

// Pending is the number of elements in flight.
func (s *Set[R]) Pending() int { return s.pending }

func (s *Set[R]) close() {
	if s.state == closed {
		return
	}
	s.state = closed
	s.cancel()
	s.group.leave(s)
}

// ready delivers every completed result without waiting.
func (s *Set[R]) ready() error {
	for {
		select {
		case r := <-s.done:
			if err := s.take(r); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (s *Set[R]) take(r R) (err error) {
	s.pending--
	failed := true
	defer func() {
		if failed {
			// An error or a panic (an emitter's) fails the bundle: none of
			// its sets may go on.
			s.group.fail()
		}
	}()
	err = s.deliver(r)
	failed = err != nil
	return err
}

// serve delivers a running set's completed results for another set's
// Finish. A set that is finishing or closed is not served: it is on the
// stack, or done.
func (s *Set[R]) serve() error {
	if s.state != running || s.deliver == nil {
		return nil
	}
	return s.ready()
}

func (st setState) String() string {
	return [...]string{"running", "finishing", "closed"}[st]
}

// member is what a group knows of a set.
type member interface {
	serve() error
	close()
}

// group is the sets of one bundle. Its members run on the bundle's one
// goroutine; only wake is called from work goroutines.
type group struct {
	id      *metrics.Store
	mu      sync.Mutex
	members []member
	wakeC   chan struct{}
}

var (
	groupsMu sync.Mutex
	groups   = map[*metrics.Store]*group{}
)

// join adds a set to its bundle's group, found by the bundle's metrics
// store. Without one (outside a Beam bundle) the set is a group of its own.
func join(id *metrics.Store, m member) *group {
	if id == nil {
		return &group{members: []member{m}, wakeC: make(chan struct{}, 1)}
	}
	groupsMu.Lock()
	defer groupsMu.Unlock()
	g := groups[id]
	if g == nil {
		g = &group{id: id, wakeC: make(chan struct{}, 1)}
		groups[id] = g
	}
	g.mu.Lock()
	g.members = append(g.members, m)
	g.mu.Unlock()
	return g
}

func (g *group) leave(m member) {
	g.mu.Lock()
	for i, x := range g.members {
		if x == m {
			g.members = append(g.members[:i], g.members[i+1:]...)
			break
		}
	}
	empty := len(g.members) == 0
	g.mu.Unlock()
	if empty && g.id != nil {
		groupsMu.Lock()
		if groups[g.id] == g {
			delete(groups, g.id)
		}
		groupsMu.Unlock()
	}
}

// fail closes every set of the group: one failed, so the bundle did.
func (g *group) fail() {
	g.mu.Lock()
	members := append([]member(nil), g.members...)
	g.mu.Unlock()
	for _, m := range members {
		m.close()
	}
}

// wake tells the group's waiting Finish that some result completed.
func (g *group) wake() {
	select {
	case g.wakeC <- struct{}{}:
	default:
	}
}

func (g *group) woken() <-chan struct{} { return g.wakeC }

// serveOthers delivers the completed results of every running member but
// self. Beam starts a ParDo's outputs before the ParDo itself, so members
// join downstream first; they are served in reverse, upstream first, so
// that what one hands on can move on in the same pass.
func (g *group) serveOthers(self member) error {
	g.mu.Lock()
	members := append([]member(nil), g.members...)
	g.mu.Unlock()
	for i := len(members) - 1; i >= 0; i-- {
		m := members[i]
		if m == self {
			continue
		}
		if err := m.serve(); err != nil {
			return err
		}
	}
	return nil
}

// GlobalWindow panics, when the graph is built, if col is not in the
// global window: results are emitted from other elements' calls and from
// FinishBundle, which Beam puts in the global window.
func GlobalWindow(s beam.Scope, col beam.PCollection) {
	if ws := col.WindowingStrategy(); ws != nil && ws.Fn != nil && ws.Fn.Kind != window.GlobalWindows {
		panic(fmt.Sprintf("%v: in-flight stages need the global window, got %v", s, ws.Fn))
	}
}
