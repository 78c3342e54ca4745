package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// preflightRequestTimeout bounds each preflight request; a preflight makes
// at most two.
const preflightRequestTimeout = 5 * time.Second

// PreflightError is why an endpoint failed Preflight. Its text names the
// endpoint, the model and the cause, never the API key.
type PreflightError struct {
	URL   string // the base URL, without a trailing slash
	Model string
	Kind  Kind  // KindConnection, KindTimeout, KindAuth, KindNotFound, KindServer or KindBadRequest
	Cause error // what went wrong, in words
}

// Error reads e.g. `llm preflight: http://127.0.0.1:9/v1 (model "x"):
// connection refused`.
func (e *PreflightError) Error() string {
	return fmt.Sprintf("llm preflight: %s (model %q): %v", e.URL, e.Model, e.Cause)
}

// Unwrap returns the cause.
func (e *PreflightError) Unwrap() error { return e.Cause }

// Preflight checks, within seconds, that cfg's endpoint can serve the run:
// it is reachable, accepts the API key (401/403 fail it) and serves the
// model. It asks GET {base}/models and looks for the model among data[].id;
// where /models is not offered (404 or 405) or answers something other
// than a model list, it asks for a 1-token chat completion instead. A 429
// passes: the server is there, only busy. Each request is bounded by 5s.
// On failure the error is a *PreflightError.
func Preflight(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return err
	}
	p := preflight{cfg: cfg, key: cfg.apiKey(), base: cfg.endpoint(),
		http: &http.Client{Timeout: preflightRequestTimeout}}
	ctx, cancel := context.WithTimeout(ctx, 3*preflightRequestTimeout)
	defer cancel()
	served, ok, err := p.models(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return p.chat(ctx)
	}
	for _, id := range served {
		if id == cfg.Model {
			return nil
		}
	}
	// Gateways (LiteLLM, OpenRouter) accept aliases they do not list: an
	// unlisted model fails only if a 1-token completion for it fails too.
	if p.chat(ctx) == nil {
		return nil
	}
	list := strings.Join(served, ", ")
	if list == "" {
		list = "none"
	}
	return p.fail(KindNotFound, fmt.Errorf("model %q is not served there (served: %s)", cfg.Model, list))
}

// preflight is one Preflight run.
type preflight struct {
	cfg  Config
	key  string
	base string
	http *http.Client
}

func (p preflight) fail(kind Kind, cause error) *PreflightError {
	return &PreflightError{URL: p.base, Model: p.cfg.Model, Kind: kind, Cause: cause}
}

// models lists the served models; ok is false when the server has no
// usable /models, and the chat probe should decide.
func (p preflight) models(ctx context.Context) (served []string, ok bool, err error) {
	status, body, err := p.do(ctx, http.MethodGet, "/models", nil)
	if err != nil {
		return nil, false, err
	}
	switch {
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return nil, false, nil
	case status == http.StatusTooManyRequests:
		return nil, false, nil // busy: the chat probe may pass on a 429 too
	case status != http.StatusOK:
		return nil, false, p.statusError("GET /models", status, body)
	}
	var list struct {
		Data *[]struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &list) != nil || list.Data == nil {
		return nil, false, nil
	}
	for _, m := range *list.Data {
		served = append(served, m.ID)
	}
	return served, true, nil
}

// chat asks for a 1-token completion of the model.
func (p preflight) chat(ctx context.Context) error {
	req, _ := json.Marshal(map[string]any{"model": p.cfg.Model, "max_tokens": 1,
		"messages": []Message{{Role: "user", Content: "Say OK."}}})
	status, body, err := p.do(ctx, http.MethodPost, "/chat/completions", req)
	if err != nil {
		return err
	}
	if status/100 == 2 || status == http.StatusTooManyRequests {
		return nil
	}
	if status == http.StatusNotFound {
		return p.fail(KindNotFound, fmt.Errorf("model %q is not served there, or the URL has no chat completions API (HTTP 404: %s)",
			p.cfg.Model, serverMessage(body, status, p.redact)))
	}
	return p.statusError("a 1-token chat completion", status, body)
}

// statusError describes a failing status.
func (p preflight) statusError(what string, status int, body []byte) *PreflightError {
	msg := serverMessage(body, status, p.redact)
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		if p.key == "" {
			envs := DefaultAPIKeyEnvs
			if p.cfg.APIKeyEnv != "" {
				envs = []string{p.cfg.APIKeyEnv}
			}
			return p.fail(KindAuth, fmt.Errorf("the server wants an API key and none is set (%s empty) (HTTP %d)",
				strings.Join(envs, ", "), status))
		}
		return p.fail(KindAuth, fmt.Errorf("API key rejected (HTTP %d)", status))
	case status >= 500:
		return p.fail(KindServer, fmt.Errorf("server error on %s (HTTP %d: %s)", what, status, msg))
	case status == http.StatusNotFound:
		return p.fail(KindNotFound, fmt.Errorf("%s: not found (HTTP 404: %s)", what, msg))
	}
	return p.fail(KindBadRequest, fmt.Errorf("%s refused (HTTP %d: %s)", what, status, msg))
}

// do sends one request and reads the reply, turning transport failures
// into a *PreflightError.
func (p preflight) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, p.fail(KindBadRequest, fmt.Errorf("build request: %w", err))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.key != "" {
		req.Header.Set("Authorization", "Bearer "+p.key)
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, nil, p.transportError(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, p.transportError(err)
	}
	return resp.StatusCode, b, nil
}

// transportError names a connection failure in a few words.
func (p preflight) transportError(err error) *PreflightError {
	var dns *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return p.fail(KindConnection, errors.New("connection refused (is the server running, and is the port right?)"))
	case errors.As(err, &dns):
		return p.fail(KindConnection, fmt.Errorf("cannot resolve host %q", dns.Name))
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return p.fail(KindTimeout, fmt.Errorf("no answer within %s", preflightRequestTimeout))
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return p.fail(KindConnection, errors.New("connection reset or closed without a response"))
	}
	return p.fail(KindConnection, errors.New(p.redact(err.Error())))
}

func (p preflight) redact(s string) string {
	if p.key == "" {
		return s
	}
	return strings.ReplaceAll(s, p.key, "[redacted]")
}

// serverMessage is the message of an OpenAI error body, else a short
// excerpt of the body, else the status text; the key is redacted.
func serverMessage(body []byte, status int, redact func(string) string) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := ""
	if json.Unmarshal(body, &e) == nil {
		msg = e.Error.Message
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return redact(msg)
}
