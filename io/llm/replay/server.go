package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
)

// Server answers OpenAI chat completion requests from recordings. It is an
// http.Handler.
type Server struct {
	rec     *Recordings
	opts    Options
	mux     *http.ServeMux
	seq     atomic.Int64
	stats   counters
	slots   chan struct{} // simulator capacity
	service *serviceTimes // simulator service times
	delay   *serviceTimes // Options.Delay's draws (replay mode)
	down    downState
}

// NewServer builds a server. rec may be nil only in simulator mode.
func NewServer(rec *Recordings, opts Options) *Server {
	if opts.Model == "" {
		opts.Model = "replay"
	}
	s := &Server{rec: rec, opts: opts, mux: http.NewServeMux()}
	s.down.started = make([]time.Time, len(opts.Outages))
	if opts.Simulator != nil {
		if opts.Simulator.Concurrency > 0 {
			s.slots = make(chan struct{}, opts.Simulator.Concurrency)
		}
		s.service = newServiceTimes(opts.Simulator.Latency, opts.Simulator.LatencySigma, opts.Simulator.Seed)
	}
	if d := opts.Delay; d != nil && opts.Simulator == nil {
		s.delay = newServiceTimes(d.Mean, d.Sigma, d.Seed)
	}
	s.mux.HandleFunc("POST /v1/chat/completions", s.chat)
	s.mux.HandleFunc("GET /v1/models", s.models)
	s.mux.HandleFunc("GET /stats", s.statsJSON)
	return s
}

// ServeHTTP routes /v1/chat/completions, /v1/models and /stats. The first
// two honour Options.APIKey, Options.Outages and SetDown; /stats honours
// only the key, so it answers during an outage.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Stats returns a snapshot of the request counters.
func (s *Server) Stats() Stats { return s.stats.snapshot(s.opts.Simulator) }

// statsJSON answers GET /stats with the Stats snapshot; it is not counted.
func (s *Server) statsJSON(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "invalid_api_key", "replay: missing or wrong API key")
		return
	}
	writeJSON(w, http.StatusOK, s.Stats())
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	s.stats.modelRequests.Add(1)
	if s.gate(w, r, 0, "") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list",
		"data": []map[string]any{{"id": s.opts.Model, "object": "model", "owned_by": "unitcoder-replay"}}})
}

// chatRequest is the part of a chat completion request the server reads.
type chatRequest struct {
	Model    string `json:"model"`
	N        int    `json:"n"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	s.stats.enter()
	defer s.stats.leave()
	arrival := s.stats.arrive()
	defer s.stats.depart(arrival, s.opts.Simulator == nil)
	seq := s.seq.Add(1)
	var req chatRequest
	decodeErr := json.NewDecoder(r.Body).Decode(&req)
	msgs := toMessages(req)
	role, _ := llm.RoleFromMessages(msgs)
	roleName := string(role)
	if roleName == "" {
		roleName = "unknown"
	}
	if s.gate(w, r, seq, roleName) {
		return
	}
	if decodeErr != nil {
		s.fail(w, roleName, http.StatusBadRequest, "invalid_request", "request body: "+decodeErr.Error())
		return
	}
	if s.opts.StrictModel && req.Model != s.opts.Model {
		s.unknownModel(w, roleName, req.Model)
		return
	}
	if rule, ok := s.fault(seq); ok {
		if s.inject(w, r, rule, roleName) {
			return
		}
	}
	n := max(req.N, 1)
	if s.opts.IgnoreN {
		n = 1
	}
	if s.opts.Simulator != nil {
		s.simulate(w, r, roleName, msgs, n, seq, arrival)
		return
	}
	if s.delay != nil {
		select {
		case <-time.After(s.delay.next()):
		case <-r.Context().Done():
			s.stats.count(roleName, 499)
			return
		}
	}
	answers, why := s.answer(role, msgs)
	if answers == nil {
		// 400, not 404: the prompt is what has no answer here, as with a
		// request the server finds invalid (and clients cache that; a
		// 404 says the endpoint or model is wrong, which they must not).
		s.fail(w, roleName, http.StatusBadRequest, "no_recording", why)
		return
	}
	s.stats.servedIn(time.Since(arrival))
	s.stats.count(roleName, http.StatusOK)
	writeJSON(w, http.StatusOK, completion(s.opts.Model, msgs, answers[:min(n, len(answers))], "stop"))
}

// answer finds the recorded answers for a prompt, or says why there are none.
func (s *Server) answer(role llm.Role, msgs []llm.Message) ([]string, string) {
	if role == "" {
		return nil, "replay: no role marker (" + llm.RoleMarker("<role>") + ") in the messages"
	}
	code, ok := promptCode(msgs)
	if !ok {
		return nil, "replay: no fenced code block in the user message"
	}
	if s.rec == nil {
		return nil, "replay: server has no recordings"
	}
	answers, ok := s.rec.Lookup(role, code)
	if !ok {
		return nil, fmt.Sprintf("replay: no %s recording for this code (first line %q)", role, firstLine(code))
	}
	return answers, ""
}

// promptCode is the first fenced block of the last user message: every
// template puts the code under work first.
func promptCode(msgs []llm.Message) (string, bool) {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != "user" {
			continue
		}
		if b := llm.Blocks(msgs[i].Content); len(b) > 0 {
			return b[0].Code, true
		}
		return "", false
	}
	return "", false
}

// toMessages accepts string content and the array-of-parts form.
func toMessages(req chatRequest) []llm.Message {
	var out []llm.Message
	for _, m := range req.Messages {
		var text string
		if json.Unmarshal(m.Content, &text) != nil {
			var parts []struct {
				Text string `json:"text"`
			}
			_ = json.Unmarshal(m.Content, &parts)
			for _, p := range parts {
				text += p.Text
			}
		}
		out = append(out, llm.Message{Role: m.Role, Content: text})
	}
	return out
}

func firstLine(code string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(code), "\n")
	return l
}

// completion builds an OpenAI chat.completion body. Token counts are
// estimated at four bytes a token: the replay has no tokenizer.
func completion(model string, msgs []llm.Message, answers []string, finish string) map[string]any {
	prompt := 0
	for _, m := range msgs {
		prompt += len(m.Content) / 4
	}
	var choices []map[string]any
	done := 0
	for i, a := range answers {
		text := a
		if finish == "stop" {
			text = llm.CodeBlock("python", a)
		}
		done += len(text) / 4
		choices = append(choices, map[string]any{"index": i, "finish_reason": finish,
			"message": map[string]any{"role": "assistant", "content": text}})
	}
	return map[string]any{"id": fmt.Sprintf("replay-%d", time.Now().UnixNano()), "object": "chat.completion",
		"created": time.Now().Unix(), "model": model, "choices": choices,
		"usage": map[string]int{"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}}
}

// fail counts and sends an OpenAI-style error body.
func (s *Server) fail(w http.ResponseWriter, role string, status int, code, msg string) {
	s.stats.count(role, status)
	writeError(w, status, code, msg)
}

// writeError sends an OpenAI-style error body.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": code, "code": code}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
