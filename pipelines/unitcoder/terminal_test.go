package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestProgressOnTerminal runs extract with stderr on a real
// pseudo-terminal (util-linux script(1)), as a user at a shell would. A
// sized terminal gets live mpb bars in auto mode; a terminal that reports
// no size (0x0, on which mpb would draw nothing) gets log lines instead.
func TestProgressOnTerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		if os.Getenv("CI") != "" { // Debian always has it (bsdutils)
			t.Fatalf("CI: util-linux script(1) not found: %v", err)
		}
		t.Skipf("util-linux script(1) not found: %v", err)
	}
	input := filepath.Join(sharedData(t), "unitcoder-demo", "stage1_functions.jsonl")
	for _, tc := range []struct {
		name, stty string
		want       *regexp.Regexp
		notWant    string
	}{
		{"sized", "stty cols 100 rows 30; ", regexp.MustCompile(`(?m)^kept +\[=+>?\] 314 `), "progress done"},
		{"no size", "", regexp.MustCompile(`(?m)^progress done .*kept 314 `), "[==="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			line := tc.stty + "exec '" + os.Args[0] + "' extract '--input=" + input + "' '--output=" + out + "'"
			cmd := exec.CommandContext(ctx, scriptPath, "-qec", line, "/dev/null")
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			b, err := cmd.CombinedOutput()
			text := strings.ReplaceAll(string(b), "\r", "")
			if err != nil {
				t.Fatalf("extract on a terminal: %v\n%s", err, text)
			}
			if !tc.want.MatchString(text) || strings.Contains(text, tc.notWant) {
				t.Errorf("terminal output: want %s and no %q, got:\n%s", tc.want, tc.notWant, text)
			}
		})
	}
}
