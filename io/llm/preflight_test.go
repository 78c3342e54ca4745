package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// deadURL is a base URL on 127.0.0.1 where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/v1"
	ln.Close()
	return url
}

// preflightError runs Preflight and returns its *PreflightError, failing
// the test on success or another error type.
func preflightError(t *testing.T, cfg llm.Config) *llm.PreflightError {
	t.Helper()
	err := llm.Preflight(context.Background(), cfg)
	var pe *llm.PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("preflight: %v, want a *PreflightError", err)
	}
	return pe
}

func TestPreflightDeadPortFailsFastNamingTheURL(t *testing.T) {
	url := deadURL(t)
	start := time.Now()
	pe := preflightError(t, fastConfig(url, 1))
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %s", el)
	}
	if pe.Kind != llm.KindConnection || pe.URL != url || pe.Model != "m" ||
		!strings.Contains(pe.Error(), url) || !strings.Contains(pe.Error(), "connection refused") ||
		!strings.HasPrefix(pe.Error(), "llm preflight: "+url+` (model "m"): `) {
		t.Errorf("got %+v: %v", pe, pe)
	}
}

func TestPreflightWrongModelListsServedOnes(t *testing.T) {
	url, _ := simServer(t, replay.Options{Model: "qwen-7b", StrictModel: true})
	cfg := fastConfig(url, 1)
	cfg.Model = "foo"
	pe := preflightError(t, cfg)
	if pe.Kind != llm.KindNotFound || !strings.Contains(pe.Error(), `model "foo" is not served there (served: qwen-7b)`) {
		t.Errorf("got %v (kind %s)", pe, pe.Kind)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.Error(w, `{"error":{"message":"no such model"}}`, http.StatusNotFound)
			return
		}
		w.Write([]byte(`{"object":"list","data":[{"id":"a"},{"id":"b"}]}`))
	}))
	defer srv.Close()
	cfg.BaseURL = srv.URL + "/v1/"
	if pe := preflightError(t, cfg); !strings.Contains(pe.Error(), "(served: a, b)") || pe.URL != srv.URL+"/v1" {
		t.Errorf("got %v", pe)
	}
}

// A gateway that serves an alias it does not list (LiteLLM, OpenRouter)
// passes: the 1-token completion for the unlisted name succeeds.
func TestPreflightAcceptsAnUnlistedAliasThatAnswers(t *testing.T) {
	url, _ := simServer(t, replay.Options{Model: "qwen-7b"}) // answers any model name
	cfg := fastConfig(url, 1)
	cfg.Model = "my-alias"
	if err := llm.Preflight(context.Background(), cfg); err != nil {
		t.Fatalf("preflight: %v, want the alias accepted", err)
	}
}

func TestPreflightBadKeyNeverShowsIt(t *testing.T) {
	const key = "sk-preflight-WRONG-5d1e"
	url, _ := simServer(t, replay.Options{Model: "m", APIKey: "sk-the-right-one"})
	t.Setenv("UNITCODER_TEST_PREFLIGHT_KEY", key)
	cfg := fastConfig(url, 1)
	cfg.APIKeyEnv = "UNITCODER_TEST_PREFLIGHT_KEY"
	pe := preflightError(t, cfg)
	if pe.Kind != llm.KindAuth || !strings.Contains(pe.Error(), "API key rejected (HTTP 401)") {
		t.Errorf("got %v (kind %s)", pe, pe.Kind)
	}
	if strings.Contains(pe.Error(), "WRONG") || strings.Contains(pe.Error(), "right-one") {
		t.Fatalf("a key leaked: %v", pe)
	}
	cfg.APIKeyEnv = "UNITCODER_TEST_NO_KEY"
	if pe := preflightError(t, cfg); pe.Kind != llm.KindAuth || !strings.Contains(pe.Error(), "UNITCODER_TEST_NO_KEY empty") {
		t.Errorf("no key: %v", pe)
	}
	t.Setenv("UNITCODER_TEST_PREFLIGHT_KEY", "sk-the-right-one")
	cfg.APIKeyEnv = "UNITCODER_TEST_PREFLIGHT_KEY"
	if err := llm.Preflight(context.Background(), cfg); err != nil {
		t.Errorf("right key: %v", err)
	}
}

// A server without /models (404) is checked with a 1-token completion.
func TestPreflightWithoutModelsUsesOneTokenCompletion(t *testing.T) {
	var asked struct {
		Model     string `json:"model"`
		MaxTokens int    `json:"max_tokens"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		json.NewDecoder(r.Body).Decode(&asked)
		if asked.Model != "served" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"message":"The model ` + "`" + asked.Model + "`" + ` does not exist.","type":"NotFoundError","code":404}}`))
			return
		}
		w.Write([]byte(`{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"length"}]}`))
	}))
	defer srv.Close()
	cfg := fastConfig(srv.URL+"/v1", 1)
	cfg.Model = "served"
	if err := llm.Preflight(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if asked.MaxTokens != 1 {
		t.Errorf("the probe asked for %d tokens, want 1", asked.MaxTokens)
	}
	cfg.Model = "other"
	if pe := preflightError(t, cfg); pe.Kind != llm.KindNotFound || !strings.Contains(pe.Error(), "does not exist") ||
		!strings.Contains(pe.Error(), `model "other"`) {
		t.Errorf("unknown model: %v", pe)
	}
}

func TestPreflightHealthyServerPasses(t *testing.T) {
	url, srv := simServer(t, replay.Options{Model: "m", StrictModel: true})
	if err := llm.Preflight(context.Background(), fastConfig(url, 1)); err != nil {
		t.Fatal(err)
	}
	if s := srv.Stats(); s.Total != 0 || s.ModelRequests != 1 {
		t.Errorf("stats %+v: want one GET /models and no chat request", s)
	}
}

func TestPreflightDownServer(t *testing.T) {
	url, srv := simServer(t, replay.Options{})
	srv.SetDown(true)
	if pe := preflightError(t, fastConfig(url, 1)); pe.Kind != llm.KindConnection {
		t.Errorf("reset: %v (kind %s)", pe, pe.Kind)
	}
	url503, _ := simServer(t, replay.Options{Outages: []replay.Outage{{Mode: replay.Down503}}})
	// An outage starts with a chat request.
	if resp, err := http.Post(url503+"/chat/completions", "application/json", strings.NewReader("{}")); err == nil {
		resp.Body.Close()
	}
	if pe := preflightError(t, fastConfig(url503, 1)); pe.Kind != llm.KindServer || !strings.Contains(pe.Error(), "HTTP 503") {
		t.Errorf("503: %v (kind %s)", pe, pe.Kind)
	}
}
