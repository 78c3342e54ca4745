package replay_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// startSim starts a simulator server with opts and returns its base URL.
func startSim(t *testing.T, opts replay.Options) (string, *replay.Server) {
	t.Helper()
	opts.Simulator = &replay.Simulator{Concurrency: 8}
	url, srv, stop, err := replay.Start(context.Background(), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url, srv
}

// call sends one request and returns its status (0 when the connection
// failed) and body.
func call(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func chatBody(model string) string {
	return `{"model":"` + model + `","messages":[{"role":"user","content":"hi"}]}`
}

func TestStrictModelAnswers404LikeVLLM(t *testing.T) {
	url, srv := startSim(t, replay.Options{Model: "served", StrictModel: true})
	status, body := call(t, "POST", url+"/chat/completions", "", chatBody("other"))
	if status != http.StatusNotFound || !strings.Contains(body, "The model `other` does not exist.") ||
		!strings.Contains(body, `"NotFoundError"`) {
		t.Errorf("other model: %d %s", status, body)
	}
	if status, body := call(t, "POST", url+"/chat/completions", "", chatBody("served")); status != http.StatusOK {
		t.Errorf("served model: %d %s", status, body)
	}
	status, body = call(t, "GET", url+"/models", "", "")
	if status != http.StatusOK || !strings.Contains(body, `"id":"served"`) {
		t.Errorf("models: %d %s", status, body)
	}
	if s := srv.Stats(); s.Total != 2 || s.ByStatus[404] != 1 || s.ModelRequests != 1 {
		t.Errorf("stats %+v", s)
	}
	// Not strict (the default): any model name is answered.
	url, _ = startSim(t, replay.Options{Model: "served"})
	if status, body := call(t, "POST", url+"/chat/completions", "", chatBody("other")); status != http.StatusOK {
		t.Errorf("lenient server: %d %s", status, body)
	}
}

func TestAPIKeyIsRequiredAndNeverEchoed(t *testing.T) {
	const key = "sk-replay-SECRET-91"
	url, _ := startSim(t, replay.Options{APIKey: key})
	for _, tc := range []struct {
		method, path, key string
		want              int
	}{
		{"GET", "/models", "", 401},
		{"GET", "/models", "wrong", 401},
		{"GET", "/models", key, 200},
		{"POST", "/chat/completions", "", 401},
		{"POST", "/chat/completions", key + "x", 401},
		{"POST", "/chat/completions", key, 200},
	} {
		status, body := call(t, tc.method, url+tc.path, tc.key, chatBody("m"))
		if status != tc.want || strings.Contains(body, "SECRET") {
			t.Errorf("%s %s key %q: %d %s; want %d without the key", tc.method, tc.path, tc.key, status, body, tc.want)
		}
	}
}

func TestSetDownResetsEveryRequest(t *testing.T) {
	url, srv := startSim(t, replay.Options{})
	srv.SetDown(true)
	if status, _ := call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != 0 {
		t.Errorf("down: chat answered %d", status)
	}
	if status, _ := call(t, "GET", url+"/models", "", ""); status != 0 {
		t.Errorf("down: models answered %d", status)
	}
	srv.SetDown(false)
	if status, body := call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != 200 {
		t.Errorf("up again: %d %s", status, body)
	}
	if s := srv.Stats(); s.ByStatus[0] != 1 || s.ByStatus[200] != 1 {
		t.Errorf("stats %+v", s.ByStatus)
	}
}

func TestOutageAfterRequestsForAWhile(t *testing.T) {
	url, srv := startSim(t, replay.Options{Outages: []replay.Outage{{After: 2, For: 300 * time.Millisecond, Mode: replay.Down503}}})
	for i := range 2 {
		if status, _ := call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != 200 {
			t.Fatalf("request %d before the outage: %d", i+1, status)
		}
	}
	start := time.Now()
	for i := range 3 {
		if status, _ := call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != 503 && time.Since(start) < 250*time.Millisecond {
			t.Fatalf("request %d in the outage: %d", i+3, status)
		}
	}
	if status, _ := call(t, "GET", url+"/models", "", ""); status != 503 && time.Since(start) < 250*time.Millisecond {
		t.Errorf("models in the outage: %d", status)
	}
	time.Sleep(time.Until(start.Add(300 * time.Millisecond)))
	for status := 0; status != 200; {
		if status, _ = call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != 200 && time.Since(start) > 3*time.Second {
			t.Fatalf("after the outage: %d", status)
		}
	}
	if s := srv.Stats(); s.ByStatus[503] < 1 {
		t.Errorf("stats %+v", s.ByStatus)
	}

	// For 0: down for good, resetting connections.
	url, _ = startSim(t, replay.Options{Outages: []replay.Outage{{After: 1}}})
	for i, want := range []int{200, 0, 0, 0} {
		if status, _ := call(t, "POST", url+"/chat/completions", "", chatBody("m")); status != want {
			t.Errorf("request %d: %d, want %d", i+1, status, want)
		}
	}
}

func TestParseOutage(t *testing.T) {
	for spec, want := range map[string]replay.Outage{
		"after=20":                   {After: 20},
		"after=0,for=30s":            {For: 30 * time.Second},
		" after=5 , for=1m,mode=503": {After: 5, For: time.Minute, Mode: replay.Down503},
		"mode=reset,after=1":         {After: 1, Mode: replay.DownReset},
	} {
		got, err := replay.ParseOutage(spec)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v, want %+v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"", "for=1s", "after=x", "after=-1", "after=1,for=-1s", "after=1,mode=off", "after=1,after=2", "after=1,when=2", "after"} {
		if _, err := replay.ParseOutage(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
