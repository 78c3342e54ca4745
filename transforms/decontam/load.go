package decontam

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// Format names a benchmark's JSONL layout.
type Format string

// Supported benchmark formats, detected from each row's fields.
const (
	HumanEval    Format = "humaneval"    // task_id, prompt, canonical_solution, test, entry_point
	MBPP         Format = "mbpp"         // task_id (int), text, code, test_list
	BigCodeBench Format = "bigcodebench" // task_id, complete_prompt, code_prompt, canonical_solution, ...
)

// Task is one benchmark problem reduced to the code that must not leak
// into training data.
type Task struct {
	ID     string
	Format Format
	Code   string
	// Entry names the solution's function in Code: entry_point (HumanEval,
	// BigCodeBench; "task_func" when BigCodeBench has none), or "" (MBPP)
	// for the last module-level def.
	Entry string
}

// DetectFormat names the format of one decoded row from the fields it has.
func DetectFormat(row map[string]json.RawMessage) (Format, error) {
	has := func(k string) bool { _, ok := row[k]; return ok }
	switch {
	case !has("task_id"):
		return "", errors.New("no task_id field")
	case has("canonical_solution") && (has("complete_prompt") || has("code_prompt")):
		return BigCodeBench, nil
	case has("canonical_solution") && has("prompt"):
		return HumanEval, nil
	case has("code") && (has("text") || has("test_list")):
		return MBPP, nil
	}
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	return "", fmt.Errorf("unknown benchmark format with fields %v", keys)
}

// ParseTask decodes one JSONL row of any supported format. Numeric MBPP
// task ids become "MBPP/<n>" so every id names its benchmark.
func ParseTask(line []byte) (Task, error) {
	var row map[string]json.RawMessage
	if err := json.Unmarshal(line, &row); err != nil {
		return Task{}, fmt.Errorf("decode row: %w", err)
	}
	f, err := DetectFormat(row)
	if err != nil {
		return Task{}, err
	}
	id, err := taskID(row["task_id"], f)
	if err != nil {
		return Task{}, err
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(row[k], &s) // absent or non-string fields read as ""
		return s
	}
	t := Task{ID: id, Format: f}
	switch f {
	case HumanEval:
		t.Code = str("prompt") + str("canonical_solution")
		t.Entry = str("entry_point")
	case MBPP:
		t.Code = str("code")
	case BigCodeBench:
		prompt := str("complete_prompt")
		if prompt == "" {
			prompt = str("code_prompt")
		}
		t.Code = prompt + str("canonical_solution")
		t.Entry = str("entry_point")
		if t.Entry == "" {
			t.Entry = "task_func"
		}
	}
	if strings.TrimSpace(t.Code) == "" {
		return Task{}, fmt.Errorf("task %s: empty code", id)
	}
	return t, nil
}

func taskID(raw json.RawMessage, f Format) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil && s != "" {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			if f == MBPP {
				return "MBPP/" + n.String(), nil
			}
			return n.String(), nil
		}
	}
	return "", fmt.Errorf("task_id %s is neither a string nor an integer", raw)
}

// ReadTasks reads every task of one benchmark file, JSONL either plain or
// gzip-compressed (detected from the content, not the name). Blank lines
// are skipped; any other bad line is an error naming path and line.
func ReadTasks(path string) ([]Task, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open benchmark: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	return readLines(bufio.NewReader(r), path)
}

func readLines(r *bufio.Reader, path string) ([]Task, error) {
	var tasks []Task
	for lineNo := 1; ; lineNo++ {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			t, perr := ParseTask(line)
			if perr != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, lineNo, perr)
			}
			tasks = append(tasks, t)
		}
		if err == io.EOF {
			return tasks, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
}
