package runstats

import "testing"

func TestStageOf(t *testing.T) {
	for path, want := range map[string]string{
		"root/synthesize/GenerateTests/GroupIntoBatches":   "GenerateTests",
		"root/synthesize/Retrieve/Extract":                 "Extract",
		"root/extract/Retrieve/Dedup/ExactDedup":           "Dedup",
		"root/verify/Verify":                               "Verify",
		"root/synthesize/Refine/AfterRound2/VerifyRound-1": "Refine",
		"other": "other",
	} {
		if got := stageOf(path); got != want {
			t.Errorf("stageOf(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestUtilizationFromCounters: busy times come from the sandbox's and
// every LLM role's busy counters (µs), and each share divides by the
// capacity times the wall time.
func TestUtilizationFromCounters(t *testing.T) {
	counters := map[string]int64{
		SandboxBusyMicros.Key():                       6_000_000,
		LLMCounter("testgen", LLMBusyMicros).Key():    30_000_000,
		LLMCounter("fix", LLMBusyMicros).Key():        10_000_000,
		LLMCounter("not_a_role", LLMBusyMicros).Key(): 99_000_000,
	}
	u := NewUtilization(counters, 10, 8, 2)
	if u.SandboxBusyS != 6 || u.LLMBusyS != 40 || u.LLMBusyShare != 0.5 || u.SandboxBusyShare != 0.3 {
		t.Fatalf("%+v", u)
	}
	if u := NewUtilization(counters, 10, 0, 2); u.LLMBusyShare != 0 || u.SandboxBusyShare != 0.3 {
		t.Fatalf("no LLM: %+v", u)
	}
}
