package replay_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// demoRow mirrors the demo rows the tests check answers against.
type demoRow struct {
	ID       string `json:"id"`
	Original struct {
		Code     string          `json:"code"`
		TestCode string          `json:"test_code"`
		Status   json.RawMessage `json:"status"`
	} `json:"original"`
	DebugRounds [][]struct {
		Code string `json:"code"`
	} `json:"debug_rounds"`
	Polish *struct {
		Code string `json:"code"`
	} `json:"polish"`
}

func demoFiles(t testing.TB) []string {
	t.Helper()
	demo := testfixtures.DemoDir(t)
	var out []string
	for _, f := range []string{"stage2_passed.jsonl", "stage2_failed.jsonl", "stage3_polished.jsonl"} {
		out = append(out, filepath.Join(demo, f))
	}
	return out
}

func readRows(t testing.TB, paths []string) []demoRow {
	t.Helper()
	seen := map[string]bool{}
	var rows []demoRow
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var r demoRow
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if !seen[r.ID] {
				seen[r.ID] = true
				rows = append(rows, r)
			}
		}
		f.Close()
	}
	return rows
}

// failures turns a recorded status ["fail", {test: traceback}] into the
// fix prompt's failures; passing rows get a placeholder failure.
func failures(status json.RawMessage) []llm.TestFailure {
	var st []json.RawMessage
	_ = json.Unmarshal(status, &st)
	var m map[string]string
	if len(st) == 2 {
		_ = json.Unmarshal(st[1], &m)
	}
	var out []llm.TestFailure
	for name, tb := range m {
		out = append(out, llm.TestFailure{Name: name, Traceback: tb})
	}
	if len(out) == 0 {
		out = []llm.TestFailure{{Name: "ALL", Traceback: "AssertionError"}}
	}
	return out
}

type env struct {
	srv     *replay.Server
	client  *llm.Client
	prompts *llm.Prompts
}

func newEnv(t *testing.T, rec *replay.Recordings, n int) env { return newCachedEnv(t, rec, n, nil) }

func newCachedEnv(t *testing.T, rec *replay.Recordings, n int, cache *llm.Cache) env {
	t.Helper()
	url, srv, stop, err := replay.Start(context.Background(), rec, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	p := llm.RoleParams{N: 1, MaxTokens: 4096}
	c, err := llm.NewClient(llm.Config{BaseURL: url, Model: "replay", MaxRetries: -1, Cache: cache,
		Roles: map[llm.Role]llm.RoleParams{llm.RoleTestgen: p, llm.RoleFix: {N: n, MaxTokens: 4096}, llm.RoleRefine: p}})
	if err != nil {
		t.Fatal(err)
	}
	prompts, err := llm.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	return env{srv, c, prompts}
}

func (e env) ask(t *testing.T, role llm.Role, in llm.PromptInput) ([]string, error) {
	t.Helper()
	msgs, err := e.prompts.Render(role, in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.client.Complete(context.Background(), role, msgs)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, text := range c.Texts {
		code, err := llm.ExtractCode(text)
		if err != nil {
			t.Fatalf("extract %s reply: %v", role, err)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

func same(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

func TestReplayAnswersEveryRecordedFunction(t *testing.T) {
	files := demoFiles(t)
	rec, err := replay.LoadRecordings(files...)
	if err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, files)
	if rec.Len() != 16 || len(rows) != 16 {
		t.Fatalf("recordings hold %d functions, rows %d; want 16", rec.Len(), len(rows))
	}
	e := newEnv(t, rec, 2)
	refined := 0
	for _, r := range rows {
		got, err := e.ask(t, llm.RoleTestgen, llm.PromptInput{Code: r.Original.Code})
		if err != nil || len(got) != 1 || !same(got[0], r.Original.TestCode) {
			t.Errorf("%s testgen: got %d texts, err %v; want the recorded test_code", r.ID, len(got), err)
		}
		code := r.Original.Code
		for round, cands := range r.DebugRounds {
			in := llm.PromptInput{Code: code, Tests: r.Original.TestCode, Failures: failures(r.Original.Status)}
			got, err := e.ask(t, llm.RoleFix, in)
			if err != nil || len(got) != len(cands) {
				t.Fatalf("%s fix round %d: %d texts (err %v), want %d", r.ID, round+1, len(got), err, len(cands))
			}
			for i := range cands {
				if !same(got[i], cands[i].Code) {
					t.Errorf("%s fix round %d candidate %d differs from the recording", r.ID, round+1, i)
				}
			}
			code = got[0]
		}
		if r.Polish == nil {
			continue
		}
		got, err = e.ask(t, llm.RoleRefine, llm.PromptInput{Code: code})
		if err != nil || len(got) != 1 || !same(got[0], r.Polish.Code) {
			t.Errorf("%s refine: %d texts, err %v; want polish.code", r.ID, len(got), err)
		}
		refined++
	}
	if refined != 10 {
		t.Errorf("refined %d functions, want the 10 with a polish", refined)
	}
	if s := e.srv.Stats(); s.ByStatus[400] != 0 || s.ByRole["testgen"] != 16 {
		t.Errorf("stats %+v: want 16 testgen requests and no 400", s)
	}
}

func TestReplayRejectsUnknownPrompts(t *testing.T) {
	rec, err := replay.LoadRecordings(demoFiles(t)...)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, rec, 1)
	unknown := llm.PromptInput{Code: "def not_recorded(x):\n    return x + 1\n", Tests: "import unittest\n",
		Failures: []llm.TestFailure{{Name: "test_a", Traceback: "AssertionError"}}}
	for _, role := range llm.Roles {
		_, err := e.ask(t, role, unknown)
		var le *llm.Error
		if !errors.As(err, &le) || le.Status != 400 || le.Kind != llm.KindBadRequest ||
			!strings.Contains(err.Error(), "no "+string(role)+" recording") {
			t.Errorf("%s: err %v, want a 400 naming the missing recording", role, err)
		}
	}
	// No role marker: a prompt not rendered by the templates.
	_, err = e.client.Complete(context.Background(), llm.RoleTestgen,
		[]llm.Message{{Role: "user", Content: "```python\ndef f(): pass\n```"}})
	if err == nil || !strings.Contains(err.Error(), "no role marker") {
		t.Errorf("unmarked prompt: err %v, want no role marker", err)
	}
	if s := e.srv.Stats(); s.ByStatus[400] != 4 || s.ByRole["unknown"] != 1 {
		t.Errorf("stats %+v: want four 400s, one of unknown role", s)
	}
}

func TestLoadRecordingsRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	noID := filepath.Join(dir, "noid.jsonl")
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(bad, []byte("{not json\n"), 0o644)
	os.WriteFile(noID, []byte(`{"original":{"code":"def f(): pass"}}`+"\n"), 0o644)
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct {
		name  string
		paths []string
		want  string
	}{
		{"none", nil, "no files"},
		{"missing", []string{filepath.Join(dir, "absent.jsonl")}, "no such file"},
		{"bad json", []string{bad}, "bad.jsonl:1"},
		{"no id", []string{noID}, "without id"},
		{"empty", []string{empty}, "no rows"},
	} {
		_, err := replay.LoadRecordings(tc.paths...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
}

// runDemo asks every recorded prompt (testgen, each fix round, refine) and
// returns the extracted answers in order.
func runDemo(t *testing.T, e env, rows []demoRow) []string {
	var all []string
	for _, r := range rows {
		got, err := e.ask(t, llm.RoleTestgen, llm.PromptInput{Code: r.Original.Code})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got...)
		code := r.Original.Code
		for range r.DebugRounds {
			got, err := e.ask(t, llm.RoleFix, llm.PromptInput{Code: code, Tests: r.Original.TestCode, Failures: failures(r.Original.Status)})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, got...)
			code = got[0]
		}
		if r.Polish != nil {
			got, err := e.ask(t, llm.RoleRefine, llm.PromptInput{Code: code})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, got...)
		}
	}
	return all
}

// TestReplayWithCacheSecondRunIsFree asks for 3 fix candidates where at
// most 2 were recorded: the client keeps the recorded ones, caches the
// rest as missing, and the rerun makes no request at all.
func TestReplayWithCacheSecondRunIsFree(t *testing.T) {
	files := demoFiles(t)
	rec, err := replay.LoadRecordings(files...)
	if err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, files)
	cache, err := llm.OpenCache(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	first := newCachedEnv(t, rec, 3, cache)
	a := runDemo(t, first, rows)
	if first.srv.Stats().Total == 0 {
		t.Fatal("first run made no requests")
	}
	second := newCachedEnv(t, rec, 3, cache)
	b := runDemo(t, second, rows)
	if n := second.srv.Stats().Total; n != 0 {
		t.Fatalf("second run: server counted %d requests, want 0: %+v", n, second.srv.Stats())
	}
	if strings.Join(a, "\x00") != strings.Join(b, "\x00") || len(a) == 0 {
		t.Errorf("second run answers differ from the first (%d vs %d)", len(a), len(b))
	}
}
