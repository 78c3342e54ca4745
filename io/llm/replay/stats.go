package replay

import (
	"sync"
	"sync/atomic"
)

// Stats counts what the server received.
type Stats struct {
	Total         int64
	ByRole        map[string]int64 // testgen, fix, refine, or "unknown"
	ByStatus      map[int]int64    // HTTP status sent; 0 = connection reset, 499 = client gave up
	MaxConcurrent int64            // most requests in flight at once
	// ModelRequests counts GET /v1/models requests (a client's
	// preflight), which the other fields leave out.
	ModelRequests int64
}

// counters is the server's mutable Stats.
type counters struct {
	mu       sync.Mutex
	total    int64
	byRole   map[string]int64
	byStatus map[int]int64
	inFlight atomic.Int64
	maxSeen  atomic.Int64
	// modelRequests counts GET /v1/models.
	modelRequests atomic.Int64
}

func (c *counters) count(role string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byRole == nil {
		c.byRole, c.byStatus = map[string]int64{}, map[int]int64{}
	}
	c.total++
	c.byRole[role]++
	c.byStatus[status]++
}

// enter marks a request in flight and tracks the maximum.
func (c *counters) enter() {
	n := c.inFlight.Add(1)
	for {
		m := c.maxSeen.Load()
		if n <= m || c.maxSeen.CompareAndSwap(m, n) {
			return
		}
	}
}

func (c *counters) leave() { c.inFlight.Add(-1) }

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{Total: c.total, ByRole: map[string]int64{}, ByStatus: map[int]int64{}, MaxConcurrent: c.maxSeen.Load(),
		ModelRequests: c.modelRequests.Load()}
	for k, v := range c.byRole {
		s.ByRole[k] = v
	}
	for k, v := range c.byStatus {
		s.ByStatus[k] = v
	}
	return s
}
