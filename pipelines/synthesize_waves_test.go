package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
)

// splitRecordedFunctions writes the authors' 16 recorded function rows as
// two files, with a line that is not JSON (nor UTF-8) and a row with no
// code among them, and returns their glob.
func splitRecordedFunctions(t *testing.T) string {
	t.Helper()
	path, _ := recordedFunctions(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimRight(string(b), "\n"), "\n")
	if !strings.HasSuffix(lines[len(lines)-1], "\n") {
		lines[len(lines)-1] += "\n"
	}
	dir := t.TempDir()
	// The bad row holds invalid UTF-8, which its reject's detail quotes.
	first := strings.Join(lines[:7], "") + "\xffnot a function row\n" + strings.Join(lines[7:9], "")
	second := `{"id":"no-code","name":"f","code":""}` + "\n" + strings.Join(lines[9:], "")
	for name, text := range map[string]string{"a.jsonl": first, "b.jsonl": second} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "*.jsonl")
}

// runSynthesisWaves runs o as the binary does in waves of waveRows rows:
// a job per wave, the waves merged, counters summed.
func runSynthesisWaves(t testing.TB, o SynthesizeOptions, waveRows int, waveBytes int64) (runstats.Stats, FunctionWaves) {
	t.Helper()
	ctx := context.Background()
	spill := t.TempDir()
	plan, err := PlanFunctionWaves(ctx, o.Functions, waveRows, waveBytes, spill)
	if err != nil {
		t.Fatal(err)
	}
	counters, _, err := RunSynthesisWaves(ctx, o, plan, spill, runWithMetrics, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := runstats.SynthesizeStatsFromCounters(ctx, o.Output, counters, false, o.Rounds)
	if err != nil {
		t.Fatal(err)
	}
	return st, plan
}

// timingCounter reports whether a counter measures time, not work: such
// counters differ from run to run.
func timingCounter(name string) bool {
	for _, s := range []string{"micros", "millis", "seconds", "_ms", "wait", "busy"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// TestPlanFunctionWavesCapsBytes: a wave ends at --wave_rows rows or
// before its lines pass --wave_mb; a line longer than the cap is a wave
// of its own; with no cap, rows alone cut.
func TestPlanFunctionWavesCapsBytes(t *testing.T) {
	sizes := []int{100, 100, 100, 300, 50, 50, 500, 10, 10, 10, 10, 10, 10}
	var text strings.Builder
	for _, n := range sizes {
		text.WriteString(strings.Repeat("x", n) + "\n")
	}
	functions := filepath.Join(t.TempDir(), "functions.jsonl")
	if err := os.WriteFile(functions, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		bytes int64
		want  []int64
	}{
		{250, []int64{2, 1, 1, 2, 1, 5, 1}},
		{0, []int64{5, 5, 3}},
	} {
		plan, err := PlanFunctionWaves(context.Background(), functions, 5, c.bytes, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plan.Rows, c.want) || len(plan.Files) != len(c.want) {
			t.Errorf("cap %d bytes: waves of %v rows (%d files), want %v", c.bytes, plan.Rows, len(plan.Files), c.want)
		}
	}
}

// TestSynthesizeInWavesMatchesOneJob runs the recorded functions (and two
// bad rows) in waves of 5 rows, every wave but the first starting inside
// a file or at a file boundary, and as one job: the same data/,
// rejected/ and near_miss/ bytes, and the same accounting, with every
// input row ending in exactly one outcome.
func TestSynthesizeInWavesMatchesOneJob(t *testing.T) {
	functions := splitRecordedFunctions(t)
	url, _ := startReplay(t, replay.Options{})
	one, waves := t.TempDir(), t.TempDir()
	single := runSynthesize(t, synthOptions(functions, one, url, ""))
	if err := single.Check(); err != nil {
		t.Fatal(err)
	}
	st, plan := runSynthesisWaves(t, synthOptions(functions, waves, url, ""), 5, 0)
	if want := []int64{5, 5, 5, 3}; !reflect.DeepEqual(plan.Rows, want) || plan.Total() != 18 {
		t.Fatalf("plan: %d waves of %v rows, want %v (16 functions and 2 bad rows)", len(plan.Files), plan.Rows, want)
	}
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	if st.Functions.In != 18 || st.Functions.Rejected["read"]["bad_row"] != 2 {
		t.Errorf("waves: %d functions in, read rejects %v; want 18 and 2 bad_row", st.Functions.In, st.Functions.Rejected["read"])
	}
	for _, dir := range []string{runstats.DataDir, runstats.RejectedDir, runstats.NearMissDir} {
		a, _ := filepath.Glob(filepath.Join(one, dir, "part-*"))
		b, _ := filepath.Glob(filepath.Join(waves, dir, "part-*"))
		if len(a) != 2 || len(b) != 2 {
			t.Errorf("%s: %d shards in one job, %d in waves; want 2 each", dir, len(a), len(b))
		}
	}
	t.Logf("one job: %+v; waves: %+v", single.Functions, st.Functions)
	sameFiles(t, one, waves)
	if !reflect.DeepEqual(st.Functions, single.Functions) || !reflect.DeepEqual(st.Funnel, single.Funnel) ||
		!reflect.DeepEqual(st.Reasons, single.Reasons) || !reflect.DeepEqual(st.PassAtRound, single.PassAtRound) ||
		!reflect.DeepEqual(st.Adequacy, single.Adequacy) {
		t.Errorf("waves account %+v %v %v %v %+v;\none job %+v %v %v %v %+v", st.Functions, st.Funnel, st.Reasons, st.PassAtRound, st.Adequacy,
			single.Functions, single.Funnel, single.Reasons, single.PassAtRound, single.Adequacy)
	}
	for k, v := range single.Counters {
		if !timingCounter(k) && st.Counters[k] != v {
			t.Errorf("counter %s: waves %d, one job %d", k, st.Counters[k], v)
		}
	}
	for k, v := range st.Counters {
		if _, ok := single.Counters[k]; !ok && !timingCounter(k) {
			t.Errorf("counter %s: waves %d, one job none", k, v)
		}
	}
}
