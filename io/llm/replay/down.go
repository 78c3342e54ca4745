package replay

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// downState is the server's outage state: the manual switch and when each
// Options.Outages rule started.
type downState struct {
	mu      sync.Mutex
	manual  bool
	started []time.Time // per rule; zero = not yet
}

// SetDown takes the server down (every request is reset, as by a crashed
// server) or brings it back up. It overrides nothing of Options.Outages:
// the server is down while either says so.
func (s *Server) SetDown(down bool) {
	s.down.mu.Lock()
	defer s.down.mu.Unlock()
	s.down.manual = down
}

// downMode says whether the server is down now, and how. seq is the
// chat request's sequence number, which may start an outage rule; 0 (other
// routes) starts none.
func (s *Server) downMode(seq int64) (DownMode, bool) {
	s.down.mu.Lock()
	defer s.down.mu.Unlock()
	if s.down.manual {
		return DownReset, true
	}
	now := time.Now()
	for i, o := range s.opts.Outages {
		start := s.down.started[i]
		if start.IsZero() {
			if seq <= int64(o.After) {
				continue
			}
			start = now
			s.down.started[i] = start
		}
		if o.For == 0 || now.Before(start.Add(o.For)) {
			if o.Mode == "" {
				return DownReset, true
			}
			return o.Mode, true
		}
	}
	return "", false
}

// gate answers the request itself when the server is down or the API key
// is wrong. It returns the status sent (0 for a reset) and whether it
// answered; the caller counts it.
func (s *Server) gate(w http.ResponseWriter, r *http.Request, seq int64) (int, bool) {
	if mode, down := s.downMode(seq); down {
		if mode == Down503 {
			writeError(w, http.StatusServiceUnavailable, "service_unavailable", "replay: server down")
			return http.StatusServiceUnavailable, true
		}
		hangUp(w)
		return 0, true
	}
	if s.opts.APIKey != "" {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token != s.opts.APIKey {
			writeError(w, http.StatusUnauthorized, "invalid_api_key", "replay: missing or wrong API key")
			return http.StatusUnauthorized, true
		}
	}
	return 0, false
}

// unknownModel sends vLLM's answer to a request naming a model it does not
// serve.
func (s *Server) unknownModel(w http.ResponseWriter, role, model string) {
	s.stats.count(role, http.StatusNotFound)
	writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{
		"message": fmt.Sprintf("The model `%s` does not exist.", model), "type": "NotFoundError", "code": http.StatusNotFound}})
}
