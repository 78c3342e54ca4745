package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/klauspost/compress/zstd"

	"github.com/unitcoder/unitcoder/io/dataset"
)

// humanEval reads the first n HumanEval problems as verify rows: the
// canonical solution with its tests and the check call.
func humanEval(t *testing.T, n int) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, p := range testfixtures.HumanEval(t)[:n] {
		rows = append(rows, map[string]string{"id": p.TaskID, "code": p.Prompt + p.CanonicalSolution,
			"test": p.Test + "\ncheck(" + p.EntryPoint + ")", "prompt": p.Prompt})
	}
	return rows
}

// verifyCase is one input line and how its result must look.
type verifyCase struct {
	line   string
	id     string // "" for a line whose id cannot be read
	status string
	reason string // prefix of the reject reason
}

func verifyCases(t *testing.T) []verifyCase {
	t.Helper()
	var cases []verifyCase
	rows := humanEval(t, 3)
	for _, r := range rows {
		b, _ := json.Marshal(map[string]string{"id": r["id"], "code": r["code"], "test": r["test"]})
		cases = append(cases, verifyCase{line: string(b), id: r["id"], status: "pass"})
	}
	// HumanEval/0 (has_close_elements) with a solution that is always False.
	wrong, _ := json.Marshal(map[string]string{"id": "wrong-solution",
		"code": rows[0]["prompt"] + "    return False\n", "test": rows[0]["test"]})
	cases = append(cases, verifyCase{line: string(wrong), id: "wrong-solution", status: "fail"})
	return append(cases,
		verifyCase{line: `{"id": "broken", "code": `, status: "rejected", reason: "malformed_row"},
		verifyCase{line: `{"id": "no-test", "code": "x = 1\n"}`, id: "no-test", status: "rejected", reason: "malformed_row: missing test"},
		verifyCase{line: `{"code": "x = 1\n", "test": "assert x == 1\n"}`, status: "rejected", reason: "malformed_row: missing id"},
	)
}

// writeInput writes the lines as name, compressed by its extension.
func writeInput(t *testing.T, dir, name string, lines []string) string {
	t.Helper()
	var buf bytes.Buffer
	data := []byte(strings.Join(lines, "\n") + "\n")
	switch filepath.Ext(name) {
	case ".gz":
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
	case ".zst":
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
	default:
		buf.Write(data)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// verifyResult is the part of a result row the test checks.
type verifyResult struct {
	ID        string          `json:"id"`
	Status    string          `json:"status"`
	Reason    string          `json:"reason"`
	Tests     json.RawMessage `json:"tests"`
	Isolation *string         `json:"isolation"`
}

func readResults(t *testing.T, dir string) []verifyResult {
	t.Helper()
	var out []verifyResult
	err := dataset.ReadLines(context.Background(), filepath.Join(dir, "part-*"), func(line []byte) error {
		var r verifyResult
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("result %q: %w", line, err)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var summaryLine = regexp.MustCompile(`^verify: (\d+) rows in [\d.]+s \(([\d.]+) rows/s, isolation=(\w+)\): (.*)$`)

func TestVerifyCLI(t *testing.T) {
	cases := verifyCases(t)
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.line)
	}
	for _, name := range []string{"rows.jsonl", "rows.jsonl.gz", "rows.jsonl.zst"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			input := writeInput(t, dir, name, lines)
			out := filepath.Join(dir, "out")
			res := runCLI(t, 2*time.Minute, "verify", "--input="+input, "--output="+out,
				"--shards=2", "--workers=2", "--isolation=strict")
			if res.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			checkResults(t, cases, readResults(t, out))
			checkSummary(t, res.stdout, len(cases), map[string]int{"pass": 3, "fail": 1, "rejected": 3})
		})
	}
}

// TestVerifyLeavesNoSandboxDirs: the run's sandbox pool is stopped when
// verify ends, so a basic-isolation run (whose job directories live in
// TMPDIR) leaves none behind but the shared matplotlib cache.
func TestVerifyLeavesNoSandboxDirs(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	var lines []string
	for _, c := range verifyCases(t) {
		lines = append(lines, c.line)
	}
	input := writeInput(t, dir, "rows.jsonl", lines)
	res := runCLI(t, 2*time.Minute, "verify", "--input="+input, "--output="+filepath.Join(dir, "out"),
		"--workers=2", "--isolation=basic")
	if res.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", res.code, res.stderr)
	}
	// unitcoder-sandbox-mpl is the matplotlib font cache, kept on purpose.
	left, _ := filepath.Glob(filepath.Join(tmp, "unitcoder-sandbox-*-*"))
	if len(left) > 0 {
		t.Errorf("verify left sandbox directories behind: %v", left)
	}
}

// checkResults matches one result per input line, by id where the line
// has one; the two lines without a readable id are named by source and
// line number.
func checkResults(t *testing.T, cases []verifyCase, results []verifyResult) {
	t.Helper()
	if len(results) != len(cases) {
		t.Errorf("%d results for %d input rows", len(results), len(cases))
	}
	byID := map[string]verifyResult{}
	for _, r := range results {
		if _, dup := byID[r.ID]; dup {
			t.Errorf("two results for id %q", r.ID)
		}
		byID[r.ID] = r
		if r.Isolation == nil {
			t.Errorf("%s: no isolation field", r.ID)
		} else if r.Status != "rejected" && *r.Isolation != "strict" {
			t.Errorf("%s: isolation %q, want strict", r.ID, *r.Isolation)
		}
	}
	for i, c := range cases {
		id := c.id
		if id == "" {
			id = fmt.Sprintf("#%d", i+1) // suffix: the source path precedes it
			for rid := range byID {
				if strings.HasSuffix(rid, id) {
					id = rid
				}
			}
		}
		r, ok := byID[id]
		if !ok {
			t.Errorf("line %d (%s): no result", i+1, id)
			continue
		}
		if r.Status != c.status || !strings.HasPrefix(r.Reason, c.reason) {
			t.Errorf("%s: status %q reason %q, want %q %q", id, r.Status, r.Reason, c.status, c.reason)
		}
		if c.status == "rejected" && r.Reason == "" {
			t.Errorf("%s: rejected without a reason", id)
		}
		if c.status != "rejected" && len(r.Tests) == 0 {
			t.Errorf("%s: ran but reports no tests", id)
		}
	}
}

// checkSummary parses the one-line summary on stdout.
func checkSummary(t *testing.T, stdout string, rows int, want map[string]int) {
	t.Helper()
	first, _, _ := strings.Cut(stdout, "\n")
	m := summaryLine.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("no summary line on stdout:\n%s", stdout)
	}
	if n, _ := strconv.Atoi(m[1]); n != rows {
		t.Errorf("summary counts %d rows, want %d: %s", n, rows, first)
	}
	if rate, _ := strconv.ParseFloat(m[2], 64); rate <= 0 {
		t.Errorf("summary rate %s rows/s: %s", m[2], first)
	}
	got := map[string]int{}
	for _, kv := range strings.Fields(m[4]) {
		k, v, _ := strings.Cut(kv, "=")
		got[k], _ = strconv.Atoi(v)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("summary counts %v, want %v: %s", got, want, first)
	}
}

// TestVerifyCLIMutation: with --mutation every passing row carries its
// suite's strength, the failing and malformed rows do not, and stats.json
// summarises it.
func TestVerifyCLIMutation(t *testing.T) {
	cases := verifyCases(t)
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.line)
	}
	// A vacuous suite: its one test passes whatever the function does.
	vac, _ := json.Marshal(map[string]string{"id": "vacuous", "code": "def f(x):\n    return x + 1\n",
		"test": "import unittest\nclass T(unittest.TestCase):\n    def test_f(self):\n        try:\n            f(1)\n        except Exception:\n            pass\n"})
	lines = append(lines, string(vac))
	dir := t.TempDir()
	input := writeInput(t, dir, "rows.jsonl", lines)
	out := filepath.Join(dir, "out")
	res := runCLI(t, 3*time.Minute, "verify", "--input="+input, "--output="+out, "--shards=2", "--workers=2",
		"--mutation", "--mutants=8", "--reruns=1")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	measured := 0
	err := dataset.ReadLines(context.Background(), filepath.Join(out, "part-*"), func(line []byte) error {
		var r struct {
			ID            string   `json:"id"`
			Status        string   `json:"status"`
			MutationScore *float64 `json:"mutation_score"`
			Mutants       int      `json:"mutants"`
			Vacuous       bool     `json:"vacuous"`
			Flaky         bool     `json:"flaky"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if (r.Status == "pass") != (r.MutationScore != nil) {
			t.Errorf("%s: status %s with mutation_score %v", r.ID, r.Status, r.MutationScore)
		}
		if r.MutationScore == nil {
			return nil
		}
		measured++
		if r.Vacuous != (r.ID == "vacuous") || r.Flaky {
			t.Errorf("%s: vacuous %v flaky %v", r.ID, r.Vacuous, r.Flaky)
		}
		if r.ID != "vacuous" && (r.Mutants == 0 || r.Mutants > 8 || *r.MutationScore < 0.5) {
			t.Errorf("%s: %d mutants, score %v: want 1..8 mutants and a HumanEval-strong score", r.ID, r.Mutants, *r.MutationScore)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if measured != 4 {
		t.Errorf("%d rows measured, want the 4 passing ones", measured)
	}
	var st struct {
		Adequacy struct {
			Measured int `json:"measured"`
			Vacuous  int `json:"vacuous"`
		} `json:"adequacy"`
	}
	b, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil || json.Unmarshal(b, &st) != nil || st.Adequacy.Measured != 4 || st.Adequacy.Vacuous != 1 {
		t.Errorf("stats.json adequacy %+v (%v)", st.Adequacy, err)
	}
	if !strings.Contains(res.stdout, "adequacy: 4 suites measured") {
		t.Errorf("summary lacks the adequacy line:\n%s", res.stdout)
	}
}
