package replay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the server can inject.
type Fault string

// Fault modes.
const (
	Fault429       Fault = "429"       // 429 with Retry-After
	Fault500       Fault = "500"       // 500 with an OpenAI error body
	FaultSlow      Fault = "slow"      // answer only after Delay
	FaultMalformed Fault = "malformed" // 200 with a body that is not JSON
	FaultTruncated Fault = "truncated" // finish_reason "length", code block cut
	FaultEmpty     Fault = "empty"     // 200 with no choices
	FaultReset     Fault = "reset"     // connection closed without a response
	FaultEcho      Fault = "echo"      // 401 whose message echoes the request headers
)

// FaultRule injects Mode into the requests it selects, by the 1-based
// sequence number of requests the server has received: the first First
// requests, and every Every-th request after that. A zero field selects
// nothing.
type FaultRule struct {
	Mode       Fault
	First      int
	Every      int
	RetryAfter time.Duration // for Fault429 (sent in whole seconds, rounded up)
	Delay      time.Duration // for FaultSlow
}

func (r FaultRule) selects(seq int64) bool {
	if r.First > 0 && seq <= int64(r.First) {
		return true
	}
	return r.Every > 0 && seq > int64(r.First) && (seq-int64(r.First))%int64(r.Every) == 0
}

// Simulator turns the server into a capacity simulator for benchmarks: at
// most Concurrency requests are served at once, the rest queue (in arrival
// order, as the Go runtime wakes them), and each takes a service time from
// when it gets a slot: Latency, or with LatencySigma > 0 a lognormal draw
// whose mean is Latency. Every prompt gets a small valid reply, recordings
// or not, so it measures the client and the pipeline, never the
// recordings: a testgen prompt gets a unittest class that calls the code's
// functions, a fix or refine prompt gets its own code back, and an
// unmarked prompt a small function. Each reply carries the request's
// sequence number, so candidates of different requests differ.
type Simulator struct {
	Concurrency int           // requests served at once; 0 = unbounded
	Latency     time.Duration // service time, or its mean when LatencySigma > 0
	// LatencySigma is the standard deviation of the log of the service
	// time (lognormal, mu = ln(Latency) - LatencySigma²/2); 0 = every
	// request takes Latency.
	LatencySigma float64
	// Seed seeds the lognormal draws: the same seed and the same order of
	// requests getting slots give the same service times.
	Seed int64
}

// Delay is a random per-request latency for recorded answers: lognormal
// with mean Mean and log standard deviation Sigma, seeded by Seed.
type Delay struct {
	Mean  time.Duration
	Sigma float64
	Seed  int64
}

// Options configure a Server.
type Options struct {
	Faults    []FaultRule
	Simulator *Simulator // nil = answer from recordings
	Model     string     // model name echoed in replies ("" = "replay")
	// IgnoreN makes the server answer one choice whatever n asks, as some
	// servers do; it exercises the client's fallback.
	IgnoreN bool
	// StrictModel makes a chat request naming another model than Model
	// fail with 404 and a "does not exist" error body, as vLLM does. Off
	// by default: recordings are matched by prompt, whatever model the
	// client names, and many callers name none in particular.
	StrictModel bool
	// APIKey, when set, is required on every request as
	// "Authorization: Bearer <APIKey>"; other requests get 401. The key
	// is never echoed.
	APIKey string
	// Delay, when set, holds each recorded answer for a random time
	// first (a seeded lognormal draw, as the simulator's), so that the
	// answers of concurrent requests come back in a random order.
	Delay *Delay
	// Outages take the whole server down (chat and models alike) for a
	// while; see Outage. Server.SetDown does the same by hand.
	Outages []Outage
}

// DownMode is how a down server treats requests.
type DownMode string

// Down modes.
const (
	DownReset DownMode = "reset" // close the connection without a response (RST), as a crashed server
	Down503   DownMode = "503"   // 503 with an OpenAI error body, as a proxy whose backend is gone
)

// Outage takes the server down when chat request number After+1 (by the
// same 1-based sequence as FaultRule) arrives, for For (0 = for good),
// answering every request meanwhile as Mode says. Being time-based, it
// lets a test say "the endpoint goes down after N requests and comes back
// T later" whatever the client's retry schedule.
type Outage struct {
	After int
	For   time.Duration
	Mode  DownMode // "" = DownReset
}

// ParseOutage reads an Outage from a flag value:
// "after=N[,for=DURATION][,mode=reset|503]", e.g. "after=20,for=30s".
func ParseOutage(spec string) (Outage, error) {
	var o Outage
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[k] {
			return Outage{}, fmt.Errorf("outage %q: want after=N[,for=DURATION][,mode=reset|503]", spec)
		}
		seen[k] = true
		var err error
		switch k {
		case "after":
			o.After, err = strconv.Atoi(v)
			if err == nil && o.After < 0 {
				err = errors.New("negative")
			}
		case "for":
			o.For, err = time.ParseDuration(v)
			if err == nil && o.For < 0 {
				err = errors.New("negative")
			}
		case "mode":
			o.Mode = DownMode(v)
			if o.Mode != DownReset && o.Mode != Down503 {
				err = errors.New("want reset or 503")
			}
		default:
			err = errors.New("unknown key")
		}
		if err != nil {
			return Outage{}, fmt.Errorf("outage %q: %s=%s: %v", spec, k, v, err)
		}
	}
	if !seen["after"] {
		return Outage{}, fmt.Errorf("outage %q: after=N is required", spec)
	}
	return o, nil
}
