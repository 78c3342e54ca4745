package replay

import (
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what the server received and how busy it was. GET /stats
// sends it as JSON, under the keys of the json tags.
type Stats struct {
	Total         int64            `json:"total"`
	ByRole        map[string]int64 `json:"by_role"`        // testgen, fix, refine, or "unknown"
	ByStatus      map[int]int64    `json:"by_status"`      // HTTP status sent; 0 = connection reset, 499 = client gave up
	MaxConcurrent int64            `json:"max_concurrent"` // most chat requests in the server at once, queued ones included
	// ModelRequests counts GET /v1/models requests (a client's
	// preflight), which the other fields leave out.
	ModelRequests int64 `json:"model_requests"`

	// Mode is "simulate" (Options.Simulator set) or "replay".
	Mode string `json:"mode"`
	// RequestsServed counts chat requests answered with a completion (the
	// simulator's or a recording's); injected faults are left out, even
	// those sent with status 200.
	RequestsServed int64 `json:"requests_served"`
	// Concurrency is the simulator's slot count; 0 = unbounded, or replay
	// mode.
	Concurrency int `json:"concurrency"`
	// BusySeconds is the simulator's slot time: the sum over requests of
	// the time each held a slot until its reply was ready (served or not,
	// queue wait excluded; a slot still held counts up to now). In replay
	// mode it is the sum of chat request handling times.
	BusySeconds float64 `json:"busy_s"`
	// QueueWaitSeconds is the sum over requests of the time spent waiting
	// for a slot (simulator only).
	QueueWaitSeconds float64 `json:"queue_wait_s"`
	// MaxInFlight is the most requests holding a slot at once (never more
	// than Concurrency); in replay mode, MaxConcurrent.
	MaxInFlight int64 `json:"max_in_flight"`
	// ElapsedSeconds runs from the first chat request's arrival to the
	// last response, or to now while requests are in the server.
	ElapsedSeconds float64 `json:"elapsed_s"`
	// Utilization is BusySeconds / (Concurrency * ElapsedSeconds), in
	// [0, 1]; 0 when Concurrency is 0 (unbounded simulator, replay mode).
	Utilization float64 `json:"utilization"`
	// MeanLatencySeconds is the mean time from arrival to reply of the
	// served requests, queue wait included: what clients saw.
	MeanLatencySeconds float64 `json:"mean_latency_s"`
	// MeanServiceSeconds is the mean slot time of the served requests (in
	// replay mode, their handling time).
	MeanServiceSeconds float64 `json:"mean_service_s"`
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

	// Load accounting, under mu.
	first, last time.Time     // first chat arrival, last chat departure
	active      int64         // chat requests between arrive and depart
	activeSince time.Duration // sum over active requests of arrival - first
	slotsSince  time.Duration // sum over held slots of slot start - first
	busy        time.Duration // slot time (simulator) or handling time (replay)
	queueWait   time.Duration
	slotsHeld   int64
	maxSlots    int64
	served      int64
	servedLat   time.Duration // arrival to reply, summed over served requests
	servedSvc   time.Duration // slot or handling time, summed over served requests
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

// arrive starts a chat request's accounting and returns its arrival time.
func (c *counters) arrive() time.Time {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.first.IsZero() {
		c.first = now
	}
	c.active++
	c.activeSince += now.Sub(c.first)
	return now
}

// depart ends a chat request's accounting; handling time counts as busy
// unless the simulator accounts slot time instead.
func (c *counters) depart(arrival time.Time, countBusy bool) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active--
	c.activeSince -= arrival.Sub(c.first)
	c.last = now
	if countBusy {
		c.busy += now.Sub(arrival)
	}
}

// servedIn counts a request answered with a completion in replay mode,
// which took d from arrival.
func (c *counters) servedIn(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.served++
	c.servedLat += d
	c.servedSvc += d
}

// abandonQueue counts the wait of a request that gave up in the queue.
func (c *counters) abandonQueue(wait time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queueWait += wait
}

// takeSlot counts a request that got a slot at start after waiting wait.
func (c *counters) takeSlot(start time.Time, wait time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queueWait += wait
	c.slotsHeld++
	c.slotsSince += start.Sub(c.first)
	c.maxSlots = max(c.maxSlots, c.slotsHeld)
}

// releaseSlot counts a slot taken at start and held for service; latency
// runs from arrival.
func (c *counters) releaseSlot(start time.Time, service, latency time.Duration, served bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slotsHeld--
	c.slotsSince -= start.Sub(c.first)
	c.busy += service
	if served {
		c.served++
		c.servedLat += latency
		c.servedSvc += service
	}
}

// snapshot copies the counters; sim is the server's simulator or nil.
func (c *counters) snapshot(sim *Simulator) Stats {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{Total: c.total, ByRole: map[string]int64{}, ByStatus: map[int]int64{}, MaxConcurrent: c.maxSeen.Load(),
		ModelRequests: c.modelRequests.Load(), Mode: "replay", RequestsServed: c.served,
		BusySeconds: c.busy.Seconds(), QueueWaitSeconds: c.queueWait.Seconds(), MaxInFlight: c.maxSlots}
	for k, v := range c.byRole {
		s.ByRole[k] = v
	}
	for k, v := range c.byStatus {
		s.ByStatus[k] = v
	}
	if sim != nil {
		s.Mode, s.Concurrency = "simulate", max(sim.Concurrency, 0)
	} else {
		s.MaxInFlight = s.MaxConcurrent
	}
	if !c.first.IsZero() {
		end := c.last
		if c.active > 0 {
			end = now
		}
		s.ElapsedSeconds = end.Sub(c.first).Seconds()
		// Requests still holding a slot (or, in replay mode, still being
		// handled) count up to now.
		sinceFirst := now.Sub(c.first)
		if sim != nil {
			s.BusySeconds += (time.Duration(c.slotsHeld)*sinceFirst - c.slotsSince).Seconds()
		} else {
			s.BusySeconds += (time.Duration(c.active)*sinceFirst - c.activeSince).Seconds()
		}
	}
	if s.Concurrency > 0 && s.ElapsedSeconds > 0 {
		s.Utilization = s.BusySeconds / (float64(s.Concurrency) * s.ElapsedSeconds)
	}
	if c.served > 0 {
		s.MeanLatencySeconds = c.servedLat.Seconds() / float64(c.served)
		s.MeanServiceSeconds = c.servedSvc.Seconds() / float64(c.served)
	}
	return s
}
