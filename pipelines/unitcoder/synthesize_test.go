package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/demofixtures"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/pipelines"
	"github.com/unitcoder/unitcoder/runstats"
)

// llmConcurrency is --llm_concurrency in the runs below: the most requests
// one synthesize process has in flight, hence the most a kill can waste.
const llmConcurrency = 2

// recordedFunctions writes function rows for the 16 functions the authors'
// demo run recorded and returns the path and the ids.
func recordedFunctions(t *testing.T) (string, []string) { return demofixtures.RecordedFunctions(t) }

// slowReplay serves the demo recordings, each answer delayed so that a
// run spends seconds in its LLM stages and can be killed in the middle.
func slowReplay(t *testing.T, delay time.Duration) (string, *replay.Server) {
	t.Helper()
	return demofixtures.StartReplay(t, replay.Options{Faults: []replay.FaultRule{{Mode: replay.FaultSlow, Every: 1, Delay: delay}}})
}

// synthesizeArgs is the command line of the runs below.
func synthesizeArgs(functions, out, url, cache string) []string {
	return []string{"synthesize", "--functions=" + functions, "--output=" + out, "--llm_url=" + url,
		"--llm_model=replay", "--llm_cache=" + cache, fmt.Sprintf("--llm_concurrency=%d", llmConcurrency),
		"--shards=2", "--workers=2"}
}

// killMidRun starts args and SIGKILLs the process once the server has
// answered at least after requests more than it had at the start. It
// fails the test if the run finished first.
func killMidRun(t *testing.T, srv *replay.Server, after int64, args []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := cli(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := srv.Stats().Total
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for srv.Stats().Total-start < after {
		select {
		case err := <-done:
			t.Fatalf("run ended (%v) before the kill, after %d requests\nstderr:\n%s", err, srv.Stats().Total-start, stderr.String())
		case <-tick.C:
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("run was not killed by SIGKILL: %v", err)
	}
}

// runToEnd runs synthesize to completion and returns how many requests
// the server answered meanwhile and the run's stats.json.
func runToEnd(t *testing.T, srv *replay.Server, args []string, out string) (int64, runstats.Stats) {
	t.Helper()
	before := srv.Stats().Total
	res := runCLI(t, 2*time.Minute, args...)
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	st := readStats(t, out)
	checkFinalProgress(t, res.stderr, st)
	return srv.Stats().Total - before, st
}

// checkFinalProgress fails unless stderr (not a terminal, so progress
// comes as log lines) ends its progress with a "progress done" line whose
// synthesis counters agree with stats.json.
func checkFinalProgress(t *testing.T, stderr string, st runstats.Stats) {
	t.Helper()
	var last string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "progress done") {
			last = line
		}
	}
	for _, want := range []string{
		`tests \d+/\d+`,
		`verified \d+/\d+`,
		fmt.Sprintf(`records %d/`, st.Functions.Accepted),
		fmt.Sprintf(`written %d\b`, st.Functions.Accepted),
		fmt.Sprintf(`rejected %d\b`, st.Functions.RejectedTotal),
	} {
		if !regexp.MustCompile(want).MatchString(last) {
			t.Errorf("final progress line lacks %s:\n%q", want, last)
		}
	}
}

// TestSynthesizeSurvivesKill9 is the crash drill: kill -9 mid-run, then
// rerun. Nothing is lost, nothing is duplicated, no cached call is
// re-paid, and the result is what an uninterrupted run writes.
func TestSynthesizeSurvivesKill9(t *testing.T) {
	functions, ids := recordedFunctions(t)
	url, srv := slowReplay(t, 100*time.Millisecond)

	clean := t.TempDir()
	cleanPaid, _ := runToEnd(t, srv, synthesizeArgs(functions, clean, url, filepath.Join(t.TempDir(), "cache")), clean)
	if cleanPaid < 4 {
		t.Fatalf("a clean run made %d requests: too few to kill one in the middle", cleanPaid)
	}

	out, cache := t.TempDir(), filepath.Join(t.TempDir(), "cache")
	args := synthesizeArgs(functions, out, url, cache)
	before := srv.Stats().Total
	killMidRun(t, srv, cleanPaid/2, args)
	if _, err := os.Stat(filepath.Join(out, runstats.StatsFile)); err == nil {
		t.Fatal("the killed run wrote stats.json: it was not killed mid-run")
	}
	rerunPaid, st := runToEnd(t, srv, args, out)
	paid := srv.Stats().Total - before
	t.Logf("clean run: %d requests; killed run + rerun: %d (rerun %d)", cleanPaid, paid, rerunPaid)

	if rerunPaid == 0 {
		t.Error("the rerun made no request: the kill came after every LLM call")
	}
	if paid > cleanPaid+llmConcurrency {
		t.Errorf("killed run + rerun paid %d requests, want at most %d (clean run) + %d (in flight at the kill)",
			paid, cleanPaid, llmConcurrency)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
	if st.Functions.In != 16 || st.Functions.Accepted+st.Functions.RejectedTotal != 16 || st.Functions.Duplicates != 0 {
		t.Errorf("stats.json functions %+v: want 16 in, all accounted for once", st.Functions)
	}
	checkEachOnce(t, out, ids)
	sameShards(t, "the clean run", clean, "the killed run after its rerun", out)
}

// checkEachOnce fails unless every id ends exactly once across data/ and
// rejected/, and nothing else is there.
func checkEachOnce(t *testing.T, out string, ids []string) {
	t.Helper()
	seen := map[string]int{}
	for _, dir := range []string{runstats.DataDir, runstats.RejectedDir} {
		err := dataset.ReadLines(context.Background(), filepath.Join(out, dir, "part-*"), func(line []byte) error {
			var r struct{ ID string }
			if err := json.Unmarshal(line, &r); err != nil {
				return err
			}
			seen[r.ID]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s ends %d times, want once", id, seen[id])
		}
		delete(seen, id)
	}
	if len(seen) > 0 {
		t.Errorf("unexpected ids in the output: %v", seen)
	}
}

// sameShards fails unless run directories a and b (named aName and bName
// in messages) hold the same data/ and rejected/ files, byte for byte.
func sameShards(t *testing.T, aName, a, bName, b string) {
	t.Helper()
	for _, dir := range []string{runstats.DataDir, runstats.RejectedDir} {
		x, _ := filepath.Glob(filepath.Join(a, dir, "*"))
		y, _ := filepath.Glob(filepath.Join(b, dir, "*"))
		if len(x) == 0 || len(x) != len(y) {
			t.Fatalf("%s/: %d files in %s, %d in %s", dir, len(x), aName, len(y), bName)
		}
		for _, f := range x {
			rel, _ := filepath.Rel(a, f)
			want, _ := os.ReadFile(f)
			got, err := os.ReadFile(filepath.Join(b, rel))
			if err != nil || !bytes.Equal(want, got) {
				t.Errorf("%s differs between %s and %s (err=%v)", rel, aName, bName, err)
			}
		}
	}
}

// TestSynthesizeInWavesKeepsProgressAndStats runs synthesize on the 16
// recorded functions in waves of 5 rows (--wave_rows=5) after a run as
// one job (--wave_rows=0) that filled the LLM cache: the waves write the
// same shards, progress spans the waves (the functions line ends at
// 16/16 and the final counts are the run's), and one stats.json accounts
// for every function once.
func TestSynthesizeInWavesKeepsProgressAndStats(t *testing.T) {
	functions, ids := recordedFunctions(t)
	url, srv := demofixtures.StartReplay(t, replay.Options{})
	cache := filepath.Join(t.TempDir(), "cache")
	one, waves := t.TempDir(), t.TempDir()
	runToEnd(t, srv, append(synthesizeArgs(functions, one, url, cache), "--wave_rows=0"), one)
	res := runCLI(t, 2*time.Minute, append(synthesizeArgs(functions, waves, url, cache), "--wave_rows=5", "--progress_interval=100ms")...)
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "in 4 waves of at most 5 function rows") {
		t.Errorf("stdout does not say the run took 4 waves:\n%s", res.stdout)
	}
	st := readStats(t, waves)
	if err := st.Check(); err != nil {
		t.Error(err)
	}
	if st.Waves != 4 || st.Functions.In != 16 {
		t.Errorf("stats.json: %d waves, %d functions in; want 4 and 16", st.Waves, st.Functions.In)
	}
	checkFinalProgress(t, res.stderr, st)
	if !regexp.MustCompile(`progress done.*functions 16/16`).MatchString(res.stderr) {
		t.Errorf("the final progress line does not count the 16 functions across the waves:\n%s", res.stderr)
	}
	checkEachOnce(t, waves, ids)
	sameShards(t, "one job", one, "waves", waves)
}

// TestSynthesizeWarnsOfALargeCorpus: a corpus larger than one of
// extract's waves (a sparse file: its stored size counts) gets the note
// that --input runs as one job and how to bound memory; a small one none.
func TestSynthesizeWarnsOfALargeCorpus(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big", "part-0.jsonl")
	small := filepath.Join(dir, "small", "part-0.jsonl")
	for path, size := range map[string]int64{big: (pipelines.DefaultWaveMB + 1) << 20, small: 1 << 20} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	var out strings.Builder
	warnLargeCorpus(context.Background(), &out, filepath.Join(dir, "small", "*.jsonl"))
	if out.Len() != 0 {
		t.Errorf("a 1 MB corpus got a note: %q", out.String())
	}
	warnLargeCorpus(context.Background(), &out, filepath.Join(dir, "big", "*.jsonl"))
	if !strings.Contains(out.String(), "257 MB, read as one job") || !strings.Contains(out.String(), "synthesize --functions") {
		t.Errorf("a %d MB corpus got %q", pipelines.DefaultWaveMB+1, out.String())
	}
}
