package report

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/unitcoder/unitcoder/io/dataset"
)

// TestCardMatchesShards parses the card's front matter with a real YAML
// parser (PyYAML on Debian's python3) and checks what a datasets loader
// relies on: each config's data_files glob matches the shards, and every
// key of every row, nested ones included, is a declared feature (the json
// loader refuses columns missing from declared features).
func TestCardMatchesShards(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import yaml").Run(); err != nil {
		skipOutsideCI(t, "Debian python3 with PyYAML is not installed (scripts/setup.sh installs it): %v", err)
	}
	withCards(t, func(t *testing.T, _, dir string) {
		meta := frontMatter(t, filepath.Join(dir, CardFile))
		features := map[string]any{}
		for _, info := range meta.DatasetInfo {
			features[info.ConfigName] = info.Features
		}
		for _, c := range meta.Configs {
			rows := 0
			for _, df := range c.DataFiles {
				err := dataset.ReadLines(context.Background(), filepath.Join(dir, df.Path), func(line []byte) error {
					rows++
					var row map[string]any
					if err := json.Unmarshal(line, &row); err != nil {
						return err
					}
					checkDeclared(t, c.ConfigName, row, features[c.ConfigName])
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if rows == 0 {
				t.Errorf("config %s: data_files match no rows", c.ConfigName)
			}
		}
	})
}

// skipOutsideCI skips the test on a machine that lacks what it needs, but
// fails it under CI (CI set), whose test script installs everything: a
// broken install must not turn into silently skipped checks.
func skipOutsideCI(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

type cardMeta struct {
	Configs []struct {
		ConfigName string                         `json:"config_name"`
		DataFiles  []struct{ Split, Path string } `json:"data_files"`
	} `json:"configs"`
	DatasetInfo []struct {
		ConfigName string `json:"config_name"`
		Features   any    `json:"features"`
	} `json:"dataset_info"`
}

// frontMatter parses the card's YAML front matter with PyYAML.
func frontMatter(t *testing.T, path string) cardMeta {
	t.Helper()
	script := `import sys, yaml, json
text = open(sys.argv[1]).read()
assert text.startswith("---\n"), "no front matter"
print(json.dumps(yaml.safe_load(text.split("\n---\n")[0][4:])))`
	out, err := exec.Command("/usr/bin/python3", "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("parse front matter: %v\n%s", err, out)
	}
	var m cardMeta
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("front matter %s: %v", out, err)
	}
	return m
}

// checkDeclared fails for any key of row that the features list lacks.
func checkDeclared(t *testing.T, where string, row map[string]any, features any) {
	t.Helper()
	declared := map[string]map[string]any{}
	list, _ := features.([]any)
	for _, f := range list {
		m, _ := f.(map[string]any)
		name, _ := m["name"].(string)
		declared[name] = m
	}
	for k, v := range row {
		f, ok := declared[k]
		if !ok {
			t.Errorf("%s: key %q is not a declared feature", where, k)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			checkDeclared(t, where+"."+k, v, f["struct"])
		case []any:
			if sub, ok := f["list"]; ok {
				for _, item := range v {
					if m, ok := item.(map[string]any); ok {
						checkDeclared(t, where+"."+k, m, sub)
					}
				}
			} else if seq, ok := f["sequence"]; ok {
				for _, item := range v {
					if dtype, _ := seq.(string); !fitsDtype(item, dtype) {
						t.Errorf("%s: key %q holds %v (%T), which a sequence of %v cannot hold", where, k, item, item, seq)
					}
				}
			} else {
				t.Errorf("%s: key %q holds a list but is declared %v", where, k, f)
			}
		default:
			dtype, ok := f["dtype"].(string)
			if !ok {
				t.Errorf("%s: key %q holds a scalar but is declared %v", where, k, f)
			} else if !fitsDtype(v, dtype) {
				t.Errorf("%s: key %q holds %v (%T), which dtype %s cannot hold", where, k, v, v, dtype)
			}
		}
	}
}

// fitsDtype reports whether a JSON value can be cast to a datasets dtype
// without error, as the json loader casts every row to the declared
// features (null fits every dtype).
func fitsDtype(v any, dtype string) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return dtype == "string"
	case bool:
		return dtype == "bool"
	case float64:
		if dtype == "float32" || dtype == "float64" {
			return true
		}
		bits, ok := map[string]int{"int8": 8, "int16": 16, "int32": 32, "int64": 64}[dtype]
		if ok {
			limit := math.Ldexp(1, bits-1)
			return v == math.Trunc(v) && v >= -limit && v < limit
		}
		if bits, ok = map[string]int{"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}[dtype]; ok {
			return v == math.Trunc(v) && v >= 0 && v < math.Ldexp(1, bits)
		}
	}
	return false
}

// TestFitsDtype pins the cast rules the card check relies on.
func TestFitsDtype(t *testing.T) {
	for _, tc := range []struct {
		v     any
		dtype string
		want  bool
	}{
		{"x", "string", true}, {"x", "int64", false}, {nil, "int64", true}, {true, "bool", true}, {true, "string", false},
		{3.0, "int64", true}, {3.5, "int64", false}, {3.5, "float64", true}, {3.0, "float32", true},
		{127.0, "int8", true}, {128.0, "int8", false}, {-128.0, "int8", true}, {-1.0, "uint8", false},
		{255.0, "uint8", true}, {256.0, "uint8", false}, {1.0, "string", false},
	} {
		if got := fitsDtype(tc.v, tc.dtype); got != tc.want {
			t.Errorf("fitsDtype(%v, %s) = %v, want %v", tc.v, tc.dtype, got, tc.want)
		}
	}
}
