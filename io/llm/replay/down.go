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
// is wrong, and says whether it did. A chat request (role not "") is
// counted before it is answered, so a client that saw the answer finds it
// in Stats.
func (s *Server) gate(w http.ResponseWriter, r *http.Request, seq int64, role string) bool {
	count := func(status int) {
		if role != "" {
			s.stats.count(role, status)
		}
	}
	if mode, down := s.downMode(seq); down {
		if mode == Down503 {
			count(http.StatusServiceUnavailable)
			writeError(w, http.StatusServiceUnavailable, "service_unavailable", "replay: server down")
			return true
		}
		count(0)
		hangUp(w)
		return true
	}
	if !s.authorized(r) {
		count(http.StatusUnauthorized)
		writeError(w, http.StatusUnauthorized, "invalid_api_key", "replay: missing or wrong API key")
		return true
	}
	return false
}

// authorized says whether r carries Options.APIKey (always, when none is
// set).
func (s *Server) authorized(r *http.Request) bool {
	if s.opts.APIKey == "" {
		return true
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && token == s.opts.APIKey
}

// unknownModel sends vLLM's answer to a request naming a model it does not
// serve.
func (s *Server) unknownModel(w http.ResponseWriter, role, model string) {
	s.stats.count(role, http.StatusNotFound)
	writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{
		"message": fmt.Sprintf("The model `%s` does not exist.", model), "type": "NotFoundError", "code": http.StatusNotFound}})
}
