package sandbox

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

// humanEvalRow is one HumanEval problem.
type humanEvalRow = testfixtures.HumanEvalTask

func loadHumanEval(t testing.TB) []humanEvalRow { return testfixtures.HumanEval(t) }

// humanEvalJob is the canonical HumanEval verification: prompt + solution as
// the code, test + check(entry_point) as a script-style test.
func humanEvalJob(r humanEvalRow, body string) Job {
	return Job{ID: r.TaskID, Code: r.Prompt + body, Test: r.Test + "\ncheck(" + r.EntryPoint + ")\n"}
}

// demoPair is one recorded code+tests pair from the UnitCoder demo data.
type demoPair struct {
	Where  string // e.g. "stage2_passed.jsonl:3:debug_rounds[0][1]"
	Code   string
	Test   string
	Status string // recorded verdict, "pass" or "fail"
}

type demoAttempt struct {
	Code     string            `json:"code"`
	TestCode string            `json:"test_code"`
	Status   []json.RawMessage `json:"status"`
}

func (a demoAttempt) status() string {
	if len(a.Status) == 0 {
		return ""
	}
	var s string
	json.Unmarshal(a.Status[0], &s)
	return s
}

func loadDemo(t testing.TB, name string) []demoPair {
	t.Helper()
	f, err := os.Open(filepath.Join(testfixtures.DemoDir(t), name))
	if err != nil {
		t.Fatalf("open demo: %v", err)
	}
	defer f.Close()
	var out []demoPair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for line := 1; sc.Scan(); line++ {
		var row struct {
			ID          string          `json:"id"`
			Original    demoAttempt     `json:"original"`
			DebugRounds [][]demoAttempt `json:"debug_rounds"`
			Polish      *demoAttempt    `json:"polish"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		add := func(where string, a demoAttempt) {
			out = append(out, demoPair{Where: name + ":" + row.ID + ":" + where, Code: a.Code, Test: a.TestCode, Status: a.status()})
		}
		add("original", row.Original)
		for i, round := range row.DebugRounds {
			for k, a := range round {
				add("debug["+itoa(i)+"]["+itoa(k)+"]", a)
			}
		}
		if row.Polish != nil && row.Polish.Code != "" {
			add("polish", *row.Polish)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return out
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }
