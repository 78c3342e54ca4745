package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExtractWritesCardReportAndProgress runs extract on the 860 demo
// functions as a user would, stderr not being a terminal: progress comes as
// log lines, and the run directory gets the dataset card and the report,
// which `unitcoder report` then renders again byte for byte.
func TestExtractWritesCardReportAndProgress(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	input := filepath.Join(sharedData(t), "unitcoder-demo", "stage1_functions.jsonl")
	res := runCLI(t, 5*time.Minute, "extract", "--input="+input, "--output="+out, "--progress_interval=100ms")
	if res.code != 0 {
		t.Fatalf("extract exited %d:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "progress done") || !strings.Contains(res.stderr, "kept 314") {
		t.Errorf("stderr lacks the final progress line with the counts:\n%s", res.stderr)
	}
	// The input line ends with every stored byte of the corpus read.
	fi, err := os.Stat(input)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("input %.1f/%.1f KiB", float64(fi.Size())/1024, float64(fi.Size())/1024); !strings.Contains(res.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
	}
	var st struct {
		CommandLine []string `json:"command_line"`
	}
	b, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if want := []string{"unitcoder", "extract", "--input=" + input}; len(st.CommandLine) < 3 || strings.Join(st.CommandLine[:3], " ") != strings.Join(want, " ") {
		t.Errorf("command_line = %q, want it to start %q", st.CommandLine, want)
	}
	card, err := os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"config_name: rejected", "path: data/*.jsonl.zst", "num_examples: 314", "unitcoder extract --input="} {
		if !bytes.Contains(card, []byte(want)) {
			t.Errorf("dataset card lacks %q", want)
		}
	}
	first, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again.html")
	if res := runCLI(t, time.Minute, "report", "--run="+out, "--output="+again); res.code != 0 {
		t.Fatalf("report exited %d:\n%s", res.code, res.stderr)
	}
	second, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) || !bytes.Contains(first, []byte(`data-chart="funnel"`)) {
		t.Error("report from the run and from `unitcoder report` differ, or lack the funnel")
	}
}

func TestReportBadInvocations(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no run", []string{"report"}, "--run is required"},
		{"not a run", []string{"report", "--run=" + t.TempDir()}, "stats.json"},
		{"bad progress mode", []string{"extract", "--input=x", "--output=" + t.TempDir(), "--progress=loud"}, "progress mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, time.Minute, tc.args...)
			if res.code == 0 || !strings.Contains(res.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want failure mentioning %q", res.code, res.stderr, tc.want)
			}
		})
	}
}
