package llm

import (
	"errors"
	"fmt"
)

// Kind classifies a failed call so the pipeline can record it as a reject
// reason ("llm:" + kind).
type Kind string

// Failure kinds. Infrastructure kinds (see Kind.Infrastructure) and rate
// limits are retried and never end a call by themselves: a call fails on
// them only with KindOutage. Sample-level kinds fail the call at once.
const (
	KindRateLimited Kind = "rate_limited"       // 429: back-pressure (retried)
	KindServer      Kind = "server_error"       // 5xx (infrastructure)
	KindConnection  Kind = "connection"         // reset, refused, EOF (infrastructure)
	KindTimeout     Kind = "timeout"            // attempt slower than Config.Timeout, or 408 (infrastructure)
	KindAuth        Kind = "auth"               // 401, 403 (infrastructure)
	KindNotFound    Kind = "not_found"          // 404: wrong URL or model (infrastructure)
	KindBadRequest  Kind = "bad_request"        // other 4xx: the request is refused (sample-level)
	KindMalformed   Kind = "malformed_response" // body is not a chat completion (sample-level)
	KindEmpty       Kind = "empty_choices"      // 200 with no choices (sample-level)
	KindTruncated   Kind = "truncated"          // every choice stopped at max_tokens (sample-level)
	KindOutage      Kind = "outage"             // the endpoint kept failing for Config.OutageTimeout; Err holds the last cause
	KindCanceled    Kind = "canceled"           // the caller's context ended

	// KindRetryBudget is no longer produced by Client: a spent retry
	// budget on infrastructure failures or rate limits turns into waiting
	// and, at worst, KindOutage. It is kept so that Reason and records
	// written by earlier versions still parse.
	KindRetryBudget Kind = "retry_budget"
)

// ErrRetryBudget is matched (errors.Is) by errors of KindRetryBudget, which
// Client no longer produces (see KindRetryBudget).
var ErrRetryBudget = errors.New("llm: retry budget spent")

// ErrOutage is matched (errors.Is) by errors of KindOutage: the endpoint was
// unreachable or failing (connection errors, 5xx, 401/403, 404, timeouts,
// or unrelenting 429s) for longer than Config.OutageTimeout. It is never a
// property of the sample: callers should stop or pause the run, not
// reject the sample.
var ErrOutage = errors.New("llm: endpoint outage")

// Error is the typed error of a failed call. Its text never contains the
// API key.
type Error struct {
	Kind     Kind
	Status   int // HTTP status, 0 if none
	Attempts int // HTTP attempts made
	Err      error
}

// Error describes the failure; the API key is redacted from server text.
func (e *Error) Error() string {
	s := fmt.Sprintf("llm %s", e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Attempts > 0 {
		s += fmt.Sprintf(" after %d attempt(s)", e.Attempts)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause (for KindRetryBudget, the last attempt's *Error).
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrRetryBudget) true for spent budgets and
// errors.Is(err, ErrOutage) true for outages.
func (e *Error) Is(target error) bool {
	return target == ErrRetryBudget && e.Kind == KindRetryBudget ||
		target == ErrOutage && e.Kind == KindOutage
}

// Retryable says whether the kind is worth another attempt: the
// infrastructure kinds and rate limits.
func (k Kind) Retryable() bool {
	return k == KindRateLimited || k.Infrastructure() && k != KindOutage
}

// Infrastructure says whether the kind is a fault of the endpoint (it is
// down, unreachable, misaddressed, refuses the key, or too slow) rather
// than of the sample: connection, server_error, timeout, auth, not_found
// and outage. Such failures open the endpoint's circuit breaker and never
// become a sample's reject. Rate limits (429) are back-pressure, not
// infrastructure: they are retried but do not open the breaker.
func (k Kind) Infrastructure() bool {
	switch k {
	case KindServer, KindConnection, KindTimeout, KindAuth, KindNotFound, KindOutage:
		return true
	}
	return false
}

// Reason returns a short reject reason for err: "llm:<kind>", "llm:canceled"
// for context errors, "llm:other" otherwise. For an outage (or a spent
// budget) it names the last cause too ("llm:outage:connection"). An outage
// is not a property of the sample: check errors.Is(err, ErrOutage) before
// recording a reject.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == KindOutage {
			var last *Error
			if errors.As(e.Err, &last) {
				return "llm:outage:" + string(last.Kind)
			}
		}
		if e.Kind == KindRetryBudget {
			var last *Error
			if errors.As(e.Err, &last) {
				return "llm:retry_budget:" + string(last.Kind)
			}
		}
		return "llm:" + string(e.Kind)
	}
	return "llm:other"
}

// errCanceled wraps context errors so Reason can tell them apart.
var errCanceled = errors.New("llm call canceled")
