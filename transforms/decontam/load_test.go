package decontam

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTask(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    Task
		wantErr string
	}{
		{"humaneval", `{"task_id":"HumanEval/7","prompt":"def f(x):\n","canonical_solution":"    return x\n","test":"","entry_point":"f"}`,
			Task{ID: "HumanEval/7", Format: HumanEval, Code: "def f(x):\n    return x\n", Entry: "f"}, ""},
		{"mbpp numeric id", `{"task_id":11,"text":"t","code":"def g(): pass","test_list":[]}`,
			Task{ID: "MBPP/11", Format: MBPP, Code: "def g(): pass"}, ""},
		{"mbpp string id", `{"task_id":"Mbpp/11","prompt":"t","code":"def g(): pass","test_list":[]}`,
			Task{ID: "Mbpp/11", Format: MBPP, Code: "def g(): pass"}, ""},
		{"bigcodebench", `{"task_id":"BigCodeBench/1","complete_prompt":"def task_func(a):\n","code_prompt":"def task_func(a):\n","canonical_solution":"    return a\n","instruct_prompt":"i","test":""}`,
			Task{ID: "BigCodeBench/1", Format: BigCodeBench, Code: "def task_func(a):\n    return a\n", Entry: "task_func"}, ""},
		{"bigcodebench entry point", `{"task_id":"BigCodeBench/3","complete_prompt":"def g(a):\n","canonical_solution":"    return a\n","entry_point":"g"}`,
			Task{ID: "BigCodeBench/3", Format: BigCodeBench, Code: "def g(a):\n    return a\n", Entry: "g"}, ""},
		{"bigcodebench code_prompt only", `{"task_id":"BigCodeBench/2","code_prompt":"def h():\n","canonical_solution":"    pass\n"}`,
			Task{ID: "BigCodeBench/2", Format: BigCodeBench, Code: "def h():\n    pass\n", Entry: "task_func"}, ""},
		{"unknown fields", `{"task_id":"X","solution":"x"}`, Task{}, "unknown benchmark format"},
		{"no task id", `{"prompt":"p","canonical_solution":"c"}`, Task{}, "no task_id"},
		{"bad task id", `{"task_id":[1],"code":"x","text":"t"}`, Task{}, "neither a string nor an integer"},
		{"empty code", `{"task_id":3,"code":"  ","text":"t"}`, Task{}, "empty code"},
		{"not json", `{"task_id":`, Task{}, "decode row"},
		{"not an object", `[1,2]`, Task{}, "decode row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTask([]byte(tt.line))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestReadTasks(t *testing.T) {
	tests := []struct {
		file    string
		wantIDs []string
		format  Format
		wantErr string
	}{
		{"mbpp.jsonl", []string{"MBPP/2", "MBPP/3", "MBPP/4"}, MBPP, ""},
		{"bigcodebench.jsonl.gz", []string{"BigCodeBench/fixture-0", "BigCodeBench/fixture-1"}, BigCodeBench, ""},
		{"bigcodebench_prelude.jsonl", []string{"BigCodeBench/fixture-2", "BigCodeBench/fixture-3", "BigCodeBench/fixture-4"}, BigCodeBench, ""},
		{"bad.jsonl", nil, "", "bad.jsonl:3:"},
		{"unknown.jsonl", nil, "", "unknown.jsonl:1: unknown benchmark format"},
		{"missing.jsonl", nil, "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tasks, err := ReadTasks(filepath.Join("testdata", tt.file))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, task := range tasks {
				ids = append(ids, task.ID)
				if task.Format != tt.format {
					t.Errorf("%s: format %s, want %s", task.ID, task.Format, tt.format)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tt.wantIDs, ",") {
				t.Errorf("ids %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}

func TestReadHumanEval(t *testing.T) {
	tasks, err := ReadTasks(humanEvalPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 164 || tasks[0].ID != "HumanEval/0" || tasks[0].Format != HumanEval {
		t.Fatalf("got %d tasks, first %+v", len(tasks), tasks[0].ID)
	}
	if !strings.Contains(tasks[0].Code, "def has_close_elements") || !strings.Contains(tasks[0].Code, "return False") {
		t.Errorf("HumanEval/0 code is not prompt+solution:\n%s", tasks[0].Code)
	}
}
