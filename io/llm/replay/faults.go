package replay

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"
)

// fault returns the first rule selecting request seq.
func (s *Server) fault(seq int64) (FaultRule, bool) {
	for _, r := range s.opts.Faults {
		if r.selects(seq) {
			return r, true
		}
	}
	return FaultRule{}, false
}

// inject applies a fault. It returns false when the request should still be
// answered normally (a slow reply, once its delay has passed).
func (s *Server) inject(w http.ResponseWriter, r *http.Request, rule FaultRule, role string) bool {
	switch rule.Mode {
	case Fault429:
		secs := int(math.Ceil(rule.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		s.fail(w, role, http.StatusTooManyRequests, "rate_limit_exceeded", "replay: injected 429")
	case Fault500:
		s.fail(w, role, http.StatusInternalServerError, "server_error", "replay: injected 500")
	case FaultSlow:
		select {
		case <-time.After(rule.Delay):
			return false
		case <-r.Context().Done():
			s.stats.count(role, 499)
		}
	case FaultMalformed:
		s.stats.count(role, http.StatusOK)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, `{"id":"replay-malformed","object":"chat.completion","choices":[{"index":0,"message":{"role":"assi`)
	case FaultTruncated:
		s.stats.count(role, http.StatusOK)
		writeJSON(w, http.StatusOK, completion(s.opts.Model, nil, []string{"```python\ndef cut(x):\n    return [x,"}, "length"))
	case FaultEmpty:
		s.stats.count(role, http.StatusOK)
		writeJSON(w, http.StatusOK, map[string]any{"id": "replay-empty", "object": "chat.completion",
			"model": s.opts.Model, "choices": []any{}})
	case FaultReset:
		s.reset(w, role)
	case FaultEcho:
		s.fail(w, role, http.StatusUnauthorized, "invalid_api_key", "replay: rejected headers "+headerDump(r.Header))
	default:
		s.fail(w, role, http.StatusInternalServerError, "bad_fault", fmt.Sprintf("replay: unknown fault %q", rule.Mode))
	}
	return true
}

// reset closes the connection without a response; SO_LINGER 0 makes the
// kernel send RST rather than FIN, as a crashed server would.
func (s *Server) reset(w http.ResponseWriter, role string) {
	s.stats.count(role, 0)
	hangUp(w)
}

// hangUp resets the request's connection.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// headerDump lists every request header with its value, as a careless
// proxy's error page might.
func headerDump(h http.Header) string {
	var parts []string
	for k, v := range h {
		parts = append(parts, k+"="+strings.Join(v, ","))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
