package main

import (
	"flag"
	"testing"
)

// TestRoundsLine checks the summary's per-round counts come in numeric
// round order (not the string order "0 1 10 2") and skip malformed keys.
func TestRoundsLine(t *testing.T) {
	got := roundsLine(map[string]int{"10": 1, "0": 7, "2": 0, "1": 5, "x": 9})
	if want := "r0=7 r1=5 r2=0 r10=1"; got != want {
		t.Errorf("roundsLine = %q, want %q", got, want)
	}
	if got := roundsLine(nil); got != "" {
		t.Errorf("roundsLine(nil) = %q, want empty", got)
	}
}

// TestRunsInProcess checks which runners get the corpus listed for the
// progress ETA, and waves: only those whose DoFns run in this process.
func TestRunsInProcess(t *testing.T) {
	for _, tc := range []struct {
		runner, env string
		want        bool
	}{
		{"", "", true}, {"prism", "", true}, {"direct", "", true},
		{"dataflow", "", false}, {"flink", "", false}, {"flink", "DOCKER", false},
		{"universal", "LOOPBACK", true}, {"flink", "loopback", true},
		{"prism", "LOOPBACK", true}, {"prism", "DOCKER", false}, {"", "PROCESS", false},
	} {
		setFlag(t, "runner", tc.runner)
		setFlag(t, "environment_type", tc.env)
		if got := runsInProcess(); got != tc.want {
			t.Errorf("runner %q environment %q: runsInProcess = %v, want %v", tc.runner, tc.env, got, tc.want)
		}
	}
}

// setFlag sets a registered flag for the rest of the test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("flag --%s is not registered", name)
	}
	old := f.Value.String()
	if err := flag.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { flag.Set(name, old) })
}
