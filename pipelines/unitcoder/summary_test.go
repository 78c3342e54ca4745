package main

import "testing"

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
