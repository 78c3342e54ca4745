package llm

import (
	"context"

	"github.com/unitcoder/unitcoder/internal/perprocess"
)

// limiter is a counting semaphore bounding in-flight requests to one
// endpoint. It is shared by every Client in the process that talks to the
// same base URL, so Beam DoFn instances on one worker cannot together
// overload a server.
type limiter struct{ slots chan struct{} }

var limiters perprocess.Map[string, *limiter]

// sharedLimiter returns the process-wide limiter for endpoint, creating it
// with capacity n on first use.
func sharedLimiter(endpoint string, n int) *limiter {
	l, _ := limiters.Get(endpoint, func() (*limiter, error) {
		return &limiter{slots: make(chan struct{}, n)}, nil
	})
	return l
}

func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }
