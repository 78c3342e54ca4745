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

// TestExtractInWavesKeepsProgressAndStats runs extract on the demo rows
// split into three files, in waves of one file each (--wave_mb=0.2): progress spans
// the waves (the input line ends at exactly the corpus's stored bytes, the
// kept count is the run's), and one stats.json accounts for every function.
func TestExtractInWavesKeepsProgressAndStats(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(sharedData(t), "unitcoder-demo", "stage1_functions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimRight(string(b), "\n"), "\n")
	dir := t.TempDir()
	for k := range 3 {
		part := strings.Join(lines[k*len(lines)/3:(k+1)*len(lines)/3], "")
		if !strings.HasSuffix(part, "\n") {
			part += "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", k)), []byte(part), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for k := range 3 {
		fi, err := os.Stat(filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", k)))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	out := filepath.Join(t.TempDir(), "run")
	res := runCLI(t, 5*time.Minute, "extract", "--input="+filepath.Join(dir, "*.jsonl"), "--output="+out,
		"--wave_mb=0.2", "--progress_interval=100ms")
	if res.code != 0 {
		t.Fatalf("extract exited %d:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, "in 3 waves of at most 0.2 MB") {
		t.Errorf("stdout does not say the run took 3 waves:\n%s", res.stdout)
	}
	if !strings.Contains(res.stderr, "progress done") || !strings.Contains(res.stderr, "kept 314") {
		t.Errorf("stderr lacks the final progress line with the run's counts:\n%s", res.stderr)
	}
	if want := fmt.Sprintf("input %.1f/%.1f KiB", float64(total)/1024, float64(total)/1024); !strings.Contains(res.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
	}
	var st struct {
		Waves     int `json:"waves"`
		Functions struct {
			In, Accepted int
			Conserved    bool
		} `json:"functions"`
	}
	sb, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(sb, &st); err != nil {
		t.Fatal(err)
	}
	if st.Waves != 3 || st.Functions.In != 860 || st.Functions.Accepted != 314 || !st.Functions.Conserved {
		t.Errorf("stats.json: waves %d, functions %+v; want 3 waves, 860 in, 314 kept, conserved", st.Waves, st.Functions)
	}
}
