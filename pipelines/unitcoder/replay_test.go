package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestLLMReplayCLIAnswersUnrecordedPromptWith400(t *testing.T) {
	demo := filepath.Join(sharedData(t), "unitcoder-demo")
	addr := freeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The demo folder itself: its recording files are found in it.
	cmd, banner, stderr := startReplayCLI(t, ctx, "--addr="+addr, "--recordings="+demo)
	defer cmd.Process.Kill() // if the test fails before the SIGTERM below
	if !strings.Contains(banner, "16 recorded functions") || !strings.Contains(banner, addr) {
		t.Errorf("banner %q: want 16 recorded functions served on %s", banner, addr)
	}

	body, _ := json.Marshal(map[string]any{"model": "replay", "messages": []map[string]string{
		{"role": "system", "content": "Write unit tests. " + llm.RoleMarker(llm.RoleTestgen)},
		{"role": "user", "content": llm.CodeBlock("python", "def never_recorded(x):\n    return x + 1\n")},
	}})
	resp := postWhenUp(t, "http://"+addr+"/v1/chat/completions", body)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
	var e struct {
		Error struct{ Message, Code string } `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatalf("error body is not JSON: %v", err)
	}
	if e.Error.Code != "no_recording" || !strings.Contains(e.Error.Message, "never_recorded") {
		t.Errorf("error %+v: want code no_recording naming the function", e.Error)
	}
	// SIGTERM shuts the server down cleanly: exit 0.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\nstderr:\n%s", err, stderr.String())
	}
}

// TestLLMReplayCLISimulate: `llm-replay --simulate` needs no recordings,
// answers a testgen prompt with a unittest class after the latency, and
// GET /stats reports the request served and the slot time.
func TestLLMReplayCLISimulate(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd, banner, stderr := startReplayCLI(t, ctx, "--simulate", "--addr="+addr, "--concurrency=2", "--latency=50ms",
		"--latency_sigma=0.3", "--seed=1")
	defer cmd.Process.Kill() // if the test fails before the SIGTERM below
	if !strings.Contains(banner, "simulating 2 slots") || !strings.Contains(banner, addr) {
		t.Errorf("banner %q: want 2 simulated slots served on %s", banner, addr)
	}
	body, _ := json.Marshal(map[string]any{"model": "m", "messages": []map[string]string{
		{"role": "system", "content": "Write unit tests. " + llm.RoleMarker(llm.RoleTestgen)},
		{"role": "user", "content": llm.CodeBlock("python", "def add(a, b):\n    return a + b\n")},
	}})
	resp := postWhenUp(t, "http://"+addr+"/v1/chat/completions", body)
	var c struct {
		Choices []struct{ Message struct{ Content string } } `json:"choices"`
	}
	err := json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || len(c.Choices) != 1 ||
		!strings.Contains(c.Choices[0].Message.Content, "class TestCases(unittest.TestCase)") ||
		!strings.Contains(c.Choices[0].Message.Content, `"add"`) {
		t.Fatalf("testgen reply: status %d, err %v, %+v; want a TestCases class calling add", resp.StatusCode, err, c)
	}
	resp, err = http.Get("http://" + addr + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Mode           string           `json:"mode"`
		RequestsServed int64            `json:"requests_served"`
		Concurrency    int              `json:"concurrency"`
		BusyS          float64          `json:"busy_s"`
		Utilization    float64          `json:"utilization"`
		ByRole         map[string]int64 `json:"by_role"`
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.Mode != "simulate" || st.RequestsServed != 1 || st.ByRole["testgen"] != 1 ||
		st.Concurrency != 2 || st.BusyS <= 0 || st.Utilization <= 0 || st.Utilization > 1 {
		t.Errorf("GET /stats: %+v (err %v); want one testgen request served on 2 slots", st, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\nstderr:\n%s", err, stderr.String())
	}
	// --recordings is refused with --simulate, the simulator's flags without it.
	for _, args := range [][]string{{"--simulate", "--recordings=x"}, {"--latency=1s", "--recordings=x"}} {
		res := runCLI(t, time.Minute, append([]string{"llm-replay"}, args...)...)
		if res.code == 0 || !strings.Contains(res.stderr, "--simulate") {
			t.Errorf("llm-replay %v: exit %d, stderr %q; want a refusal naming --simulate", args, res.code, res.stderr)
		}
	}
}

func TestRecordingFilesExpandsDirectoriesAndGlobs(t *testing.T) {
	demo := filepath.Join(sharedData(t), "unitcoder-demo")
	want := []string{filepath.Join(demo, "stage2_failed.jsonl"), filepath.Join(demo, "stage2_passed.jsonl"),
		filepath.Join(demo, "stage3_polished.jsonl")}
	for _, list := range []string{demo, filepath.Join(demo, "stage2_*.jsonl") + "," + filepath.Join(demo, "stage3_polished.jsonl")} {
		got, err := recordingFiles(list)
		if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("recordingFiles(%q) = %v, %v; want %v", list, got, err, want)
		}
	}
	if _, err := recordingFiles(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no stage2_") {
		t.Errorf("an empty directory: err %v, want one naming the files looked for", err)
	}
	help := runCLI(t, time.Minute, "llm-replay", "--help")
	if out := help.stdout + help.stderr; !strings.Contains(out, "gets an HTTP 400") || strings.Contains(out, "HTTP 404") {
		t.Errorf("llm-replay --help must say an unrecorded prompt gets 400:\n%s", out)
	}
}

// postWhenUp posts body, retrying while the server is not yet listening.
func postWhenUp(t *testing.T, url string, body []byte) *http.Response {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err == nil {
			return resp
		}
		if time.Now().After(deadline) {
			t.Fatalf("POST %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startReplayCLI starts `unitcoder llm-replay ARGS` and returns it with its
// banner, printed just before the server listens, and its stderr.
func startReplayCLI(t *testing.T, ctx context.Context, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := cli(ctx, append([]string{"llm-replay"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	banner, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("no banner: %v\nstderr:\n%s", err, stderr.String())
	}
	return cmd, banner, stderr
}
