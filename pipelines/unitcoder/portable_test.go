package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/demofixtures"
	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
)

// startJobServer starts prism as a standalone Beam job server on a
// loopback port, the way a Flink job server is reached: the pipeline is
// submitted over the Job API by a separate process (the CLI), and its
// workers connect back to that process (LOOPBACK environment).
func startJobServer(t *testing.T) string {
	t.Helper()
	addr := freeAddr(t)
	_, portStr, _ := net.SplitHostPort(addr)
	port, err := strconv.Atoi(portStr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := prism.CreateJobServer(ctx, prism.Options{Port: port}); err != nil {
		t.Fatalf("start prism job server on %d: %v", port, err)
	}
	return "localhost:" + portStr
}

// portableFlags submits through the job server at endpoint with runner
// universal or flink (Beam Go's flink runner is the universal runner under
// its own name; scripts/launch-flink.sh uses it with the DOCKER
// environment, here the workers run in the submitting process: LOOPBACK).
func portableFlags(runner, endpoint string) []string {
	return []string{"--runner=" + runner, "--endpoint=" + endpoint, "--environment_type=LOOPBACK"}
}

// runOK runs the CLI and fails the test unless it exits 0.
func runOK(t *testing.T, args ...string) result {
	t.Helper()
	res := runCLI(t, 4*time.Minute, args...)
	if res.code != 0 {
		t.Fatalf("unitcoder %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, res.code, res.stdout, res.stderr)
	}
	return res
}

// identicalRuns fails unless two run directories hold the same data/ and
// rejected/ shards, byte for byte, and account for the same functions.
func identicalRuns(t *testing.T, inProcess, portable string) {
	t.Helper()
	sameShards(t, "the in-process run", inProcess, "the job-server run", portable)
	a, b := readStats(t, inProcess), readStats(t, portable)
	if a.Functions.In == 0 || a.Functions.In != b.Functions.In || a.Functions.Accepted != b.Functions.Accepted ||
		a.Functions.RejectedTotal != b.Functions.RejectedTotal || !b.Functions.Conserved {
		t.Errorf("functions: in process %+v, through the job server %+v", a.Functions, b.Functions)
	}
}

func readStats(t *testing.T, dir string) runstats.Stats {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, runstats.StatsFile))
	if err != nil {
		t.Fatal(err)
	}
	var st runstats.Stats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return st
}

// TestPortableExtractMatchesInProcess runs retrieval over the 860 demo
// functions once on in-process prism and once submitted to a standalone
// job server: the portable path must not change a byte of the output.
func TestPortableExtractMatchesInProcess(t *testing.T) {
	endpoint := startJobServer(t)
	in := filepath.Join(sharedData(t), "unitcoder-demo", "stage1_functions.jsonl")
	local := t.TempDir()
	runOK(t, "extract", "--input="+in, "--output="+local)
	for _, runner := range []string{"universal", "flink"} {
		t.Run(runner, func(t *testing.T) {
			portable := t.TempDir()
			res := runOK(t, append([]string{"extract", "--input=" + in, "--output=" + portable}, portableFlags(runner, endpoint)...)...)
			identicalRuns(t, local, portable)
			if st := readStats(t, portable); st.Functions.Accepted == 0 {
				t.Errorf("the job-server run kept no function:\n%s", res.stdout)
			}
		})
	}
}

// TestPortableSynthesizeMatchesInProcess does the same for the whole
// method, as scripts/demo.sh runs it: retrieval over the 860 stage-1 rows,
// then test generation, sandbox runs, fix rounds and refinement for the 16
// functions the authors' run recorded (replayed on loopback). The run must
// not change when the job goes through the Job API and its workers are
// separate SDK harnesses.
func TestPortableSynthesizeMatchesInProcess(t *testing.T) {
	selectIDs := writeIDs(t, filepath.Join(t.TempDir(), "ids.txt"), demofixtures.RecordedIDs(t))
	url, _ := demofixtures.StartReplay(t, replay.Options{})
	endpoint := startJobServer(t)
	args := func(out string) []string {
		return []string{"synthesize", "--input=" + testfixtures.Stage1Path(t), "--filter=false",
			"--select_ids=" + selectIDs, "--output=" + out, "--llm_url=" + url, "--llm_model=replay",
			"--shards=2", "--workers=2"}
	}
	local, portable := t.TempDir(), t.TempDir()
	runOK(t, args(local)...)
	runOK(t, append(args(portable), portableFlags("universal", endpoint)...)...)
	identicalRuns(t, local, portable)
	if st := readStats(t, portable); st.Functions.Accepted == 0 || st.LLM == nil || st.LLM.Requests == 0 {
		t.Errorf("the job-server run verified nothing or made no LLM request: %+v", st.Functions)
	}
}
