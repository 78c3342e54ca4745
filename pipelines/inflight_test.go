package pipelines

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// TestSynthesizeSameDatasetWhateverTheCompletionOrder runs the recorded
// demo functions twice, each time with the replay server holding every
// answer for a random lognormal time (mean 40 ms, sigma 1) drawn from a
// different seed, so calls complete, and samples move on, in a different
// order. With no cache in between, both runs must write the same bytes.
func TestSynthesizeSameDatasetWhateverTheCompletionOrder(t *testing.T) {
	functions, _ := recordedFunctions(t)
	var dirs []string
	for seed := range int64(2) {
		url, srv := startReplay(t, replay.Options{Delay: &replay.Delay{Mean: 40 * time.Millisecond, Sigma: 1, Seed: seed + 1}})
		out := t.TempDir()
		st := runSynthesize(t, synthOptions(functions, out, url, ""))
		if err := st.Check(); err != nil {
			t.Fatal(err)
		}
		if st.Functions.Accepted == 0 || srv.Stats().RequestsServed == 0 {
			t.Fatalf("run %d wrote %d records after %d answers", seed, st.Functions.Accepted, srv.Stats().RequestsServed)
		}
		dirs = append(dirs, out)
	}
	sameFiles(t, dirs[0], dirs[1])
}

// TestSynthesizeConservesUnderRandomDurations runs 48 functions against
// the capacity simulator with lognormal request latencies (mean 20 ms,
// sigma 1) and sandbox jobs of random length: each function sleeps 0-400
// ms when the simulated test calls it. Some cannot load (a missing
// module, a NameError at import). Every function must end exactly once,
// the accounting must balance, the endpoint's slots must all be used, and
// the utilization must be measured.
func TestSynthesizeConservesUnderRandomDurations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	path := filepath.Join(t.TempDir(), "functions.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	const n = 48
	for i := range n {
		name := fmt.Sprintf("wait_%d", i)
		code := fmt.Sprintf("def %s(x=None):\n    time.sleep(%.3f)\n    return x\n", name, rng.Float64()*0.4)
		imports := []string{"import time"}
		switch i % 12 {
		case 5:
			imports = append(imports, "import not_installed_anywhere")
		case 9:
			code += "\nundefined_name_at_import\n"
		}
		if err := enc.Encode(runstats.FunctionOut{ID: fmt.Sprintf("rand_%02d", i), Name: name, Code: code, Imports: imports,
			Provenance: sample.Provenance{FileID: "random"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	url, srv, stop, err := replay.Start(t.Context(), nil, replay.Options{Simulator: &replay.Simulator{
		Concurrency: 8, Latency: 20 * time.Millisecond, LatencySigma: 1, Seed: 3}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	o := synthOptions(path, t.TempDir(), url, "")
	o.Testgen.Model, o.Fix.Model, o.Refine.Model = "simulated", "simulated", "simulated"
	st := runSynthesize(t, o)
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	if st.Functions.In != n || st.Functions.Accepted+st.Functions.RejectedTotal != n {
		t.Fatalf("functions %+v", st.Functions)
	}
	// The simulator's tests call the code but assert nothing, so the
	// adequacy stage, the last one, finds them vacuous: every function
	// that loads ends there, measured.
	measured := st.Functions.Accepted
	for _, c := range st.Functions.Rejected[string(sample.StageAdequacy)] {
		measured += c
	}
	if measured < n*3/4 || st.Adequacy == nil || st.Adequacy.Measured != measured {
		t.Errorf("only %d of %d reached the adequacy stage: %v (adequacy %+v)", measured, n, st.Functions.Rejected, st.Adequacy)
	}
	if st.Functions.RejectedTotal < n/12*2 {
		t.Errorf("the functions that cannot load were not all rejected: %v", st.Functions.Rejected)
	}
	// 48 test generation calls are pending at once: the endpoint's 8 slots
	// must all be in use (batches that each wait for their slowest call
	// left half of them idle).
	if got := srv.Stats().MaxInFlight; got != 8 {
		t.Errorf("at most %d requests in flight, want the endpoint's 8", got)
	}
	u := runstats.NewUtilization(st.Counters, 1, 8, 2)
	if u.LLMBusyS <= 0 || u.SandboxBusyS <= 0 {
		t.Errorf("busy times not measured: %+v", u)
	}
}
