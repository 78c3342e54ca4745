package replay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// statsJSON mirrors GET /stats by its JSON keys.
type statsJSON struct {
	Mode           string           `json:"mode"`
	Total          int64            `json:"total"`
	RequestsServed int64            `json:"requests_served"`
	Concurrency    int              `json:"concurrency"`
	BusyS          float64          `json:"busy_s"`
	QueueWaitS     float64          `json:"queue_wait_s"`
	MaxInFlight    int64            `json:"max_in_flight"`
	ElapsedS       float64          `json:"elapsed_s"`
	Utilization    float64          `json:"utilization"`
	MeanLatencyS   float64          `json:"mean_latency_s"`
	MeanServiceS   float64          `json:"mean_service_s"`
	ByRole         map[string]int64 `json:"by_role"`
	ByStatus       map[string]int64 `json:"by_status"`
}

// getStats GETs /stats from the server whose OpenAI base URL is base.
func getStats(t *testing.T, base, key string) statsJSON {
	t.Helper()
	status, body := call(t, "GET", strings.TrimSuffix(base, "/v1")+"/stats", key, "")
	if status != http.StatusOK {
		t.Fatalf("GET /stats: %d %s", status, body)
	}
	var s statsJSON
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("GET /stats: %v\n%s", err, body)
	}
	return s
}

// testgenBody is a chat request carrying the testgen role marker.
func testgenBody(i int) string {
	b, _ := json.Marshal(map[string]any{"model": "m", "messages": []map[string]string{
		{"role": "system", "content": "Write unit tests. " + llm.RoleMarker(llm.RoleTestgen)},
		{"role": "user", "content": llm.CodeBlock("python", fmt.Sprintf("def f%d(x):\n    return x\n", i))},
	}})
	return string(b)
}

// TestSimulatorQueueStats: six concurrent requests through two slots of
// 100ms queue in three waves; /stats, polled meanwhile and after, never
// sees more than two in flight and reports the busy time, the queue wait
// and a utilization in (0, 1].
func TestSimulatorQueueStats(t *testing.T) {
	const latency = 100 * time.Millisecond
	url, _, stop, err := replay.Start(context.Background(), nil,
		replay.Options{Simulator: &replay.Simulator{Concurrency: 2, Latency: latency}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var wg sync.WaitGroup
	done := make(chan struct{})
	polled := make(chan []statsJSON, 1)
	go func() {
		var seen []statsJSON
		defer func() { polled <- seen }()
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				seen = append(seen, getStats(t, url, ""))
			}
		}
	}()
	start := time.Now()
	for i := range 6 {
		wg.Go(func() {
			status, body := call(t, "POST", url+"/chat/completions", "", testgenBody(i))
			if status != http.StatusOK || !strings.Contains(body, "class TestCases") {
				t.Errorf("request %d: %d %s", i, status, body)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(done)
	for _, s := range <-polled {
		if s.MaxInFlight > 2 || s.Utilization < 0 || s.Utilization > 1 {
			t.Errorf("mid-run stats %+v: want at most 2 in flight, utilization in [0, 1]", s)
		}
	}
	if took < 3*latency {
		t.Errorf("6 requests through 2 slots of %s took %s, want at least %s", latency, took, 3*latency)
	}
	s := getStats(t, url, "")
	if s.Mode != "simulate" || s.Concurrency != 2 || s.RequestsServed != 6 || s.ByRole["testgen"] != 6 ||
		s.ByStatus["200"] != 6 || s.MaxInFlight != 2 {
		t.Errorf("stats %+v: want 6 testgen requests served, at most 2 in flight", s)
	}
	if s.BusyS < 0.6 || s.BusyS > 0.9 {
		t.Errorf("busy_s %.3f, want about 6 x %s", s.BusyS, latency)
	}
	if s.QueueWaitS <= 0 {
		t.Errorf("queue_wait_s %.3f: four of six requests had to wait", s.QueueWaitS)
	}
	// A handler may still be returning when /stats is read: then elapsed
	// runs to now.
	if since := time.Since(start); s.ElapsedS < 0.3 || s.ElapsedS > since.Seconds() {
		t.Errorf("elapsed_s %.3f, want from 0.3 to the %s since the first request", s.ElapsedS, since)
	}
	if want := s.BusyS / (2 * s.ElapsedS); s.Utilization <= 0 || s.Utilization > 1 || s.Utilization != want {
		t.Errorf("utilization %.3f, want busy/(2*elapsed) = %.3f in (0, 1]", s.Utilization, want)
	}
	if s.MeanServiceS < latency.Seconds() || s.MeanLatencyS < s.MeanServiceS {
		t.Errorf("mean service %.3fs, latency %.3fs: want service >= %s and latency >= service", s.MeanServiceS, s.MeanLatencyS, latency)
	}
}

// TestStatsInReplayMode: answering from recordings, /stats counts the
// served requests and their handling time, has no utilization, and needs
// the API key when the server does.
func TestStatsInReplayMode(t *testing.T) {
	rec, err := replay.LoadRecordings(demoFiles(t)...)
	if err != nil {
		t.Fatal(err)
	}
	url, _, stop, err := replay.Start(context.Background(), rec, replay.Options{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	row := readRows(t, demoFiles(t))[0]
	prompts, err := llm.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := prompts.Render(llm.RoleTestgen, llm.PromptInput{Code: row.Original.Code})
	if err != nil {
		t.Fatal(err)
	}
	recorded, _ := json.Marshal(map[string]any{"model": "replay", "messages": msgs})
	if status, body := call(t, "POST", url+"/chat/completions", "k", string(recorded)); status != http.StatusOK {
		t.Fatalf("recorded prompt: %d %s", status, body)
	}
	if status, _ := call(t, "POST", url+"/chat/completions", "k", testgenBody(0)); status != http.StatusBadRequest {
		t.Fatalf("unrecorded prompt: %d, want 400", status)
	}
	if status, _ := call(t, "GET", strings.TrimSuffix(url, "/v1")+"/stats", "", ""); status != http.StatusUnauthorized {
		t.Errorf("GET /stats without the key: %d, want 401", status)
	}
	s := getStats(t, url, "k")
	if s.Mode != "replay" || s.Total != 2 || s.RequestsServed != 1 || s.ByStatus["200"] != 1 || s.ByStatus["400"] != 1 {
		t.Errorf("stats %+v: want 2 requests, 1 served", s)
	}
	if s.BusyS <= 0 || s.ElapsedS <= 0 || s.BusyS > s.ElapsedS || s.Concurrency != 0 || s.Utilization != 0 ||
		s.MeanLatencyS <= 0 || s.MaxInFlight != 1 {
		t.Errorf("stats %+v: want handling time as busy, no concurrency nor utilization", s)
	}
}
