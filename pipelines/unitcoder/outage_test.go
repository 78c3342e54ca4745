package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/sample"

	"github.com/unitcoder/unitcoder/internal/demofixtures"
	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
)

// TestPreflightFailsFast: a dead endpoint, a model the server does not
// serve and a rejected key each end synthesize non-zero within seconds,
// before any stage runs, with a message naming the endpoint and the cause
// (and never the key).
func TestPreflightFailsFast(t *testing.T) {
	functions, _ := recordedFunctions(t)
	strict, _ := demofixtures.StartReplay(t, replay.Options{Model: "replay", StrictModel: true})
	keyed, _ := demofixtures.StartReplay(t, replay.Options{Model: "replay", APIKey: "the-right-key"})
	dead := "http://" + freeAddr(t) + "/v1"
	for _, tc := range []struct {
		name, url, model, key string
		want                  []string
	}{
		{"dead endpoint", dead, "replay", "", []string{dead, "llm preflight"}},
		{"wrong model", strict, "no-such-model", "", []string{strict, `"no-such-model"`, "replay"}},
		{"bad key", keyed, "replay", "a-wrong-key", []string{keyed, "401"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("UNITCODER_LLM_API_KEY", tc.key)
			out := t.TempDir()
			start := time.Now()
			r := runCLI(t, time.Minute, "synthesize", "--functions="+functions, "--output="+out,
				"--llm_url="+tc.url, "--llm_model="+tc.model)
			elapsed := time.Since(start)
			if r.code == 0 {
				t.Fatalf("exit 0, want a failure:\n%s", r.stderr)
			}
			if elapsed > 10*time.Second {
				t.Errorf("took %s to fail, want under 10s", elapsed)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			for _, secret := range []string{"a-wrong-key", "the-right-key"} {
				if strings.Contains(r.stderr+r.stdout, secret) {
					t.Errorf("output shows the key %q", secret)
				}
			}
			if files, _ := filepath.Glob(filepath.Join(out, "*", "part-*")); len(files) > 0 {
				t.Errorf("a run refused by preflight wrote %v", files)
			}
		})
	}
}

// TestLLMOutage drives synthesize on the demo through endpoint outages:
//   - the endpoint goes down mid-run and comes back within
//     --llm_outage_timeout: the run pauses (progress says so), every sample
//     completes and the shards are the pinned, undisturbed ones;
//   - it goes down for good: the run stops non-zero with a clear message
//     and an incomplete stats.json, rejects nothing, and a rerun against a
//     healthy endpoint pays only for the answers the first run never got
//     and writes the pinned shards.
func TestLLMOutage(t *testing.T) {
	stage1 := testfixtures.Stage1RelPath(t)
	ids := writeIDs(t, filepath.Join(t.TempDir(), "ids.txt"), demofixtures.RecordedIDs(t))
	pinned := pinnedDemoDigest(t)
	samePinnedShards := func(t *testing.T, dir, url string) {
		t.Helper()
		for k, v := range runDigest(t, dir, filepath.Dir(dir), url) {
			if k != "stats.json" && pinned["synthesis/"+k] != v {
				t.Errorf("%s differs from the undisturbed run's", k)
			}
		}
	}
	const model = "unitcoder-demo-replay"

	// Down after 2 answers, while the other test generation calls are in
	// flight (enough failures in a row to open the breaker),
	// back 4 s later; the run waits up to a minute.
	url, srv := demofixtures.StartReplay(t, replay.Options{Model: model,
		Outages: []replay.Outage{{After: 2, For: 4 * time.Second}}})
	out := filepath.Join(t.TempDir(), "run")
	r := runCLI(t, 5*time.Minute, demoSynthesizeArgs(stage1, ids, out, url, filepath.Join(t.TempDir(), "cache"),
		"--llm_outage_timeout=60s", "--progress=log", "--progress_interval=200ms")...)
	if r.code != 0 {
		t.Fatalf("a passing outage failed the run (exit %d):\n%s", r.code, r.stderr)
	}
	st := srv.Stats()
	if st.ByStatus[0]+st.ByStatus[503] == 0 {
		t.Fatalf("the outage never hit a request: %+v", st)
	}
	if !strings.Contains(r.stderr, "LLM paused: ") {
		t.Errorf("progress never showed the paused endpoint:\n%s", r.stderr)
	}
	samePinnedShards(t, out, url)
	answered := st.ByStatus[200] // every answer an undisturbed run needs

	// Down after 10 answers for good; the run gives up after 3 s.
	url, srv = demofixtures.StartReplay(t, replay.Options{Model: model,
		Outages: []replay.Outage{{After: 10}}})
	out, cache := filepath.Join(t.TempDir(), "run"), filepath.Join(t.TempDir(), "cache")
	start := time.Now()
	r = runCLI(t, 5*time.Minute, demoSynthesizeArgs(stage1, ids, out, url, cache, "--llm_outage_timeout=3s")...)
	if r.code == 0 {
		t.Fatalf("a lasting outage ended with exit 0:\n%s", r.stderr)
	}
	if elapsed := time.Since(start); elapsed > 90*time.Second {
		t.Errorf("the stopped run took %s; want it to stop soon after the 3s outage timeout", elapsed)
	}
	for _, want := range []string{"LLM endpoint unavailable, run stopped", strings.TrimSuffix(url, "/v1")} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, runstats.StatsFile))
	if err != nil {
		t.Fatalf("a stopped run must still write stats.json: %v", err)
	}
	var stopped runstats.Stats
	if err := json.Unmarshal(b, &stopped); err != nil || !strings.Contains(stopped.Incomplete, "LLM endpoint unavailable") {
		t.Errorf("stats.json incomplete = %q (%v); want why the run stopped", stopped.Incomplete, err)
	}
	// Whatever was written is valid, and no outage became a reject.
	err = dataset.ReadLines(context.Background(), filepath.Join(out, runstats.RejectedDir, "part-*"), func(line []byte) error {
		var rej sample.Rejected
		if err := json.Unmarshal(line, &rej); err != nil {
			return err
		}
		if strings.HasPrefix(rej.Reason, "llm:") {
			t.Errorf("outage written as a reject: %+v", rej)
		}
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "no files") {
		t.Errorf("rejects of the stopped run: %v", err)
	}
	paid := srv.Stats().ByStatus[200]

	// The rerun, same output and cache, against a healthy endpoint.
	url, srv = demofixtures.StartReplay(t, replay.Options{Model: model})
	r = runCLI(t, 5*time.Minute, demoSynthesizeArgs(stage1, ids, out, url, cache)...)
	if r.code != 0 {
		t.Fatalf("rerun exit %d:\n%s", r.code, r.stderr)
	}
	samePinnedShards(t, out, url)
	if rerun := srv.Stats().ByStatus[200]; paid+rerun != answered {
		t.Errorf("the stopped run was answered %d times and its rerun %d: %d in all, an undisturbed run needs %d "+
			"(answers paid before the stop were paid again, or some were lost)", paid, rerun, paid+rerun, answered)
	}
}
