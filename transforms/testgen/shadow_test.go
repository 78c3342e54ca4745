package testgen

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

type recorded struct {
	ID       string `json:"id"`
	Original struct {
		Code     string `json:"code"`
		TestCode string `json:"test_code"`
	} `json:"original"`
}

func demoRows(t *testing.T) []recorded {
	t.Helper()
	var rows []recorded
	for _, name := range []string{"stage2_passed.jsonl", "stage2_failed.jsonl"} {
		testfixtures.ForEachJSONL(t, filepath.Join(testfixtures.DemoDir(t), name), func(r recorded) { rows = append(rows, r) })
	}
	return rows
}

// Four of the sixteen recorded test files paste a copy of the function
// they test; the rest must be left alone.
func TestShadowingOnRecordedDemo(t *testing.T) {
	want := map[string][]string{
		"fae1edc5-6774-353f-b90b-fe4320ffeeb3_1": {"get_media"},
		"e5bbbacc-eb58-3e88-964b-1a82b05055a6_5": {"pick_init_seq"},
		"e16b2e8a-f73b-355c-b8c3-8b4ede805406_0": {"cleanup_str"},
		"4d6767ca-cc6d-3fb6-b2b4-d7b774fe2c04_0": {"get_courses_link_list"},
	}
	rows := demoRows(t)
	if len(rows) != 16 {
		t.Fatalf("got %d recorded functions, want 16", len(rows))
	}
	for _, r := range rows {
		got := Shadowing(r.Original.Code, r.Original.TestCode)
		if !reflect.DeepEqual(got, want[r.ID]) {
			t.Errorf("%s: shadowing %v, want %v", r.ID, got, want[r.ID])
		}
		repaired, removed := RemoveShadowing(r.Original.Code, r.Original.TestCode)
		if !reflect.DeepEqual(removed, want[r.ID]) {
			t.Errorf("%s: removed %v, want %v", r.ID, removed, want[r.ID])
		}
		if left := Shadowing(r.Original.Code, repaired); len(left) != 0 {
			t.Errorf("%s: still shadows %v after repair", r.ID, left)
		}
		before, after := TestMethods(r.Original.TestCode), TestMethods(repaired)
		if len(before) == 0 || !reflect.DeepEqual(before, after) {
			t.Errorf("%s: test methods %v before repair, %v after", r.ID, before, after)
		}
		if len(removed) == 0 && repaired != r.Original.TestCode {
			t.Errorf("%s: tests changed without shadowing", r.ID)
		}
	}
}

func TestShadowingKinds(t *testing.T) {
	code := "import os\nLIMIT = 3\n\nclass Box:\n    pass\n\ndef f(x):\n    return x\n"
	tests := strings.Join([]string{
		"import unittest",
		"LIMIT = 4",
		"@staticmethod",
		"def f(x):",
		"    return 0",
		"class Box:",
		"    pass",
		"def helper():",
		"    return 1",
		"class TestCases(unittest.TestCase):",
		"    def test_a(self):",
		"        self.assertEqual(f(1), 1)",
		"",
	}, "\n")
	got, removed := RemoveShadowing(code, tests)
	if !reflect.DeepEqual(removed, []string{"Box", "LIMIT", "f"}) {
		t.Errorf("removed %v", removed)
	}
	for _, gone := range []string{"LIMIT = 4", "return 0", "class Box", "@staticmethod"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q survived repair:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"import unittest", "def helper", "def test_a"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was removed:\n%s", kept, got)
		}
	}
}
